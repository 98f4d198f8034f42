"""Entry of the valuation: every contract, its municipalities, as of a quarter's last day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.contracts import Contract
from domain.periods import Quarter
from rulesets import Ruleset, RulesetCatalog
from validators.lines import LineStatus
from valuation.accrual import LineValue, StoredLine, accrue
from valuation.forecast import FutureByQuarter, future_accrual
from valuation.obligation import Obligation, compute_obligation
from valuation.progress import ContractStatus, assess_progress
from valuation.reach import Category, Reach, by_category, line_category, reach_of

_ZERO = Decimal(0)


@dataclass(frozen=True)
class ContractValuation:
    contract: Contract
    ruleset: Ruleset
    obligation: Obligation
    realized_quarter: Decimal
    realized_to_date: Decimal
    expected_to_date: Decimal
    remaining: Decimal
    status: ContractStatus
    fine: Decimal
    by_block: dict[str, Decimal]
    by_quarter: dict[Quarter, Decimal]
    line_counts: dict[LineStatus, int]
    lines: dict[int, LineValue]
    by_category: dict[Category, Decimal]
    """Value to date per category (VALUATION.md section 8); adds up to realized_to_date."""
    by_quarter_category: dict[Quarter, dict[Category, Decimal]]
    future_by_quarter: FutureByQuarter
    """What the placements running at the valuation date still accrue, per later quarter."""
    reach: Reach
    warnings: tuple[str, ...] = ()

    @property
    def forecast_at_end(self) -> Decimal:
        """realized_to_date plus what the running placements still accrue (section 8); for a
        contract that has ended, realized_to_date."""
        return self.realized_to_date + sum(self.future_by_quarter.values(), _ZERO)

    @property
    def forecast_shortfall(self) -> Decimal:
        return max(_ZERO, self.obligation.net_obligation - self.forecast_at_end)

    @property
    def people(self) -> int:
        return len(self.reach.people)

    @property
    def people_participatiewet(self) -> int:
        return len(self.reach.participatiewet)


@dataclass(frozen=True)
class MunicipalValuation:
    """A municipality's figures: each contract figure times its share (VALUATION.md 6). With
    every contract at share 1 it gives the region's totals."""

    municipality: str
    contracts: list[tuple[ContractValuation, Decimal]] = field(default_factory=list)
    """Each contract with this municipality's share of it."""

    def total(self, pick: Callable[[ContractValuation], Decimal]) -> Decimal:
        return sum((pick(valuation) * share for valuation, share in self.contracts), _ZERO)

    @property
    def obligation(self) -> Decimal:
        return self.total(lambda v: v.obligation.obligation)

    @property
    def discount(self) -> Decimal:
        return self.total(lambda v: v.obligation.discount)

    @property
    def net_obligation(self) -> Decimal:
        return self.total(lambda v: v.obligation.net_obligation)

    @property
    def realized_quarter(self) -> Decimal:
        return self.total(lambda v: v.realized_quarter)

    @property
    def realized_to_date(self) -> Decimal:
        return self.total(lambda v: v.realized_to_date)

    @property
    def expected_to_date(self) -> Decimal:
        return self.total(lambda v: v.expected_to_date)

    @property
    def remaining(self) -> Decimal:
        return self.total(lambda v: v.remaining)

    @property
    def fine(self) -> Decimal:
        return self.total(lambda v: v.fine)

    @property
    def forecast_at_end(self) -> Decimal:
        return self.total(lambda v: v.forecast_at_end)

    @property
    def forecast_shortfall(self) -> Decimal:
        """Each contract's shortfall times the share: a surplus on one contract does not make up
        for another's shortfall."""
        return self.total(lambda v: v.forecast_shortfall)

    def category_total(self, category: Category) -> Decimal:
        return self.total(lambda v: v.by_category.get(category, _ZERO))

    def by_quarter(self) -> dict[Quarter, dict[Category, Decimal]]:
        """Realised value per quarter and category, times the shares."""
        totals: dict[Quarter, dict[Category, Decimal]] = {}
        for valuation, share in self.contracts:
            for quarter, categories in valuation.by_quarter_category.items():
                row = totals.setdefault(quarter, dict.fromkeys(Category, _ZERO))
                for category, amount in categories.items():
                    row[category] += amount * share
        return dict(sorted(totals.items()))

    @property
    def reach(self) -> Reach:
        """People are counted whole in every municipality that shares their contract, and once
        however many of its contracts placed them."""
        return Reach.union(valuation.reach for valuation, _ in self.contracts)

    @property
    def people(self) -> int:
        return len(self.reach.people)

    @property
    def people_participatiewet(self) -> int:
        return len(self.reach.participatiewet)


