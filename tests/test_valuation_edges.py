"""Valuation at its edges (VALUATION.md sections 1-6): the day a contract starts or ends, an
amount exactly on a threshold, a status exactly on its boundary, and the figures a report
shows beside the euros (line counts, warnings, the ruleset applied).

Written against mutation testing (docs/testing.md): each test fixes a euro figure, a status
or a Dutch text, computed by hand in the comments. Bonus timing and the tie order of the
one-FTE rule are left to their own tests (they are being reworked).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domain.contracts import Contract, MunicipalShare
from domain.dutch import round_cents
from domain.periods import Quarter
from domain.pseudonym import Pseudonymizer
from parsers.grid import Provenance
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from rulesets.catalog import load_ruleset_file
from rulesets.model import Ruleset
from tests.builders import make_contract, placement, purchase, valid_bsns, write_submission
from tests.lines import CATALOG, placement_line
from tests.lines import stored_line as stored
from validators.known import KnownEvidence
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PurchaseFacts,
)
from validators.submission import validate_submission
from valuation.components import Component, ComponentKind, value_lines
from valuation.obligation import compute_obligation
from valuation.portfolio import ContractValuation, PortfolioValuation, value_portfolio
from valuation.progress import ContractStatus
from valuation.reach import Category


def _ruleset(ruleset_id: str) -> Ruleset:
    found = CATALOG.by_id(ruleset_id)
    assert found is not None
    return found


TWENTE = _ruleset("twente-2016")

BELOW_THRESHOLD = (
    "onder drempel: opdrachtsom ligt onder de drempel van de regeling; de verplichting "
    "geldt zoals geregistreerd"
)


def invoice_line(day: date, amount: str, status: LineStatus = LineStatus.ACCEPTED) -> CheckedLine:
    facts = PurchaseFacts("SW B.V.", "87654321", f"F-{day}", day, Decimal(amount), "J.", None)
    return CheckedLine(
        LineKind.PURCHASE,
        Provenance("q.xlsx", "Inkoop", 6),
        status,
        (),
        (),
        "9",
        f"invoice|kvk:87654321|f{day}",
        facts,
    )


def value(contract: Contract, *lines: CheckedLine, quarter: Quarter) -> ContractValuation:
    portfolio = value_portfolio([contract], CATALOG, [stored(contract, x) for x in lines], quarter)
    (valuation,) = portfolio.contracts
    return valuation


# --- section 5: status exactly on its boundaries ------------------------------------------------

# 2025-01-01..2025-06-29 is 180 days: on 2025-03-31 (90 days) half the obligation is expected.
# EUR 100,000 at 5% = 5,000; expected by Q1 = 2,500.
HALF_YEAR = make_contract(contract_value=Decimal(100_000), end_date=date(2025, 6, 29))


@pytest.mark.parametrize(
    ("realised", "status"),
    [
        ("2500", ContractStatus.ON_SCHEDULE),  # exactly the expected value
        ("2499.99", ContractStatus.ATTENTION),
        ("1875", ContractStatus.ATTENTION),  # exactly 75% of it
        ("1874.99", ContractStatus.BEHIND),
    ],
)
def test_status_on_the_expected_value_and_on_three_quarters_of_it(
    realised: str, status: ContractStatus
) -> None:
    valuation = value(
        HALF_YEAR, invoice_line(date(2025, 2, 14), realised), quarter=Quarter(2025, 1)
    )
    assert valuation.expected_to_date == Decimal(2500)
    assert valuation.realized_to_date == Decimal(realised)
    assert (valuation.status, valuation.fine) == (status, 0)
    assert valuation.remaining == Decimal(5000) - Decimal(realised)


def test_exactly_the_obligation_is_realised() -> None:
    valuation = value(HALF_YEAR, invoice_line(date(2025, 2, 14), "5000"), quarter=Quarter(2025, 1))
    assert (valuation.status, valuation.remaining, valuation.fine) == (
        ContractStatus.REALISED,
        0,
        0,
    )


def test_more_than_the_obligation_leaves_nothing_remaining() -> None:
    valuation = value(HALF_YEAR, invoice_line(date(2025, 2, 14), "7000"), quarter=Quarter(2025, 1))
    assert (valuation.status, valuation.remaining) == (ContractStatus.REALISED, 0)


def test_a_contract_starting_on_the_last_day_of_the_quarter_has_started() -> None:
    # 2025-03-31..2026-03-30 = 365 days; on its first day 1/365 of 50,000 is expected.
    contract = make_contract(start_date=date(2025, 3, 31), end_date=date(2026, 3, 30))
    valuation = value(contract, quarter=Quarter(2025, 1))
    assert valuation.expected_to_date == Decimal(50_000) / 365
    assert valuation.status is ContractStatus.BEHIND


def test_before_its_start_nothing_is_expected() -> None:
    contract = make_contract(start_date=date(2025, 4, 1))
    valuation = value(contract, quarter=Quarter(2025, 1))
    assert (valuation.status, valuation.expected_to_date, valuation.fine) == (
        ContractStatus.NOT_STARTED,
        0,
        0,
    )
    assert valuation.remaining == 50_000


def test_on_its_last_day_a_contract_has_not_ended_yet() -> None:
    # 2025-01-01..2025-12-31, valued on 2025-12-31: the whole 50,000 is expected, 10,000 done.
    contract = make_contract(end_date=date(2025, 12, 31))
    valuation = value(contract, invoice_line(date(2025, 5, 1), "10000"), quarter=Quarter(2025, 4))
    assert valuation.expected_to_date == 50_000
    assert (valuation.status, valuation.fine, valuation.remaining) == (
        ContractStatus.BEHIND,
        0,
        40_000,
    )
    ended = value(contract, invoice_line(date(2025, 5, 1), "10000"), quarter=Quarter(2026, 1))
    assert (ended.status, ended.fine) == (ContractStatus.ENDED_SHORT, 40_000)


# --- section 1: obligation ----------------------------------------------------------------------


def test_the_obligation_records_its_percentage() -> None:
    registered = compute_obligation(make_contract(sroi_percentage=Decimal("4.5")), TWENTE)
    assert (registered.percentage, registered.obligation) == (Decimal("4.5"), 45_000)
    default = compute_obligation(make_contract(sroi_percentage=None), TWENTE)
    assert (default.percentage, default.discount_rate, default.discount) == (5, 0, 0)


@pytest.mark.parametrize(
    ("contract_value", "warnings"),
    [("100000", ()), ("99999.99", (BELOW_THRESHOLD,))],
)
def test_below_the_threshold_to_the_cent(contract_value: str, warnings: tuple[str, ...]) -> None:
    contract = make_contract(contract_value=Decimal(contract_value))
    valuation = value(contract, quarter=Quarter(2025, 1))
    assert valuation.obligation.below_threshold is bool(warnings)
    assert valuation.warnings == warnings


def test_a_ruleset_without_discount_blocks_gives_no_discount(tmp_path: Path) -> None:
    path = tmp_path / "zonderkorting-2025.yaml"
    path.write_text(
        """\
