"""Storing what became of inbox files: the ledger records and the copy in archive/ or
quarantine/, for a batch of files in one exclusive transaction (a savepoint per file); after
the commit the copies are made durable and only then do the inbox copies go.

A crash before the commit leaves the files in the inbox (processed again next run). A crash
after it leaves inbox copies whose bytes, place and time the ledger already knows: the next run
recognises them as handled and only removes them (re-copying an archive copy that did not reach
the disk). A retried file's earlier quarantine copy and reason go once the new one is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from prefect import get_run_logger
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.errors import FileRejected
from domain.storage import copy_atomically, make_durable
from flows.filing import (
    InboxFile,
    QuarantineNote,
    free_destination,
    remove_quarantined,
    sha256_of,
    write_reason,
)
from flows.reading import Defect, Read, ReadResult, Unreadable
from flows.workspace import Workspace
from ledger.evidence import LedgerEvidence
from ledger.files import (
    FileOutcome,
    FileStatus,
    KnownFiles,
    archived_copy,
    earlier_quarantines,
    is_recorded,
    record_file,
)
from ledger.lines import now, store_lines
from ledger.runs import Claimant
from ledger.schema import FileRecord
from parsers import Parsed, file_kind
from parsers.submission import ParsedWorkbook
from validators.assignment import assign_contract
from validators.lines import LineStatus
from validators.register import Register
from validators.submission import CheckedSubmission, validate_submission
from valuation.components import value_lines


@dataclass(frozen=True)
class RunContext:
    """What every file of one run shares."""

    workspace: Workspace
    register: Register
    run_id: int
    claimant: Claimant
    as_of: date


@dataclass(frozen=True)
class ClaimedFile:
    """An inbox file this run claimed, with its bytes' hash and when it arrived."""

    file: InboxFile
    sha256: str
    received_at: datetime


@dataclass(frozen=True)
class FileResult:
    inbox_path: str
    status: FileStatus | None
    """None: the file was not handled (it vanished, or stays in the inbox for the next run)."""
    contract_id: str | None
    stored_path: str
    reason: str | None = None
    accepted: int = 0
    rejected: int = 0
    pending: int = 0
    unchanged: int = 0
    file_id: int | None = None

    @classmethod
    def vanished(cls, file: InboxFile) -> FileResult:
        return cls(file.relative, None, None, "", "verdwenen uit de inbox voor het verwerkt was")

    @classmethod
    def left_in_inbox(cls, file: InboxFile, problem: str) -> FileResult:
        return cls(file.relative, None, None, "", f"blijft in de inbox: {problem}")


@dataclass
class AfterCommit:
    """File work that waits until the batch's records are committed."""

    copies: list[Path] = field(default_factory=list)
    inbox_copies: list[Path] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def absorb(self, other: AfterCommit) -> None:
        self.copies += other.copies
        self.inbox_copies += other.inbox_copies
        self.retired += other.retired

    def finish(self, root: Path) -> None:
        make_durable(self.copies)
        for inbox_copy in self.inbox_copies:
            inbox_copy.unlink(missing_ok=True)
        for stored in self.retired:
            remove_quarantined(root / stored)


def _relative(workspace: Workspace, path: Path) -> str:
    return path.relative_to(workspace.home.root).as_posix()


