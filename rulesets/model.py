"""The shape of a ruleset file. Every key is checked on load; unknown keys are errors.

Percentages are written as percent numbers (5 means 5%), amounts in whole euros, exactly as the
published tables print them, so a coordinator can compare the file with the source line by line.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.text import match_key

COUNT_PERIOD_DAYS = {"1 jaar": 365, "2 jaar": 730}
_UNLIMITED_PERIOD = re.compile(r"^(altijd|duur\b.*)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(_Strict):
    """A numeric condition; every bound given must hold (lt: 27 means 'less than 27')."""

    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Bounds:
        if self.lt is None and self.lte is None and self.gt is None and self.gte is None:
            raise ValueError("give at least one of lt, lte, gt, gte")
        return self

    def holds(self, value: int) -> bool:
        return (
            (self.lt is None or value < self.lt)
            and (self.lte is None or value <= self.lte)
            and (self.gt is None or value > self.gt)
            and (self.gte is None or value >= self.gte)
        )

    def describe_nl(self, unit: str) -> str:
        parts = []
        for bound, sign in ((self.gt, ">"), (self.gte, ">="), (self.lt, "<"), (self.lte, "<=")):
            if bound is not None:
                parts.append(f"{sign} {bound} {unit}")
        return " en ".join(parts)


class Eligibility(_Strict):
    """Checked at the placement's start date (VALUATION.md section 2)."""

    age: Bounds | None = Field(default=None, description="age in whole years at start")
    benefit_months: Bounds | None = Field(
        default=None,
        description="months of benefit at start; checked when 'Uitkering sinds' is given",
    )
    requires_evidence: bool = False


BonusFlag = Literal["statushouder", "bijzondere_doelgroep", "vast_dienstverband"]


class BonusCondition(_Strict):
    age: Bounds | None = None
    flag: BonusFlag | None = None


class _BlockBase(_Strict):
    code: str
    label: str
    synonyms: tuple[str, ...] = ()
    note: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


