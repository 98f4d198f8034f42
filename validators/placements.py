"""Checking placement rows: structure (pandera), then block, person, eligibility, FTE."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from stdnum.nl import bsn as bsn_number

from domain.contracts import Contract
from domain.dutch import short_number_nl
from domain.periods import age_on
from domain.pseudonym import Pseudonymizer, initials_of
from parsers.grid import RawTable
from rulesets.catalog import find_block
from rulesets.model import FixedBlock, PlacementBlock, Ruleset
from rulesets.vocabulary import TableDefinition
from validators.conversion import (
    TypedRow,
    flag,
    optional_date,
    optional_decimal,
    optional_text,
    required_date,
    summarise,
)
from validators.eligibility import eligibility_reasons
from validators.known import EvidenceLookup
from validators.lines import (
    CheckedLine,
    LineKind,
    LineStatus,
    PlacementFacts,
    fingerprint,
    reject,
    rejected_line,
)
from validators.rows import RowReading, read_rows
from validators.versions import Unchanged, place_versions

_PERMANENT = {"vast", "vastdienstverband", "onbepaaldetijd", "permanent", "ja"}
_ONE = Decimal(1)


def block_name(block: PlacementBlock | FixedBlock) -> str:
    return f"blok {block.code} ({block.label})"


@dataclass(frozen=True)
class PlacementContext:
    contract: Contract
    ruleset: Ruleset
    pseudonymizer: Pseudonymizer
    definition: TableDefinition


def _person_key(row: TypedRow, context: PlacementContext) -> str | None:
    bsn = optional_text(row, "bsn")
    if bsn:
        return context.pseudonymizer.person_by_bsn(bsn_number.compact(bsn))
    number = optional_text(row, "personnel_number")
    if number:
        return context.pseudonymizer.person_by_personnel_number(
            context.contract.contractor_kvk or context.contract.contractor, number
        )
    return None


def _initials(row: TypedRow) -> str:
    given = optional_text(row, "initials")
    if given:
        return given[:12]
    name = optional_text(row, "name")
    return initials_of(name)[:12] if name else ""


def _fte(row: TypedRow, fulltime_hours: Decimal) -> tuple[Decimal, Decimal | None, list[str]]:
    hours = optional_decimal(row, "hours_per_week")
    given = optional_decimal(row, "fte")
    warnings: list[str] = []
    fte = given if given is not None else (hours or Decimal(0)) / fulltime_hours
    if fte > _ONE:
        source = (
            f"FTE {short_number_nl(given)}"
            if given is not None
            else f"{short_number_nl(hours or 0)} uur per week"
        )
        warnings.append(
            f"{source} is meer dan voltijd ({short_number_nl(fulltime_hours)} uur); "
            "geteld als 1 fte"
        )
        fte = _ONE
    return fte, hours, warnings


def _period_warnings(contract: Contract, start: date, end: date | None) -> list[str]:
    if start > contract.end_date or (end is not None and end < contract.start_date):
        return ["plaatsing valt buiten de contractperiode en telt niet mee"]
    return []


def _after_contract_reason(block: FixedBlock, start: date, contract: Contract) -> str:
    """A fixed amount per person counts on its start date: after the contract there is none
    (VALUATION.md section 3)."""
    return (
        f"startdatum {start:%d-%m-%Y} ligt na het einde van het contract "
        f"({contract.end_date:%d-%m-%Y}); {block_name(block)} telt op de startdatum"
    )


def _raw_summary(row: TypedRow, definition: TableDefinition) -> dict[str, str]:
    """Recognisable, non-identifying values of a row (no BSN, no name)."""
    keep = ("target_group", "start_date", "end_date", "hours_per_week", "fte")
    summary = summarise(row, definition.label_of, keep)
    initials = _initials(row)
    return {"Initialen": initials} | summary if initials else summary


def _check_row(row: TypedRow, messages: list[str], context: PlacementContext) -> CheckedLine:
    reasons = list(messages)
    warnings: list[str] = []
    block = None
    target = optional_text(row, "target_group")
    if target is not None:
        found = find_block(context.ruleset, target, (PlacementBlock, FixedBlock))
        if isinstance(found, PlacementBlock | FixedBlock):
            block = found
        else:
            reasons.append(f"doelgroep '{target}' komt niet voor in regeling {context.ruleset.id}")
    person = _person_key(row, context)
    keys = _match_keys(row, person, context)
    if reasons or block is None or person is None:
        return _rejected(row, reasons, block, person, definition=context.definition, keys=keys)

    start = required_date(row, "start_date")
    birth = required_date(row, "birth_date")
    age = age_on(birth, start)
    benefit_since = optional_date(row, "benefit_since")
    evidence = optional_text(row, "evidence")
    reasons.extend(
        eligibility_reasons(
            block.eligibility,
            block_name(block),
            age_at_start=age,
            benefit_since=benefit_since,
            start=start,
            evidence_given=evidence is not None,
        )
    )
    fte, hours, fte_warnings = _fte(row, context.ruleset.fulltime_hours)
    end = optional_date(row, "end_date")
    warnings.extend(fte_warnings)
    if isinstance(block, FixedBlock) and start > context.contract.end_date:
        reasons.append(_after_contract_reason(block, start, context.contract))
    else:
        warnings.extend(_period_warnings(context.contract, start, end))
    employment = (optional_text(row, "employment") or "").casefold().replace(" ", "")
    facts = PlacementFacts(
        person_key=person,
        initials=_initials(row),
        start_date=start,
        end_date=end,
        fte=fte,
        hours_per_week=hours,
        age_at_start=age,
        permanent=employment in _PERMANENT,
        refugee=flag(row, "refugee"),
        special_group=flag(row, "special_group"),
        evidence_ref=evidence,
        benefit_since=benefit_since,
        note=optional_text(row, "note"),
    )
    status = LineStatus.REJECTED if reasons else LineStatus.ACCEPTED
    return CheckedLine(
        kind=LineKind.PLACEMENT,
        provenance=row.provenance,
        status=status,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        block_code=block.code,
        identity=placement_identity(person, block.code, start),
        facts=facts,
        fingerprint=fingerprint(block.code, status, reasons, asdict(facts)),
        raw_summary=_raw_summary(row, context.definition),
        match_keys=keys,
    )


def placement_identity(person_key: str, block_code: str, start: date) -> str:
    return f"placement|{person_key}|{block_code}|{start.isoformat()}"


def _rejected(
    row: TypedRow,
    reasons: list[str],
    block: PlacementBlock | FixedBlock | None,
    person: str | None,
    *,
    definition: TableDefinition,
    keys: tuple[str, ...],
) -> CheckedLine:
    start = optional_date(row, "start_date")
    identity = (
        placement_identity(person, block.code, start)
        if person is not None and block is not None and start is not None
        else None
    )
    return rejected_line(
        LineKind.PLACEMENT,
        row.provenance,
        reasons or ["BSN of personeelsnummer ontbreekt"],
        _raw_summary(row, definition),
        block_code=block.code if block is not None else None,
        identity=identity,
        match_keys=keys,
    )


def _match_keys(row: TypedRow, person: str | None, context: PlacementContext) -> tuple[str, ...]:
    """How a corrected row finds this one: the same person, or the same initials and birth
    date (a BSN typed wrong), with the same start date. Keyed digests, never the values."""
    start = optional_date(row, "start_date")
    if start is None:
        return ()
    digest = context.pseudonymizer.match_key
    keys = []
    if person is not None:
        keys.append(digest("placement-person", person, start.isoformat()))
    birth, initials = optional_date(row, "birth_date"), _initials(row)
    if birth is not None and initials:
        keys.append(digest("placement-birth", initials, birth.isoformat(), start.isoformat()))
    return tuple(keys)


def judge_placements(
    readings: Sequence[RowReading], context: PlacementContext
) -> list[CheckedLine]:
    """Each row's verdict on its own, without the ledger (block, person, eligibility, FTE); a
    second row of the same person, block and start date in the table is a double row. Pure:
    a worker process may do it while the ledger is busy with other files."""
    lines: list[CheckedLine] = []
    seen: dict[str, int] = {}
    for reading in readings:
        row = reading.row
        line = _check_row(row, list(reading.problems), context)
        if line.identity is not None and line.identity in seen:
            line = _duplicate_in_file(line, seen[line.identity])
        elif line.identity is not None:
            seen[line.identity] = row.provenance.row or 0
        lines.append(line)
    return lines


def check_placements(
    table: RawTable,
    context: PlacementContext,
    known: EvidenceLookup,
    readings: Sequence[RowReading] | None = None,
    judged: Sequence[CheckedLine] | None = None,
) -> tuple[list[CheckedLine], list[Unchanged]]:
    """Checked lines of a placement table, and the rows that repeat a ledger line. The rows
    are read and judged here unless `readings` (validators.rows.read_tables) or `judged`
    (judge_placements) already has them."""
    if judged is None:
        judged = judge_placements(read_rows(table) if readings is None else readings, context)
    return place_versions(judged, known, context.contract.contract_id)


def _duplicate_in_file(line: CheckedLine, first_row: int) -> CheckedLine:
    reason = f"dubbele regel: zelfde persoon, doelgroep en startdatum als rij {first_row}"
    return reject(line, reason, keep_reasons=True)
