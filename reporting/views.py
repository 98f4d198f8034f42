"""What the report templates show, computed from the valuation: key figures, contract rows in
the order a manager needs them, the value per category and per quarter, the chart series and
the links between the report files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from domain.periods import Quarter
from rulesets.model import Ruleset
from valuation.portfolio import ContractValuation, MunicipalValuation
from valuation.progress import ContractStatus
from valuation.reach import Category

_ZERO = Decimal(0)
TREND_QUARTERS = 8

CONVERSATION_ORDER = (
    ContractStatus.BEHIND,
    ContractStatus.ENDED_SHORT,
    ContractStatus.ATTENTION,
    ContractStatus.ON_SCHEDULE,
    ContractStatus.NOT_STARTED,
    ContractStatus.REALISED,
)
"""Contracts that need a conversation first: behind schedule, ended short (the fine),
attention; then those on schedule, not started and realised."""


@dataclass(frozen=True)
class Figures:
    obligation: Decimal
    discount: Decimal
    net_obligation: Decimal
    realized_quarter: Decimal
    realized_to_date: Decimal
    expected_to_date: Decimal
    remaining: Decimal
    fine: Decimal
    forecast_at_end: Decimal
    forecast_shortfall: Decimal
    people: int
    people_participatiewet: int
    status: str = ""
    status_nl: str = ""
    percentage: Decimal = _ZERO


def contract_figures(valuation: ContractValuation) -> Figures:
    return Figures(
        obligation=valuation.obligation.obligation,
        discount=valuation.obligation.discount,
        net_obligation=valuation.obligation.net_obligation,
        realized_quarter=valuation.realized_quarter,
        realized_to_date=valuation.realized_to_date,
        expected_to_date=valuation.expected_to_date,
        remaining=valuation.remaining,
        fine=valuation.fine,
        forecast_at_end=valuation.forecast_at_end,
        forecast_shortfall=valuation.forecast_shortfall,
        people=valuation.people,
        people_participatiewet=valuation.people_participatiewet,
        status=valuation.status.value,
        status_nl=valuation.status.label_nl,
        percentage=valuation.obligation.percentage,
    )


def shared_figures(shared: MunicipalValuation) -> Figures:
    return Figures(
        obligation=shared.obligation,
        discount=shared.discount,
        net_obligation=shared.net_obligation,
        realized_quarter=shared.realized_quarter,
        realized_to_date=shared.realized_to_date,
        expected_to_date=shared.expected_to_date,
        remaining=shared.remaining,
        fine=shared.fine,
        forecast_at_end=shared.forecast_at_end,
        forecast_shortfall=shared.forecast_shortfall,
        people=shared.people,
        people_participatiewet=shared.people_participatiewet,
    )


@dataclass(frozen=True)
class ProgressSeries:
    """What the contract chart shows: cumulative realisation at quarter ends, the forecast
    continuing it to the contract's end, the expected line and the net obligation."""

    start: date
    end: date
    as_of: date
    net_obligation: Decimal
    realised: Sequence[tuple[date, Decimal]]
    forecast: Sequence[tuple[date, Decimal]]


@dataclass(frozen=True)
class TrendBar:
    quarter: Quarter
    amounts: Sequence[Decimal]
    """One amount per category, in CATEGORY order."""


@dataclass(frozen=True)
class MunicipalityBar:
    name: str
    net_obligation: Decimal
    realised: Decimal
    forecast: Decimal


def ruleset_notes(rulesets: Sequence[Ruleset]) -> list[str]:
    """A visible note for every ruleset that is not fully published, with its assumptions."""
    notes = []
    for ruleset in sorted({r.id: r for r in rulesets}.values(), key=lambda r: r.id):
        if ruleset.complete:
            continue
        note = (
            f"Regeling {ruleset.title} is niet volledig gepubliceerd (bron: {ruleset.source}); "
            "bedragen onder voorbehoud."
        )
        if ruleset.assumptions:
            note += " Aannames: " + " ".join(ruleset.assumptions.values())
        notes.append(note)
    return notes


def safe_file_name(name: str) -> str:
    """Municipality names become file names: keep letters, digits, spaces and hyphens."""
    return re.sub(r"[^\w \-]", "_", name).strip() or "onbekend"


def contract_href(contract_id: str) -> str:
    """From the quarter's folder to the contract report."""
    return f"contracts/{quote(safe_file_name(contract_id))}.html"


