"""The audit trail: who approved, retracted, re-checked or purged what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.schema import AuditEvent


class AuditAction(StrEnum):
    APPROVED = "approved"
    RETRACTED = "retracted"
    RECHECKED = "rechecked"
    PURGED = "purged"


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