id: zonderkorting-2025
family: zonderkorting
title: "Zonder korting"
source: "tests/test_valuation_edges.py"
valid_from: 2025-01-01
obligation: {default_percentage: 5, capital_intensive_percentage: 2, threshold: 100000}
discounts: {max_rate: 50, labour_component_only: false}
invoice_block: "1"
blocks:
  - {code: "1", kind: invoice, label: "Inkoop sociale onderneming"}
""",
        encoding="utf-8",
    )
    ruleset = load_ruleset_file(path)
    contract = make_contract(ruleset_id=ruleset.id, pso_level=3, label="Werkpakt")
    figures = compute_obligation(contract, ruleset)
    assert (figures.discount_rate, figures.discount, figures.net_obligation) == (0, 0, 50_000)


# --- sections 2 and 4: days and dates -----------------------------------------------------------


def test_an_invoice_dated_on_the_valuation_date_counts() -> None:
    contract = make_contract()
    valuation = value(contract, invoice_line(date(2025, 3, 31), "1"), quarter=Quarter(2025, 1))
    assert valuation.realized_to_date == 1
    assert valuation.by_block == {"9": Decimal(1)}
    assert valuation.by_quarter == {Quarter(2025, 1): Decimal(1)}


def test_hours_count_under_their_block() -> None:
    contract = make_contract()
    facts = HourFacts(date(2025, 3, 4), "Gastles", Decimal("2.5"), Decimal(0), "J. Smit")
    hours = CheckedLine(
        LineKind.HOURS,
        Provenance("q.xlsx", "MVO", 6),
        LineStatus.ACCEPTED,
        (),
        (),
        "15",
        "h",
        facts,
    )
    valuation = value(contract, hours, quarter=Quarter(2025, 1))
    assert valuation.by_block == {"15": Decimal(250)}


def test_the_first_day_of_a_quarter_counts_in_that_quarter() -> None:
    # WIA (block 7, 30,000 a year), 2025-02-01..2025-04-01: 59 days in Q1 and 1 in Q2.
    contract = make_contract()
    line = placement_line("7", date(2025, 2, 1), end=date(2025, 4, 1))
    valuation = value(contract, line, quarter=Quarter(2025, 2))
    assert {q: round_cents(v) for q, v in valuation.by_quarter.items()} == {
        Quarter(2025, 1): Decimal("4849.32"),  # 30,000 x 59 / 365
        Quarter(2025, 2): Decimal("82.19"),  # 30,000 x 1 / 365
    }
    assert valuation.realized_quarter == Decimal(30_000) / 365


def test_the_one_fte_warning_names_the_days_and_the_fte_lost() -> None:
    contract = make_contract()
    first = placement_line("7", date(2025, 1, 1), fte="0.7")
    second = placement_line("8", date(2025, 3, 1), fte="0.5", end=date(2025, 3, 31))
    portfolio = value_portfolio(
        [contract],
        CATALOG,
        [stored(contract, first, 1), stored(contract, second, 2)],
        Quarter(2025, 1),
    )
    (valuation,) = portfolio.contracts
    assert valuation.lines[2].warnings == [
        "deze persoon telt op 31 dag(en) al mee in een andere plaatsing; tot 0,20 fte niet "
        "geteld (één persoon, één fte)"
    ]
    assert valuation.lines[1].warnings == []
    assert [(line_id, v.line_id) for line_id, v in valuation.lines.items()] == [(1, 1), (2, 2)]


def test_placements_are_served_by_start_date_before_contract_id() -> None:
    # One person, 0.6 fte on contract B from 2025-01-01 and 0.6 fte on contract A from
    # 2025-02-01 (WIA, 30,000 a year): B started first and keeps its 0.6; A gets the 0.4 left.
    a, b = make_contract("A"), make_contract("B")
    lines = [
        stored(a, placement_line("7", date(2025, 2, 1), fte="0.6")),
        stored(b, placement_line("7", date(2025, 1, 1), fte="0.6")),
    ]
    portfolio = value_portfolio([a, b], CATALOG, lines, Quarter(2025, 1))
    by_id = {v.contract.contract_id: v for v in portfolio.contracts}
    assert round_cents(by_id["B"].realized_to_date) == Decimal("4438.36")  # 0.6 x 90 days
    assert round_cents(by_id["A"].realized_to_date) == Decimal("1939.73")  # 0.4 x 59 days


def test_lines_of_a_contract_no_longer_registered_are_left_out() -> None:
    kept, dropped = make_contract("TW-1"), make_contract("TW-OUD")
    lines = [
        stored(kept, invoice_line(date(2025, 2, 1), "100")),
        stored(dropped, invoice_line(date(2025, 2, 1), "200")),
        stored(dropped, placement_line("7", date(2025, 1, 1))),
    ]
    portfolio = value_portfolio([kept], CATALOG, lines, Quarter(2025, 1))
    assert [c.contract.contract_id for c in portfolio.contracts] == ["TW-1"]
    assert portfolio.contracts[0].realized_to_date == 100


# --- section 3: bonuses on the amount, not on their timing ----------------------------------------


def test_a_bonus_that_is_not_pro_rata_counts_in_full_at_part_time() -> None:
    contract = make_contract()
    line = placement_line("7", date(2025, 1, 1), fte="0.5", permanent=True)
    valuation = value(contract, line, quarter=Quarter(2025, 4))
    assert valuation.by_block["16"] == 10_000


def test_a_fixed_block_also_earns_its_bonuses() -> None:
    contract = make_contract()
    line = placement_line("13", date(2025, 2, 1), fte="0.5", permanent=True)
    valuation = value(contract, line, quarter=Quarter(2025, 4))
    assert valuation.by_block == {"13": Decimal(12_500), "16": Decimal(10_000)}


# --- the value stage ----------------------------------------------------------------------------


def test_the_value_stage_gives_each_checked_line_its_euro_terms(tmp_path: Path) -> None:
    bsn = valid_bsns(2, start=300_000_000)
    path = write_submission(
        tmp_path / "q1.xlsx",
        contract_id="C1",
        placements=[
            placement(bsn[0], Doelgroep="WIA", Dienstverband="vast", **{"Uren per week": 18}),
            placement(bsn[1], Doelgroep="13", **{"Uren per week": 18}),
            placement(bsn[1], Doelgroep="NUG", Geboortedatum=date(1990, 1, 1), Bewijs="brief"),
        ],
        purchases=[purchase("F-1", **{"Bedrag excl. BTW": "1.000,00"})],
        hours=[{"Datum": date(2025, 3, 4), "Activiteit": "Gastles", "Uren": 3}],
    )
    contract = make_contract("C1", contractor_kvk="12345678")
    checked = validate_submission(
        parse_submission_workbook(path, ReadLimits()),
        contract,
        TWENTE,
        KnownEvidence(),
        Pseudonymizer(b"v" * 32),
    )
    half = Decimal("0.5")
    assert [(v.line.status, v.components) for v in value_lines(checked, TWENTE)] == [
        (
            LineStatus.ACCEPTED,
            (
                Component(ComponentKind.PLACEMENT, "7", Decimal(30_000), half, None),
                Component(ComponentKind.BONUS, "16", Decimal(10_000), half),
            ),
        ),
        (
            LineStatus.ACCEPTED,
            (Component(ComponentKind.FIXED, "13", Decimal(12_500), half),),
        ),
        (LineStatus.REJECTED, ()),  # too old for NUG: worth nothing, though its facts are known
        (LineStatus.ACCEPTED, (Component(ComponentKind.INVOICE, "9", Decimal(1000)),)),
        (LineStatus.PENDING, (Component(ComponentKind.HOURS, "15", Decimal(300)),)),
    ]


# --- section 6 and the report's figures -----------------------------------------------------------


def test_a_contract_valuation_counts_its_lines_by_status() -> None:
    contract = make_contract()
    lines = [
        invoice_line(date(2025, 2, 1), "100"),
        invoice_line(date(2025, 2, 2), "100"),
        invoice_line(date(2025, 2, 3), "100", LineStatus.PENDING),
        placement_line("7", date(2025, 1, 1), status=LineStatus.REJECTED),
    ]
    valuation = value(contract, *lines, quarter=Quarter(2025, 1))
    assert valuation.line_counts == {
        LineStatus.ACCEPTED: 2,
        LineStatus.REJECTED: 1,
        LineStatus.PENDING: 1,
    }
    assert valuation.ruleset.id == "twente-2016"
    empty = value(contract, quarter=Quarter(2025, 1))
    assert empty.line_counts == {status: 0 for status in LineStatus}


def test_the_portfolio_names_its_quarter_and_finds_contracts_by_id() -> None:
    portfolio: PortfolioValuation = value_portfolio(
        [make_contract("TW-2")], CATALOG, [], Quarter(2025, 3)
    )
    assert (portfolio.quarter, portfolio.as_of) == (Quarter(2025, 3), date(2025, 9, 30))
    found = portfolio.contract("TW-2")
    assert found is not None and found.contract.contract_id == "TW-2"
    assert portfolio.contract("TW-3") is None


# --- section 8: categories per quarter, the municipal split, the forecast -------------------------


def hours_line(day: date, hours: str) -> CheckedLine:
    facts = HourFacts(day, "Gastles", Decimal(hours), Decimal(0), "J. Smit")
    return CheckedLine(
        LineKind.HOURS,
        Provenance("q.xlsx", "MVO", 6),
        LineStatus.ACCEPTED,
        (),
        (),
        "15",
        "h",
        facts,
    )


def test_the_value_per_quarter_is_split_into_categories() -> None:
    # WIA 30,000 a year from 2025-03-02: 30 days in Q1 and 91 in Q2; with the permanent-contract
    # bonus (10,000) in Q1. Invoices of 600 and 400 in Q2, 3 hours (300) in Q1.
    contract = make_contract()
    lines = [
        invoice_line(date(2025, 5, 1), "999", LineStatus.PENDING),  # no value, first in line
        placement_line("7", date(2025, 1, 1), status=LineStatus.REJECTED),
        placement_line("7", date(2025, 3, 2), permanent=True),
        invoice_line(date(2025, 5, 1), "600"),
        invoice_line(date(2025, 6, 2), "400"),
        hours_line(date(2025, 3, 4), "3"),
    ]
    valuation = value(contract, *lines, quarter=Quarter(2025, 2))
    q1, q2 = Quarter(2025, 1), Quarter(2025, 2)
    assert valuation.by_quarter_category == {
        q1: {
            Category.PLACEMENTS: Decimal(30_000) * 30 / 365 + 10_000,
            Category.PURCHASES: 0,
            Category.ACTIVITIES: Decimal(300),
        },
        q2: {
            Category.PLACEMENTS: Decimal(30_000) * 91 / 365,
            Category.PURCHASES: Decimal(1000),
            Category.ACTIVITIES: 0,
        },
    }
    assert valuation.by_category == {
        Category.PLACEMENTS: Decimal(30_000) * 121 / 365 + 10_000,
        Category.PURCHASES: Decimal(1000),
        Category.ACTIVITIES: Decimal(300),
    }


def test_a_municipality_gets_its_share_per_quarter_and_category() -> None:
    shares = (MunicipalShare("Enschede", Decimal("0.6")), MunicipalShare("Hengelo", Decimal("0.4")))
    joint = make_contract("JOINT", shares=shares)
    solo = make_contract("SOLO")
    lines = [
        stored(joint, invoice_line(date(2025, 2, 1), "1000")),
        stored(joint, hours_line(date(2025, 4, 2), "2")),
        stored(solo, invoice_line(date(2025, 5, 1), "500")),
    ]
    portfolio = value_portfolio([joint, solo], CATALOG, lines, Quarter(2025, 2))
    enschede, hengelo = portfolio.municipalities
    assert (enschede.municipality, hengelo.municipality) == ("Enschede", "Hengelo")
    assert enschede.by_quarter() == {
        Quarter(2025, 1): {Category.PLACEMENTS: 0, Category.PURCHASES: 600, Category.ACTIVITIES: 0},
        Quarter(2025, 2): {
            Category.PLACEMENTS: 0,
            Category.PURCHASES: 500,
            Category.ACTIVITIES: 120,
        },
    }
    assert hengelo.by_quarter() == {
        Quarter(2025, 1): {Category.PLACEMENTS: 0, Category.PURCHASES: 400, Category.ACTIVITIES: 0},
        Quarter(2025, 2): {Category.PLACEMENTS: 0, Category.PURCHASES: 0, Category.ACTIVITIES: 80},
    }
    assert [enschede.category_total(c) for c in Category] == [0, 1100, 120]
    assert [hengelo.category_total(c) for c in Category] == [0, 400, 80]


def test_the_forecast_adds_every_running_placement_of_the_contract() -> None:
    # Two people on WIA (30,000 a year) from 2026-10-01, at 1 and 0.5 fte, valued on 2026-12-31
    # of a contract that runs to 2027-03-31: each still earns 90 days.
    contract = make_contract(end_date=date(2027, 3, 31))
    lines = [
        placement_line("7", date(2026, 10, 1), person="Bp1"),
        placement_line("7", date(2026, 10, 1), person="Bp2", fte="0.5"),
    ]
    valuation = value(contract, *lines, quarter=Quarter(2026, 4))
    assert valuation.future_by_quarter == {
        Quarter(2027, 1): Decimal(30_000) * 90 / 365 + Decimal(15_000) * 90 / 365
    }


def test_a_placement_starting_on_the_valuation_date_is_forecast() -> None:
    # WIA from 2025-03-31 on a contract ending 2025-06-30: valued on 2025-03-31 it has counted
    # one day and will count the 91 days of Q2.
    contract = make_contract(end_date=date(2025, 6, 30))
    valuation = value(contract, placement_line("7", date(2025, 3, 31)), quarter=Quarter(2025, 1))
    assert valuation.realized_to_date == Decimal(30_000) / 365
    assert valuation.future_by_quarter == {Quarter(2025, 2): Decimal(30_000) * 91 / 365}
    assert round_cents(valuation.forecast_at_end) == Decimal("7561.64")  # 30,000 x 92 / 365


def test_a_portfolio_without_contracts_is_empty() -> None:
    portfolio = value_portfolio([], CATALOG, [], Quarter(2025, 1))
    assert (portfolio.contracts, portfolio.municipalities) == ([], [])
