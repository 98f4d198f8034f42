"""Evidence lines and their versions: stored per file in one transaction, read back as the
valuation's `StoredLine`s. A line keeps its id for its whole life; each file or approval that
says something new about it adds a version, and its current version is the one that counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from domain.errors import UnknownLine
from ledger.schema import Base, FileRecord, LineRecord, LineVersion, ValuationRecord
from ledger.serialize import facts_from_json, facts_to_json
from parsers.grid import Provenance
from validators.approval import approve
from validators.known import invoice_number_key
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PlacementFacts,
    PurchaseFacts,
)
from valuation.accrual import StoredLine
from valuation.components import Component, ComponentKind, ValuedLine


def now() -> datetime:
    """Ledger times are UTC without a zone (SQLite and PostgreSQL alike)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _valuations(item: ValuedLine) -> list[ValuationRecord]:
    return [
        ValuationRecord(
            kind=component.kind.value,
            block_code=component.block_code,
            amount=component.amount,
            fte=component.fte,
            count_days=component.count_days,
        )
        for component in item.components
    ]


def _new_version(
    line: CheckedLine, file_id: int, ruleset_id: str, *, from_pdf: bool
) -> LineVersion:
    facts = line.facts
    return LineVersion(
        file_id=file_id,
        kind=line.kind.value,
        status=line.status.value,
        reasons=list(line.reasons),
        warnings=list(line.warnings),
        block_code=line.block_code,
        ruleset_id=ruleset_id,
        identity=line.identity,
        fingerprint=line.fingerprint,
        match_keys=list(line.match_keys),
        source_file=line.provenance.file,
        source_sheet=line.provenance.sheet,
        source_row=line.provenance.row,
        person_key=facts.person_key if isinstance(facts, PlacementFacts) else None,
        facts=facts_to_json(facts),
        raw_summary=line.raw_summary,
        from_pdf=from_pdf and line.provenance.sheet is None,
        approved_by=facts.approved_by if isinstance(facts, PurchaseFacts | HourFacts) else None,
        created_at=now(),
    )


def make_current(record: LineRecord, version: LineVersion | None) -> None:
    """Point the line at `version` (None: nothing of it counts any more) and copy its keys."""
    record.current_version_id = version.id if version is not None else None
    record.status = version.status if version is not None else None
    record.identity = version.identity if version is not None else None
    record.person_key = version.person_key if version is not None else None
    number = (version.facts or {}).get("invoice_number") if version is not None else None
    record.invoice_key = invoice_number_key(number) if isinstance(number, str) else None


def _lines_for(
    session: Session, valued: Sequence[ValuedLine], contract_id: str
) -> list[LineRecord]:
    """The line of each item: the one it names (`line_id`), or a new one (added in one go)."""
    named = [item.line.line_id for item in valued if item.line.line_id is not None]
    existing = {
        record.id: record
        for record in session.scalars(select(LineRecord).where(LineRecord.id.in_(named)))
    }
    at = now()
    records = []
    new = []
    for item in valued:
        record = existing.get(item.line.line_id) if item.line.line_id is not None else None
        if record is None:
            record = LineRecord(contract_id=contract_id, kind=item.line.kind.value, created_at=at)
            new.append(record)
        records.append(record)
    _number(session, LineRecord, new)
    session.add_all(new)
    session.flush()
    return records


def _number(session: Session, model: type[Base], rows: Sequence[Base]) -> None:
    """Primary keys for new rows, on SQLite: it cannot return the keys it makes for many rows
    in order, so SQLAlchemy would insert them one statement per row. (Writers on SQLite take
    turns, so the next numbers are free; PostgreSQL numbers a batch itself.)"""
    if not rows or session.get_bind().dialect.name != "sqlite":
        return
    highest = session.scalar(select(func.max(model.id))) or 0  # type: ignore[attr-defined]
    for offset, row in enumerate(rows, start=1):
        row.id = highest + offset  # type: ignore[attr-defined]


def _highest_versions(session: Session, line_ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        select(LineVersion.line_id, func.max(LineVersion.version))
        .where(LineVersion.line_id.in_(line_ids))
        .group_by(LineVersion.line_id)
    )
    return {line_id: int(highest) for line_id, highest in rows}


def arrival_order(session: Session, version: LineVersion) -> tuple[datetime, str, int]:
    """When a version's evidence arrived: its file's time in the inbox, then (for files that
    arrived at the same moment, or on a share with coarse times) its place in the inbox, then
    the version number (a re-check of the same file is newer than its first judgement)."""
    file = session.get(FileRecord, version.file_id)
    return (version.received_at, file.inbox_path if file else "", version.version)


