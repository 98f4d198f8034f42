"""Typed errors. Each carries the context a person needs to act on it.

`UserError` subclasses are mistakes a coordinator or operator can fix (bad register row, unknown
quarter, missing home); the CLI prints them as one line, never as a traceback.
`FileRejected` subclasses describe why one inbox file cannot be processed; the ingest flow turns
them into a quarantine with the Dutch reason in `reason_nl`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path


class SroiError(Exception):
    """Base of every error this project raises on purpose."""


class UserError(SroiError):
    """A mistake the user can correct; printed as one line on stderr."""


class ConfigError(UserError):
    """sroi.toml or the home folder is not usable."""


class RulesetError(UserError):
    """A ruleset file is invalid; names the file and the key."""

    def __init__(self, file: Path | str, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.file}: {key}: {problem}")


class RegisterError(UserError):
    """The contract register as a whole cannot be read (missing, unreadable, no table)."""


class UnknownRuleset(UserError):
    """A ruleset reference (id or family) that names nothing, or no version valid on the
    award date. `reason_nl` is what the register problem says."""

    def __init__(self, reference: str, known: Iterable[str], award_date: date | None = None):
        self.reference = reference
        self.known = tuple(sorted(known))
        self.award_date = award_date
        if award_date is None:
            self.reason_nl = f"onbekende regeling '{reference}' (bekend: {', '.join(self.known)})"
        else:
            self.reason_nl = (
                f"geen versie van regeling '{reference}' geldig op gunningsdatum "
                f"{award_date:%d-%m-%Y}"
            )
        super().__init__(self.reason_nl)


class UnknownLine(UserError):
    """A line id that the ledger does not know, or whose every version was retracted."""

    def __init__(self, line_id: int, *, retracted: bool = False) -> None:
        self.line_id = line_id
        self.retracted = retracted
        super().__init__(
            f"line {line_id} was retracted with its file" if retracted else f"no line {line_id}"
        )


class UnknownFile(UserError):
    """A file id that the ledger does not know."""

    def __init__(self, file_id: int) -> None:
        self.file_id = file_id
        super().__init__(
            f"no file {file_id} in the ledger (`sroi run` and `sroi lines` show file ids)"
        )


class FileRejected(SroiError):
    """An inbox file cannot be processed. `reason_nl` is shown to the coordinator."""

    def __init__(self, reason_nl: str, *, path: Path | None = None) -> None:
        self.reason_nl = reason_nl
        self.path = path
        super().__init__(reason_nl if path is None else f"{path.name}: {reason_nl}")


class UnreadableFile(FileRejected):
    """Corrupt, empty, password-protected or otherwise unreadable file."""


class UnknownContract(FileRejected):
    """The file cannot be linked to a registered contract."""


class ContractMismatch(FileRejected):
    """The workbook names another contract than the inbox folder it was dropped in."""

    def __init__(self, named_in_file: str, folder_contract: str, *, path: Path | None = None):
        self.named_in_file = named_in_file
        self.folder_contract = folder_contract
        super().__init__(
            f"contractnummer in het bestand ({named_in_file}) wijkt af van de map "
            f"({folder_contract})",
            path=path,
        )


class NoEvidenceFound(FileRejected):
    """The file was read, but holds no placement, purchase, hours or invoice data."""
