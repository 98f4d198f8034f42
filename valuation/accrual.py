"""The calendar side of valuation (VALUATION.md sections 2-4): which days of which placement
count, one FTE per person, bonuses and fixed amounts once, invoices and hours on their date.

Pure functions of the ledger's current lines and a valuation date; the same lines always give
the same euros, in whatever order the files arrived.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from domain.contracts import Contract
from domain.dutch import number_nl
from domain.periods import DayRange, Quarter
from rulesets.model import block_sort_key
from validators.lines import HourFacts, LineStatus, PlacementFacts, PurchaseFacts
from valuation.components import Component, ComponentKind, ValuedLine

DAYS_PER_YEAR = Decimal(365)
_OWN_KINDS = {ComponentKind.PLACEMENT, ComponentKind.FIXED}
_ONCE_KINDS = {ComponentKind.FIXED, ComponentKind.BONUS}
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True)
class StoredLine:
    """A current line from the ledger; `line_id` also gives the submission order."""

    line_id: int
    contract_id: str
    valued: ValuedLine

    @property
    def accepted(self) -> bool:
        return self.valued.line.status is LineStatus.ACCEPTED


@dataclass
class LineValue:
    line_id: int
    by_quarter: dict[Quarter, Decimal] = field(default_factory=dict)
    by_block: dict[str, Decimal] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    first_counted: date | None = None
    """A placement's first counted day (VALUATION.md section 3); None: it counted no day."""

    @property
    def to_date(self) -> Decimal:
        return sum(self.by_quarter.values(), _ZERO)

    def add(self, block_code: str, quarter: Quarter, amount: Decimal) -> None:
        if amount == 0:
            return
        self.by_quarter[quarter] = self.by_quarter.get(quarter, _ZERO) + amount
        self.by_block[block_code] = self.by_block.get(block_code, _ZERO) + amount


@dataclass(frozen=True)
class Segment:
    """Days of a placement counted at one FTE level."""

    days: DayRange
    fte: Decimal


def quarter_days(days: DayRange) -> Iterable[tuple[Quarter, int]]:
    """(quarter, number of days) for every quarter the range touches."""
    if days.is_empty:
        return
    quarter = Quarter.of(days.first)
    while quarter.first_day <= days.last:
        part = days.clip(DayRange(quarter.first_day, quarter.last_day))
        if not part.is_empty:
            yield quarter, part.days
        quarter = quarter.next()


@dataclass(frozen=True)
class _Placement:
    stored: StoredLine
    facts: PlacementFacts
    component: Component
    counted: DayRange
    """Days inside the contract period, the count window and the valuation date."""


def _placements(
    lines: Sequence[StoredLine], contracts: dict[str, Contract], as_of: date
) -> list[_Placement]:
    """Accepted placements with the days they may count before the one-FTE rule."""
    raw: list[tuple[StoredLine, PlacementFacts, Component, DayRange]] = []
    for stored in lines:
        facts = stored.valued.line.facts
        contract = contracts.get(stored.contract_id)
        if not stored.accepted or not isinstance(facts, PlacementFacts) or contract is None:
            continue
        for component in stored.valued.components:
            if component.kind is ComponentKind.PLACEMENT:
                last = min(facts.end_date or as_of, as_of)
                days = DayRange(facts.start_date, last).clip(contract.period)
                raw.append((stored, facts, component, days))
    window_start: dict[tuple[str, str, str], date] = {}
    for stored, facts, component, days in raw:
        if days.is_empty:
            continue
        key = (stored.contract_id, facts.person_key, component.block_code)
        window_start[key] = min(window_start.get(key, days.first), days.first)
    placements = []
    for stored, facts, component, days in raw:
        key = (stored.contract_id, facts.person_key, component.block_code)
        counted = days
        if component.count_days is not None and key in window_start:
            start = window_start[key]
            counted = days.clip(DayRange(start, start + timedelta(days=component.count_days - 1)))
        placements.append(_Placement(stored, facts, component, counted))
    return placements


def _breakpoints(placements: Sequence[_Placement]) -> list[date]:
    points = set()
    for placement in placements:
        if not placement.counted.is_empty:
            points.add(placement.counted.first)
            points.add(placement.counted.last + timedelta(days=1))
    return sorted(points)


