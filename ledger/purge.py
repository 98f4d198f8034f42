"""Retention (AVG): what the ledger keeps about people and files older than a date.

A person's personal fields go once every line that counts for them ended before the date: in
all their line versions the pseudonym is replaced by a random stand-in (the same for all their
lines, so "once per person" and "one person, one FTE" keep giving the same euros), and initials,
notes, evidence references and match keys are removed. A rejected line, which never counted,
loses them once its file arrived before the date. A file's stored original (and its feedback
copy) goes once it arrived before the date and none of its lines still holds personal data or
counts after it. The euro terms of every line, the file records and the audit trail stay.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pseudonym import STAND_IN_PREFIX, is_stand_in
from ledger.audit import AuditAction, record_event
from ledger.schema import FileRecord, LineRecord, LineVersion
from validators.lines import LineKind, LineStatus

_PERSONAL_FACTS = {"initials": "", "evidence_ref": None, "note": None}
_PERSONAL_SUMMARY = ("Initialen",)


@dataclass
class PurgeResult:
    before: date
    people: int = 0
    """Persons whose personal fields were removed."""
    versions: int = 0
    """Line versions changed."""
    files: list[FileRecord] = field(default_factory=list)
    """Files whose stored original (and feedback copy) are to be removed."""


def _last_day(version: LineVersion) -> date | None:
    """The last day a current version matters: a placement's end (None while it runs), an
    invoice's or activity's date, and for a rejected line the day its file arrived."""
    if version.status == LineStatus.REJECTED.value or version.facts is None:
        return version.received_at.date()
    facts = version.facts
    text = {
        LineKind.PLACEMENT.value: facts.get("end_date"),
        LineKind.PURCHASE.value: facts.get("invoice_date"),
        LineKind.HOURS.value: facts.get("activity_date"),
    }.get(version.kind)
    return date.fromisoformat(text) if isinstance(text, str) else None


def _current_versions(session: Session) -> list[LineVersion]:
    query = select(LineVersion).join(LineRecord, LineRecord.current_version_id == LineVersion.id)
    return list(session.scalars(query))


def _expired_people(current: Iterable[LineVersion], before: date) -> set[str]:
    """Pseudonyms of whom every current line ended before `before`."""
    ended: dict[str, bool] = defaultdict(lambda: True)
    for version in current:
        if version.person_key is None or is_stand_in(version.person_key):
            continue
        last = _last_day(version)
        ended[version.person_key] &= last is not None and last < before
    return {person for person, done in ended.items() if done}


def _anonymised(version: LineVersion, stand_in: str | None, at: datetime) -> None:
    """The version without personal fields; `stand_in` replaces its pseudonym (if it has one)."""
    old = version.person_key
    if version.facts is not None:
        facts: dict[str, Any] = dict(version.facts)
        facts.update({name: value for name, value in _PERSONAL_FACTS.items() if name in facts})
        if stand_in is not None and "person_key" in facts:
            facts["person_key"] = stand_in
        version.facts = facts
    if stand_in is not None and old is not None:
        version.person_key = stand_in
        if version.identity is not None:
            version.identity = version.identity.replace(old, stand_in)
    version.raw_summary = {
        name: value for name, value in version.raw_summary.items() if name not in _PERSONAL_SUMMARY
    }
    version.match_keys = []
    secret = hashlib.sha256(f"{version.fingerprint}|{stand_in}|{at}".encode()).hexdigest()
    version.fingerprint = secret
    version.purged_at = at


def _rejected_personal(session: Session, before: date) -> list[LineVersion]:
    """Rejected placement versions of files that arrived before `before`, not yet purged."""
    query = select(LineVersion).where(
        LineVersion.kind == LineKind.PLACEMENT.value,
        LineVersion.status == LineStatus.REJECTED.value,
        LineVersion.purged_at.is_(None),
        LineVersion.received_at < datetime.combine(before, datetime.min.time()),
    )
    return list(session.scalars(query))


def _purge_people(session: Session, people: set[str], at: datetime) -> int:
    stand_ins = {person: STAND_IN_PREFIX + secrets.token_hex(8) for person in people}
    versions = session.scalars(select(LineVersion).where(LineVersion.person_key.in_(people)))
    changed = 0
    for version in versions:
        _anonymised(version, stand_ins[version.person_key or ""], at)
        changed += 1
    for record in session.scalars(select(LineRecord).where(LineRecord.person_key.in_(people))):
        old = record.person_key or ""
        record.person_key = stand_ins[old]
        if record.identity is not None:
            record.identity = record.identity.replace(old, stand_ins[old])
    return changed


def _expired_files(session: Session, before: date, current: list[LineVersion]) -> list[FileRecord]:
    """Files that arrived before `before` whose lines hold nothing personal and count for
    nothing after it any more (still stored: not purged yet)."""
    blocking: set[int] = set()
    for version in current:
        last = _last_day(version)
        if last is None or last >= before:
            blocking.add(version.file_id)
    personal = select(LineVersion.file_id).where(
        LineVersion.kind == LineKind.PLACEMENT.value, LineVersion.purged_at.is_(None)
    )
    blocking |= set(session.scalars(personal))
    cutoff = datetime.combine(before, datetime.min.time())
    candidates = session.scalars(
        select(FileRecord).where(
            FileRecord.purged_at.is_(None),
            FileRecord.processed_at < cutoff,
        )
    )
    return [
        record
        for record in candidates
        if (record.received_at or record.processed_at) < cutoff and record.id not in blocking
    ]


def purge_before(session: Session, before: date, by: str, at: datetime) -> PurgeResult:
    """Removes from the ledger what may not be kept after `before`; returns the files whose
    stored copies the caller removes (after the commit). Records one audit event."""
    result = PurgeResult(before)
    current = _current_versions(session)
    people = _expired_people(current, before)
    result.people = len(people)
    result.versions = _purge_people(session, people, at)
    for version in _rejected_personal(session, before):
        _anonymised(version, None, at)
        result.versions += 1
    session.flush()
    result.files = _expired_files(session, before, current)
    for record in result.files:
        record.purged_at = at
    record_event(
        session,
        at,
        by,
        AuditAction.PURGED,
        before=before.isoformat(),
        people=result.people,
        versions=result.versions,
        files=[record.id for record in result.files],
    )
    return result
