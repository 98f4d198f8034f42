"""Storing one inbox file's outcome: the ledger records and the copy in archive/ or
quarantine/ in one transaction, then the inbox copy goes. A crash before the commit leaves the
file in the inbox (processed again next run); after it, the inbox copy is recognised as the same
file. A retried file's earlier quarantine copy and reason go once the new one is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.storage import copy_atomically
from flows.filing import (
    InboxFile,
    QuarantineNote,
    free_destination,
    remove_quarantined,
    write_reason,
)
from flows.workspace import Workspace
from ledger.files import (
    FileOutcome,
    FileStatus,
    earlier_quarantines,
    is_recorded,
    record_file,
)
from ledger.lines import now, store_lines
from ledger.schema import FileRecord
from parsers import file_kind
from validators.lines import LineStatus
from validators.register import Register
from validators.submission import CheckedSubmission
from valuation.components import ValuedLine


@dataclass(frozen=True)
class RunContext:
    """What every file of one run shares."""

    workspace: Workspace
    register: Register
    run_id: int


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


def _relative(workspace: Workspace, path: Path) -> str:
    return path.relative_to(workspace.home.root).as_posix()


def _destination(
    session: Session, workspace: Workspace, folder: Path, file: InboxFile, sha256: str
) -> Path:
    return free_destination(
        folder, file.name, sha256, lambda path: is_recorded(session, _relative(workspace, path))
    )


def _retire_quarantines(session: Session, record: FileRecord, file: InboxFile) -> list[str]:
    """Earlier quarantines this file replaces; their copies go once the transaction holds."""
    archived = record.status == FileStatus.ARCHIVED
    found = earlier_quarantines(session, file.relative, record.sha256 if archived else None)
    replaced = [earlier for earlier in found if earlier.id != record.id]
    for earlier in replaced:
        earlier.resolved_by = record.id
    return [earlier.stored_path for earlier in replaced]


def _outcome(
    workspace: Workspace,
    file: InboxFile,
    sha256: str,
    destination: Path,
    *,
    status: FileStatus,
    contract_id: str | None,
    reason: str | None = None,
    duplicate_of: int | None = None,
    summary: dict[str, object] | None = None,
) -> FileOutcome:
    return FileOutcome(
        sha256=sha256,
        original_name=file.name,
        inbox_path=file.relative,
        contract_id=contract_id,
        kind=file_kind(file.path),
        status=status,
        reason=reason,
        stored_path=_relative(workspace, destination),
        size_bytes=file.path.stat().st_size,
        duplicate_of=duplicate_of,
        received_at=file.received_at(),
        summary=dict(summary or {}),
    )


def _finish(workspace: Workspace, file: InboxFile, replaced: list[str]) -> None:
    file.path.unlink()
    for stored in replaced:
        remove_quarantined(workspace.home.root / stored)


def archive(
    run: RunContext,
    file: InboxFile,
    sha256: str,
    contract: Contract,
    *,
    checked: CheckedSubmission,
    valued: list[ValuedLine],
) -> FileResult:
    """Ledger records and the archive copy in one transaction; then the inbox copy goes."""
    workspace = run.workspace
    counts = {status: checked.count(status) for status in LineStatus}
    unchanged_rows = [
        [row.provenance.sheet, row.provenance.row, row.line_id, row.status.value]
        for row in checked.unchanged
    ]
    summary = {status.value: count for status, count in counts.items()} | {
        "unchanged": len(checked.unchanged),
        "unchanged_rows": unchanged_rows,
    }
    with workspace.ledger.transaction() as session:
        folder = workspace.home.archive / contract.contract_id
        destination = _destination(session, workspace, folder, file, sha256)
        outcome = _outcome(
            workspace,
            file,
            sha256,
            destination,
            status=FileStatus.ARCHIVED,
            contract_id=contract.contract_id,
            summary=summary,
        )
        record = record_file(session, outcome, run.run_id)
        store_lines(
            session,
            record.id,
            contract.contract_id,
            contract.ruleset_id,
            valued,
            from_pdf=outcome.kind == "invoice",
        )
        replaced = _retire_quarantines(session, record, file)
        # Inside the transaction: if the copy fails, nothing is recorded either.
        copy_atomically(file.path, destination)
    _finish(workspace, file, replaced)
    return FileResult(
        inbox_path=file.relative,
        status=FileStatus.ARCHIVED,
        contract_id=contract.contract_id,
        stored_path=outcome.stored_path,
        accepted=counts[LineStatus.ACCEPTED],
        rejected=counts[LineStatus.REJECTED],
        pending=counts[LineStatus.PENDING],
        unchanged=len(checked.unchanged),
        file_id=record.id,
    )


def quarantine(run: RunContext, file: InboxFile, sha256: str, reason: str) -> FileResult:
    """quarantine/<inbox folder>/<name>, with the reason, original place, date and run beside
    it. Under the contract of its folder when the folder names a registered contract."""
    workspace = run.workspace
    folder_contract = run.register.get(file.folder_contract or "")
    contract_id = folder_contract.contract_id if folder_contract else None
    with workspace.ledger.transaction() as session:
        folder = workspace.home.quarantine / file.quarantine_folder
        destination = _destination(session, workspace, folder, file, sha256)
        outcome = _outcome(
            workspace,
            file,
            sha256,
            destination,
            status=FileStatus.QUARANTINED,
            contract_id=contract_id,
            reason=reason,
        )
        record = record_file(session, outcome, run.run_id)
        replaced = _retire_quarantines(session, record, file)
        copy_atomically(file.path, destination)
        note = QuarantineNote(reason, f"inbox/{file.relative}", now(), run.run_id)
        write_reason(destination, note)
    _finish(workspace, file, replaced)
    return FileResult(
        file.relative,
        FileStatus.QUARANTINED,
        contract_id,
        outcome.stored_path,
        reason,
        file_id=record.id,
    )


def put_aside(
    run: RunContext, file: InboxFile, sha256: str, *, reason: str, contract_id: str, of: int
) -> FileResult:
    """The same bytes as a file archived for this contract: kept in its duplicates folder,
    without effect."""
    workspace = run.workspace
    with workspace.ledger.transaction() as session:
        folder = workspace.home.archive / contract_id / "duplicaten"
        destination = _destination(session, workspace, folder, file, sha256)
        outcome = _outcome(
            workspace,
            file,
            sha256,
            destination,
            status=FileStatus.DUPLICATE,
            contract_id=contract_id,
            reason=reason,
            duplicate_of=of,
        )
        record = record_file(session, outcome, run.run_id)
        copy_atomically(file.path, destination)
    _finish(workspace, file, [])
    return FileResult(
        file.relative,
        FileStatus.DUPLICATE,
        contract_id,
        outcome.stored_path,
        reason,
        file_id=record.id,
    )
