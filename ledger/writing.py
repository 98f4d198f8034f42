"""Writing a file's lines: each a new line or a new version of the line it names, in a handful
of statements per file (Core inserts of all its lines, versions and euro terms at once; the
ORM's unit of work would cost about a millisecond a row). Of a line's versions, the one whose
evidence arrived last counts, whatever the order in which runs processed the files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from ledger.schema import FileRecord, LineRecord, LineVersion, ValuationRecord
from ledger.serialize import facts_to_json
from validators.known import invoice_number_key
from validators.lines import CheckedLine, HourFacts, PlacementFacts, PurchaseFacts
from valuation.components import ValuedLine

Arrival = tuple[datetime, str, int]
"""When a version's evidence arrived: its file's time in the inbox, then (for files that
arrived at the same moment, or on a share with coarse times) its place in the inbox, then the
version number (a re-check of the same file is newer than its first judgement)."""


def now() -> datetime:
    """Ledger times are UTC without a zone (SQLite and PostgreSQL alike)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class _Line:
    """A line a file names: its contract, and the arrival of the version that counts now."""

    contract_id: str
    current: Arrival | None


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


_NEXT_IDS = "sroi_next_ids"
"""session.info: the transaction the numbering below belongs to, and the next free id of each
table it numbered."""


def _take_ids(session: Session, table: Table, count: int) -> range:
    """`count` free ids of `table` in this transaction: the highest is asked of the database
    once per transaction, then counted on (in a transaction that holds SQLite's write lock,
    only this module inserts lines, versions and euro terms)."""
    transaction = session.get_transaction()
    owner, counters = session.info.get(_NEXT_IDS, (None, {}))
    if owner is not transaction:
        counters = {}
        session.info[_NEXT_IDS] = (transaction, counters)
    if table.name not in counters:
        counters[table.name] = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    first: int = counters[table.name]
    counters[table.name] = first + count
    return range(first, first + count)


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Inserts `rows`, returns their new ids in order. SQLite cannot return the ids it makes
    for many rows in order, so they are numbered here (writers on SQLite take turns, so the
    next numbers are free); PostgreSQL numbers them itself and returns them in order."""
    if not rows:
        return []
    table = _table(model)
    if session.get_bind().dialect.name == "sqlite":
        ids = list(_take_ids(session, table, len(rows)))
        numbered = [row | {"id": id_} for row, id_ in zip(rows, ids, strict=True)]
        session.execute(insert(table), numbered)
        return ids
    returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(returning, rows))


def _named_lines(session: Session, line_ids: set[int]) -> dict[int, _Line]:
    """The lines named by id that exist, with the arrival of their current version."""
    if not line_ids:
        return {}
    rows = session.execute(
        select(
            LineRecord.id,
            LineRecord.contract_id,
            LineVersion.received_at,
            FileRecord.inbox_path,
            LineVersion.version,
        )
        .outerjoin(LineVersion, LineVersion.id == LineRecord.current_version_id)
        .outerjoin(FileRecord, FileRecord.id == LineVersion.file_id)
        .where(LineRecord.id.in_(line_ids))
    )
    return {
        line_id: _Line(contract, (received, path or "", number) if received else None)
        for line_id, contract, received, path, number in rows
    }


def _highest_versions(session: Session, line_ids: Sequence[int]) -> dict[int, int]:
    """The highest version number of each of these (existing) lines."""
    if not line_ids:
        return {}
    rows = session.execute(
        select(LineVersion.line_id, func.max(LineVersion.version))
        .where(LineVersion.line_id.in_(line_ids))
        .group_by(LineVersion.line_id)
    )
    return {line_id: int(highest) for line_id, highest in rows}


def _version_row(line: CheckedLine, ruleset_id: str, *, from_pdf: bool) -> dict[str, Any]:
    facts = line.facts
    return {
        "kind": line.kind.value,
        "status": line.status.value,
        "reasons": list(line.reasons),
        "warnings": list(line.warnings),
        "block_code": line.block_code,
        "ruleset_id": ruleset_id,
        "identity": line.identity,
        "fingerprint": line.fingerprint,
        "match_keys": list(line.match_keys),
        "source_file": line.provenance.file,
        "source_sheet": line.provenance.sheet,
        "source_row": line.provenance.row,
        "person_key": facts.person_key if isinstance(facts, PlacementFacts) else None,
        "facts": facts_to_json(facts),
        "raw_summary": line.raw_summary,
        "from_pdf": from_pdf and line.provenance.sheet is None,
        "approved_by": facts.approved_by if isinstance(facts, PurchaseFacts | HourFacts) else None,
        "approved_at": None,
        "retracted_at": None,
        "purged_at": None,
    }


def _terms(version_ids: Sequence[int], valued: Sequence[ValuedLine]) -> list[dict[str, Any]]:
    """The euro terms of each new version."""
    return [
        {
            "version_id": version_id,
            "kind": term.kind.value,
            "block_code": term.block_code,
            "amount": term.amount,
            "fte": term.fte,
            "count_days": term.count_days,
        }
        for version_id, item in zip(version_ids, valued, strict=True)
        for term in item.components
    ]


def _pointer(line_id: int, version_id: int, row: dict[str, Any]) -> dict[str, Any]:
    """The line's columns that repeat its current version's keys."""
    number = (row["facts"] or {}).get("invoice_number")
    return {
        "line": line_id,
        "current_version_id": version_id,
        "status": row["status"],
        "identity": row["identity"],
        "person_key": row["person_key"],
        "invoice_key": invoice_number_key(number) if isinstance(number, str) else None,
    }


def _line_ids(
    session: Session, valued: Sequence[ValuedLine], named: dict[int, _Line], contract_id: str
) -> list[int]:
    """Each item's line: the one it names, else a new one of `contract_id`."""
    fresh = [item for item in valued if item.line.line_id not in named]
    at = now()
    new_ids = iter(
        _insert(
            session,
            LineRecord,
            [
                {"contract_id": contract_id, "kind": item.line.kind.value, "created_at": at}
                for item in fresh
            ],
        )
    )
    return [
        item.line.line_id
        if item.line.line_id is not None and item.line.line_id in named
        else next(new_ids)
        for item in valued
    ]


