"""Taking a processed file's lines out of the figures (`sroi retract`): the file's versions no
longer count, each line falls back to its latest version from another file (or stops counting),
and the original stays archived. The audit trail says who and why."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import UnknownFile, UserError
from ledger.audit import AuditAction, record_event
from ledger.files import FileStatus
from ledger.lines import arrival_order, make_current, now
from ledger.schema import FileRecord, LineRecord, LineVersion


@dataclass(frozen=True)
class Retraction:
    file_id: int
    contract_id: str | None
    withdrawn: tuple[int, ...]
    """Lines that no longer count at all."""
    reverted: tuple[int, ...]
    """Lines that count again as an earlier file said."""


def retract_file(session: Session, file_id: int, by: str, reason: str) -> Retraction:
    """Raises UnknownFile, and UserError for a file that was not archived or was retracted."""
    record = session.get(FileRecord, file_id)
    if record is None:
        raise UnknownFile(file_id)
    if record.status != FileStatus.ARCHIVED:
        raise UserError(f"file {file_id} was {record.status}, not archived: it has no lines")
    if record.retracted_at is not None:
        raise UserError(f"file {file_id} was retracted on {record.retracted_at:%d-%m-%Y}")
    if not by.strip() or not reason.strip():
        raise UserError("a retraction needs who (--by) and why (--reason)")
    at = now()
    record.retracted_at = at
    versions = session.scalars(
        select(LineVersion).where(
            LineVersion.file_id == file_id, LineVersion.retracted_at.is_(None)
        )
    ).all()
    for version in versions:
        version.retracted_at = at
    withdrawn: list[int] = []
    reverted: list[int] = []
    for line_id in sorted({version.line_id for version in versions}):
        line = session.get(LineRecord, line_id)
        if line is None:
            continue
        fallback = _latest_standing(session, line_id)
        make_current(line, fallback)
        (reverted if fallback is not None else withdrawn).append(line_id)
    record_event(
        session,
        at,
        by.strip(),
        AuditAction.RETRACTED,
        contract_id=record.contract_id,
        file_id=file_id,
        reason=reason.strip(),
        withdrawn=withdrawn,
        reverted=reverted,
    )
    return Retraction(file_id, record.contract_id, tuple(withdrawn), tuple(reverted))


def _latest_standing(session: Session, line_id: int) -> LineVersion | None:
    """Of the versions not retracted, the one that arrived last."""
    query = select(LineVersion).where(
        LineVersion.line_id == line_id, LineVersion.retracted_at.is_(None)
    )
    standing = list(session.scalars(query))
    return max(standing, key=lambda version: arrival_order(session, version), default=None)
