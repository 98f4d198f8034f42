"""The obligation of a contract and its discount (VALUATION.md section 1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.contracts import Contract
from domain.periods import days_inclusive
from rulesets.model import DiscountBlock, Ruleset

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Obligation:
    percentage: Decimal
    obligation: Decimal
    discount_rate: Decimal
    """Percent (e.g. 25), after 'not added, capped'."""
    discount: Decimal
    net_obligation: Decimal
    below_threshold: bool


def obligation_percentage(contract: Contract, ruleset: Ruleset) -> Decimal:
    if contract.sroi_percentage is not None:
        return contract.sroi_percentage
    rules = ruleset.obligation
    return (
        rules.capital_intensive_percentage
        if contract.capital_intensive
        else rules.default_percentage
    )


def discount_rate(contract: Contract, ruleset: Ruleset) -> Decimal:
    """The highest single rate of the contractor's PSO level or label, capped; never added."""
    rates = [
        block.rate_for(contract.pso_level, contract.label)
        for block in ruleset.blocks
        if isinstance(block, DiscountBlock)
    ]
    return min(max(rates, default=Decimal(0)), ruleset.discounts.max_rate)


def label_coverage(contract: Contract) -> Decimal:
    """Fraction of contract days on which the label is valid (1 without an end date)."""
    if contract.pso_valid_until is None:
        return Decimal(1)
    valid_last = min(contract.pso_valid_until, contract.end_date)
    covered = days_inclusive(contract.start_date, valid_last)
    return Decimal(covered) / Decimal(contract.period.days)


def compute_obligation(contract: Contract, ruleset: Ruleset) -> Obligation:
    percentage = obligation_percentage(contract, ruleset)
    obligation = percentage / _HUNDRED * contract.contract_value
    rate = discount_rate(contract, ruleset)
    labour_share = Decimal(1)
    if ruleset.discounts.labour_component_only and contract.labour_share is not None:
        labour_share = contract.labour_share
    discount = rate / _HUNDRED * obligation * labour_share * label_coverage(contract)
    return Obligation(
        percentage=percentage,
        obligation=obligation,
        discount_rate=rate,
        discount=discount,
        net_obligation=obligation - discount,
        below_threshold=contract.contract_value < ruleset.obligation.threshold,
    )