@dataclass(frozen=True)
class PortfolioValuation:
    quarter: Quarter
    as_of: date
    contracts: list[ContractValuation]
    municipalities: list[MunicipalValuation]

    def contract(self, contract_id: str) -> ContractValuation | None:
        return next((c for c in self.contracts if c.contract.contract_id == contract_id), None)


def _sum_by_key(values: Sequence[dict[str, Decimal]]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    for mapping in values:
        for key, amount in mapping.items():
            total[key] += amount
    return dict(total)


def _by_quarter_category(
    ruleset: Ruleset, lines: Sequence[StoredLine], values: dict[int, LineValue]
) -> dict[Quarter, dict[Category, Decimal]]:
    totals: dict[Quarter, dict[Category, Decimal]] = {}
    for stored in lines:
        category = line_category(ruleset, stored)
        value = values[stored.line_id]
        if category is None or not value.by_quarter:
            continue
        for quarter, amount in value.by_quarter.items():
            row = totals.setdefault(quarter, dict.fromkeys(Category, _ZERO))
            row[category] += amount
    return dict(sorted(totals.items()))


def _value_contract(
    contract: Contract,
    ruleset: Ruleset,
    own: Sequence[StoredLine],
    values: dict[int, LineValue],
    quarter: Quarter,
    *,
    future: FutureByQuarter,
) -> ContractValuation:
    line_values = {stored.line_id: values[stored.line_id] for stored in own}
    by_quarter: dict[Quarter, Decimal] = defaultdict(lambda: _ZERO)
    for value in line_values.values():
        for q, amount in value.by_quarter.items():
            by_quarter[q] += amount
    realized_to_date = sum(by_quarter.values(), _ZERO)
    obligation = compute_obligation(contract, ruleset)
    progress = assess_progress(
        contract, obligation.net_obligation, realized_to_date, quarter.last_day
    )
    counts = {status: 0 for status in LineStatus}
    for stored in own:
        counts[stored.valued.line.status] += 1
    warnings = []
    if obligation.below_threshold:
        warnings.append(
            "onder drempel: opdrachtsom ligt onder de drempel van de regeling; de verplichting "
            "geldt zoals geregistreerd"
        )
    by_block = _sum_by_key([value.by_block for value in line_values.values()])
    return ContractValuation(
        contract=contract,
        ruleset=ruleset,
        obligation=obligation,
        realized_quarter=by_quarter.get(quarter, _ZERO),
        realized_to_date=realized_to_date,
        expected_to_date=progress.expected_to_date,
        remaining=progress.remaining,
        status=progress.status,
        fine=progress.fine,
        by_block=by_block,
        by_quarter=dict(sorted(by_quarter.items())),
        line_counts=counts,
        lines=line_values,
        warnings=tuple(warnings),
        by_category=by_category(ruleset, by_block),
        by_quarter_category=_by_quarter_category(ruleset, own, values),
        future_by_quarter=future,
        reach=reach_of(ruleset, own, line_values),
    )


def value_portfolio(
    contracts: Sequence[Contract],
    catalog: RulesetCatalog,
    lines: Sequence[StoredLine],
    quarter: Quarter,
) -> PortfolioValuation:
    """All contracts valued as of the quarter's last day; municipal figures by share."""
    as_of = quarter.last_day
    values = accrue(contracts, lines, as_of)
    future = future_accrual(contracts, lines, as_of)
    by_contract: dict[str, list[StoredLine]] = defaultdict(list)
    for stored in lines:
        by_contract[stored.contract_id].append(stored)
    valuations = []
    municipalities: dict[str, MunicipalValuation] = {}
    for contract in sorted(contracts, key=lambda c: c.contract_id):
        ruleset = catalog.resolve(contract.ruleset_id, contract.award_date)
        valuation = _value_contract(
            contract,
            ruleset,
            by_contract[contract.contract_id],
            values,
            quarter,
            future=future.get(contract.contract_id, {}),
        )
        valuations.append(valuation)
        for share in contract.shares:
            municipal = municipalities.setdefault(
                share.municipality, MunicipalValuation(share.municipality)
            )
            municipal.contracts.append((valuation, share.share))
    ordered = [municipalities[name] for name in sorted(municipalities)]
    return PortfolioValuation(quarter, as_of, valuations, ordered)