def store_lines(
    session: Session,
    file_id: int,
    contract_id: str,
    ruleset_id: str,
    valued: Sequence[ValuedLine],
    *,
    received_at: datetime,
    from_pdf: bool = False,
    approved_at: datetime | None = None,
) -> list[int]:
    """Adds every line as a new line or a new version of the line it names (`line_id`), and
    makes it count when its evidence arrived last. Returns the new versions' ids."""
    if not valued:
        return []
    session.flush()  # the file's record, and anything else pending, before the Core writes
    named = _named_lines(session, {i.line.line_id for i in valued if i.line.line_id is not None})
    line_ids = _line_ids(session, valued, named, contract_id)
    highest = _highest_versions(session, [line_id for line_id in set(line_ids) if line_id in named])
    file = session.get(FileRecord, file_id)
    inbox_path = file.inbox_path if file is not None else None
    at = now()
    rows, arrivals = [], []
    for line_id, item in zip(line_ids, valued, strict=True):
        number = highest[line_id] = highest.get(line_id, 0) + 1
        row = _version_row(item.line, ruleset_id, from_pdf=from_pdf) | {
            "line_id": line_id,
            "contract_id": named[line_id].contract_id if line_id in named else contract_id,
            "version": number,
            "file_id": file_id,
            "received_at": received_at,
            "created_at": at,
            "approved_at": approved_at,
        }
        rows.append(row)
        arrivals.append((received_at, inbox_path or "", number))
    version_ids = _insert(session, LineVersion, rows)
    _insert(session, ValuationRecord, _terms(version_ids, valued))
    current = {line_id: line.current for line_id, line in named.items()}
    pointers: dict[int, dict[str, Any]] = {}
    for line_id, version_id, row, arrival in zip(
        line_ids, version_ids, rows, arrivals, strict=True
    ):
        known = current.get(line_id)
        if known is None or arrival >= known:
            current[line_id] = arrival
            pointers[line_id] = _pointer(line_id, version_id, row)
    _point(session, list(pointers.values()))
    return version_ids


def _point(session: Session, pointers: list[dict[str, Any]]) -> None:
    """Points lines at their new current version (in one statement), and lets the session
    forget what it held of them."""
    if not pointers:
        return
    for held in list(session.identity_map.values()):
        if isinstance(held, LineRecord):
            session.expire(held)
    table = _table(LineRecord)
    statement = (
        update(table)
        .where(table.c.id == bindparam("line"))
        .values({name: bindparam(name) for name in pointers[0] if name != "line"})
    )
    session.execute(statement, pointers)
