"""VALUATION.md section 9, the edge cases as decided, one test each (and section 3's fixed
amount that starts after the contract)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domain.periods import Quarter
from domain.pseudonym import Pseudonymizer
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.lines import contract_lines
from flows.quarter import summary
from parsers.grid import Provenance
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from rulesets import load_catalog
from sroi import app
from tests.builders import (
    contract_row,
    make_contract,
    placement,
    purchase,
    valid_bsns,
    write_invoice_pdf,
    write_register,
    write_submission,
)
from validators.known import KnownEvidence, KnownLine
from validators.lines import CheckedLine, LineKind, LineStatus, PlacementFacts
from validators.submission import CheckedSubmission, validate_submission
from valuation.accrual import StoredLine
from valuation.components import ValuedLine, components_of
from valuation.portfolio import value_portfolio

CATALOG = load_catalog()
PSEUDO = Pseudonymizer(b"e" * 32)
BSN = valid_bsns(3, start=400_000_000)


def check(
    tmp_path: Path,
    ruleset_id: str = "twente-2016",
    known: KnownEvidence | None = None,
    **tables: list[dict[str, object]],
) -> CheckedSubmission:
    path = write_submission(tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx", **tables)  # type: ignore[arg-type]
    ruleset = CATALOG.by_id(ruleset_id)
    assert ruleset is not None
    contract = make_contract("C1", ruleset_id=ruleset_id)
    parsed = parse_submission_workbook(path, ReadLimits())
    return validate_submission(parsed, contract, ruleset, known or KnownEvidence(), PSEUDO)


def test_hours_and_invoices_outside_the_contract_period_are_rejected(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        purchases=[purchase("F-1", Factuurdatum=date(2027, 1, 4))],
        hours=[{"Datum": date(2024, 12, 31), "Activiteit": "Gastles", "Uren": 2,
                "Goedgekeurd door": "J. Smit"}],
    )  # fmt: skip
    assert [(line.status, line.reasons) for line in result.lines] == [
        (
            LineStatus.REJECTED,
            ("factuurdatum 04-01-2027 valt buiten de contractperiode (01-01-2025 t/m 31-12-2026)",),
        ),
        (
            LineStatus.REJECTED,
            (
                "activiteitdatum 31-12-2024 valt buiten de contractperiode "
                "(01-01-2025 t/m 31-12-2026)",
            ),
        ),
    ]


@pytest.mark.slow
def test_a_re_listed_invoice_row_with_an_approval_approves_the_pending_line(
    tmp_path: Path, prefect_api: str
) -> None:
    duo = "DUO-2025-002"
    home = Home(tmp_path / "home")
    app.init_home(home)
    write_register(
        home.root / "contracts.xlsx",
        [contract_row(duo, Gemeente="Diemen", Opdrachtsom=400_000, Regeling="duoplus")],
    )
    row = purchase("SW-7", Factuurdatum=date(2025, 5, 12), **{"Bedrag excl. BTW": 2000})
    write_submission(home.inbox / duo / "Q2.xlsx", contract_id=duo, purchases=[row])
    write_invoice_pdf(
        home.inbox / duo / "SW-7.pdf", number="SW-7", day="12-05-2025", excl="2.000,00",
        vat="420,00", total="2.420,00",
    )  # fmt: skip
    ingest_inbox(home=str(home.root), as_of=date(2025, 7, 10))
    (waiting,) = contract_lines(home, duo, None, date(2025, 7, 10))[1]
    assert waiting.status is LineStatus.PENDING

    approved_row = row | {"Goedgekeurd door": "R. de Boer (gemeente Diemen)"}
    write_submission(home.inbox / duo / "Q3.xlsx", contract_id=duo, purchases=[approved_row])
    ingest_inbox(home=str(home.root), as_of=date(2025, 10, 10))
    (line,) = contract_lines(home, duo, None, date(2025, 10, 10))[1]
    assert (line.line_id, line.status) == (waiting.line_id, LineStatus.ACCEPTED)
    assert line.approved_by == "R. de Boer (gemeente Diemen)"
    # the value stays in the quarter of the invoice date
    assert summary(home, Quarter(2025, 2))["contracts"][0]["realized_quarter"] == 2000.0
    assert summary(home, Quarter(2025, 3))["contracts"][0]["realized_quarter"] == 0.0


@pytest.mark.parametrize("status", [LineStatus.PENDING, LineStatus.ACCEPTED])
def test_an_invoice_counted_under_another_contract_is_a_duplicate(
    tmp_path: Path, status: LineStatus
) -> None:
    first = check(tmp_path, purchases=[purchase("F-9")]).lines[0]
    elsewhere = KnownLine(
        line_id=4,
        contract_id="TW-2025-777",
        kind=LineKind.PURCHASE,
        identity=first.identity,
        status=status,
        fingerprint=first.fingerprint,
        provenance=Provenance("lijst.xlsx", "Inkoop", 5),
        block_code=first.block_code,
        facts=first.facts,
        from_pdf=False,
    )
    (again,) = check(tmp_path, known=KnownEvidence((elsewhere,)), purchases=[purchase("F-9")]).lines
    assert again.status is LineStatus.REJECTED
    assert again.reasons == (
        "factuur F-9 van Sociaal Werkbedrijf Twente B.V. is al ingediend (lijst.xlsx, blad "
        "Inkoop, rij 5, contract TW-2025-777) en telt één keer",
    )


def test_months_are_calendar_months_with_end_of_month_clamping(tmp_path: Path) -> None:
    """DuoPlus WW counts after more than 6 months of benefit: since 31-08-2024 plus 6 months is
    28-02-2025, so a start on 28-02-2025 is too early and one on 01-03-2025 is in time."""
    rows = [
        placement(BSN[0], Doelgroep="WW", Startdatum=date(2025, 2, 28),
                  **{"Uitkering sinds": date(2024, 8, 31)}),
        placement(BSN[1], Doelgroep="WW", Startdatum=date(2025, 3, 1),
                  **{"Uitkering sinds": date(2024, 8, 31)}),
    ]  # fmt: skip
    early, in_time = check(tmp_path, "duoplus-2024", placements=rows).lines
    assert early.status is LineStatus.REJECTED
    assert early.reasons == (
        "uitkeringsduur bij start (uitkering sinds 31-08-2024) past niet bij blok 3 (WW): "
        "vereist > 6 maanden",
    )
    assert in_time.status is LineStatus.ACCEPTED


def test_a_29_february_birthday_falls_on_28_february(tmp_path: Path) -> None:
    """DuoPlus BOL is for people under 23 at the start: someone born on 29-02-2000 turns 23 on
    28-02-2023."""
    rows = [
        placement(BSN[0], Geboortedatum=date(2000, 2, 29), Doelgroep="7",
                  Startdatum=date(2023, 2, 27), Einddatum=date(2025, 7, 1)),
        placement(BSN[1], Geboortedatum=date(2000, 2, 29), Doelgroep="7",
                  Startdatum=date(2023, 2, 28), Einddatum=date(2025, 7, 1)),
    ]  # fmt: skip
    young, turned = check(tmp_path, "duoplus-2024", placements=rows).lines
    assert isinstance(young.facts, PlacementFacts) and young.facts.age_at_start == 22
    assert young.status is LineStatus.ACCEPTED
    assert turned.status is LineStatus.REJECTED
    assert turned.reasons[0].startswith("leeftijd bij start (23 jaar) past niet bij blok 7")


def _placement(block: str, fte: str, line_id: int) -> StoredLine:
    facts = PlacementFacts(
        person_key="Bsame",
        initials="S.",
        start_date=date(2025, 3, 3),
        end_date=None,
        fte=Decimal(fte),
        hours_per_week=None,
        age_at_start=40,
        permanent=False,
        refugee=False,
        special_group=True,
        evidence_ref=None,
        benefit_since=None,
        note=None,
    )
    line = CheckedLine(
        LineKind.PLACEMENT,
        Provenance("p.xlsx", "Plaatsingen", line_id),
        LineStatus.ACCEPTED,
        (),
        (),
        block,
        f"p|Bsame|{block}",
        facts,
    )
    ruleset = CATALOG.by_id("duoplus-2024")
    assert ruleset is not None
    return StoredLine(line_id, "D1", ValuedLine(line, components_of(line, ruleset)))


def test_a_pro_rata_bonus_uses_the_fte_of_the_placement_served_first() -> None:
    """Two placements of one person start the same day on one contract: bonus 13 (bijzondere
    doelgroep, EUR 5,000 x fte) goes with the placement served first, block 1 before block 2
    (the order of the ruleset table), whatever order the lines were stored in."""
    contract = make_contract("D1", ruleset_id="duoplus-2024")
    for lines in (
        [_placement("2", "0.8", 1), _placement("1", "0.2", 2)],
        [_placement("1", "0.2", 1), _placement("2", "0.8", 2)],
    ):
        valued = value_portfolio([contract], CATALOG, lines, Quarter(2025, 1))
        (result,) = valued.contracts
        assert result.by_block["13"] == Decimal("1000.0")  # 5,000 x 0.2


def test_a_fixed_amount_that_starts_after_the_contract_is_rejected(tmp_path: Path) -> None:
    rows = [placement(BSN[2], Doelgroep="23", Startdatum=date(2027, 1, 4))]
    (line,) = check(tmp_path, placements=rows).lines
    assert line.status is LineStatus.REJECTED
    assert line.reasons == (
        "startdatum 04-01-2027 ligt na het einde van het contract (31-12-2026); blok 23 "
        "(Infra-Werkt) telt op de startdatum",
    )