def municipality_href(name: str) -> str:
    return f"gemeenten/{quote(safe_file_name(name))}.html"


def category_rows(amounts: dict[Category, Decimal]) -> list[dict[str, Any]]:
    total = sum(amounts.values(), _ZERO)
    return [
        {
            "key": category.value,
            "label": category.label_nl,
            "amount": amounts.get(category, _ZERO),
            "share": amounts.get(category, _ZERO) / total if total else _ZERO,
        }
        for category in Category
    ]


def contract_row(valuation: ContractValuation, share: Decimal) -> dict[str, Any]:
    return {
        "contract_id": valuation.contract.contract_id,
        "contractor": valuation.contract.contractor,
        "href": contract_href(valuation.contract.contract_id),
        "share": share,
        "net_obligation": valuation.obligation.net_obligation * share,
        "realized_quarter": valuation.realized_quarter * share,
        "realized_to_date": valuation.realized_to_date * share,
        "remaining": valuation.remaining * share,
        "forecast_at_end": valuation.forecast_at_end * share,
        "forecast_shortfall": valuation.forecast_shortfall * share,
        "status": valuation.status.value,
        "status_nl": valuation.status.label_nl,
    }


def conversation_first(
    contracts: list[tuple[ContractValuation, Decimal]],
) -> list[tuple[ContractValuation, Decimal]]:
    """By status (CONVERSATION_ORDER), then the largest shortfall at the end first."""
    return sorted(
        contracts,
        key=lambda item: (
            CONVERSATION_ORDER.index(item[0].status),
            -item[0].forecast_shortfall * item[1],
            item[0].contract.contract_id,
        ),
    )


def _quarters(first: date, last: date) -> list[Quarter]:
    quarters = []
    quarter = Quarter.of(first)
    while quarter.first_day <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def progress_series(valuation: ContractValuation, as_of: date) -> ProgressSeries:
    """Cumulative value at each quarter end up to the valuation date, then the forecast at
    each later quarter end up to the contract's end."""
    contract = valuation.contract
    realised: list[tuple[date, Decimal]] = []
    if as_of >= contract.start_date:
        last = min(as_of, contract.end_date)
        cumulative = _ZERO
        realised.append((contract.start_date, _ZERO))
        for quarter in _quarters(contract.start_date, last):
            cumulative += valuation.by_quarter.get(quarter, _ZERO)
            realised.append((min(quarter.last_day, last), cumulative))
    forecast: list[tuple[date, Decimal]] = []
    if as_of < contract.end_date:
        begin = max(as_of + timedelta(days=1), contract.start_date)
        cumulative = valuation.realized_to_date
        forecast.append((begin - timedelta(days=1), cumulative))
        for quarter in _quarters(begin, contract.end_date):
            cumulative += valuation.future_by_quarter.get(quarter, _ZERO)
            forecast.append((min(quarter.last_day, contract.end_date), cumulative))
    return ProgressSeries(
        start=contract.start_date,
        end=contract.end_date,
        as_of=as_of,
        net_obligation=valuation.obligation.net_obligation,
        realised=realised,
        forecast=forecast,
    )


def quarter_rows(valuation: ContractValuation, as_of: date) -> list[dict[str, Any]]:
    """Each quarter of the contract: realised up to the valuation date, forecast after it."""
    contract = valuation.contract
    rows: list[dict[str, Any]] = []
    cumulative = _ZERO
    for quarter in _quarters(contract.start_date, contract.end_date):
        forecast = quarter.first_day > as_of
        source = valuation.future_by_quarter if forecast else valuation.by_quarter
        amount = source.get(quarter, _ZERO)
        if forecast and amount == 0:
            continue
        cumulative += amount
        rows.append(
            {"quarter": quarter.label_nl, "amount": amount, "cumulative": cumulative,
             "forecast": forecast}
        )  # fmt: skip
    return rows if any(row["amount"] for row in rows) else []


def trend_bars(municipal: MunicipalValuation, quarter: Quarter) -> list[TrendBar]:
    """The last TREND_QUARTERS quarters up to `quarter`, share-weighted, per category."""
    by_quarter = municipal.by_quarter()
    first = quarter
    for _ in range(TREND_QUARTERS - 1):
        first = first.previous()
    bars = []
    for shown in _quarters(first.first_day, quarter.last_day):
        amounts = by_quarter.get(shown, {})
        bars.append(TrendBar(shown, [amounts.get(category, _ZERO) for category in Category]))
    return bars