def service_order(
    start: date, contract_id: str, block_code: str, line_id: int
) -> tuple[object, ...]:
    """VALUATION.md section 2: placements of one person are served by start date, then contract
    id, then the block's position in its ruleset table (its code is the table's row number);
    never by the order in which files arrived. The line id only separates what cannot differ."""
    return (start, contract_id, block_sort_key(block_code), line_id)


def _served_first(placement: _Placement) -> tuple[object, ...]:
    return service_order(
        placement.facts.start_date,
        placement.stored.contract_id,
        placement.component.block_code,
        placement.stored.line_id,
    )


def allocate_fte(placements: Sequence[_Placement]) -> dict[int, list[Segment]]:
    """One person, one FTE: per elementary period, placements are served in the order of
    `service_order` until 1 FTE is used (VALUATION.md section 2)."""
    order = sorted(placements, key=_served_first)
    points = _breakpoints(order)
    segments: dict[int, list[Segment]] = defaultdict(list)
    for first, after in pairwise(points):
        period = DayRange(first, after - timedelta(days=1))
        remaining = _ONE
        for placement in order:
            if placement.counted.is_empty or not (
                placement.counted.first <= first and period.last <= placement.counted.last
            ):
                continue
            taken = min(placement.component.fte, remaining)
            remaining -= taken
            segments[placement.stored.line_id].append(Segment(period, taken))
    return segments


def _excess_warning(component: Component, segments: Sequence[Segment]) -> str | None:
    short = [s for s in segments if s.fte < component.fte]
    if not short:
        return None
    days = sum(s.days.days for s in short)
    lost = max(component.fte - s.fte for s in short)
    return (
        f"deze persoon telt op {days} dag(en) al mee in een andere plaatsing; tot "
        f"{number_nl(lost, 2)} fte niet geteld (één persoon, één fte)"
    )


def _segments_per_line(placements: Sequence[_Placement]) -> dict[int, list[Segment]]:
    by_person: dict[str, list[_Placement]] = defaultdict(list)
    for placement in placements:
        by_person[placement.facts.person_key].append(placement)
    segments: dict[int, list[Segment]] = {}
    for group in by_person.values():
        segments.update(allocate_fte(group))
    return segments


def counted_fte(
    contracts: Sequence[Contract], lines: Sequence[StoredLine], as_of: date
) -> dict[int, list[Segment]]:
    """The days and FTE each accepted placement counts, after contract period, count window,
    valuation date and the one-FTE rule."""
    by_id = {contract.contract_id: contract for contract in contracts}
    return _segments_per_line(_placements(lines, by_id, as_of))


def _value_placements(
    placements: Sequence[_Placement], values: dict[int, LineValue]
) -> dict[int, date]:
    """Adds placement values; returns each line's first counted day (VALUATION.md section 3:
    in the contract, in the count window, up to the valuation date, whatever share of the FTE
    the one-FTE rule leaves it)."""
    segments = _segments_per_line(placements)
    first_counted: dict[int, date] = {}
    for placement in placements:
        line_id = placement.stored.line_id
        value = values[line_id]
        annual = placement.component.amount
        counted = [segment for segment in segments.get(line_id, []) if segment.fte > 0]
        for segment in counted:
            for quarter, days in quarter_days(segment.days):
                amount = annual * segment.fte * days / DAYS_PER_YEAR
                value.add(placement.component.block_code, quarter, amount)
        if not placement.counted.is_empty:
            first = placement.counted.first
            first_counted[line_id] = min(first_counted.get(line_id, first), first)
            value.first_counted = first_counted[line_id]
        warning = _excess_warning(placement.component, segments.get(line_id, []))
        if warning:
            value.warnings.append(warning)
    return first_counted


def _fixed_day(facts: PlacementFacts, contract: Contract, as_of: date) -> date | None:
    """Where a fixed amount counts: the start, or the contract's first day for a placement that
    began earlier and runs into the contract; None when it never lies in the contract period
    (or not yet on the valuation date)."""
    last = min(facts.end_date or as_of, as_of)
    days = DayRange(facts.start_date, last).clip(contract.period)
    return None if days.is_empty else days.first


