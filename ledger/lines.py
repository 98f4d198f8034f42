"""Evidence lines and their valuations: written per file in one transaction, read back as the
validator's `KnownEvidence` and the valuation's `StoredLine`s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ledger.schema import LineRecord, ValuationRecord
from ledger.serialize import facts_from_json, facts_to_json
from parsers.grid import Provenance
from validators.approval import approve
from validators.known import KnownEvidence, KnownLine
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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _current_head(session: Session, line_id: int) -> LineRecord | None:
    """Follow the history to the newest version (another worker may have moved it on)."""
    record = session.get(LineRecord, line_id)
    while record is not None and record.superseded_by is not None:
        record = session.get(LineRecord, record.superseded_by)
    return record


def record_lines(
    session: Session,
    file_id: int,
    contract_id: str,
    ruleset_id: str,
    valued: Sequence[ValuedLine],
    *,
    from_pdf: bool = False,
) -> list[int]:
    """Adds every line with its valuation; a line that supersedes another closes that one."""
    ids = []
    for item in valued:
        line = item.line
        facts = line.facts
        record = LineRecord(
            file_id=file_id,
            contract_id=contract_id,
            kind=line.kind.value,
            status=line.status.value,
            reasons=list(line.reasons),
            warnings=list(line.warnings),
            block_code=line.block_code,
            ruleset_id=ruleset_id,
            identity=line.identity,
            fingerprint=line.fingerprint,
            source_file=line.provenance.file,
            source_sheet=line.provenance.sheet,
            source_row=line.provenance.row,
            person_key=facts.person_key if isinstance(facts, PlacementFacts) else None,
            facts=facts_to_json(facts),
            raw_summary=line.raw_summary,
            from_pdf=from_pdf and line.provenance.sheet is None,
            approved_by=facts.approved_by if isinstance(facts, PurchaseFacts | HourFacts) else None,
            created_at=_now(),
            valuations=[
                ValuationRecord(
                    kind=component.kind.value,
                    block_code=component.block_code,
                    amount=component.amount,
                    fte=component.fte,
                    count_days=component.count_days,
                )
                for component in item.components
            ],
        )
        session.add(record)
        session.flush()
        if line.supersedes is not None:
            previous = _current_head(session, line.supersedes)
            if previous is not None and previous.id != record.id:
                previous.superseded_by = record.id
                record.supersedes = previous.id
        ids.append(record.id)
    return ids


def _checked(record: LineRecord) -> CheckedLine:
    kind = LineKind(record.kind)
    return CheckedLine(
        kind=kind,
        provenance=Provenance(record.source_file, record.source_sheet, record.source_row),
        status=LineStatus(record.status),
        reasons=tuple(record.reasons),
        warnings=tuple(record.warnings),
        block_code=record.block_code,
        identity=record.identity,
        facts=facts_from_json(kind, record.facts),
        fingerprint=record.fingerprint,
        raw_summary=dict(record.raw_summary),
    )


def _components(record: LineRecord) -> tuple[Component, ...]:
    return tuple(
        Component(
            ComponentKind(valuation.kind),
            valuation.block_code,
            valuation.amount,
            valuation.fte,
            valuation.count_days,
        )
        for valuation in record.valuations
    )


def current_records(session: Session, contract_id: str | None = None) -> list[LineRecord]:
    query = (
        select(LineRecord)
        .where(LineRecord.superseded_by.is_(None))
        .options(selectinload(LineRecord.valuations))
        .order_by(LineRecord.id)
    )
    if contract_id is not None:
        query = query.where(LineRecord.contract_id == contract_id)
    return list(session.scalars(query))


def stored_lines(session: Session) -> list[StoredLine]:
    """Every current line with its components, in submission order."""
    return [
        StoredLine(record.id, record.contract_id, ValuedLine(_checked(record), _components(record)))
        for record in current_records(session)
    ]


def known_evidence(session: Session) -> KnownEvidence:
    return KnownEvidence(
        tuple(
            KnownLine(
                line_id=record.id,
                contract_id=record.contract_id,
                kind=LineKind(record.kind),
                identity=record.identity,
                status=LineStatus(record.status),
                fingerprint=record.fingerprint,
                provenance=Provenance(record.source_file, record.source_sheet, record.source_row),
                block_code=record.block_code,
                facts=facts_from_json(LineKind(record.kind), record.facts),
                from_pdf=record.from_pdf,
            )
            for record in current_records(session)
        )
    )


def line_history(session: Session, line_id: int) -> list[LineRecord]:
    """All versions of a line, oldest first."""
    record = session.get(LineRecord, line_id)
    versions: list[LineRecord] = []
    while record is not None and record.supersedes is not None:
        record = session.get(LineRecord, record.supersedes)
    while record is not None:
        versions.append(record)
        record = session.get(LineRecord, record.superseded_by) if record.superseded_by else None
    return versions


def approve_line(session: Session, line_id: int, by: str) -> LineRecord:
    """A new version of a pending line, approved by `by` now; the history keeps the old one.

    Raises LookupError for an unknown or superseded line and NotAwaitingApproval when the
    line does not wait for an approval."""
    record = session.get(LineRecord, line_id)
    if record is None:
        raise LookupError(f"there is no line {line_id}")
    if record.superseded_by is not None:
        raise LookupError(f"line {line_id} was replaced by line {record.superseded_by}")
    approved = approve(_checked(record), by)
    components = _components(record)
    stored = record_lines(
        session,
        record.file_id,
        record.contract_id,
        record.ruleset_id,
        [ValuedLine(replace(approved, supersedes=record.id), components)],
        from_pdf=record.from_pdf,
    )
    new = session.get(LineRecord, stored[0])
    if new is None:  # just flushed in this session
        raise LookupError(f"line {stored[0]} vanished")
    new.approved_at = _now()
    return new


def records_of_file(session: Session, file_id: int) -> list[LineRecord]:
    """Every line a file added, also versions replaced since, in row order."""
    query = (
        select(LineRecord)
        .where(LineRecord.file_id == file_id)
        .order_by(LineRecord.source_sheet, LineRecord.source_row, LineRecord.id)
    )
    return list(session.scalars(query))
