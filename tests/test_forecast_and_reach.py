"""VALUATION.md section 8: the forecast to the contract's end, the split into placements,
purchases and activities, and the people placed, each computed by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.contracts import Contract, MunicipalShare
from domain.dutch import round_cents
from domain.periods import Quarter
from parsers.grid import Provenance
from reporting.summary import summary_document
from tests.builders import make_contract
from tests.lines import CATALOG, placed, stored_line
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PurchaseFacts,
)
from valuation.accrual import StoredLine
from valuation.portfolio import ContractValuation, PortfolioValuation, value_portfolio
from valuation.reach import Category


def invoiced(contract: Contract, block: str, day: date, amount: str) -> StoredLine:
    facts = PurchaseFacts("SW B.V.", None, f"F{day}", day, Decimal(amount), "M. de Boer", None)
    line = CheckedLine(
        LineKind.PURCHASE,
        Provenance("f.xlsx", "Inkoop", 2),
        LineStatus.ACCEPTED,
        (),
        (),
        block,
        f"i|F{day}",
        facts,
    )
    return stored_line(contract, line)


def activity(contract: Contract, block: str, day: date, hours: str) -> StoredLine:
    facts = HourFacts(day, "Gastles", Decimal(hours), Decimal(0), "M. de Boer")
    line = CheckedLine(
        LineKind.HOURS,
        Provenance("f.xlsx", "MVO", 2),
        LineStatus.ACCEPTED,
        (),
        (),
        block,
        f"h|{day}",
        facts,
    )
    return stored_line(contract, line)


def portfolio(contracts: list[Contract], lines: list[StoredLine], q: Quarter) -> PortfolioValuation:
    return value_portfolio(contracts, CATALOG, lines, q)


def valued(contracts: list[Contract], lines: list[StoredLine], q: Quarter) -> ContractValuation:
    return portfolio(contracts, lines, q).contracts[0]


def euros(amount: Decimal) -> Decimal:
    return round_cents(amount)


# --- forecast_at_end -------------------------------------------------------------------------


def test_a_running_placement_is_capped_by_its_count_window() -> None:
    """Twente block 5 (WW, EUR 10,000, 1 jaar) from 01-03-2025, no end. Window 01-03-2025 ..
    28-02-2026 (365 days). As of 30-06-2025: 122 days realised = 3,342.47; the remaining 243
    days of the window = 6,657.53; forecast exactly one year: 10,000.00. The contract runs
    until 31-12-2026, but the window ends first."""
    contract = make_contract()
    valuation = valued([contract], [placed(contract, "5", date(2025, 3, 1))], Quarter(2025, 2))
    assert euros(valuation.realized_to_date) == Decimal("3342.47")
    assert euros(valuation.forecast_at_end) == Decimal("10000.00")
    assert euros(valuation.forecast_shortfall) == Decimal("40000.00")  # 50,000 - 10,000
    assert {str(q): euros(a) for q, a in valuation.future_by_quarter.items()} == {
        "2025Q3": euros(Decimal(10_000) * 92 / 365),
        "2025Q4": euros(Decimal(10_000) * 92 / 365),
        "2026Q1": euros(Decimal(10_000) * 59 / 365),  # 01-01 .. 28-02-2026
    }


def test_a_running_placement_is_capped_by_the_contract_end() -> None:
    """Twente block 2 (EUR 40,000, 2 jaar) at 0.5 FTE from 01-01-2026, no end; the contract ends
    31-12-2026, long before the window (730 days). As of 31-03-2026: 90 days = 4,931.51;
    forecast 365 days = 20,000.00."""
    contract = make_contract()
    line = placed(contract, "2", date(2026, 1, 1), fte="0.5")
    valuation = valued([contract], [line], Quarter(2026, 1))
    assert euros(valuation.realized_to_date) == Decimal("4931.51")
    assert euros(valuation.forecast_at_end) == Decimal("20000.00")


def test_a_running_placement_is_capped_by_its_own_end() -> None:
    """Block 2 from 01-01-2026 until 30-06-2026: 91 days after 31-03-2026, 181 days in all:
    40,000 x 181 / 365 = 19,835.62."""
    contract = make_contract()
    line = placed(contract, "2", date(2026, 1, 1), end=date(2026, 6, 30))
    valuation = valued([contract], [line], Quarter(2026, 1))
    assert euros(valuation.forecast_at_end) == Decimal("19835.62")


def test_the_one_fte_rule_holds_on_future_days() -> None:
    """One person: contract A (to 31-12-2026) block 7 (WIA, EUR 30,000) at 0.8 FTE from
    01-01-2025; contract B (to 31-12-2027) block 8 (Wajong, EUR 35,000) at 0.5 FTE from
    01-02-2025. A is served first (earlier start), B gets 0.2 FTE while A runs and its full
    0.5 once contract A has ended.
    A: 730 days x 0.8 x 30,000 / 365 = 48,000.00.
    B as of 30-06-2025: 150 days x 0.2 x 35,000 / 365 = 2,876.71; then 01-07-2025..31-12-2026
    (549 days) at 0.2 = 10,528.77 and 2027 (365 days) at 0.5 = 17,500.00: 30,905.48."""
    a = make_contract("A")
    b = make_contract("B", end_date=date(2027, 12, 31))
    lines = [
        placed(a, "7", date(2025, 1, 1), fte="0.8", person="Bsame"),
        placed(b, "8", date(2025, 2, 1), fte="0.5", person="Bsame"),
    ]
    by_id = {
        v.contract.contract_id: v for v in portfolio([a, b], lines, Quarter(2025, 2)).contracts
    }
    assert euros(by_id["A"].forecast_at_end) == Decimal("48000.00")
    assert euros(by_id["B"].realized_to_date) == Decimal("2876.71")
    assert euros(by_id["B"].forecast_at_end) == Decimal("30905.48")


def test_a_window_opened_by_an_ended_placement_is_not_restarted() -> None:
    """Block 5 from 06-01-2025 to 31-03-2025, then again from 01-06-2025 with no end. The
    window runs 06-01-2025 .. 05-01-2026; as of 30-06-2025 the second placement still has
    01-07-2025 .. 05-01-2026 = 189 days: 10,000 x 189 / 365 = 5,178.08 on top of what was
    realised (85 + 30 days = 3,150.68)."""
    contract = make_contract()
    lines = [
        placed(contract, "5", date(2025, 1, 6), end=date(2025, 3, 31)),
        placed(contract, "5", date(2025, 6, 1)),
    ]
    valuation = valued([contract], lines, Quarter(2025, 2))
    assert euros(valuation.realized_to_date) == Decimal("3150.68")
    assert euros(valuation.forecast_at_end - valuation.realized_to_date) == Decimal("5178.08")


def test_nothing_new_is_assumed() -> None:
    """Ended placements, placements that start after D, rejected placements, invoices and
    bonuses add nothing to the forecast: only the running placement's future days do."""
    contract = make_contract()
    lines = [
        placed(contract, "7", date(2025, 1, 1), end=date(2025, 5, 31), person="Bended"),
        placed(contract, "7", date(2025, 8, 1), person="Blater"),
        placed(contract, "7", date(2025, 1, 1), person="Brejected", status=LineStatus.REJECTED),
        placed(contract, "10", date(2025, 4, 1), person="Brunning", permanent=True),
        invoiced(contract, "9", date(2025, 5, 12), "1250.50"),
    ]
    valuation = valued([contract], lines, Quarter(2025, 2))
    # only block 10 (BBL, EUR 15,000, duration of the study) runs on: 01-07-2025..31-12-2026
    future = valuation.forecast_at_end - valuation.realized_to_date
    assert euros(future) == euros(Decimal(15_000) * 549 / 365)
    assert valuation.by_block["16"] == 10_000  # the permanent-contract bonus, counted once