class _Storing:
    """One file's outcome, inside the batch's transaction."""

    def __init__(
        self, session: Session, run: RunContext, claimed: ClaimedFile, known: KnownFiles
    ) -> None:
        self.session = session
        self.run = run
        self.claimed = claimed
        self.known = known
        self.after = AfterCommit()

    @property
    def workspace(self) -> Workspace:
        return self.run.workspace

    @property
    def file(self) -> InboxFile:
        return self.claimed.file

    def place(self, folder: Path) -> Path:
        """A free name in `folder` and the copy there (durable after the commit)."""
        destination = free_destination(
            folder,
            self.file.name,
            self.claimed.sha256,
            lambda path: is_recorded(self.session, _relative(self.workspace, path)),
        )
        copy_atomically(self.file.path, destination, durable=False)
        self.after.copies.append(destination)
        self.after.inbox_copies.append(self.file.path)
        return destination

    def record(
        self,
        destination: Path,
        *,
        status: FileStatus,
        contract_id: str | None,
        reason: str | None = None,
        duplicate_of: int | None = None,
        summary: dict[str, object] | None = None,
    ) -> FileRecord:
        outcome = FileOutcome(
            sha256=self.claimed.sha256,
            original_name=self.file.name,
            inbox_path=self.file.relative,
            contract_id=contract_id,
            kind=file_kind(self.file.path),
            status=status,
            reason=reason,
            stored_path=_relative(self.workspace, destination),
            size_bytes=self.file.path.stat().st_size,
            duplicate_of=duplicate_of,
            received_at=self.claimed.received_at,
            summary=dict(summary or {}),
        )
        record = record_file(self.session, outcome, self.run.run_id)
        sha256 = self.claimed.sha256 if status is FileStatus.ARCHIVED else None
        found = (
            earlier_quarantines(self.session, self.file.relative, sha256)
            if self.known.may_replace_quarantined(self.file.relative, sha256)
            else []
        )
        self.known.note(
            self.claimed.sha256,
            self.file.relative,
            open_quarantine=status is FileStatus.QUARANTINED,
        )
        for earlier in found:
            if earlier.id != record.id:
                earlier.resolved_by = record.id
                self.after.retired.append(earlier.stored_path)
        return record

    def quarantine(self, reason: str) -> FileResult:
        """quarantine/<inbox folder>/<name>, with the reason, original place, date and run
        beside it; under the contract of its folder when that names a registered contract."""
        folder_contract = self.run.register.get(self.file.folder_contract or "")
        contract_id = folder_contract.contract_id if folder_contract else None
        folder = self.workspace.home.quarantine / self.file.quarantine_folder
        destination = self.place(folder)
        record = self.record(
            destination, status=FileStatus.QUARANTINED, contract_id=contract_id, reason=reason
        )
        note = QuarantineNote(reason, f"inbox/{self.file.relative}", now(), self.run.run_id)
        self.after.copies.append(write_reason(destination, note))
        return FileResult(
            self.file.relative,
            FileStatus.QUARANTINED,
            contract_id,
            record.stored_path,
            reason,
            file_id=record.id,
        )

    def put_aside(self, contract_id: str, earlier_id: int) -> FileResult:
        """The same bytes as a file archived for this contract: kept in its duplicates
        folder, without effect."""
        reason = f"zelfde bestand als eerder verwerkt (bestand {earlier_id}); geen effect"
        destination = self.place(self.workspace.home.archive / contract_id / "duplicaten")
        record = self.record(
            destination,
            status=FileStatus.DUPLICATE,
            contract_id=contract_id,
            reason=reason,
            duplicate_of=earlier_id,
        )
        return FileResult(
            self.file.relative,
            FileStatus.DUPLICATE,
            contract_id,
            record.stored_path,
            reason,
            file_id=record.id,
        )

    def archive(self, contract: Contract, read: Read) -> FileResult:
        """Check the lines against the ledger, value them, store them with the file."""
        workspace = self.workspace
        ruleset = workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
        parsed = read.parsed
        judged = read.judged if read.judged_for == contract.contract_id else None
        checked = validate_submission(
            parsed,
            contract,
            ruleset,
            LedgerEvidence(self.session),
            workspace.pseudonymizer,
            readings=read.readings,
            judged=judged,
        )
        destination = self.place(workspace.home.archive / contract.contract_id)
        record = self.record(
            destination,
            status=FileStatus.ARCHIVED,
            contract_id=contract.contract_id,
            summary=_summary(checked, parsed),
        )
        store_lines(
            self.session,
            record.id,
            contract.contract_id,
            contract.ruleset_id,
            value_lines(checked, ruleset),
            received_at=self.claimed.received_at,
            from_pdf=record.kind == "invoice",
        )
        return FileResult(
            inbox_path=self.file.relative,
            status=FileStatus.ARCHIVED,
            contract_id=contract.contract_id,
            stored_path=record.stored_path,
            accepted=checked.count(LineStatus.ACCEPTED),
            rejected=checked.count(LineStatus.REJECTED),
            pending=checked.count(LineStatus.PENDING),
            unchanged=len(checked.unchanged),
            file_id=record.id,
        )


