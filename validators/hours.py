"""Checking MVO / activity hours: contract period, approval; travel hours never count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

from domain.contracts import Contract
from domain.dutch import short_number_nl
from domain.text import match_key
from parsers.grid import RawTable
from rulesets.model import HoursBlock, Ruleset
from validators.conversion import (
    TypedRow,
    optional_decimal,
    optional_text,
    required_date,
    required_decimal,
    required_text,
    summarise,
)
from validators.known import EvidenceLookup, KnownLine
from validators.lines import (
    AWAITING_APPROVAL,
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    fingerprint,
    rejected_line,
)
from validators.period import outside_period_reason
from validators.rows import RowReading, read_rows
from validators.versions import FileVersions, Unchanged, previous_of


def _facts(row: TypedRow) -> HourFacts:
    return HourFacts(
        activity_date=required_date(row, "activity_date"),
        activity=required_text(row, "activity"),
        hours=required_decimal(row, "hours"),
        travel_hours=optional_decimal(row, "travel_hours") or Decimal(0),
        approved_by=optional_text(row, "approved_by"),
    )


def _identity(facts: HourFacts) -> str:
    return f"hours|{facts.activity_date.isoformat()}|{match_key(facts.activity)}"


def _keep_approval(facts: HourFacts, previous: KnownLine | None) -> HourFacts:
    """A cumulative list repeats an activity without the approval given meanwhile (sroi
    approve): the approval stays as long as the hours are the same."""
    earlier = previous.facts if previous is not None else None
    if facts.approved_by or not isinstance(earlier, HourFacts) or not earlier.approved_by:
        return facts
    if (earlier.hours, earlier.travel_hours) != (facts.hours, facts.travel_hours):
        return facts
    return replace(facts, approved_by=earlier.approved_by)


def _judge(row: TypedRow, facts: HourFacts, block: HoursBlock, contract: Contract) -> CheckedLine:
    reasons: list[str] = []
    status = LineStatus.ACCEPTED
    period = outside_period_reason(contract, facts.activity_date, "activiteitdatum")
    if period:
        status, reasons = LineStatus.REJECTED, [period]
    elif block.requires_approval and not facts.approved_by:
        status = LineStatus.PENDING
        reasons = [
            f"{AWAITING_APPROVAL}: blok {block.code} ({block.label}) vereist goedkeuring "
            "(kolom 'Goedgekeurd door' of sroi approve)"
        ]
    warnings = []
    if facts.travel_hours:
        warnings.append(f"reisuren ({short_number_nl(facts.travel_hours)}) tellen niet mee")
    identity = _identity(facts)
    return CheckedLine(
        kind=LineKind.HOURS,
        provenance=row.provenance,
        status=status,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        block_code=block.code,
        identity=identity,
        facts=facts,
        fingerprint=fingerprint(block.code, status, reasons, asdict(facts)),
        match_keys=_match_keys(row),
    )


def _rejected(
    row: TypedRow, reasons: list[str], block_code: str | None, table: RawTable
) -> CheckedLine:
    summary = summarise(row, table.definition.label_of, tuple(table.definition.types()))
    return rejected_line(
        LineKind.HOURS,
        row.provenance,
        reasons,
        summary,
        block_code=block_code,
        match_keys=_match_keys(row),
    )


def check_hours(
    table: RawTable,
    contract: Contract,
    ruleset: Ruleset,
    known: EvidenceLookup,
    readings: Sequence[RowReading] | None = None,
) -> tuple[list[CheckedLine], list[Unchanged]]:
    """Checked hour lines, and the rows that repeat a ledger line."""
    block = next((b for b in ruleset.blocks if isinstance(b, HoursBlock)), None)
    lines: list[CheckedLine] = []
    unchanged: list[Unchanged] = []
    versions = FileVersions(set())
    for reading in read_rows(table) if readings is None else readings:
        row = reading.row
        line = _check_row(
            row,
            list(reading.problems),
            block,
            table,
            ruleset=ruleset,
            contract=contract,
            known=known,
        )
        placed = versions.place(line, previous_of(line, known, contract.contract_id))
        if isinstance(placed, Unchanged):
            unchanged.append(placed)
        else:
            lines.append(placed)
    return lines, unchanged


def _check_row(
    row: TypedRow,
    messages: list[str],
    block: HoursBlock | None,
    table: RawTable,
    *,
    ruleset: Ruleset,
    contract: Contract,
    known: EvidenceLookup,
) -> CheckedLine:
    if block is None:
        messages.append(f"regeling {ruleset.id} kent geen blok voor MVO-uren")
    if messages or block is None:
        return _rejected(row, messages, block.code if block else None, table)
    facts = _facts(row)
    previous = known.same_line(contract.contract_id, _identity(facts))
    return _judge(row, _keep_approval(facts, previous), block, contract)


def _match_keys(row: TypedRow) -> tuple[str, ...]:
    """A corrected row of the same day and activity finds this one."""
    day, activity = row.values.get("activity_date"), row.values.get("activity")
    if not isinstance(day, date) or not isinstance(activity, str) or not activity:
        return ()
    return (f"hours|{day.isoformat()}|{match_key(activity)}",)
