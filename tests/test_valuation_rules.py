"""VALUATION.md sections 1-6, one rule per test, euros computed by hand in the comments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.contracts import Contract, MunicipalShare
from domain.dutch import round_cents
from domain.periods import Quarter
from parsers.grid import Provenance
from rulesets import RulesetCatalog, load_catalog
from rulesets.catalog import BUILTIN_DIR
from tests.builders import make_contract
from tests.lines import CATALOG, placed
from tests.lines import stored_line as stored
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PurchaseFacts,
)
from valuation.accrual import StoredLine
from valuation.components import ValuedLine, components_of
from valuation.obligation import compute_obligation
from valuation.portfolio import ContractValuation, value_portfolio
from valuation.progress import ContractStatus


def cents(value: Decimal) -> Decimal:
    return round_cents(value)


def invoiced(
    contract: Contract, block: str, day: date, amount: str, status: LineStatus
) -> StoredLine:
    facts = PurchaseFacts("SW B.V.", None, "F1", day, Decimal(amount), None, None)
    line = CheckedLine(
        LineKind.PURCHASE, Provenance("f.xlsx", "Inkoop", 2), status, (), (), block, "i|F1", facts
    )
    return stored(contract, line)


def value(
    contracts: list[Contract], lines: list[StoredLine], quarter: Quarter
) -> list[ContractValuation]:
    return value_portfolio(contracts, CATALOG, lines, quarter).contracts


# --- section 1: obligation and discount -------------------------------------------------------


def test_obligation_uses_the_registered_percentage_else_the_rulesets() -> None:
    twente = CATALOG.by_id("twente-2016")
    assert twente is not None
    assert (
        compute_obligation(make_contract(sroi_percentage=Decimal(7)), twente).obligation == 70_000
    )
    default = make_contract(sroi_percentage=None)
    assert compute_obligation(default, twente).obligation == 50_000
    capital = make_contract(sroi_percentage=None, capital_intensive=True)
    assert compute_obligation(capital, twente).obligation == 20_000


def test_below_threshold_the_obligation_stands_with_a_warning() -> None:
    small = make_contract(contract_value=Decimal(80_000))
    valuation = value([small], [], Quarter(2025, 1))[0]
    assert valuation.obligation.obligation == 4_000
    assert valuation.obligation.below_threshold
    assert valuation.warnings[0].startswith("onder drempel")


def test_discounts_are_not_added_the_highest_rate_applies() -> None:
    twente = CATALOG.by_id("twente-2016")
    assert twente is not None
    both = make_contract(pso_level=2, label="Werkpakt")  # 25% and 50% -> 50%, not 75%
    figures = compute_obligation(both, twente)
    assert figures.discount_rate == 50
    assert figures.discount == 25_000 and figures.net_obligation == 25_000


def test_label_discount_pro_rata_to_its_validity() -> None:
    twente = CATALOG.by_id("twente-2016")
    assert twente is not None
    # 730 contract days, label valid 2025-01-01..2025-12-31 = 365 days: 25% x 50,000 x 1/2
    half = make_contract(pso_level=2, pso_valid_until=date(2025, 12, 31))
    assert compute_obligation(half, twente).discount == Decimal("6250")


def test_duoplus_discount_on_the_labour_component_only() -> None:
    duoplus = CATALOG.by_id("duoplus-2024")
    assert duoplus is not None
    # 5% of 400,000 = 20,000; PSO 3 = 50% of the labour share 60%: 6,000
    contract = make_contract(
        contract_value=Decimal(400_000),
        ruleset_id="duoplus-2024",
        pso_level=3,
        labour_share=Decimal("0.6"),
    )
    figures = compute_obligation(contract, duoplus)
    assert figures.discount == 6_000 and figures.net_obligation == 14_000
    twente = CATALOG.by_id("twente-2016")
    assert twente is not None
    whole = make_contract(pso_level=3, labour_share=Decimal("0.6"))  # Twente ignores the share
    assert compute_obligation(whole, twente).discount == 25_000


# --- section 2: placements --------------------------------------------------------------------


def test_days_before_the_contract_start_do_not_count() -> None:
    contract = make_contract()
    line = placed(contract, "7", date(2024, 11, 1), end=date(2025, 1, 31))  # WIA, 30,000/yr
    valuation = value([contract], [line], Quarter(2025, 1))[0]
    assert cents(valuation.realized_to_date) == cents(Decimal(30_000) * 31 / 365)  # 2,547.95


def test_count_window_is_not_restarted_by_a_new_placement() -> None:
    contract = make_contract()
    # block 5 (WW, 10,000/yr, 1 jaar): window 2025-01-01..2025-12-31
    first = placed(contract, "5", date(2025, 1, 1), end=date(2025, 6, 30))
    again = placed(contract, "5", date(2025, 10, 1))
    valuation = value([contract], [first, again], Quarter(2026, 2))[0]
    first_value = valuation.lines[first.line_id].to_date
    again_value = valuation.lines[again.line_id].to_date
    assert cents(first_value) == cents(Decimal(10_000) * 181 / 365)
    assert cents(again_value) == cents(Decimal(10_000) * 92 / 365)  # Oct-Dec 2025 only


def test_unlimited_period_counts_until_the_placement_ends() -> None:
    contract = make_contract()
    line = placed(contract, "8", date(2025, 1, 1))  # Wajong, altijd, 35,000/yr
    valuation = value([contract], [line], Quarter(2026, 4))[0]
    assert cents(valuation.realized_to_date) == cents(Decimal(35_000) * 730 / 365)


def test_one_person_counts_at_most_one_fte_over_all_contracts() -> None:
    a, b = make_contract("A"), make_contract("B")
    first = placed(a, "7", date(2025, 1, 1), fte="0.6")
    second = placed(b, "7", date(2025, 2, 1), fte="0.6")
    by_id = {v.contract.contract_id: v for v in value([a, b], [first, second], Quarter(2025, 1))}
    # A: 0.6 x 30,000 x 90/365; B: only 0.4 fte fits, 59 days (Feb-Mar)
    assert cents(by_id["A"].realized_to_date) == cents(Decimal("0.6") * 30_000 * 90 / 365)
    assert cents(by_id["B"].realized_to_date) == cents(Decimal("0.4") * 30_000 * 59 / 365)
    warning = by_id["B"].lines[second.line_id].warnings[0]
    assert "één persoon, één fte" in warning and "0,20 fte" in warning


def test_pending_and_rejected_placements_count_nothing() -> None:
    contract = make_contract()
    rejected = placed(contract, "7", date(2025, 1, 1), status=LineStatus.REJECTED)
    assert value([contract], [rejected], Quarter(2025, 1))[0].realized_to_date == 0


# --- section 3: one-time amounts --------------------------------------------------------------


def test_bonus_once_per_person_per_contract() -> None:
    contract = make_contract()
    first = placed(contract, "1", date(2025, 1, 1), end=date(2025, 3, 31), permanent=True)
    second = placed(contract, "2", date(2025, 5, 1), permanent=True)
    valuation = value([contract], [first, second], Quarter(2025, 2))[0]
    assert valuation.by_block["16"] == 10_000  # vast dienstverband, not pro rata, once
    assert valuation.lines[first.line_id].by_block["16"] == 10_000
    assert "al geteld bij regel" in valuation.lines[second.line_id].warnings[0]


def test_refugee_bonus_pro_rata_in_the_quarter_of_the_first_counted_day() -> None:
    contract = make_contract()
    line = placed(contract, "7", date(2025, 5, 1), fte="0.5", refugee=True)
    valuation = value([contract], [line], Quarter(2025, 2))[0]
    assert valuation.by_block["18"] == Decimal("2500.0")
    assert valuation.by_quarter[Quarter(2025, 2)] >= Decimal(2500)


def test_fixed_amount_once_per_person_in_the_quarter_of_the_start() -> None:
    contract = make_contract()
    first = placed(contract, "13", date(2025, 4, 1), fte="0.5")  # 25,000 x 0.5
    twice = placed(contract, "13", date(2025, 7, 1), fte="1")
    infra = placed(contract, "23", date(2025, 4, 1), fte="0.5", person="Bother")  # not pro rata
    valuation = value([contract], [first, twice, infra], Quarter(2025, 3))[0]
    assert valuation.by_block["13"] == Decimal("12500.0")
    assert valuation.by_block["23"] == 2500
    assert valuation.by_quarter == {Quarter(2025, 2): Decimal("15000.0")}


# --- section 4: invoices and hours ------------------------------------------------------------


def test_invoice_counts_in_the_quarter_of_its_date_and_pending_not_at_all() -> None:
    contract = make_contract()
    accepted = invoiced(contract, "9", date(2025, 5, 12), "1250.50", LineStatus.ACCEPTED)
    pending = invoiced(contract, "9", date(2025, 5, 13), "999", LineStatus.PENDING)
    valuation = value([contract], [accepted, pending], Quarter(2025, 2))[0]
    assert valuation.realized_quarter == Decimal("1250.50")
    assert value([contract], [accepted], Quarter(2025, 1))[0].realized_to_date == 0


def test_hours_times_rate_travel_hours_excluded() -> None:
    contract = make_contract()
    facts = HourFacts(date(2025, 3, 4), "Gastles", Decimal("2.5"), Decimal(1), "J. Smit")
    line = CheckedLine(
        LineKind.HOURS,
        Provenance("f.xlsx", "MVO", 2),
        LineStatus.ACCEPTED,
        (),
        (),
        "15",
        "h|x",
        facts,
    )
    valuation = value([contract], [stored(contract, line)], Quarter(2025, 1))[0]
    assert valuation.realized_to_date == 250


# --- section 5: progress, status, fine --------------------------------------------------------


@pytest.mark.parametrize(
    ("fte", "quarter", "status"),
    [
        ("1", Quarter(2024, 4), ContractStatus.NOT_STARTED),
        # expected on 2025-03-31: 50,000 x 90/730 = 6,164.38
        ("1", Quarter(2025, 1), ContractStatus.ON_SCHEDULE),  # 40,000 x 90/365 = 9,863.01
        ("0.5", Quarter(2025, 1), ContractStatus.ATTENTION),  # 4,931.51 >= 75% (4,623.29)
        ("0.4", Quarter(2025, 1), ContractStatus.BEHIND),  # 3,945.21 < 4,623.29
        ("1", Quarter(2026, 3), ContractStatus.REALISED),  # 40,000 x 638/365 > 50,000
    ],
)
def test_status_first_rule_that_applies(fte: str, quarter: Quarter, status: ContractStatus) -> None:
    contract = make_contract()
    line = placed(contract, "2", date(2025, 1, 1), fte=fte)
    assert value([contract], [line], quarter)[0].status is status


def test_ended_short_gives_the_unrealised_amount_as_fine() -> None:
    contract = make_contract(end_date=date(2025, 12, 31))
    line = placed(contract, "2", date(2025, 1, 1), end=date(2025, 6, 30))  # 40,000 x 181/365
    valuation = value([contract], [line], Quarter(2026, 1))[0]
    assert valuation.status is ContractStatus.ENDED_SHORT
    assert cents(valuation.fine) == cents(Decimal(50_000) - Decimal(40_000) * 181 / 365)
    assert valuation.remaining == valuation.fine
    assert valuation.expected_to_date == 50_000


# --- section 6: municipalities ----------------------------------------------------------------


def test_joint_contract_split_by_shares() -> None:
    shares = (
        MunicipalShare("Enschede", Decimal("0.5")),
        MunicipalShare("Hengelo", Decimal("0.3")),
        MunicipalShare("Almelo", Decimal("0.2")),
    )
    joint = make_contract("JOINT", shares=shares)
    solo = make_contract("SOLO")
    lines = [placed(joint, "8", date(2025, 1, 1)), placed(solo, "8", date(2025, 1, 1), person="B2")]
    portfolio = value_portfolio([joint, solo], CATALOG, lines, Quarter(2025, 4))
    by_name = {m.municipality: m for m in portfolio.municipalities}
    assert [m.municipality for m in portfolio.municipalities] == ["Almelo", "Enschede", "Hengelo"]
    assert by_name["Hengelo"].net_obligation == Decimal("15000.0")
    assert by_name["Enschede"].net_obligation == Decimal("75000.0")  # 25,000 + 50,000
    assert cents(by_name["Almelo"].realized_to_date) == Decimal("7000.00")
    assert len(by_name["Enschede"].contracts) == 2


# --- rules that need a ruleset of their own -----------------------------------------------------


def _variant(
    tmp_path: Path, ruleset_id: str, change: Callable[[dict[str, Any]], None]
) -> RulesetCatalog:
    data = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    data.update(id=ruleset_id, family=ruleset_id.rsplit("-", 1)[0])
    change(data)
    (tmp_path / f"{ruleset_id}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return load_catalog([tmp_path])


def test_discount_is_capped_at_the_rulesets_maximum(tmp_path: Path) -> None:
    catalog = _variant(tmp_path, "capped-2016", lambda data: data["discounts"].update(max_rate=40))
    ruleset = catalog.by_id("capped-2016")
    assert ruleset is not None
    figures = compute_obligation(make_contract(ruleset_id="capped-2016", pso_level=3), ruleset)
    assert figures.discount_rate == 40 and figures.discount == 20_000  # 40% of 50,000, not 50%


def test_invoice_value_is_amount_times_the_blocks_rate(tmp_path: Path) -> None:
    def half_rate(data: dict[str, Any]) -> None:
        next(block for block in data["blocks"] if block["code"] == "9")["rate"] = 0.5

    catalog = _variant(tmp_path, "halfrate-2016", half_rate)
    contract = make_contract(ruleset_id="halfrate-2016")
    ruleset = catalog.by_id("halfrate-2016")
    assert ruleset is not None
    facts = PurchaseFacts("SW B.V.", None, "F1", date(2025, 5, 12), Decimal("1250.50"), None, None)
    line = CheckedLine(
        LineKind.PURCHASE,
        Provenance("f.xlsx", "Inkoop", 2),
        LineStatus.ACCEPTED,
        (),
        (),
        "9",
        "i|F1",
        facts,
    )
    valued = StoredLine(1, contract.contract_id, ValuedLine(line, components_of(line, ruleset)))
    valuation = value_portfolio([contract], catalog, [valued], Quarter(2025, 2)).contracts[0]
    assert valuation.realized_quarter == Decimal("625.250")


def test_count_window_of_two_years_ends_after_730_days() -> None:
    contract = make_contract(end_date=date(2027, 12, 31))
    line = placed(contract, "1", date(2025, 1, 1))  # Participatiewet < 2 jaar, 30,000/yr
    valuation = value([contract], [line], Quarter(2027, 4))[0]
    assert valuation.realized_to_date == 60_000  # 30,000 x 730/365, nothing after 2026-12-31
    assert Quarter(2027, 1) not in valuation.by_quarter


def test_bonus_only_on_its_listed_blocks_and_accepted_placements() -> None:
    contract = make_contract()
    # bonus 17 (>= 50 jaar) lists blocks 1, 2, 3, 5 and 6: not WIA (7)
    wia = placed(contract, "7", date(2025, 1, 1), age=55, person="Bwia")
    pending = placed(
        contract, "2", date(2025, 1, 1), age=55, person="Bpending", status=LineStatus.PENDING
    )
    valuation = value([contract], [wia, pending], Quarter(2025, 1))[0]
    assert "17" not in valuation.by_block
    assert valuation.lines[pending.line_id].to_date == 0
