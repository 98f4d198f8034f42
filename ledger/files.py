"""File records: which inbox file was handled how, found again by its bytes (sha256)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.schema import FileRecord


class FileStatus(StrEnum):
    """What became of an inbox file."""

    ARCHIVED = "archived"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class FileOutcome:
    sha256: str
    original_name: str
    inbox_path: str
    contract_id: str | None
    kind: str
    status: FileStatus
    reason: str | None
    stored_path: str
    size_bytes: int
    duplicate_of: int | None = None
    received_at: datetime | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def archived_copy(session: Session, sha256: str, contract_id: str) -> FileRecord | None:
    """The first file with these bytes archived for this contract and not retracted: the same
    file dropped again. (The same bytes under another contract are a misfiled copy, not a
    duplicate; a quarantined file may be retried.)"""
    query = (
        select(FileRecord)
        .where(
            FileRecord.sha256 == sha256,
            FileRecord.status == FileStatus.ARCHIVED,
            FileRecord.contract_id == contract_id,
            FileRecord.retracted_at.is_(None),
        )
        .order_by(FileRecord.id)
        .limit(1)
    )
    return session.scalars(query).first()


def archived_files(session: Session, contract_id: str) -> list[FileRecord]:
    """The contract's archived files that still count, in the order they were processed."""
    query = (
        select(FileRecord)
        .where(
            FileRecord.contract_id == contract_id,
            FileRecord.status == FileStatus.ARCHIVED,
            FileRecord.retracted_at.is_(None),
        )
        .order_by(FileRecord.id)
    )
    return list(session.scalars(query))


def is_recorded(session: Session, stored_path: str) -> bool:
    """Whether a file of the ledger is stored at this path (under archive/ or quarantine/)."""
    query = select(FileRecord.id).where(FileRecord.stored_path == stored_path).limit(1)
    return session.scalars(query).first() is not None


def earlier_quarantines(
    session: Session, inbox_path: str, sha256: str | None = None
) -> list[FileRecord]:
    """Quarantined files that a file now handled replaces: a file dropped at the same place in
    the inbox (a retry after the reason was fixed), or, when `sha256` is given (the new file was
    archived), the same bytes from wherever they were dropped."""
    same = FileRecord.inbox_path == inbox_path
    if sha256 is not None:
        same = same | (FileRecord.sha256 == sha256)
    query = (
        select(FileRecord)
        .where(
            FileRecord.status == FileStatus.QUARANTINED,
            FileRecord.resolved_by.is_(None),
            same,
        )
        .order_by(FileRecord.id)
    )
    return list(session.scalars(query))


@dataclass
class KnownFiles:
    """What the ledger holds of some files' bytes and inbox places, asked once for a batch of
    files and kept current while they are stored: a file outside all of it was never handled
    before, is no duplicate and replaces no quarantined file, without a query of its own."""

    sha256s: set[str] = field(default_factory=set)
    """Bytes of any file recorded."""
    quarantined_paths: set[str] = field(default_factory=set)
    quarantined_sha256s: set[str] = field(default_factory=set)
    """Inbox places and bytes of quarantined files not yet replaced."""

    def note(self, sha256: str, inbox_path: str, *, open_quarantine: bool) -> None:
        """A file recorded with these bytes at this inbox place; `open_quarantine`: it is a
        quarantined file that no later file replaced yet."""
        self.sha256s.add(sha256)
        if open_quarantine:
            self.quarantined_paths.add(inbox_path)
            self.quarantined_sha256s.add(sha256)

    def may_be_recorded(self, sha256: str) -> bool:
        return sha256 in self.sha256s

    def may_replace_quarantined(self, inbox_path: str, sha256: str | None) -> bool:
        """Whether earlier_quarantines(inbox_path, sha256) can find anything."""
        return inbox_path in self.quarantined_paths or (
            sha256 is not None and sha256 in self.quarantined_sha256s
        )


def known_files(session: Session, sha256s: set[str], inbox_paths: set[str]) -> KnownFiles:
    """What the ledger holds of files with these bytes or inbox places."""
    query = select(
        FileRecord.sha256, FileRecord.inbox_path, FileRecord.status, FileRecord.resolved_by
    ).where(FileRecord.sha256.in_(sha256s) | FileRecord.inbox_path.in_(inbox_paths))
    known = KnownFiles()
    for sha256, inbox_path, status, resolved_by in session.execute(query):
        open_quarantine = status == FileStatus.QUARANTINED and resolved_by is None
        known.note(sha256, inbox_path, open_quarantine=open_quarantine)
    return known


def record_file(session: Session, outcome: FileOutcome, run_id: int | None) -> FileRecord:
    record = FileRecord(
        sha256=outcome.sha256,
        original_name=outcome.original_name,
        inbox_path=outcome.inbox_path,
        contract_id=outcome.contract_id,
        kind=outcome.kind,
        status=outcome.status,
        reason=outcome.reason,
        stored_path=outcome.stored_path,
        size_bytes=outcome.size_bytes,
        run_id=run_id,
        duplicate_of=outcome.duplicate_of,
        received_at=outcome.received_at,
        processed_at=datetime.now(UTC).replace(tzinfo=None),
        summary=outcome.summary,
    )
    session.add(record)
    session.flush()
    return record


def file_counts(session: Session) -> dict[str, int]:
    """Every file the ledger ever handled, by status (summary JSON `files`)."""
    rows = session.execute(select(FileRecord.status, func.count()).group_by(FileRecord.status))
    counts = {status: int(count) for status, count in rows}
    return {
        "archived": counts.get(FileStatus.ARCHIVED, 0),
        "duplicates": counts.get(FileStatus.DUPLICATE, 0),
        "quarantined": counts.get(FileStatus.QUARANTINED, 0),
    }
