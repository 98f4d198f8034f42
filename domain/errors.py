"""Typed errors. Each carries the context a person needs to act on it.

`UserError` subclasses are mistakes a coordinator or operator can fix (bad register row, unknown
quarter, missing home); the CLI prints them as one line, never as a traceback.
`FileRejected` subclasses describe why one inbox file cannot be processed; the ingest flow turns
them into a quarantine with the Dutch reason in `reason_nl`.
"""

from __future__ import annotations

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


class NoEvidenceFound(FileRejected):
    """The file was read, but holds no placement, purchase, hours or invoice data."""
