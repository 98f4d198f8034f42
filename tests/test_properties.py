"""Properties that must hold for any evidence (issue 3): Hypothesis generates portfolios of
placements, invoices and hours over several contracts and checks them against the engine."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.contracts import Contract
from domain.dutch import round_cents
from domain.periods import Quarter
from parsers.grid import Provenance
from rulesets import load_catalog
from tests.builders import make_contract
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PlacementFacts,
    PurchaseFacts,
)
from valuation.accrual import StoredLine, counted_fte
from valuation.components import ValuedLine, components_of
from valuation.portfolio import value_portfolio

# Prefect's client threads from earlier tests in the session (retry jitter) touch the global
# random state while Hypothesis draws; nothing here uses `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)
CATALOG = load_catalog()
CONTRACTS = (
    make_contract("A"),
    make_contract("B", start_date=date(2025, 7, 1), end_date=date(2027, 6, 30)),
    make_contract("D", ruleset_id="duoplus-2024", pso_level=3, labour_share=Decimal("0.6")),
)
BY_ID = {contract.contract_id: contract for contract in CONTRACTS}
PLACEMENT_BLOCKS = {
    "A": ["1", "2", "5", "7", "8", "10", "13", "14", "23"],
    "D": ["1", "2", "3", "4b", "5", "8"],
}
PLACEMENT_BLOCKS["B"] = PLACEMENT_BLOCKS["A"]
FIRST, LAST = date(2024, 6, 1), date(2027, 12, 31)
QUARTERS = st.builds(Quarter, st.integers(2024, 2027), st.integers(1, 4))
_IDS = count(1)


def stored(contract: Contract, line: CheckedLine, line_id: int | None = None) -> StoredLine:
    ruleset = CATALOG.by_id(contract.ruleset_id)
    assert ruleset is not None
    valued = ValuedLine(line, components_of(line, ruleset))
    return StoredLine(line_id or next(_IDS), contract.contract_id, valued)


def placement_line(
    person: str,
    block: str,
    start: date,
    end: date | None,
    fte: Decimal,
    age: int,
    flags: tuple[bool, bool, bool],
) -> CheckedLine:
    facts = PlacementFacts(
        person_key=person,
        initials="X.",
        start_date=start,
        end_date=end,
        fte=fte,
        hours_per_week=None,
        age_at_start=age,
        permanent=flags[0],
        refugee=flags[1],
        special_group=flags[2],
        evidence_ref="b",
        benefit_since=None,
        note=None,
    )
    return CheckedLine(
        LineKind.PLACEMENT,
        Provenance("p.xlsx", "Plaatsingen", 2),
        LineStatus.ACCEPTED,
        (),
        (),
        block,
        f"p|{person}|{block}|{start}",
        facts,
    )


@st.composite
def placements(draw: st.DrawFn) -> StoredLine:
    contract = draw(st.sampled_from(CONTRACTS))
    start = draw(st.dates(FIRST, LAST))
    length = draw(st.one_of(st.none(), st.integers(0, 900)))
    end = None if length is None else start + timedelta(days=length)
    line = placement_line(
        draw(st.sampled_from(["P1", "P2", "P3", "P4"])),
        draw(st.sampled_from(PLACEMENT_BLOCKS[contract.contract_id])),
        start,
        end,
        Decimal(draw(st.integers(1, 20))) / 20,
        draw(st.integers(16, 67)),
        (draw(st.booleans()), draw(st.booleans()), draw(st.booleans())),
    )
    return stored(contract, line)


@st.composite
def invoices_and_hours(draw: st.DrawFn) -> StoredLine:
    contract = draw(st.sampled_from(CONTRACTS))
    day = draw(st.dates(FIRST, LAST))
    status = draw(st.sampled_from([LineStatus.ACCEPTED, LineStatus.PENDING]))
    if draw(st.booleans()):
        amount = Decimal(draw(st.integers(1, 5_000_000))) / 100
        facts: PurchaseFacts | HourFacts = PurchaseFacts("SW", None, "F", day, amount, None, None)
        ruleset = CATALOG.by_id(contract.ruleset_id)
        assert ruleset is not None
        kind, block = LineKind.PURCHASE, ruleset.invoice_block
    else:
        hours = Decimal(draw(st.integers(1, 80))) / 2
        facts = HourFacts(day, "Gastles", hours, Decimal(1), None)
        kind, block = LineKind.HOURS, ("15" if contract.ruleset_id == "twente-2016" else "10")
    line = CheckedLine(kind, Provenance("f.xlsx", "x", 2), status, (), (), block, None, facts)
    return stored(contract, line)


portfolios = st.lists(st.one_of(placements(), invoices_and_hours()), max_size=14)


@settings(max_examples=150, deadline=None)
@given(portfolios, QUARTERS)
def test_no_value_is_negative(lines: list[StoredLine], quarter: Quarter) -> None:
    portfolio = value_portfolio(list(CONTRACTS), CATALOG, lines, quarter)
    for valuation in portfolio.contracts:
        amounts = [
            valuation.realized_to_date,
            valuation.realized_quarter,
            valuation.remaining,
            valuation.expected_to_date,
            valuation.fine,
            valuation.obligation.net_obligation,
            valuation.obligation.discount,
            *valuation.by_block.values(),
        ]
        assert all(amount >= 0 for amount in amounts)
        for value in valuation.lines.values():
            assert all(amount >= 0 for amount in value.by_quarter.values())


@settings(max_examples=150, deadline=None)
@given(st.lists(placements(), max_size=12), st.dates(FIRST, LAST))
def test_a_person_counts_at_most_one_fte_on_any_day(lines: list[StoredLine], as_of: date) -> None:
    segments = counted_fte(list(CONTRACTS), lines, as_of)
    person_of = {s.line_id: s.valued.line.facts.person_key for s in lines}  # type: ignore[union-attr]
    per_person: dict[str, list[tuple[date, date, Decimal]]] = defaultdict(list)
    for line_id, parts in segments.items():
        for part in parts:
            per_person[person_of[line_id]].append((part.days.first, part.days.last, part.fte))
    for spans in per_person.values():
        for day in {first for first, _, _ in spans} | {last for _, last, _ in spans}:
            assert sum(fte for first, last, fte in spans if first <= day <= last) <= 1


@settings(max_examples=150, deadline=None)
@given(st.lists(placements(), max_size=8), placements(), st.integers(0, 899), QUARTERS)
def test_splitting_a_placement_never_raises_its_value(
    others: list[StoredLine], whole: StoredLine, cut: int, quarter: Quarter
) -> None:
    facts = whole.valued.line.facts
    assert isinstance(facts, PlacementFacts)
    end = facts.end_date or LAST
    if end <= facts.start_date:
        return
    middle = facts.start_date + timedelta(days=cut % (end - facts.start_date).days)
    contract = BY_ID[whole.contract_id]
    first_half = replace(whole.valued.line, facts=replace(facts, end_date=middle))
    second_start = middle + timedelta(days=1)
    second_half = replace(
        whole.valued.line,
        facts=replace(facts, start_date=second_start),
        identity=f"split|{second_start}",
    )
    single = value_portfolio(list(CONTRACTS), CATALOG, [*others, whole], quarter)
    split_lines = [
        *others,
        stored(contract, first_half, whole.line_id),
        stored(contract, second_half),
    ]
    split = value_portfolio(list(CONTRACTS), CATALOG, split_lines, quarter)
    before = single.contract(whole.contract_id)
    after = split.contract(whole.contract_id)
    assert before is not None and after is not None
    whole_value = before.lines[whole.line_id].to_date
    halves = after.lines[whole.line_id].to_date + after.lines[split_lines[-1].line_id].to_date
    assert halves <= whole_value + Decimal("1e-18")


@settings(max_examples=100, deadline=None)
@given(portfolios, QUARTERS, st.randoms(use_true_random=False))
def test_the_order_of_submission_does_not_change_totals(
    lines: list[StoredLine], quarter: Quarter, shuffler: object
) -> None:
    """The one-FTE rule serves equal start dates by contract id, then block (VALUATION.md
    section 2), never by submission order: any order of the lines gives the same euros. (Only
    the same placement twice, which the validators reject as a double row, is left out.)"""
    placements_seen = [
        (s.contract_id, s.valued.line.identity)
        for s in lines
        if isinstance(s.valued.line.facts, PlacementFacts)
    ]
    if len(placements_seen) != len(set(placements_seen)):
        return
    reordered = [StoredLine(index + 1, s.contract_id, s.valued) for index, s in enumerate(lines)]
    shuffler.shuffle(reordered)  # type: ignore[attr-defined]
    renumbered = [
        StoredLine(index + 1, s.contract_id, s.valued) for index, s in enumerate(reordered)
    ]
    first = value_portfolio(list(CONTRACTS), CATALOG, lines, quarter)
    second = value_portfolio(list(CONTRACTS), CATALOG, renumbered, quarter)
    for one, other in zip(first.contracts, second.contracts, strict=True):
        # Sums of 28-digit decimals in another order may differ in the last digit, never in cents.
        assert round_cents(one.realized_to_date) == round_cents(other.realized_to_date)
        assert round_cents(one.realized_quarter) == round_cents(other.realized_quarter)
        assert {k: round_cents(v) for k, v in one.by_block.items()} == {
            k: round_cents(v) for k, v in other.by_block.items()
        }


def _quarters_through(last: Quarter) -> list[Quarter]:
    quarters, quarter = [], Quarter(2024, 1)
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


@st.composite
def overlapping_placements(draw: st.DrawFn) -> list[StoredLine]:
    """One person placed twice on a contract, the second placement starting while the first
    runs: the one-FTE rule leaves the second little or nothing for a while, which is where a
    bonus's quarter and a count window's end are easy to get wrong."""
    contract = draw(st.sampled_from(CONTRACTS))
    blocks = PLACEMENT_BLOCKS[contract.contract_id]
    first_start = draw(st.dates(FIRST, date(2026, 12, 31)))
    first_length = draw(st.integers(20, 400))
    second_start = first_start + timedelta(days=draw(st.integers(0, first_length)))
    second_end = draw(st.one_of(st.none(), st.integers(0, 500)))
    age = draw(st.sampled_from([30, 52, 58]))
    flags = (draw(st.booleans()), draw(st.booleans()), draw(st.booleans()))
    fte = st.sampled_from([Decimal("0.5"), Decimal("0.8"), Decimal(1)])
    first = placement_line(
        "P9",
        draw(st.sampled_from(blocks)),
        first_start,
        first_start + timedelta(days=first_length),
        draw(fte),
        age,
        flags,
    )
    second = placement_line(
        "P9",
        draw(st.sampled_from(blocks)),
        second_start,
        None if second_end is None else second_start + timedelta(days=second_end),
        draw(fte),
        age,
        flags,
    )
    return [stored(contract, first), stored(contract, second)]


@settings(max_examples=400, deadline=None)
@given(portfolios, overlapping_placements(), QUARTERS)
def test_the_quarters_add_up_and_a_later_valuation_never_moves_an_earlier_quarter(
    others: list[StoredLine], overlapping: list[StoredLine], last: Quarter
) -> None:
    """Each quarter's report counts what that quarter holds, and nothing twice: the quarters'
    values add up to the value to date, and valuing a later quarter changes no earlier quarter
    (a bonus stays in the quarter of its placement's first counted day, VALUATION.md 3)."""
    lines = [*others, *overlapping]
    quarters = _quarters_through(last)
    valued = {q: value_portfolio(list(CONTRACTS), CATALOG, lines, q) for q in quarters}
    final = valued[last]
    for contract in final.contracts:
        contract_id = contract.contract.contract_id
        reported = [valued[q].contract(contract_id) for q in quarters]
        total = sum((r.realized_quarter for r in reported if r is not None), Decimal(0))
        assert round_cents(total) == round_cents(contract.realized_to_date)
        for quarter, report in zip(quarters, reported, strict=True):
            assert report is not None
            for earlier, amount in report.by_quarter.items():
                later = contract.by_quarter.get(earlier, Decimal(0))
                assert round_cents(later) == round_cents(amount), (contract_id, quarter, earlier)
