"""What a contract's value is made of and whom it reached (VALUATION.md section 8): the value
split into placements, purchases and activities, and the people placed, of whom Participatiewet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rulesets.model import (
    BonusBlock,
    FixedBlock,
    HoursBlock,
    InvoiceBlock,
    PlacementBlock,
    Ruleset,
)
from validators.lines import PlacementFacts
from valuation.accrual import LineValue, StoredLine
from valuation.components import ComponentKind

_ZERO = Decimal(0)


class Category(StrEnum):
    """The summary's `by_category` keys, in the order reports show them."""

    PLACEMENTS = "plaatsingen"
    PURCHASES = "inkoop"
    ACTIVITIES = "activiteiten"

    @property
    def label_nl(self) -> str:
        return {
            "plaatsingen": "Plaatsingen",
            "inkoop": "Inkoop bij sociale ondernemingen",
            "activiteiten": "Activiteiten (MVO)",
        }[self.value]


def block_category(ruleset: Ruleset, code: str) -> Category:
    """Placement, bonus and fixed-per-person blocks are placements; invoice blocks purchases;
    hour blocks activities. A discount block carries no value and has no category."""
    block = ruleset.block(code)
    if isinstance(block, PlacementBlock | FixedBlock | BonusBlock):
        return Category.PLACEMENTS
    if isinstance(block, InvoiceBlock):
        return Category.PURCHASES
    if isinstance(block, HoursBlock):
        return Category.ACTIVITIES
    raise ValueError(f"block {code} ({block.kind}) carries no value")


def by_category(ruleset: Ruleset, by_block: Mapping[str, Decimal]) -> dict[Category, Decimal]:
    """Value per category; every category is present, and they add up to the blocks' total."""
    totals = dict.fromkeys(Category, _ZERO)
    for code, amount in by_block.items():
        totals[block_category(ruleset, code)] += amount
    return totals


def line_category(ruleset: Ruleset, stored: StoredLine) -> Category | None:
    """The category of a line's value (its own block; a bonus shares its placement's)."""
    code = stored.valued.line.block_code
    if code is None:
        return None
    try:
        return block_category(ruleset, code)
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class Reach:
    """The people a contract placed up to the valuation date, as pseudonyms: distinct persons
    with an accepted placement that counted a day (or earned its fixed amount) on it, and those
    of them placed in a block the ruleset marks as Participatiewet."""

    people: frozenset[str] = frozenset()
    participatiewet: frozenset[str] = frozenset()

    @classmethod
    def union(cls, reaches: Iterable[Reach]) -> Reach:
        """The same person on two contracts is one person."""
        people: set[str] = set()
        participatiewet: set[str] = set()
        for reach in reaches:
            people |= reach.people
            participatiewet |= reach.participatiewet
        return cls(frozenset(people), frozenset(participatiewet))


def _counted(stored: StoredLine, value: LineValue) -> bool:
    for component in stored.valued.components:
        if component.kind is ComponentKind.PLACEMENT and value.first_counted is not None:
            return True
        if component.kind is ComponentKind.FIXED and value.by_block.get(component.block_code):
            return True
    return False


def reach_of(
    ruleset: Ruleset, lines: Iterable[StoredLine], values: Mapping[int, LineValue]
) -> Reach:
    """The people reached by one contract's lines, valued by `values`."""
    people: set[str] = set()
    participatiewet: set[str] = set()
    for stored in lines:
        facts = stored.valued.line.facts
        value = values.get(stored.line_id)
        if not stored.accepted or not isinstance(facts, PlacementFacts) or value is None:
            continue
        if not _counted(stored, value):
            continue
        people.add(facts.person_key)
        code = stored.valued.line.block_code
        block = next((b for b in ruleset.blocks if b.code == code), None)
        if isinstance(block, PlacementBlock) and block.participatiewet:
            participatiewet.add(facts.person_key)
    return Reach(frozenset(people), frozenset(participatiewet))
