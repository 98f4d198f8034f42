"""VALUATION.md section 7, the worked example, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.contracts import Contract
from domain.dutch import round_cents
from domain.periods import Quarter
from parsers.grid import Provenance
from rulesets import load_catalog
from tests.builders import make_contract
from validators.lines import CheckedLine, LineKind, LineStatus, PlacementFacts
from valuation.accrual import StoredLine
from valuation.components import ValuedLine, components_of
from valuation.portfolio import value_portfolio
from valuation.progress import ContractStatus

CATALOG = load_catalog()
TWENTE = CATALOG.by_id("twente-2016")


def contract_c1() -> Contract:
    """C1: EUR 1,000,000, 5%, 2025-01-01 to 2026-12-31, no label."""
    return make_contract("C1", sroi_percentage=Decimal(5), contract_value=Decimal(1_000_000))


def placement(age_at_start: int) -> StoredLine:
    facts = PlacementFacts(
        person_key="Bexample",
        initials="J.J.",
        start_date=date(2025, 2, 1),
        end_date=None,
        fte=Decimal(36) / Decimal(36),
        hours_per_week=Decimal(36),
        age_at_start=age_at_start,
        permanent=False,
        refugee=False,
        special_group=False,
        evidence_ref=None,
        benefit_since=None,
        note=None,
    )
    line = CheckedLine(
        kind=LineKind.PLACEMENT,
        provenance=Provenance("example.xlsx", "Plaatsingen", 5),
        status=LineStatus.ACCEPTED,
        reasons=(),
        warnings=(),
        block_code="2",
        identity="placement|Bexample|2|2025-02-01",
        facts=facts,
    )
    assert TWENTE is not None
    return StoredLine(1, "C1", ValuedLine(line, components_of(line, TWENTE)))


def cents(amount: Decimal) -> Decimal:
    return round_cents(amount)


def test_worked_example_q2_placement_value_and_status() -> None:
    portfolio = value_portfolio([contract_c1()], CATALOG, [placement(40)], Quarter(2025, 2))
    valuation = portfolio.contracts[0]

    assert cents(valuation.obligation.obligation) == Decimal("50000.00")
    assert cents(valuation.realized_to_date) == Decimal("16438.36")
    assert cents(valuation.by_quarter[Quarter(2025, 1)]) == Decimal("6465.75")
    assert cents(valuation.realized_quarter) == Decimal("9972.60")
    assert cents(valuation.expected_to_date) == Decimal("12397.26")
    assert valuation.status is ContractStatus.ON_SCHEDULE
    assert cents(valuation.remaining) == Decimal("33561.64")


def test_worked_example_bonus_17_for_a_52_year_old_adds_5000_in_q1() -> None:
    portfolio = value_portfolio([contract_c1()], CATALOG, [placement(52)], Quarter(2025, 2))
    valuation = portfolio.contracts[0]

    assert cents(valuation.by_quarter[Quarter(2025, 1)]) == Decimal("11465.75")
    assert cents(valuation.realized_quarter) == Decimal("9972.60")
    assert cents(valuation.realized_to_date) == Decimal("21438.36")
    assert cents(valuation.by_block["17"]) == Decimal("5000.00")
    assert cents(valuation.by_block["2"]) == Decimal("16438.36")


@pytest.mark.parametrize("age", [49, 40])
def test_bonus_17_needs_age_50_at_start(age: int) -> None:
    portfolio = value_portfolio([contract_c1()], CATALOG, [placement(age)], Quarter(2025, 2))
    assert "17" not in portfolio.contracts[0].by_block