def test_an_ended_contract_forecasts_what_it_realised() -> None:
    contract = make_contract(end_date=date(2025, 6, 30))
    valuation = valued([contract], [placed(contract, "8", date(2025, 1, 1))], Quarter(2025, 4))
    assert valuation.forecast_at_end == valuation.realized_to_date
    assert euros(valuation.forecast_at_end) == euros(Decimal(35_000) * 181 / 365)
    assert valuation.future_by_quarter == {}


# --- by_category, people -----------------------------------------------------------------------


def test_categories_add_up_to_the_value_to_date() -> None:
    """Placement 7 + bonus 16 are placements, block 9 purchases, block 15 activities (hours,
    approved: 3 x 100)."""
    contract = make_contract()
    lines = [
        placed(contract, "7", date(2025, 1, 1), permanent=True),
        invoiced(contract, "9", date(2025, 2, 3), "1234.56"),
        activity(contract, "15", date(2025, 3, 4), "3"),
    ]
    valuation = valued([contract], lines, Quarter(2025, 1))
    placements = Decimal(30_000) * 90 / 365 + 10_000
    assert valuation.by_category == {
        Category.PLACEMENTS: placements,
        Category.PURCHASES: Decimal("1234.56"),
        Category.ACTIVITIES: Decimal(300),
    }
    assert sum(valuation.by_category.values()) == valuation.realized_to_date
    document = summary_document(portfolio([contract], lines, Quarter(2025, 1)), {})
    assert document["contracts"][0]["by_category"] == {
        "plaatsingen": float(euros(placements)),
        "inkoop": 1234.56,
        "activiteiten": 300.0,
    }