@dataclass(frozen=True)
class _OnceCandidate:
    """A line that could earn a once-per-person amount, on `day`."""

    day: date
    order: tuple[object, ...]
    line_id: int
    component: Component


def _once_candidates(
    lines: Sequence[StoredLine],
    contracts: dict[str, Contract],
    as_of: date,
    first_counted: dict[int, date],
) -> dict[tuple[str, str, str], list[_OnceCandidate]]:
    """Per (contract, person, block), the lines that could earn a fixed amount or a bonus and
    the day it would count. A bonus counts on its placement's first counted day; a placement
    with no counted day earns none (VALUATION.md section 3)."""
    candidates: dict[tuple[str, str, str], list[_OnceCandidate]] = defaultdict(list)
    for stored in lines:
        facts = stored.valued.line.facts
        contract = contracts.get(stored.contract_id)
        if not stored.accepted or not isinstance(facts, PlacementFacts) or contract is None:
            continue
        fixed_day = _fixed_day(facts, contract, as_of)
        own = next((c for c in stored.valued.components if c.kind in _OWN_KINDS), None)
        anchor = fixed_day if own is not None and own.kind is ComponentKind.FIXED else None
        anchor = first_counted.get(stored.line_id, anchor)
        block = own.block_code if own is not None else ""
        order = service_order(facts.start_date, stored.contract_id, block, stored.line_id)
        for component in stored.valued.components:
            day = fixed_day if component.kind is ComponentKind.FIXED else anchor
            if component.kind in _ONCE_KINDS and day is not None:
                key = (stored.contract_id, facts.person_key, component.block_code)
                candidates[key].append(_OnceCandidate(day, order, stored.line_id, component))
    return candidates


def _value_once_per_person(
    lines: Sequence[StoredLine],
    contracts: dict[str, Contract],
    as_of: date,
    first_counted: dict[int, date],
    values: dict[int, LineValue],
) -> None:
    """Fixed amounts and bonuses: once per person per contract per block (section 3), to the
    line that counts first; on the same day, to the placement served first (section 2's order),
    whose FTE a pro-rata amount uses."""
    for key, options in _once_candidates(lines, contracts, as_of, first_counted).items():
        options.sort(key=lambda option: (option.day, option.order))
        chosen = options[0]
        values[chosen.line_id].add(
            chosen.component.block_code, Quarter.of(chosen.day), chosen.component.amount
        )
        for other in options[1:]:
            values[other.line_id].warnings.append(
                f"blok {key[2]} telt één keer per persoon per contract; "
                f"al geteld bij regel {chosen.line_id}"
            )


def _event_date(stored: StoredLine) -> date | None:
    facts = stored.valued.line.facts
    if isinstance(facts, PurchaseFacts):
        return facts.invoice_date
    if isinstance(facts, HourFacts):
        return facts.activity_date
    return None


def _value_on_date(
    lines: Sequence[StoredLine],
    contracts: dict[str, Contract],
    as_of: date,
    values: dict[int, LineValue],
) -> None:
    """Invoices and hours count in the quarter of their date (section 4)."""
    for stored in lines:
        day = _event_date(stored)
        contract = contracts.get(stored.contract_id)
        if not stored.accepted or day is None or contract is None:
            continue
        if day > as_of or day not in contract.period:
            continue
        for component in stored.valued.components:
            if component.kind in {ComponentKind.INVOICE, ComponentKind.HOURS}:
                values[stored.line_id].add(component.block_code, Quarter.of(day), component.amount)


def accrue(
    contracts: Sequence[Contract], lines: Sequence[StoredLine], as_of: date
) -> dict[int, LineValue]:
    """Value of every current line up to and including `as_of`, by quarter and block."""
    by_id = {contract.contract_id: contract for contract in contracts}
    values = {stored.line_id: LineValue(stored.line_id) for stored in lines}
    first_counted = _value_placements(_placements(lines, by_id, as_of), values)
    _value_once_per_person(lines, by_id, as_of, first_counted, values)
    _value_on_date(lines, by_id, as_of, values)
    return values
