"""Evidence lines and their versions: stored per file in one transaction, read back as the
valuation's `StoredLine`s. A line keeps its id for its whole life; each file or approval that
says something new about it adds a version, and its current version is the one that counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, or_, select
from sqlalchemy.orm import Session, selectinload

from domain.errors import UnknownLine
from ledger.schema import FileRecord, LineRecord, LineVersion, ValuationRecord
from ledger.serialize import facts_from_json
from ledger.writing import now, store_lines
from parsers.grid import Provenance
from validators.approval import approve
from validators.known import invoice_number_key
from validators.lines import (
    CheckedLine,
    LineKind,
    LineStatus,
)
from valuation.accrual import StoredLine
from valuation.components import Component, ComponentKind, ValuedLine


def make_current(record: LineRecord, version: LineVersion | None) -> None:
    """Point the line at `version` (None: nothing of it counts any more) and copy its keys."""
    record.current_version_id = version.id if version is not None else None
    record.status = version.status if version is not None else None
    record.identity = version.identity if version is not None else None
    record.person_key = version.person_key if version is not None else None
    number = (version.facts or {}).get("invoice_number") if version is not None else None
    record.invoice_key = invoice_number_key(number) if isinstance(number, str) else None


def arrival_order(session: Session, version: LineVersion) -> tuple[datetime, str, int]:
    """When a version's evidence arrived: its file's time in the inbox, then (for files that
    arrived at the same moment, or on a share with coarse times) its place in the inbox, then
    the version number (a re-check of the same file is newer than its first judgement)."""
    file = session.get(FileRecord, version.file_id)
    return (version.received_at, file.inbox_path if file else "", version.version)


def checked_line(version: LineVersion | Row[*tuple[Any, ...]]) -> CheckedLine:
    """A stored version (or a row of its columns) as the validators and the valuation know a
    line."""
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


def current_versions(
    session: Session, contract_id: str | None = None, *, where: ColumnElement[bool] | None = None
) -> list[LineVersion]:
    """The version that counts of every line (of one contract, or whose LineRecord meets
    `where`), in line order."""
    query = (
        select(LineVersion)
        .join(LineRecord, LineRecord.current_version_id == LineVersion.id)
        .options(selectinload(LineVersion.valuations), selectinload(LineVersion.file))
        .order_by(LineRecord.id)
    )
    if contract_id is not None:
        query = query.where(LineRecord.contract_id == contract_id)
    if where is not None:
        query = query.where(where)
    return list(session.scalars(query))


_STORED_COLUMNS = (
    LineVersion.id,
    LineVersion.line_id,
    LineVersion.contract_id,
    LineVersion.kind,
    LineVersion.source_file,
    LineVersion.source_sheet,
    LineVersion.source_row,
    LineVersion.status,
    LineVersion.reasons,
    LineVersion.warnings,
    LineVersion.block_code,
    LineVersion.identity,
    LineVersion.facts,
    LineVersion.fingerprint,
    LineVersion.raw_summary,
    LineVersion.match_keys,
)
"""What the valuation needs of a current version, read as rows (no ORM object per line: a
quarter's report and a run's feedback read every line of many contracts)."""


def _components_of(
    session: Session, where: ColumnElement[bool] | None
) -> dict[int, list[Component]]:
    """The euro terms of the current versions of the lines that meet `where`, by version."""
    query = (
        select(
            ValuationRecord.version_id,
            ValuationRecord.kind,
            ValuationRecord.block_code,
            ValuationRecord.amount,
            ValuationRecord.fte,
            ValuationRecord.count_days,
        )
        .join(LineRecord, LineRecord.current_version_id == ValuationRecord.version_id)
        .order_by(ValuationRecord.id)
    )
    if where is not None:
        query = query.where(where)
    found: dict[int, list[Component]] = defaultdict(list)
    for version_id, kind, block_code, amount, fte, count_days in session.execute(query):
        found[version_id].append(
            Component(ComponentKind(kind), block_code, amount, fte, count_days)
        )
    return found


def _stored(session: Session, where: ColumnElement[bool] | None = None) -> list[StoredLine]:
    """The current line of every line that meets `where` (all lines: None), in line order."""
    query = (
        select(*_STORED_COLUMNS)
        .join(LineRecord, LineRecord.current_version_id == LineVersion.id)
        .order_by(LineRecord.id)
    )
    if where is not None:
        query = query.where(where)
    terms = _components_of(session, where)
    lines = []
    for row in session.execute(query):
        valued = ValuedLine(checked_line(row), tuple(terms.get(row.id, ())))
        lines.append(StoredLine(row.line_id, row.contract_id, valued))
    return lines


def stored_lines(session: Session, contract_id: str | None = None) -> list[StoredLine]:
    """Every current line with its components, by its stable id."""
    return _stored(session, None if contract_id is None else LineRecord.contract_id == contract_id)


def lines_valued_with(session: Session, contract_ids: Collection[str]) -> list[StoredLine]:
    """What the value of these contracts' lines depends on: their current lines and every
    current line of the people placed on them. (Only a person crosses contracts in the
    valuation: one FTE a day, served by start date and contract; VALUATION.md section 2.)
    Costs the size of these contracts, not of the ledger."""
    people = select(LineRecord.person_key).where(
        LineRecord.contract_id.in_(contract_ids), LineRecord.person_key.is_not(None)
    )
    touching = or_(LineRecord.contract_id.in_(contract_ids), LineRecord.person_key.in_(people))
    return _stored(session, touching)


@dataclass(frozen=True)
class Verdict:
    """What a version said of a row: enough for the contractor's feedback."""

    line_id: int
    sheet: str | None
    row: int | None
    status: LineStatus
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


_VERDICT_COLUMNS = (
    LineVersion.line_id,
    LineVersion.source_sheet,
    LineVersion.source_row,
    LineVersion.status,
    LineVersion.reasons,
    LineVersion.warnings,
)


def verdicts_of_files(session: Session, file_ids: Collection[int]) -> dict[int, list[Verdict]]:
    """Every version these files added (also those replaced since), by file, in the order of
    its rows."""
    query = (
        select(LineVersion.file_id, *_VERDICT_COLUMNS)
        .where(LineVersion.file_id.in_(file_ids))
        .order_by(LineVersion.source_sheet, LineVersion.source_row, LineVersion.id)
    )
    found: dict[int, list[Verdict]] = defaultdict(list)
    for file_id, line_id, sheet, row, status, reasons, warnings in session.execute(query):
        verdict = Verdict(line_id, sheet, row, LineStatus(status), tuple(reasons), tuple(warnings))
        found[file_id].append(verdict)
    return found


def current_verdicts(session: Session, line_ids: Collection[int]) -> dict[int, Verdict]:
    """The current version of each of these lines that still has one."""
    query = (
        select(*_VERDICT_COLUMNS)
        .join(LineRecord, LineRecord.current_version_id == LineVersion.id)
        .where(LineRecord.id.in_(line_ids))
    )
    return {
        line_id: Verdict(line_id, sheet, row, LineStatus(status), tuple(reasons), tuple(warnings))
        for line_id, sheet, row, status, reasons, warnings in session.execute(query)
    }


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
        approved_at=now(),
    )
    new = session.get(LineVersion, stored)
    if new is None:  # just inserted in this transaction
        raise UnknownLine(line_id)
    return new