def _summary(checked: CheckedSubmission, parsed: Parsed) -> dict[str, object]:
    """The counts, the rows that repeated a ledger line, and where the tables stand (what the
    feedback workbook needs without reading the file again)."""
    counts: dict[str, object] = {status.value: checked.count(status) for status in LineStatus}
    tables = (
        [[table.sheet, table.header_row, table.last_column] for table in parsed.tables]
        if isinstance(parsed, ParsedWorkbook)
        else []
    )
    return counts | {
        "unchanged": len(checked.unchanged),
        "unchanged_rows": [
            [row.provenance.sheet, row.provenance.row, row.line_id, row.status.value]
            for row in checked.unchanged
        ],
        "tables": tables,
    }


def _handled_before(
    session: Session, claimed: ClaimedFile, root: Path, known: KnownFiles
) -> FileRecord | None:
    """The record of this very inbox file (same bytes, place and arrival), when a run stored
    it but stopped before removing it from the inbox."""
    if not known.may_be_recorded(claimed.sha256):
        return None
    record = session.scalars(
        select(FileRecord).where(
            FileRecord.sha256 == claimed.sha256,
            FileRecord.inbox_path == claimed.file.relative,
            FileRecord.received_at == claimed.received_at,
        )
    ).first()
    if record is None:
        return None
    stored = root / record.stored_path
    if not stored.is_file() or sha256_of(stored) != claimed.sha256:
        copy_atomically(claimed.file.path, stored)  # the copy did not reach the disk
    return record


def _outcome(storing: _Storing, read: ReadResult) -> FileResult:
    root = storing.workspace.home.root
    earlier = _handled_before(storing.session, storing.claimed, root, storing.known)
    if earlier is not None:
        storing.after.inbox_copies.append(storing.file.path)
        status = FileStatus(earlier.status)
        reason = f"al verwerkt (bestand {earlier.id}); uit de inbox gehaald"
        return FileResult(
            storing.file.relative, status, earlier.contract_id, earlier.stored_path, reason,
            file_id=earlier.id,
        )  # fmt: skip
    if isinstance(read, Unreadable):
        return storing.quarantine(read.reason_nl)
    if isinstance(read, Defect):
        get_run_logger().error("interne fout bij %s:\n%s", storing.file.relative, read.traceback)
        return storing.quarantine(_defect_reason(read.kind))
    named = read.parsed.contract_ref if isinstance(read.parsed, ParsedWorkbook) else None
    file = storing.file
    try:
        contract = assign_contract(file.folder_contract, file.name, named, storing.run.register)
    except FileRejected as rejected:
        return storing.quarantine(rejected.reason_nl)
    sha256 = storing.claimed.sha256
    same = (
        archived_copy(storing.session, sha256, contract.contract_id)
        if storing.known.may_be_recorded(sha256)
        else None
    )
    if same is not None:
        return storing.put_aside(contract.contract_id, same.id)
    return storing.archive(contract, read)


def _defect_reason(kind: str) -> str:
    return (
        f"interne fout bij het verwerken ({kind}); het bestand is niet "
        "meegeteld. Meld dit aan de beheerder."
    )


def store_one(
    session: Session, run: RunContext, claimed: ClaimedFile, read: ReadResult, known: KnownFiles
) -> tuple[FileResult, AfterCommit]:
    """One file's outcome in its own savepoint. A file that cannot be read or written stays in
    the inbox; a defect in our code quarantines the file (the traceback goes to the log for the
    operator) and the batch goes on."""
    if not claimed.file.path.exists():
        return FileResult.vanished(claimed.file), AfterCommit()
    storing = _Storing(session, run, claimed, known)
    try:
        with session.begin_nested():
            return _outcome(storing, read), storing.after
    except OSError as error:
        if not claimed.file.path.exists():
            return FileResult.vanished(claimed.file), AfterCommit()
        get_run_logger().warning("%s blijft in de inbox: %s", claimed.file.relative, error)
        return FileResult.left_in_inbox(claimed.file, str(error)), AfterCommit()
    except Exception as defect:  # noqa: BLE001 - a defect stays with its own file
        get_run_logger().exception("interne fout bij %s", claimed.file.relative)
        storing = _Storing(session, run, claimed, known)
        with session.begin_nested():
            return storing.quarantine(_defect_reason(type(defect).__name__)), storing.after
