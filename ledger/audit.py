"""The audit trail: who approved, retracted, re-checked or purged what, and when; and which
file (processed by which run) created or changed which line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.schema import AuditEvent, FileRecord, LineVersion, RunRecord


class AuditAction(StrEnum):
    APPROVED = "approved"
    RETRACTED = "retracted"
    RECHECKED = "rechecked"
    PURGED = "purged"
    PROCESSED = "processed"
    """A file that created or changed lines (read from the file and its line versions)."""


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: AuditAction
    contract_id: str | None
    file_id: int | None
    line_id: int | None
    detail: dict[str, Any]


def record_event(
    session: Session,
    at: datetime,
    actor: str,
    action: AuditAction,
    *,
    contract_id: str | None = None,
    file_id: int | None = None,
    line_id: int | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            actor=actor,
            action=action.value,
            contract_id=contract_id,
            file_id=file_id,
            line_id=line_id,
            detail=detail,
        )
    )


def audit_entries(
    session: Session, *, contract_id: str | None = None, since: datetime | None = None
) -> list[AuditEntry]:
    """The recorded events and, for every processed file, which lines it created or changed
    (and which run did it), in time order."""
    entries = _events(session, contract_id, since) + _files(session, contract_id, since)
    return sorted(entries, key=lambda entry: entry.at)


def _files(session: Session, contract_id: str | None, since: datetime | None) -> list[AuditEntry]:
    query = (
        select(FileRecord, RunRecord.started_by)
        .outerjoin(RunRecord, RunRecord.id == FileRecord.run_id)
        .where(FileRecord.status == "archived")
        .order_by(FileRecord.id)
    )
    if contract_id is not None:
        query = query.where(FileRecord.contract_id == contract_id)
    if since is not None:
        query = query.where(FileRecord.processed_at >= since)
    files = session.execute(query).all()
    versions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = session.execute(
        select(LineVersion.file_id, LineVersion.line_id, LineVersion.version)
        .where(LineVersion.file_id.in_([file.id for file, _ in files]))
        .order_by(LineVersion.line_id)
    )
    for file_id, line_id, number in rows:
        versions[file_id].append((line_id, number))
    return [_file_entry(file, started_by, versions[file.id]) for file, started_by in files]


def _file_entry(
    file: FileRecord, started_by: str | None, versions: list[tuple[int, int]]
) -> AuditEntry:
    """Which lines a file created (their first version) and changed (a later one)."""
    detail: dict[str, Any] = {
        "file": file.original_name,
        "created": [line for line, number in versions if number == 1],
    }
    changed = [line for line, number in versions if number > 1]
    if changed:
        detail["changed"] = changed
    return AuditEntry(
        file.processed_at,
        started_by or "sroi run",
        AuditAction.PROCESSED,
        file.contract_id,
        file.id,
        None,
        detail,
    )


def _events(session: Session, contract_id: str | None, since: datetime | None) -> list[AuditEntry]:
    query = select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
    if contract_id is not None:
        query = query.where(AuditEvent.contract_id == contract_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    return [
        AuditEntry(
            event.at,
            event.actor,
            AuditAction(event.action),
            event.contract_id,
            event.file_id,
            event.line_id,
            dict(event.detail),
        )
        for event in session.scalars(query)
    ]