def _counts_last(session: Session, record: LineRecord, version: LineVersion) -> bool:
    """Whether `version` is the line's newest evidence: it arrived after (or is) the version
    that counts now. Evidence received earlier but processed later (another worker, a file left
    waiting) becomes history, so the order of processing never changes what counts."""
    if record.current_version_id is None or record.current_version_id == version.id:
        return True
    current = session.get(LineVersion, record.current_version_id)
    if current is None:
        return True
    return arrival_order(session, version) >= arrival_order(session, current)


def store_lines(
    session: Session,
    file_id: int,
    contract_id: str,
    ruleset_id: str,
    valued: Sequence[ValuedLine],
    *,
    received_at: datetime,
    from_pdf: bool = False,
) -> list[LineVersion]:
    """Adds every line as a new line or a new version of the line it names (`line_id`); the
    version received last counts. A file's lines are written together (a few statements per
    file, not per line)."""
    records = _lines_for(session, valued, contract_id)
    highest = _highest_versions(session, [record.id for record in records])
    stored = []
    for record, item in zip(records, valued, strict=True):
        version = _new_version(item.line, file_id, ruleset_id, from_pdf=from_pdf)
        version.line_id = record.id
        version.contract_id = record.contract_id
        highest[record.id] = version.version = highest.get(record.id, 0) + 1
        version.received_at = received_at
        version.valuations = _valuations(item)
        stored.append(version)
    _number(session, LineVersion, stored)
    _number(session, ValuationRecord, [term for version in stored for term in version.valuations])
    session.add_all(stored)
    session.flush()
    for record, version in zip(records, stored, strict=True):
        if _counts_last(session, record, version):
            make_current(record, version)
    return stored


def checked_line(version: LineVersion) -> CheckedLine:
    """A stored version as the validators and the valuation know a line."""
    kind = LineKind(version.kind)
    return CheckedLine(
        kind=kind,
        provenance=Provenance(version.source_file, version.source_sheet, version.source_row),
        status=LineStatus(version.status),
        reasons=tuple(version.reasons),
        warnings=tuple(version.warnings),
        block_code=version.block_code,
        identity=version.identity,
        facts=facts_from_json(kind, version.facts),
        line_id=version.line_id,
        fingerprint=version.fingerprint,
        raw_summary=dict(version.raw_summary),
        match_keys=tuple(version.match_keys),
    )


def components(version: LineVersion) -> tuple[Component, ...]:
    return tuple(
        Component(
            ComponentKind(valuation.kind),
            valuation.block_code,
            valuation.amount,
            valuation.fte,
            valuation.count_days,
        )
        for valuation in version.valuations
    )


def current_versions(session: Session, contract_id: str | None = None) -> list[LineVersion]:
    """The version that counts of every line (of one contract), in line order."""
    query = (
        select(LineVersion)
        .join(LineRecord, LineRecord.current_version_id == LineVersion.id)
        .options(selectinload(LineVersion.valuations), selectinload(LineVersion.file))
        .order_by(LineRecord.id)
    )
    if contract_id is not None:
        query = query.where(LineRecord.contract_id == contract_id)
    return list(session.scalars(query))


def stored_lines(session: Session, contract_id: str | None = None) -> list[StoredLine]:
    """Every current line with its components, by its stable id."""
    return [
        StoredLine(
            version.line_id,
            version.contract_id,
            ValuedLine(checked_line(version), components(version)),
        )
        for version in current_versions(session, contract_id)
    ]


def versions_of_file(session: Session, file_id: int) -> list[LineVersion]:
    """Every version a file added (also those replaced since), in the order of its rows."""
    query = (
        select(LineVersion)
        .where(LineVersion.file_id == file_id)
        .order_by(LineVersion.source_sheet, LineVersion.source_row, LineVersion.id)
    )
    return list(session.scalars(query))


def line_history(session: Session, line_id: int) -> list[LineVersion]:
    """All versions of a line, oldest first; raises UnknownLine."""
    record = session.get(LineRecord, line_id)
    if record is None:
        raise UnknownLine(line_id)
    return list(record.versions)


def current_version(session: Session, line_id: int) -> tuple[LineRecord, LineVersion]:
    record = session.get(LineRecord, line_id)
    if record is None:
        raise UnknownLine(line_id)
    version = (
        session.get(LineVersion, record.current_version_id)
        if record.current_version_id is not None
        else None
    )
    if version is None:
        raise UnknownLine(line_id, retracted=True)
    return record, version


def approve_line(session: Session, line_id: int, by: str) -> LineVersion:
    """A new version of a pending line, approved by `by` now; the line keeps its id.

    Raises UnknownLine, and NotAwaitingApproval when the line does not wait for an approval."""
    record, version = current_version(session, line_id)
    approved = approve(checked_line(version), by)
    (stored,) = store_lines(
        session,
        version.file_id,
        record.contract_id,
        version.ruleset_id,
        [ValuedLine(replace(approved, line_id=record.id), components(version))],
        received_at=version.received_at,
        from_pdf=version.from_pdf,
    )
    stored.approved_at = now()
    return stored