class PlacementBlock(_BlockBase):
    kind: Literal["placement"]
    annual_value: Decimal = Field(gt=0)
    count_period: str
    eligibility: Eligibility = Eligibility()
    participatiewet: bool = False
    """A Participatiewet target group: its people count as `people_participatiewet` in the
    reports (VALUATION.md section 8)."""

    @field_validator("count_period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        if value in COUNT_PERIOD_DAYS or _UNLIMITED_PERIOD.match(value):
            return value
        raise ValueError("use '1 jaar', '2 jaar', 'altijd' or 'duur ...'")

    @property
    def count_days(self) -> int | None:
        """Length of the count window in days; None when only the placement itself limits it."""
        return COUNT_PERIOD_DAYS.get(self.count_period)


class FixedBlock(_BlockBase):
    """A fixed amount once per person per contract (e.g. Twente 13 and 23)."""

    kind: Literal["fixed"]
    amount: Decimal = Field(gt=0)
    pro_rata: bool = False
    eligibility: Eligibility = Eligibility()


class BonusBlock(_BlockBase):
    """Once per person per contract, on top of an accepted placement that meets the condition."""

    kind: Literal["bonus"]
    amount: Decimal = Field(gt=0)
    pro_rata: bool
    applies_to: tuple[str, ...] = Field(min_length=1)
    condition: BonusCondition

    @field_validator("applies_to", mode="before")
    @classmethod
    def _codes_as_text(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(str(item) for item in value)
        return value


class InvoiceBlock(_BlockBase):
    kind: Literal["invoice"]
    rate: Decimal = Field(default=Decimal(1), gt=0)
    requires_approval: bool = False
    requires_invoice_copy: bool = False


class HoursBlock(_BlockBase):
    kind: Literal["hours"]
    hourly_rate: Decimal = Field(gt=0)
    requires_approval: bool = False


class DiscountBlock(_BlockBase):
    """PSO levels or a social label lowering the obligation; rates are percent numbers."""

    kind: Literal["discount"]
    pso_levels: dict[int, Decimal] = Field(default_factory=dict)
    label_name: str | None = None
    rate: Decimal | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _one_trigger(self) -> DiscountBlock:
        by_level = bool(self.pso_levels)
        by_label = self.label_name is not None and self.rate is not None
        if by_level == by_label:
            raise ValueError("give either pso_levels, or label_name with rate")
        for level, rate in self.pso_levels.items():
            if not 1 <= level <= 3 or not 0 < rate <= 100:
                raise ValueError(f"pso_levels: level {level} rate {rate} out of range")
        return self

    def rate_for(self, pso_level: int | None, label: str | None) -> Decimal:
        """This block's rate for a contractor, 0 when it does not apply."""
        if pso_level is not None and pso_level in self.pso_levels:
            return self.pso_levels[pso_level]
        if (
            label is not None
            and self.label_name is not None
            and self.rate is not None
            and match_key(label) == match_key(self.label_name)
        ):
            return self.rate
        return Decimal(0)


Block = Annotated[
    PlacementBlock | FixedBlock | BonusBlock | InvoiceBlock | HoursBlock | DiscountBlock,
    Field(discriminator="kind"),
]
ValuedBlock = PlacementBlock | FixedBlock | InvoiceBlock | HoursBlock


class ObligationRules(_Strict):
    default_percentage: Decimal = Field(gt=0, le=100)
    capital_intensive_percentage: Decimal = Field(gt=0, le=100)
    threshold: Decimal = Field(ge=0)


class DiscountRules(_Strict):
    max_rate: Decimal = Field(gt=0, le=100)
    labour_component_only: bool


class Ruleset(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    family: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    source: str
    valid_from: date
    valid_until: date | None = None
    complete: bool = True
    assumptions: dict[str, str] = Field(default_factory=dict)
    """Values the source does not publish, by key (`obligation.threshold`, `invoice_block`,
    `blocks.9`, `blocks.9.rate`): what was assumed and why. Reports name them; an override in
    <home>/rulesets/overrides/ that sets such a key settles its assumption."""
    remarks: tuple[str, ...] = ()
    fulltime_hours: Decimal = Field(default=Decimal(36), gt=0)
    obligation: ObligationRules
    discounts: DiscountRules
    invoice_block: str
    blocks: tuple[Block, ...] = Field(min_length=1)

    @field_validator("invoice_block", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _consistent(self) -> Ruleset:
        codes = [block.code for block in self.blocks]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"block codes used twice: {', '.join(duplicates)}")
        by_code = {block.code: block for block in self.blocks}
        if not isinstance(by_code.get(self.invoice_block), InvoiceBlock):
            raise ValueError(f"invoice_block {self.invoice_block!r} is not an invoice block")
        for block in self.blocks:
            if isinstance(block, BonusBlock):
                for target in block.applies_to:
                    if not isinstance(by_code.get(target), PlacementBlock | FixedBlock):
                        raise ValueError(
                            f"bonus {block.code} applies to {target!r}, "
                            "which is not a placement or fixed block of this ruleset"
                        )
        self._check_names_unique()
        for key in self.assumptions:
            if not self.has_key(key):
                raise ValueError(f"assumptions: {key!r} is not a key of this ruleset")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until lies before valid_from")
        return self

    def _check_names_unique(self) -> None:
        seen: dict[str, str] = {}
        for block in self.blocks:
            for name in block.names():
                key = match_key(name)
                if key in seen and seen[key] != block.code:
                    raise ValueError(
                        f"label {name!r} of block {block.code} is also used by block {seen[key]}"
                    )
                seen[key] = block.code

    def has_key(self, key: str) -> bool:
        """Whether a dotted key (`obligation.threshold`, `blocks.9.rate`) names a field."""
        node: BaseModel = self
        parts = key.split(".")
        while parts:
            part = parts.pop(0)
            if node is self and part == "blocks" and parts:
                code = parts.pop(0)
                block = next((b for b in self.blocks if b.code == code), None)
                if block is None:
                    return False
                node = block
                continue
            if part not in type(node).model_fields:
                return False
            value = getattr(node, part)
            if parts and not isinstance(value, BaseModel):
                return False
            if isinstance(value, BaseModel):
                node = value
        return True

    def block(self, code: str) -> Block:
        for block in self.blocks:
            if block.code == code:
                return block
        raise KeyError(code)

    def blocks_of(self, *kinds: type[BaseModel]) -> list[Block]:
        return [block for block in self.blocks if isinstance(block, kinds)]


def block_sort_key(code: str) -> tuple[int, str]:
    """Block codes in table order: 2 before 10, 4 before 4b."""
    digits = "".join(char for char in code if char.isdigit())
    return (int(digits) if digits else 0, code)
