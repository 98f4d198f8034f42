"""The value stage: what each checked line is worth in principle, before the calendar.

A component is a line's euro terms under its ruleset: a placement's annual value and FTE, a
bonus or fixed amount, an invoice or hours amount. How much of it counts in a quarter depends on
dates and other lines; that is `valuation.accrual`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rulesets.model import (
    BonusBlock,
    BonusCondition,
    FixedBlock,
    HoursBlock,
    InvoiceBlock,
    PlacementBlock,
    Ruleset,
)
from validators.lines import CheckedLine, HourFacts, LineStatus, PlacementFacts, PurchaseFacts
from validators.submission import CheckedSubmission


class ComponentKind(StrEnum):
    PLACEMENT = "placement"
    BONUS = "bonus"
    FIXED = "fixed"
    INVOICE = "invoice"
    HOURS = "hours"


@dataclass(frozen=True)
class Component:
    kind: ComponentKind
    block_code: str
    amount: Decimal
    """Annual value for a placement; the euro amount for every other kind."""
    fte: Decimal = Decimal(1)
    count_days: int | None = None
    """Placements only: the count window in days; None = limited by the placement itself."""


@dataclass(frozen=True)
class ValuedLine:
    line: CheckedLine
    components: tuple[Component, ...]


def _bonus_applies(condition: BonusCondition, facts: PlacementFacts) -> bool:
    if condition.age is not None and (
        facts.age_at_start is None or not condition.age.holds(facts.age_at_start)
    ):
        return False
    flags = {
        "statushouder": facts.refugee,
        "bijzondere_doelgroep": facts.special_group,
        "vast_dienstverband": facts.permanent,
    }
    return condition.flag is None or flags[condition.flag]


def _bonuses(block_code: str, facts: PlacementFacts, ruleset: Ruleset) -> list[Component]:
    bonuses = []
    for bonus in ruleset.blocks:
        if not isinstance(bonus, BonusBlock) or block_code not in bonus.applies_to:
            continue
        if _bonus_applies(bonus.condition, facts):
            amount = bonus.amount * facts.fte if bonus.pro_rata else bonus.amount
            bonuses.append(Component(ComponentKind.BONUS, bonus.code, amount, facts.fte))
    return bonuses


def components_of(line: CheckedLine, ruleset: Ruleset) -> tuple[Component, ...]:
    """Euro terms of an accepted or pending line; a rejected line is worth nothing."""
    if line.status is LineStatus.REJECTED or line.block_code is None or line.facts is None:
        return ()
    block = ruleset.block(line.block_code)
    facts = line.facts
    if isinstance(block, PlacementBlock) and isinstance(facts, PlacementFacts):
        own = Component(
            ComponentKind.PLACEMENT, block.code, block.annual_value, facts.fte, block.count_days
        )
        return (own, *_bonuses(block.code, facts, ruleset))
    if isinstance(block, FixedBlock) and isinstance(facts, PlacementFacts):
        amount = block.amount * facts.fte if block.pro_rata else block.amount
        own = Component(ComponentKind.FIXED, block.code, amount, facts.fte)
        return (own, *_bonuses(block.code, facts, ruleset))
    if isinstance(block, InvoiceBlock) and isinstance(facts, PurchaseFacts):
        return (Component(ComponentKind.INVOICE, block.code, facts.amount_excl_vat * block.rate),)
    if isinstance(block, HoursBlock) and isinstance(facts, HourFacts):
        return (Component(ComponentKind.HOURS, block.code, facts.hours * block.hourly_rate),)
    raise TypeError(f"block {block.code} ({block.kind}) does not fit a {line.kind} line")


def value_lines(checked: CheckedSubmission, ruleset: Ruleset) -> list[ValuedLine]:
    """Entry of the value stage."""
    return [ValuedLine(line, components_of(line, ruleset)) for line in checked.lines]
