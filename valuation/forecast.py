"""What the placements running at the valuation date will still earn (VALUATION.md section 8).

An accepted placement that is running at D (started on or before D, no end date or an end date
after D) keeps accruing from D+1 up to the first of its own end date, the contract's end date
and the end of its count window, at its FTE, with the one-FTE rule applied to each future day
exactly as to past days (the same `counted_fte` the valuation uses). Nothing new is assumed: no
new placements, bonuses, fixed amounts, invoices or hours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from domain.contracts import Contract
from domain.periods import DayRange, Quarter
from validators.lines import PlacementFacts
from valuation.accrual import DAYS_PER_YEAR, StoredLine, counted_fte, quarter_days
from valuation.components import ComponentKind

FutureByQuarter = dict[Quarter, Decimal]


def _started_by(stored: StoredLine, as_of: date) -> bool:
    facts = stored.valued.line.facts
    return stored.accepted and isinstance(facts, PlacementFacts) and facts.start_date <= as_of


def _running_at(stored: StoredLine, as_of: date) -> bool:
    facts = stored.valued.line.facts
    return (
        _started_by(stored, as_of)
        and isinstance(facts, PlacementFacts)
        and (facts.end_date is None or facts.end_date > as_of)
    )


def _annual_value(stored: StoredLine) -> Decimal | None:
    own = next(
        (c for c in stored.valued.components if c.kind is ComponentKind.PLACEMENT),
        None,
    )
    return None if own is None else own.amount


def future_accrual(
    contracts: Sequence[Contract], lines: Sequence[StoredLine], as_of: date
) -> dict[str, FutureByQuarter]:
    """Per contract id, what its running placements still accrue after `as_of`, by quarter.

    Placements that started by `as_of` are valued up to the last contract end date; those that
    ended meanwhile still open their count windows (a window is never restarted), and the
    placements running at `as_of` take the future days of their windows and FTE."""
    horizon = max((contract.end_date for contract in contracts), default=as_of)
    if horizon <= as_of:
        return {}
    started = [stored for stored in lines if _started_by(stored, as_of)]
    segments = counted_fte(contracts, started, horizon)
    future_days = DayRange(as_of + timedelta(days=1), horizon)
    future: dict[str, FutureByQuarter] = defaultdict(dict)
    for stored in started:
        annual = _annual_value(stored)
        if annual is None or not _running_at(stored, as_of):
            continue
        by_quarter = future[stored.contract_id]
        for segment in segments.get(stored.line_id, []):
            for quarter, days in quarter_days(segment.days.clip(future_days)):
                amount = annual * segment.fte * days / DAYS_PER_YEAR
                by_quarter[quarter] = by_quarter.get(quarter, Decimal(0)) + amount
    return {contract_id: dict(sorted(q.items())) for contract_id, q in future.items()}
