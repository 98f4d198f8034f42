"""The ledger's record of mail: every message the pipeline sends or tried to send, keyed by
what it covers. A message is claimed (state `sending`) before it goes out, so two mail steps at
once never send it twice; it ends `sent` or `failed`, and a failed one is claimed again by the
next mail step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from domain.text import match_key
from ledger.files import FileStatus
from ledger.schema import FileRecord, MailRecord

STALE_SENDING = timedelta(minutes=30)
"""A message still `sending` after this long belongs to a mail step that died; it is failed
(and so tried again)."""
INTERRUPTED = "verzending onderbroken (het proces is gestopt)"


class MailKind(StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"
    FEEDBACK = "feedback"
    REMINDER = "reminder"

    @property
    def label_nl(self) -> str:
        return {
            "municipality": "rapportage gemeente",
            "region": "rapportage regio",
            "feedback": "terugkoppeling",
            "reminder": "herinnering",
        }[self.value]


class MailState(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    """A failed message no longer needed (a reminder to a contractor who has sent since)."""


@dataclass(frozen=True)
class MailCover:
    """What one message covers: the municipality's or the region's reports of a quarter, the
    feedback workbooks of some files of a contract, or the reminder of a contract for a quarter.
    Its key makes it the same message however often a mail step plans it."""

    kind: MailKind
    quarter: str | None = None
    contract_id: str | None = None
    municipality: str | None = None
    file_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        if self.kind is MailKind.MUNICIPALITY:
            return f"report:{self.quarter}:gemeente:{match_key(self.municipality or '')}"
        if self.kind is MailKind.REGION:
            return f"report:{self.quarter}:regio"
        if self.kind is MailKind.FEEDBACK:
            # A file's feedback goes out in one message only, so its lowest file names it.
            return f"feedback:file:{min(self.file_ids)}"
        return f"reminder:{self.quarter}:{self.contract_id}"

    @classmethod
    def of(cls, record: MailRecord) -> MailCover:
        return cls(
            MailKind(record.kind),
            record.quarter,
            record.contract_id,
            record.municipality,
            tuple(record.file_ids),
        )


def recorded_keys(session: Session) -> frozenset[str]:
    """Keys of every message sent, being sent or failed (a failed one is retried as recorded,
    never planned anew)."""
    return frozenset(session.scalars(select(MailRecord.key)))


def files_with_feedback_mail(session: Session) -> frozenset[int]:
    """Files whose feedback is in a message (sent, being sent or failed)."""
    query = select(MailRecord.file_ids).where(MailRecord.kind == MailKind.FEEDBACK)
    return frozenset(file_id for ids in session.scalars(query) for file_id in ids)


def run_date(record: FileRecord) -> date:
    """The date of the run that processed a file (its as-of date)."""
    return record.run.as_of if record.run is not None else record.processed_at.date()


def feedback_ready(session: Session, since: date) -> list[FileRecord]:
    """Archived workbooks processed in a run dated `since` or later whose feedback workbook was
    written (and not removed by retention) and is in no message yet, in the order processed."""
    query = (
        select(FileRecord)
        .where(
            FileRecord.status == FileStatus.ARCHIVED,
            FileRecord.kind == "workbook",
            FileRecord.contract_id.is_not(None),
            FileRecord.feedback_at.is_not(None),
            FileRecord.retracted_at.is_(None),
            FileRecord.purged_at.is_(None),
        )
        .options(selectinload(FileRecord.run))
        .order_by(FileRecord.id)
    )
    covered = files_with_feedback_mail(session)
    return [
        record
        for record in session.scalars(query)
        if record.id not in covered and run_date(record) >= since
    ]


def failed_messages(session: Session) -> list[MailRecord]:
    """Messages that could not be sent (yet), oldest first."""
    query = select(MailRecord).where(MailRecord.state == MailState.FAILED).order_by(MailRecord.id)
    return list(session.scalars(query))


def sent_messages(session: Session, kind: MailKind) -> list[MailRecord]:
    query = (
        select(MailRecord)
        .where(MailRecord.kind == kind, MailRecord.state == MailState.SENT)
        .order_by(MailRecord.id)
    )
    return list(session.scalars(query))


def fail_stale_sending(session: Session, now: datetime) -> int:
    """Messages left `sending` by a mail step that died become failed (tried again)."""
    result = session.execute(
        update(MailRecord)
        .where(
            MailRecord.state == MailState.SENDING,
            MailRecord.attempted_at < now - STALE_SENDING,
        )
        .values(state=MailState.FAILED, last_error=INTERRUPTED)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim_message(
    session: Session,
    cover: MailCover,
    recipients: Iterable[str],
    subject: str,
    now: datetime,
) -> int | None:
    """Record the message as being sent, and return its id; None when it was sent already or
    another mail step is sending it. A failed message is claimed again (one attempt more)."""
    key = cover.key
    existing = session.scalars(select(MailRecord).where(MailRecord.key == key)).first()
    if existing is None:
        record = MailRecord(
            key=key,
            kind=cover.kind.value,
            quarter=cover.quarter,
            contract_id=cover.contract_id,
            municipality=cover.municipality,
            file_ids=list(cover.file_ids),
            recipients=list(recipients),
            subject=subject,
            state=MailState.SENDING.value,
            attempts=1,
            created_at=now,
            attempted_at=now,
        )
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            return None  # another mail step recorded it in the meantime
        return record.id
    claimed = session.execute(
        update(MailRecord)
        .where(MailRecord.id == existing.id, MailRecord.state == MailState.FAILED)
        .values(
            state=MailState.SENDING,
            attempts=MailRecord.attempts + 1,
            attempted_at=now,
            recipients=list(recipients),
            subject=subject,
        )
    )
    return existing.id if getattr(claimed, "rowcount", 0) == 1 else None


def cancel_message(session: Session, cover: MailCover, reason: str) -> None:
    """A failed message that is no longer needed is not tried again."""
    session.execute(
        update(MailRecord)
        .where(MailRecord.key == cover.key, MailRecord.state == MailState.FAILED)
        .values(state=MailState.CANCELLED, last_error=reason)
    )


def finish_message(session: Session, message_id: int, error: str | None, now: datetime) -> None:
    """The outcome of an attempt: sent, or failed with the reason."""
    record = session.get(MailRecord, message_id)
    if record is None:
        raise LookupError(f"mail message {message_id} is not in the ledger")
    if error is None:
        record.state = MailState.SENT
        record.sent_at = now
        record.last_error = None
    else:
        record.state = MailState.FAILED
        record.last_error = error