def test_people_are_distinct_persons_who_counted_a_day() -> None:
    """Twente: person P1 in block 1 (Participatiewet) and later block 7: one person, of the
    Participatiewet. P2 in block 5, whose only placement starts after D: not placed yet. P3 in
    block 3 (doelgroepregister, marked Participatiewet in Twente). P4 rejected. P5 in block 23
    (Infra-Werkt, a fixed amount): placed. Three people, two of the Participatiewet."""
    contract = make_contract()
    lines = [
        placed(contract, "1", date(2025, 1, 1), end=date(2025, 2, 28), person="P1"),
        placed(contract, "7", date(2025, 3, 1), person="P1"),
        placed(contract, "5", date(2025, 7, 1), person="P2"),
        placed(contract, "3", date(2025, 5, 1), person="P3"),
        placed(contract, "2", date(2025, 1, 1), person="P4", status=LineStatus.REJECTED),
        placed(contract, "23", date(2025, 6, 1), person="P5"),
    ]
    valuation = valued([contract], lines, Quarter(2025, 2))
    assert (valuation.people, valuation.people_participatiewet) == (3, 2)


def test_a_placement_without_a_counted_day_places_nobody() -> None:
    """P7's only placement lies before the contract: no counted day, nobody placed. P8's block-5
    window (1 year from 06-01-2025) ended on 05-01-2026, so a new placement from 02-03-2026
    counts no day; P8 is still one person, placed by the first placement."""
    contract = make_contract()
    before = placed(contract, "7", date(2024, 6, 1), end=date(2024, 12, 31), person="P7")
    assert valued([contract], [before], Quarter(2025, 1)).people == 0
    window_used = [
        placed(contract, "5", date(2025, 1, 6), end=date(2025, 3, 31), person="P8"),
        placed(contract, "5", date(2026, 3, 2), person="P8"),
    ]
    valuation = valued([contract], [before, *window_used], Quarter(2026, 2))
    assert valuation.lines[window_used[1].line_id].first_counted is None
    assert valuation.people == 1


def test_duoplus_marks_blocks_1_and_2_as_participatiewet() -> None:
    contract = make_contract(ruleset_id="duoplus-2024")
    lines = [
        placed(contract, "1", date(2025, 1, 1), person="D1"),
        placed(contract, "2", date(2025, 1, 1), person="D2"),
        placed(contract, "4", date(2025, 1, 1), person="D3"),
    ]
    valuation = valued([contract], lines, Quarter(2025, 1))
    assert (valuation.people, valuation.people_participatiewet) == (3, 2)


def test_municipal_people_count_whole_and_once() -> None:
    """A joint contract (Enschede 60%, Hengelo 40%) and an Enschede contract place the same
    person: Enschede counts 1 person, Hengelo 1, the region 1. Money goes by share."""
    joint = make_contract(
        "J",
        shares=(
            MunicipalShare("Enschede", Decimal("0.6")),
            MunicipalShare("Hengelo", Decimal("0.4")),
        ),
    )
    own = make_contract("E")
    lines = [
        placed(joint, "7", date(2025, 1, 1), fte="0.5", person="Bsame"),
        placed(own, "8", date(2025, 1, 1), fte="0.5", person="Bsame"),
        placed(own, "1", date(2025, 1, 1), fte="0.5", person="Bother"),
    ]
    result = portfolio([joint, own], lines, Quarter(2025, 1))
    municipalities = {m.municipality: m for m in result.municipalities}
    assert municipalities["Enschede"].people == 2
    assert municipalities["Hengelo"].people == 1
    assert municipalities["Enschede"].people_participatiewet == 1
    joint_value = result.contracts[1].forecast_at_end  # contracts sorted by id: E, J
    assert municipalities["Hengelo"].forecast_at_end == joint_value * Decimal("0.4")
    document = summary_document(result, {})
    enschede = next(m for m in document["municipalities"] if m["municipality"] == "Enschede")
    assert enschede["people"] == 2
    expected = result.contracts[0].forecast_at_end + joint_value * Decimal("0.6")
    assert enschede["forecast_at_end"] == float(euros(expected))
