"""The validate stage rule by rule: every fact a line carries, every Dutch reason and warning
with its exact text, and the boundaries of each rule (a day, a month, a cent).

Written against mutation testing (docs/testing.md): each test pins an outcome a coordinator or
contractor sees, so that removing or bending a check fails a test. Re-submissions of lines the
ledger already holds (unchanged, new versions, re-claimed invoices) are left to their own tests.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from domain.contracts import Contract
from domain.pseudonym import Pseudonymizer
from parsers.grid import Provenance
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.register import read_register
from parsers.submission import parse_submission_workbook
from rulesets import load_catalog
from rulesets.catalog import load_ruleset_file
from rulesets.model import Ruleset
from rulesets.vocabulary import TableKind, builtin_vocabulary
from tests.builders import (
    HOUR_HEADERS,
    PLACEMENT_HEADERS,
    PURCHASE_HEADERS,
    contract_row,
    make_contract,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
    write_table,
)
from validators.approval import NotAwaitingApproval, approve
from validators.known import KnownEvidence, KnownLine
from validators.lines import (
    CheckedLine,
    HourFacts,
    LineKind,
    LineStatus,
    PlacementFacts,
    PurchaseFacts,
)
from validators.messages import SchemaDefect, column_message, row_check_message, validate_rows
from validators.placements import placement_identity
from validators.rows import read_tables
from validators.schemas import MODELS
from validators.submission import CheckedSubmission, validate_submission

CATALOG = load_catalog()
PSEUDO = Pseudonymizer(b"r" * 32)
BSN = valid_bsns(6, start=200_000_000)
KVK = "12345678"
"""The contractor's KvK number (personnel numbers are keyed by it)."""

TWENTE_APPROVAL = (
    "wacht op goedkeuring: blok 15 (MVO-activiteiten) vereist goedkeuring "
    "(kolom 'Goedgekeurd door' of sroi approve)"
)
DUOPLUS_APPROVAL = (
    "wacht op goedkeuring: blok 11 (Inzet SW bedrijven) vereist goedkeuring door de "
    "contactpersoon social return (kolom 'Goedgekeurd door' of sroi approve)"
)
DUOPLUS_COPY = (
    "kopie factuur ontbreekt: blok 11 vereist de factuur als PDF in de inbox van dit contract"
)

# A region of our own: a placement block whose benefit must be at most 6 months old ('lte'),
# an invoice block, and no block for MVO hours.
TEST_REGION = """\
id: testregio-2025
family: testregio
title: "Testregio 2025"
source: "tests/test_validator_rules.py"
valid_from: 2025-01-01
fulltime_hours: 40
obligation: {default_percentage: 5, capital_intensive_percentage: 2, threshold: 100000}
discounts: {max_rate: 50, labour_component_only: false}
invoice_block: "2"
blocks:
  - code: "1"
    kind: placement
    label: "Kort in de WW"
    annual_value: 12000
    count_period: "1 jaar"
    eligibility:
      benefit_months: {lte: 6}
  - code: "2"
    kind: invoice
    label: "Inkoop sociale onderneming"
"""


def ruleset(ruleset_id: str) -> Ruleset:
    found = CATALOG.by_id(ruleset_id)
    assert found is not None
    return found


def own_region(tmp_path: Path) -> Ruleset:
    path = tmp_path / "rulesets" / "testregio-2025.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEST_REGION, encoding="utf-8")
    return load_ruleset_file(path)


def contract_for(rules: Ruleset, contract_id: str = "C1") -> Contract:
    return make_contract(contract_id, ruleset_id=rules.id, contractor_kvk=KVK)


def submit(
    tmp_path: Path,
    *,
    rules: Ruleset | None = None,
    known: KnownEvidence | None = None,
    name: str = "q3.xlsx",
    placement_headers: tuple[str, ...] = PLACEMENT_HEADERS,
    **tables: list[dict[str, Any]],
) -> CheckedSubmission:
    """Write a workbook as a contractor does, parse it and validate it for contract C1."""
    rules = rules or ruleset("twente-2016")
    path = write_submission(
        tmp_path / name,
        contract_id="C1",
        placement_headers=placement_headers,
        **tables,  # type: ignore[arg-type]
    )
    parsed = parse_submission_workbook(path, ReadLimits())
    return validate_submission(parsed, contract_for(rules), rules, known or KnownEvidence(), PSEUDO)


def only(result: CheckedSubmission) -> CheckedLine:
    assert len(result.lines) == 1
    return result.lines[0]


def is_digest(fingerprint: str) -> bool:
    """A line's fingerprint is a digest of its content: 32 hex digits."""
    return re.fullmatch(r"[0-9a-f]{32}", fingerprint) is not None


def assert_line(line: CheckedLine, expected: CheckedLine) -> None:
    """The whole line as expected, with a content digest as its fingerprint. Its match keys
    (how a later corrected row finds it) belong to the corrections' own tests."""
    assert is_digest(line.fingerprint)
    assert replace(line, fingerprint="", match_keys=()) == expected


def person(bsn: str) -> str:
    return PSEUDO.person_by_bsn(bsn)


# --- placements: the facts of a line --------------------------------------------------------


def test_a_placement_row_carries_every_fact_it_gives(tmp_path: Path) -> None:
    row = placement(
        BSN[0],
        Naam="Jan Pieter de Vries",
        Geboortedatum=date(1970, 3, 15),
        Doelgroep="WW > 1 jaar",
        Startdatum=date(2025, 3, 1),
        Einddatum=date(2025, 12, 31),
        **{
            "Uren per week": 18,
            "Dienstverband": "Vast dienstverband",
            "Uitkering sinds": date(2023, 1, 15),
            "Statushouder": "ja",
            "Bijzondere doelgroep": "ja",
            "Bewijs": "UWV-brief 2023",
            "Opmerking": "via Werkplein",
        },
    )
    line = only(submit(tmp_path, placements=[row]))
    facts = PlacementFacts(
        person_key=person(BSN[0]),
        initials="J.P.d.V.",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 12, 31),
        fte=Decimal("0.5"),
        hours_per_week=Decimal(18),
        age_at_start=54,
        permanent=True,
        refugee=True,
        special_group=True,
        evidence_ref="UWV-brief 2023",
        benefit_since=date(2023, 1, 15),
        note="via Werkplein",
    )
    assert_line(
        line,
        CheckedLine(
            kind=LineKind.PLACEMENT,
            provenance=Provenance("q3.xlsx", "Plaatsingen", 6),
            status=LineStatus.ACCEPTED,
            reasons=(),
            warnings=(),
            block_code="6",
            identity=placement_identity(person(BSN[0]), "6", date(2025, 3, 1)),
            facts=facts,
            raw_summary={
                "Initialen": "J.P.d.V.",
                "Doelgroep": "WW > 1 jaar",
                "Startdatum": "01-03-2025",
                "Einddatum": "31-12-2025",
                "Uren per week": "18",
            },
        ),
    )


def test_blank_flags_and_a_temporary_contract_give_no_bonus_facts(tmp_path: Path) -> None:
    line = only(submit(tmp_path, placements=[placement(BSN[0], Statushouder=None)]))
    assert isinstance(line.facts, PlacementFacts)
    facts = line.facts
    assert (facts.permanent, facts.refugee, facts.special_group) == (False, False, False)
    assert (facts.evidence_ref, facts.benefit_since, facts.note) == (None, None, None)
    assert facts.end_date is None


@pytest.mark.parametrize(
    "employment", ["vast", "Vast dienstverband", "onbepaalde tijd", "Permanent", "ja"]
)
def test_every_way_of_writing_a_permanent_contract(tmp_path: Path, employment: str) -> None:
    line = only(submit(tmp_path, placements=[placement(BSN[0], Dienstverband=employment)]))
    assert isinstance(line.facts, PlacementFacts) and line.facts.permanent is True


@pytest.mark.parametrize("employment", ["tijdelijk", "bepaalde tijd", "vast-ish", None])
def test_anything_else_is_not_a_permanent_contract(tmp_path: Path, employment: str | None) -> None:
    line = only(submit(tmp_path, placements=[placement(BSN[0], Dienstverband=employment)]))
    assert isinstance(line.facts, PlacementFacts) and line.facts.permanent is False


def test_a_personnel_number_without_a_name_gives_no_initials(tmp_path: Path) -> None:
    row = placement("", Personeelsnummer="P-0042", Naam=None, Einddatum=date(2025, 6, 30))
    line = only(submit(tmp_path, placements=[row]))
    assert line.status is LineStatus.ACCEPTED
    assert isinstance(line.facts, PlacementFacts)
    assert line.facts.person_key == PSEUDO.person_by_personnel_number(KVK, "P-0042")
    assert line.facts.initials == ""
    assert line.raw_summary == {
        "Doelgroep": "Participatiewet > 2 jaar",
        "Startdatum": "01-02-2025",
        "Einddatum": "30-06-2025",
        "Uren per week": "36",
    }


def test_initials_are_kept_to_twelve_characters(tmp_path: Path) -> None:
    headers = (*PLACEMENT_HEADERS, "Initialen")
    rows = [
        placement(BSN[0], Naam="Maria Johanna Wilhelmina Petronella van den Berg"),
        placement(BSN[1], Naam="Piet Jansen", Initialen="A.B.C.D.E.F.G."),
        placement(BSN[2], Naam="Piet Jansen", Initialen="K.L."),
    ]
    lines = submit(tmp_path, placement_headers=headers, placements=rows).lines
    initials = [line.facts.initials for line in lines if isinstance(line.facts, PlacementFacts)]
    assert initials == ["M.J.W.P.v.d.", "A.B.C.D.E.F.", "K.L."]


# --- placements: FTE ----------------------------------------------------------------------------


def test_fte_from_hours_per_week_and_full_time_is_no_warning(tmp_path: Path) -> None:
    rows = [placement(BSN[0], **{"Uren per week": 18}), placement(BSN[1])]
    half, full = submit(tmp_path, placements=rows).lines
    assert isinstance(half.facts, PlacementFacts) and isinstance(full.facts, PlacementFacts)
    assert (half.facts.fte, half.facts.hours_per_week) == (Decimal("0.5"), Decimal(18))
    assert (full.facts.fte, full.warnings) == (Decimal(1), ())


def test_a_given_fte_is_used_as_written(tmp_path: Path) -> None:
    row = placement(BSN[0], **{"Uren per week": None, "FTE": "0,8"})
    line = only(submit(tmp_path, placements=[row]))
    assert isinstance(line.facts, PlacementFacts)
    assert (line.facts.fte, line.facts.hours_per_week) == (Decimal("0.8"), None)
    assert line.warnings == ()
    assert line.raw_summary["FTE"] == "0,8"


def test_a_given_fte_above_one_counts_as_one_with_a_warning(tmp_path: Path) -> None:
    row = placement(BSN[0], **{"Uren per week": None, "FTE": "1,2"})
    line = only(submit(tmp_path, placements=[row]))
    assert isinstance(line.facts, PlacementFacts) and line.facts.fte == 1
    assert line.warnings == ("FTE 1,2 is meer dan voltijd (36 uur); geteld als 1 fte",)


def test_full_time_hours_come_from_the_ruleset(tmp_path: Path) -> None:
    rules = own_region(tmp_path)
    row = placement(BSN[0], Doelgroep="Kort in de WW", **{"Uren per week": 44})
    line = only(submit(tmp_path, rules=rules, placements=[row]))
    assert line.warnings == ("44 uur per week is meer dan voltijd (40 uur); geteld als 1 fte",)


# --- placements: contract period ------------------------------------------------------------

OUTSIDE = "plaatsing valt buiten de contractperiode en telt niet mee"


@pytest.mark.parametrize(
    ("start", "end", "warnings"),
    [
        (date(2024, 6, 1), date(2024, 12, 31), (OUTSIDE,)),  # ended before the contract
        (date(2024, 6, 1), date(2025, 1, 1), ()),  # its last day is the contract's first
        (date(2026, 12, 31), None, ()),  # starts on the contract's last day
        (date(2027, 1, 4), None, (OUTSIDE,)),  # starts after the contract
        (date(2024, 6, 1), None, ()),  # runs into the contract
    ],
)
def test_a_placement_outside_the_contract_period_gets_a_warning(
    tmp_path: Path, start: date, end: date | None, warnings: tuple[str, ...]
) -> None:
    row = placement(BSN[0], Doelgroep="WIA", Startdatum=start, Einddatum=end)
    line = only(submit(tmp_path, placements=[row]))
    assert (line.status, line.warnings) == (LineStatus.ACCEPTED, warnings)


@pytest.mark.parametrize(
    ("start", "reasons"),
    [
        (date(2026, 12, 31), ()),  # the contract's last day still counts
        (
            date(2027, 1, 1),
            (
                "startdatum 01-01-2027 ligt na het einde van het contract (31-12-2026); blok 13 "
                "(VSO/PrO leerling krijgt baan na uitstroom) telt op de startdatum",
            ),
        ),
    ],
)
def test_a_fixed_amount_counts_on_a_start_up_to_the_contracts_last_day(
    tmp_path: Path, start: date, reasons: tuple[str, ...]
) -> None:
    row = placement(BSN[0], Doelgroep="13", Startdatum=start)
    line = only(submit(tmp_path, placements=[row]))
    assert (line.reasons, line.warnings) == (reasons, ())
    assert line.status is (LineStatus.REJECTED if reasons else LineStatus.ACCEPTED)


def test_a_one_day_placement_is_not_an_end_before_its_start(tmp_path: Path) -> None:
    row = placement(BSN[0], Einddatum=date(2025, 2, 1))
    line = only(submit(tmp_path, placements=[row]))
    assert (line.status, line.reasons) == (LineStatus.ACCEPTED, ())


# --- placements: eligibility ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "reasons"),
    [
        (date(2023, 2, 2), ()),  # 23 months and 30 days at the start
        (
            date(2023, 2, 1),  # 24 months to the day: not '< 2 jaar'
            (
                "uitkeringsduur bij start (uitkering sinds 01-02-2023) past niet bij blok 1 "
                "(Participatiewet < 2 jaar): vereist < 24 maanden",
            ),
        ),
    ],
)
def test_participatiewet_below_two_years_to_the_day(
    tmp_path: Path, since: date, reasons: tuple[str, ...]
) -> None:
    row = placement(BSN[0], Doelgroep="1", **{"Uitkering sinds": since})
    line = only(submit(tmp_path, placements=[row]))
    assert line.reasons == reasons


@pytest.mark.parametrize(
    ("since", "status"),
    [(date(2024, 2, 2), LineStatus.ACCEPTED), (date(2024, 2, 1), LineStatus.REJECTED)],
)
def test_ww_below_one_year_to_the_day(tmp_path: Path, since: date, status: LineStatus) -> None:
    row = placement(BSN[0], Doelgroep="WW < 1 jaar", **{"Uitkering sinds": since})
    assert only(submit(tmp_path, placements=[row])).status is status


@pytest.mark.parametrize(
    ("since", "reasons"),
    [
        (date(2024, 8, 1), ()),  # exactly 6 months: 'at most 6' holds
        (date(2024, 9, 15), ()),
        (
            date(2024, 7, 31),
            (
                "uitkeringsduur bij start (uitkering sinds 31-07-2024) past niet bij blok 1 "
                "(Kort in de WW): vereist <= 6 maanden",
            ),
        ),
    ],
)
def test_a_benefit_of_at_most_six_months_to_the_day(
    tmp_path: Path, since: date, reasons: tuple[str, ...]
) -> None:
    rules = own_region(tmp_path)
    row = placement(BSN[0], Doelgroep="Kort in de WW", **{"Uitkering sinds": since})
    line = only(submit(tmp_path, rules=rules, placements=[row]))
    assert line.reasons == reasons


def test_a_rejected_placement_still_names_its_block_and_facts(tmp_path: Path) -> None:
    row = placement(BSN[0], Doelgroep="NUG", Geboortedatum=date(1990, 1, 1), Bewijs="brief")
    line = only(submit(tmp_path, placements=[row]))
    assert line.status is LineStatus.REJECTED
    assert line.block_code == "14"
    assert line.identity == placement_identity(person(BSN[0]), "14", date(2025, 2, 1))
    assert isinstance(line.facts, PlacementFacts) and line.facts.age_at_start == 35


# --- placements: rows that cannot be valued ---------------------------------------------------


def test_a_row_with_a_bad_cell_is_rejected_with_what_it_says(tmp_path: Path) -> None:
    row = placement(BSN[0], Einddatum=date(2025, 9, 30), **{"Uren per week": 0})
    line = only(submit(tmp_path, placements=[row]))
    assert_line(
        line,
        CheckedLine(
            kind=LineKind.PLACEMENT,
            provenance=Provenance("q3.xlsx", "Plaatsingen", 6),
            status=LineStatus.REJECTED,
            reasons=("Uren per week moet groter zijn dan 0",),
            warnings=(),
            block_code="2",
            identity=placement_identity(person(BSN[0]), "2", date(2025, 2, 1)),
            facts=None,
            raw_summary={
                "Initialen": "J.d.V.",
                "Doelgroep": "Participatiewet > 2 jaar",
                "Startdatum": "01-02-2025",
                "Einddatum": "30-09-2025",
                "Uren per week": "0",
            },
        ),
    )


def test_an_unknown_target_group_names_no_block(tmp_path: Path) -> None:
    row = placement(BSN[0], Doelgroep="Stagiair HBO", **{"Uren per week": None, "FTE": 0.6})
    line = only(submit(tmp_path, placements=[row]))
    assert (line.status, line.block_code, line.identity, line.facts) == (
        LineStatus.REJECTED,
        None,
        None,
        None,
    )
    assert line.reasons == ("doelgroep 'Stagiair HBO' komt niet voor in regeling twente-2016",)
    assert line.raw_summary == {
        "Initialen": "J.d.V.",
        "Doelgroep": "Stagiair HBO",
        "Startdatum": "01-02-2025",
        "FTE": "0,6",
    }


def test_the_same_rejected_row_twice_is_also_a_double_row(tmp_path: Path) -> None:
    bad = placement(BSN[0], **{"Uren per week": 0})
    other_person = placement(BSN[1], **{"Uren per week": 0})
    first, second, third = submit(tmp_path, placements=[bad, bad, other_person]).lines
    assert first.reasons == ("Uren per week moet groter zijn dan 0",)
    assert second.reasons == (
        "Uren per week moet groter zijn dan 0",
        "dubbele regel: zelfde persoon, doelgroep en startdatum als rij 6",
    )
    assert (second.status, second.identity) == (LineStatus.REJECTED, None)
    assert third.reasons == ("Uren per week moet groter zijn dan 0",)
    assert third.identity == placement_identity(person(BSN[1]), "2", date(2025, 2, 1))


def test_a_double_row_keeps_its_own_reasons_and_loses_its_identity(tmp_path: Path) -> None:
    young = placement(BSN[0], Doelgroep="NUG", Geboortedatum=date(1990, 1, 1), Bewijs="brief")
    first, second = submit(tmp_path, placements=[young, young]).lines
    assert first.identity is not None
    assert second.identity is None
    assert second.reasons == (
        *first.reasons,
        "dubbele regel: zelfde persoon, doelgroep en startdatum als rij 6",
    )
    assert is_digest(second.fingerprint) and second.fingerprint != first.fingerprint


def test_an_empty_table_beside_a_filled_one(tmp_path: Path) -> None:
    """The contractor template has all three sheets; a contractor fills in only Inkoop."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    write_table(sheet, PLACEMENT_HEADERS, [], first_row=1)
    write_table(workbook.create_sheet("MVO"), HOUR_HEADERS, [], first_row=1)
    write_table(workbook.create_sheet("Inkoop"), PURCHASE_HEADERS, [purchase("F-1")], first_row=1)
    path = tmp_path / "alleen-inkoop.xlsx"
    workbook.save(path)
    rules = ruleset("twente-2016")
    parsed = parse_submission_workbook(path, ReadLimits())
    result = validate_submission(parsed, contract_for(rules), rules, KnownEvidence(), PSEUDO)
    assert [(line.kind, line.status) for line in result.lines] == [
        (LineKind.PURCHASE, LineStatus.ACCEPTED)
    ]


# --- purchases --------------------------------------------------------------------------------


def test_a_purchase_row_carries_every_fact_it_gives(tmp_path: Path) -> None:
    result = submit(tmp_path, purchases=[purchase("F-2025.001", Factuurdatum=date(2025, 5, 12))])
    line = only(result)
    assert (result.file, result.contract_id, result.unchanged) == ("q3.xlsx", "C1", ())
    assert line.identity is not None
    assert_line(
        replace(line, identity=None),
        CheckedLine(
            kind=LineKind.PURCHASE,
            provenance=Provenance("q3.xlsx", "Inkoop", 6),
            status=LineStatus.ACCEPTED,
            reasons=(),
            warnings=(),
            block_code="9",
            identity=None,
            facts=PurchaseFacts(
                supplier="Sociaal Werkbedrijf Twente B.V.",
                supplier_kvk="87654321",
                invoice_number="F-2025.001",
                invoice_date=date(2025, 5, 12),
                amount_excl_vat=Decimal("1250.5"),
                approved_by=None,
                invoice_copy=None,
            ),
        ),
    )


def test_a_supplier_known_only_by_kvk_has_an_empty_name(tmp_path: Path) -> None:
    line = only(submit(tmp_path, purchases=[purchase("F-1", Leverancier=None)]))
    assert isinstance(line.facts, PurchaseFacts)
    assert (line.facts.supplier, line.facts.supplier_kvk) == ("", "87654321")
    assert line.status is LineStatus.ACCEPTED


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2026, 12, 31)])
def test_an_invoice_on_the_first_or_last_contract_day_counts(tmp_path: Path, day: date) -> None:
    line = only(submit(tmp_path, purchases=[purchase("F-1", Factuurdatum=day)]))
    assert (line.status, line.reasons) == (LineStatus.ACCEPTED, ())


def test_an_invoice_after_the_contract_is_rejected(tmp_path: Path) -> None:
    line = only(submit(tmp_path, purchases=[purchase("F-1", Factuurdatum=date(2027, 1, 1))]))
    assert line.reasons == (
        "factuurdatum 01-01-2027 valt buiten de contractperiode (01-01-2025 t/m 31-12-2026)",
    )


def test_duoplus_invoice_waits_for_approval_and_copy_in_that_order(tmp_path: Path) -> None:
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=[purchase("F-1")]))
    assert line.status is LineStatus.PENDING
    assert line.reasons == (DUOPLUS_APPROVAL, DUOPLUS_COPY)


def test_the_kind_column_picks_another_invoice_block(tmp_path: Path) -> None:
    row = purchase("S-1", Soort="SR Fonds", **{"Goedgekeurd door": "M. de Boer"})
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=[row]))
    assert (line.block_code, line.status) == ("9", LineStatus.PENDING)
    assert line.reasons == (
        "kopie factuur ontbreekt: blok 9 vereist de factuur als PDF in de inbox van dit contract",
    )


def test_an_unknown_kind_is_rejected_after_the_other_problems(tmp_path: Path) -> None:
    row = purchase("F-1", Soort="Kantoorartikelen", **{"Bedrag excl. BTW": None})
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=[row]))
    assert_line(
        line,
        CheckedLine(
            kind=LineKind.PURCHASE,
            provenance=Provenance("q3.xlsx", "Inkoop", 6),
            status=LineStatus.REJECTED,
            reasons=(
                "Bedrag excl. BTW ontbreekt",
                "soort 'Kantoorartikelen' is geen inkoopblok van regeling duoplus-2024",
            ),
            warnings=(),
            block_code=None,
            identity=None,
            facts=None,
            raw_summary={
                "Leverancier": "Sociaal Werkbedrijf Twente B.V.",
                "Factuurnummer": "F-1",
                "Factuurdatum": "12-05-2025",
                "Soort": "Kantoorartikelen",
            },
        ),
    )


def test_an_unknown_kind_alone_is_enough_to_reject(tmp_path: Path) -> None:
    line = only(submit(tmp_path, purchases=[purchase("F-1", Soort="Kantoorartikelen")]))
    assert line.reasons == ("soort 'Kantoorartikelen' is geen inkoopblok van regeling twente-2016",)


def test_a_purchase_row_with_a_bad_cell_is_rejected(tmp_path: Path) -> None:
    line = only(submit(tmp_path, purchases=[purchase("F-1", **{"Bedrag excl. BTW": 0})]))
    assert (line.status, line.reasons) == (
        LineStatus.REJECTED,
        ("Bedrag excl. BTW moet groter zijn dan 0",),
    )
    assert line.raw_summary == {
        "Leverancier": "Sociaal Werkbedrijf Twente B.V.",
        "Factuurnummer": "F-1",
        "Factuurdatum": "12-05-2025",
        "Bedrag excl. BTW": "0",
    }


def test_the_same_invoice_twice_in_a_file_whatever_the_kvk_notation(tmp_path: Path) -> None:
    rows = [
        purchase("F-7"),
        purchase("F.7", **{"KvK leverancier": "8765 4321"}),
        purchase("F-8", **{"KvK leverancier": " 8765 4321"}),
    ]
    first, second, third = submit(tmp_path, purchases=rows).lines
    assert (first.status, third.status) == (LineStatus.ACCEPTED, LineStatus.ACCEPTED)
    assert (second.status, second.reasons) == (
        LineStatus.REJECTED,
        ("dubbele factuur: staat ook op rij 6",),
    )
    assert second.identity is None


def test_without_kvk_the_supplier_name_identifies_the_invoice(tmp_path: Path) -> None:
    no_kvk = {"KvK leverancier": None}
    rows = [
        purchase("F-1", Leverancier="Werkbedrijf De Schakel B.V.", **no_kvk),
        purchase("F-1", Leverancier="Werkbedrijf de Schakel BV", **no_kvk),
        purchase("F-1", Leverancier="Leerwerkbedrijf Oost", **no_kvk),
    ]
    statuses = [line.status for line in submit(tmp_path, purchases=rows).lines]
    assert statuses == [LineStatus.ACCEPTED, LineStatus.REJECTED, LineStatus.ACCEPTED]


def test_a_double_invoice_row_has_only_the_double_reason(tmp_path: Path) -> None:
    rows = [purchase("F-1"), purchase("F-1")]
    first, second = submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=rows).lines
    assert first.reasons == (DUOPLUS_APPROVAL, DUOPLUS_COPY)
    assert second.reasons == ("dubbele factuur: staat ook op rij 6",)
    assert is_digest(second.fingerprint) and second.fingerprint != first.fingerprint


# --- purchases and the PDF invoice beside them ------------------------------------------------


def known_line(line: CheckedLine, line_id: int, contract_id: str = "C1") -> KnownLine:
    return KnownLine(
        line_id=line_id,
        contract_id=contract_id,
        kind=line.kind,
        identity=line.identity,
        status=line.status,
        fingerprint=line.fingerprint,
        provenance=line.provenance,
        block_code=line.block_code,
        facts=line.facts,
        from_pdf=line.provenance.sheet is None,
    )


def invoice(
    *,
    file: str = "factuur-2025-118.pdf",
    number: str | None = "2025-118",
    day: date | None = date(2025, 6, 3),
    excl: str | None = "1250.50",
    total: str | None = "1513.11",
    supplier: str | None = "Werkbedrijf Amstelland B.V.",
    currency: str = "EUR",
    warnings: tuple[str, ...] = (),
) -> InvoiceFields:
    """What the parsers read from a PDF invoice."""
    return InvoiceFields(
        file=file,
        pages=1,
        supplier=supplier,
        kvk="34567890",
        vat_number="NL810433941B01",
        iban="NL50INGB0683251309",
        invoice_number=number,
        invoice_date=day,
        amount_excl_vat=Decimal(excl) if excl is not None else None,
        vat=Decimal("262.61"),
        total=Decimal(total) if total is not None else None,
        currency=currency,
        warnings=warnings,
    )


def check_pdf(
    fields: InvoiceFields, rules: Ruleset | None = None, known: KnownEvidence | None = None
) -> CheckedSubmission:
    rules = rules or ruleset("twente-2016")
    return validate_submission(fields, contract_for(rules), rules, known or KnownEvidence(), PSEUDO)


def pdf_known(
    fields: InvoiceFields, rules: Ruleset, line_id: int = 40, contract_id: str = "C1"
) -> KnownLine:
    return known_line(only(check_pdf(fields, rules)), line_id, contract_id)


def test_a_pdf_invoice_becomes_a_purchase_line_of_the_invoice_block() -> None:
    warning = "IBAN NL00INGB0000000000 lijkt niet te kloppen (controle mislukt)"
    result = check_pdf(invoice(warnings=(warning,)))
    assert (result.file, result.contract_id, result.unchanged) == (
        "factuur-2025-118.pdf",
        "C1",
        (),
    )
    line = only(result)
    assert line.identity is not None
    assert_line(
        replace(line, identity=None),
        CheckedLine(
            kind=LineKind.PURCHASE,
            provenance=Provenance("factuur-2025-118.pdf"),
            status=LineStatus.ACCEPTED,
            reasons=(),
            warnings=(warning,),
            block_code="9",
            identity=None,
            facts=PurchaseFacts(
                supplier="Werkbedrijf Amstelland B.V.",
                supplier_kvk="34567890",
                invoice_number="2025-118",
                invoice_date=date(2025, 6, 3),
                amount_excl_vat=Decimal("1250.50"),
                approved_by=None,
                invoice_copy="factuur-2025-118.pdf",
            ),
        ),
    )


def test_a_pdf_without_amount_excl_vat_counts_its_total_with_a_warning() -> None:
    line = only(check_pdf(invoice(excl=None, supplier=None)))
    assert line.status is LineStatus.ACCEPTED
    assert isinstance(line.facts, PurchaseFacts)
    assert (line.facts.amount_excl_vat, line.facts.supplier) == (
        Decimal("1513.11"),
        "onbekende leverancier",
    )
    assert line.warnings == ("bedrag excl. BTW niet gevonden op de factuur; totaalbedrag gebruikt",)


def test_a_duoplus_pdf_is_its_own_copy_but_waits_for_approval() -> None:
    line = only(check_pdf(invoice(), ruleset("duoplus-2024")))
    assert (line.status, line.block_code, line.reasons) == (
        LineStatus.PENDING,
        "11",
        (DUOPLUS_APPROVAL,),
    )


def test_a_pdf_dated_outside_the_contract_is_rejected() -> None:
    line = only(check_pdf(invoice(day=date(2024, 12, 31))))
    assert line.reasons == (
        "factuurdatum 31-12-2024 valt buiten de contractperiode (01-01-2025 t/m 31-12-2026)",
    )


def test_a_pdf_missing_its_essentials_is_rejected_with_every_reason() -> None:
    note = "geen factuurnummer gevonden"
    result = check_pdf(
        invoice(number=None, day=None, excl=None, total=None, currency="USD", warnings=(note,))
    )
    assert (result.file, result.unchanged) == ("factuur-2025-118.pdf", ())
    assert_line(
        only(result),
        CheckedLine(
            kind=LineKind.PURCHASE,
            provenance=Provenance("factuur-2025-118.pdf"),
            status=LineStatus.REJECTED,
            reasons=(
                "factuur is niet in euro's (USD)",
                "factuurnummer niet gevonden op de factuur",
                "factuurdatum niet gevonden op de factuur",
                "geen bedrag gevonden op de factuur",
            ),
            warnings=(note,),
            block_code=None,
            identity=None,
            facts=None,
            raw_summary={"Factuurnummer": "", "Totaal": ""},
        ),
    )


@pytest.mark.parametrize(
    ("fields", "reasons"),
    [
        (invoice(number=None), ("factuurnummer niet gevonden op de factuur",)),
        (invoice(day=None), ("factuurdatum niet gevonden op de factuur",)),
        (invoice(currency="GBP"), ("factuur is niet in euro's (GBP)",)),
        (invoice(excl=None, total=None), ("geen bedrag gevonden op de factuur",)),
    ],
)
def test_each_missing_essential_alone_rejects_a_pdf(
    fields: InvoiceFields, reasons: tuple[str, ...]
) -> None:
    line = only(check_pdf(fields))
    assert (line.status, line.reasons) == (LineStatus.REJECTED, reasons)
    assert line.raw_summary == {
        "Factuurnummer": fields.invoice_number or "",
        "Totaal": "1513,11" if fields.total is not None else "",
    }


def test_a_pdf_is_the_copy_of_the_purchase_row_with_its_number(tmp_path: Path) -> None:
    rules = ruleset("duoplus-2024")
    row = purchase("2025-118", **{"Goedgekeurd door": "M. de Boer"})
    pending = only(submit(tmp_path, rules=rules, purchases=[row]))
    assert pending.reasons == (DUOPLUS_COPY,)
    others = (
        known_line(
            only(submit(tmp_path, name="x.xlsx", purchases=[purchase("2025-118")])), 3, "C2"
        ),
    )
    known = KnownEvidence((*others, known_line(pending, 12)))
    warning = "KvK-nummer 3456789 lijkt niet te kloppen (een KvK-nummer heeft 8 cijfers)"
    line = only(check_pdf(invoice(number="2025.118", warnings=(warning,)), rules, known))
    assert (line.kind, line.status, line.reasons, line.block_code) == (
        LineKind.PURCHASE,
        LineStatus.ACCEPTED,
        (),
        "11",
    )
    assert line.provenance == pending.provenance
    assert line.warnings == (warning,)
    assert isinstance(line.facts, PurchaseFacts) and isinstance(pending.facts, PurchaseFacts)
    assert line.facts == replace(pending.facts, invoice_copy="factuur-2025-118.pdf")


def test_a_pdf_copy_keeps_the_rows_block_and_waits_for_approval(tmp_path: Path) -> None:
    rules = ruleset("duoplus-2024")
    row = only(submit(tmp_path, rules=rules, purchases=[purchase("2025-118", Soort="9")]))
    line = only(check_pdf(invoice(), rules, KnownEvidence((known_line(row, 5),))))
    assert (line.block_code, line.status) == ("9", LineStatus.PENDING)
    assert line.reasons == (
        "wacht op goedkeuring: blok 9 (Sponsoring SR Fonds) vereist goedkeuring door de "
        "contactpersoon social return (kolom 'Goedgekeurd door' of sroi approve)",
    )


@pytest.mark.parametrize(
    ("on_pdf", "reasons"),
    [
        ("1250.49", ()),  # a cent apart: the same amount
        ("1250.51", ()),
        (
            "1250.48",
            (
                "bedrag excl. BTW op de factuur (€ 1.250,48) wijkt af van het opgegeven bedrag "
                "(€ 1.250,50)",
            ),
        ),
    ],
)
def test_the_pdf_amount_must_agree_with_the_row_to_the_cent(
    tmp_path: Path, on_pdf: str, reasons: tuple[str, ...]
) -> None:
    rules = ruleset("twente-2016")
    row = only(submit(tmp_path, purchases=[purchase("2025-118")]))
    line = only(check_pdf(invoice(excl=on_pdf), rules, KnownEvidence((known_line(row, 5),))))
    assert line.reasons == reasons
    assert line.status is (LineStatus.PENDING if reasons else LineStatus.ACCEPTED)
    assert isinstance(line.facts, PurchaseFacts)
    assert line.facts.amount_excl_vat == Decimal("1250.5")


def test_a_row_after_its_pdf_finds_the_copy_by_number(tmp_path: Path) -> None:
    rules = ruleset("duoplus-2024")
    pdf = pdf_known(invoice(number="2025-118"), rules)
    elsewhere = pdf_known(invoice(number="2025-118", file="ander.pdf"), rules, 41, "C2")
    other_number = pdf_known(invoice(number="2025-119", file="119.pdf"), rules, 42)
    known = KnownEvidence((elsewhere, other_number, pdf))
    row = purchase("2025.118", **{"Goedgekeurd door": "M. de Boer"})
    line = only(submit(tmp_path, rules=rules, known=known, purchases=[row]))
    assert (line.status, line.reasons) == (LineStatus.ACCEPTED, ())
    assert isinstance(line.facts, PurchaseFacts)
    assert line.facts.invoice_copy == "factuur-2025-118.pdf"


def test_a_row_whose_amount_differs_from_its_pdf_waits(tmp_path: Path) -> None:
    rules = ruleset("duoplus-2024")
    known = KnownEvidence((pdf_known(invoice(number="2025-118", excl="1200.00"), rules),))
    row = purchase("2025-118", **{"Goedgekeurd door": "M. de Boer"})
    line = only(submit(tmp_path, rules=rules, known=known, purchases=[row]))
    assert (line.status, line.reasons) == (
        LineStatus.PENDING,
        (
            "bedrag excl. BTW op de factuur (€ 1.200,00) wijkt af van het opgegeven bedrag "
            "(€ 1.250,50)",
        ),
    )


def test_a_row_is_not_the_copy_of_an_earlier_row(tmp_path: Path) -> None:
    """Only a PDF is a copy: an earlier workbook row with the same number is not."""
    rules = ruleset("duoplus-2024")
    earlier = only(submit(tmp_path, rules=rules, purchases=[purchase("2025-118")]))
    known = KnownEvidence((known_line(earlier, 8, "C2"),))
    placement_line = only(submit(tmp_path, name="p.xlsx", placements=[placement(BSN[0])]))
    known = KnownEvidence((known_line(placement_line, 9), *known.lines))
    row = purchase("2025-119", **{"Goedgekeurd door": "M. de Boer"})
    line = only(submit(tmp_path, rules=rules, known=known, name="r.xlsx", purchases=[row]))
    assert line.reasons == (DUOPLUS_COPY,)


# --- hours ------------------------------------------------------------------------------------


def test_an_hours_row_carries_every_fact_and_waits_for_approval_in_twente(tmp_path: Path) -> None:
    row = {
        "Datum": date(2025, 3, 4),
        "Activiteit": "Gastles bouwtechniek",
        "Uren": 3,
        "Reisuren": 1,
    }
    result = submit(tmp_path, hours=[row])
    assert result.unchanged == ()
    line = only(result)
    assert line.identity is not None
    assert_line(
        replace(line, identity=None),
        CheckedLine(
            kind=LineKind.HOURS,
            provenance=Provenance("q3.xlsx", "MVO", 6),
            status=LineStatus.PENDING,
            reasons=(TWENTE_APPROVAL,),
            warnings=("reisuren (1) tellen niet mee",),
            block_code="15",
            identity=None,
            facts=HourFacts(
                activity_date=date(2025, 3, 4),
                activity="Gastles bouwtechniek",
                hours=Decimal(3),
                travel_hours=Decimal(1),
                approved_by=None,
            ),
        ),
    )


def test_hours_without_travel_and_approved_are_accepted(tmp_path: Path) -> None:
    row = {"Datum": "05-03-2025", "Activiteit": "Open dag", "Uren": "2,5", "Goedgekeurd door": "J."}
    line = only(submit(tmp_path, hours=[row]))
    assert (line.status, line.reasons, line.warnings) == (LineStatus.ACCEPTED, (), ())
    assert line.facts == HourFacts(date(2025, 3, 5), "Open dag", Decimal("2.5"), Decimal(0), "J.")


def test_duoplus_hours_need_no_approval(tmp_path: Path) -> None:
    row = {"Datum": date(2025, 3, 4), "Activiteit": "Gastles", "Uren": 2}
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), hours=[row]))
    assert (line.status, line.block_code) == (LineStatus.ACCEPTED, "10")


@pytest.mark.parametrize(
    ("day", "reasons"),
    [
        (date(2025, 1, 1), (TWENTE_APPROVAL,)),
        (date(2026, 12, 31), (TWENTE_APPROVAL,)),
        (
            date(2024, 3, 4),
            (
                "activiteitdatum 04-03-2024 valt buiten de contractperiode "
                "(01-01-2025 t/m 31-12-2026)",
            ),
        ),
    ],
)
def test_hours_outside_the_contract_period_are_rejected(
    tmp_path: Path, day: date, reasons: tuple[str, ...]
) -> None:
    row = {"Datum": day, "Activiteit": "Gastles", "Uren": 2}
    assert only(submit(tmp_path, hours=[row])).reasons == reasons


def test_an_hours_row_with_bad_cells_is_rejected_with_what_it_says(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"Datum": date(2025, 3, 4), "Activiteit": "Gastles", "Uren": 0, "Reisuren": "1,5"},
        {"Datum": date(2025, 3, 5), "Activiteit": "Open dag", "Uren": 2},
    ]
    bad, good = submit(tmp_path, hours=rows).lines
    assert_line(
        bad,
        CheckedLine(
            kind=LineKind.HOURS,
            provenance=Provenance("q3.xlsx", "MVO", 6),
            status=LineStatus.REJECTED,
            reasons=("Uren moet groter zijn dan 0",),
            warnings=(),
            block_code="15",
            identity=None,
            facts=None,
            raw_summary={
                "Datum": "04-03-2025",
                "Activiteit": "Gastles",
                "Uren": "0",
                "Reisuren": "1,5",
            },
        ),
    )
    assert good.status is LineStatus.PENDING


def test_a_ruleset_without_an_hours_block_rejects_hours(tmp_path: Path) -> None:
    rules = own_region(tmp_path)
    rows = [
        {"Datum": date(2025, 3, 4), "Activiteit": "Gastles", "Uren": 2},
        {"Datum": date(2025, 3, 5), "Activiteit": "Open dag", "Uren": 3},
    ]
    result = submit(tmp_path, rules=rules, hours=rows)
    assert [(line.status, line.block_code, line.reasons) for line in result.lines] == [
        (LineStatus.REJECTED, None, ("regeling testregio-2025 kent geen blok voor MVO-uren",))
    ] * 2


# --- approving a pending line -----------------------------------------------------------------


def pending_hours(tmp_path: Path) -> CheckedLine:
    row = {"Datum": date(2025, 3, 4), "Activiteit": "Gastles", "Uren": 3}
    line = only(submit(tmp_path, hours=[row]))
    assert line.status is LineStatus.PENDING
    return line


def test_an_approval_accepts_a_line_that_waited_only_for_it(tmp_path: Path) -> None:
    line = pending_hours(tmp_path)
    approved = approve(line, "  M. de Boer ")
    assert isinstance(line.facts, HourFacts)
    assert approved == replace(
        line,
        status=LineStatus.ACCEPTED,
        reasons=(),
        facts=replace(line.facts, approved_by="M. de Boer"),
        fingerprint=approved.fingerprint,
    )
    assert is_digest(approved.fingerprint) and approved.fingerprint != line.fingerprint


def test_an_approval_leaves_a_line_waiting_for_its_copy(tmp_path: Path) -> None:
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=[purchase("F-1")]))
    approved = approve(line, "M. de Boer")
    assert (approved.status, approved.reasons) == (LineStatus.PENDING, (DUOPLUS_COPY,))
    assert isinstance(approved.facts, PurchaseFacts)
    assert approved.facts.approved_by == "M. de Boer"


def test_an_approval_needs_a_name(tmp_path: Path) -> None:
    with pytest.raises(
        NotAwaitingApproval, match=r"^an approval needs the approver's name \(--by\)$"
    ):
        approve(pending_hours(tmp_path), "   ")


def test_only_a_pending_line_can_be_approved(tmp_path: Path) -> None:
    accepted = only(submit(tmp_path, purchases=[purchase("F-1")]))
    with pytest.raises(NotAwaitingApproval, match=r"^the line is accepted, not pending$"):
        approve(accepted, "M. de Boer")


def test_a_line_waiting_only_for_its_copy_cannot_be_approved(tmp_path: Path) -> None:
    row = purchase("F-1", **{"Goedgekeurd door": "J. Smit"})
    line = only(submit(tmp_path, rules=ruleset("duoplus-2024"), purchases=[row]))
    with pytest.raises(NotAwaitingApproval) as raised:
        approve(line, "M. de Boer")
    assert str(raised.value) == ("the line does not wait for an approval but for: " + DUOPLUS_COPY)


def test_a_line_without_approvable_facts_cannot_be_approved(tmp_path: Path) -> None:
    line = replace(pending_hours(tmp_path), facts=None, reasons=(TWENTE_APPROVAL, DUOPLUS_COPY))
    with pytest.raises(NotAwaitingApproval) as raised:
        approve(line, "M. de Boer")
    assert str(raised.value) == (
        f"the line does not wait for an approval but for: {TWENTE_APPROVAL}; {DUOPLUS_COPY}"
    )


# --- schema messages --------------------------------------------------------------------------


def test_a_frame_without_a_column_is_a_defect_named_by_check_and_column() -> None:
    definition = builtin_vocabulary().table(TableKind.HOURS)
    frame = pd.DataFrame({"row": [2], "activity_date": [pd.Timestamp(2025, 3, 4)]})
    with pytest.raises(SchemaDefect) as raised:
        validate_rows(MODELS[TableKind.HOURS], frame, definition.label_of, set())
    assert str(raised.value) == "schema-level failure: column_in_dataframe on HourRows"


def test_a_check_without_a_dutch_message_is_a_defect() -> None:
    with pytest.raises(SchemaDefect, match=r"^no Dutch message for column check 'isin\(x\)'$"):
        column_message("isin(x)", "Soort")
    with pytest.raises(SchemaDefect, match=r"^no Dutch message for row check 'nieuw'$"):
        row_check_message("nieuw")


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("greater_than(0.5)", "FTE moet groter zijn dan 0,5"),
        ("less_than(40.0)", "FTE moet kleiner zijn dan 40"),
        ("greater_than_or_equal_to(1.25)", "FTE mag niet kleiner zijn dan 1,25"),
        ("less_than_or_equal_to(0.05)", "FTE mag niet groter zijn dan 0,05"),
    ],
)
def test_a_decimal_bound_reads_in_dutch_notation(check: str, message: str) -> None:
    assert column_message(check, "FTE") == message


# --- rows of several files read at once (validators.rows.read_tables) ---------------------------


def test_rows_of_several_files_read_together_keep_their_own_messages(tmp_path: Path) -> None:
    first = write_submission(
        tmp_path / "a.xlsx",
        placements=[placement(BSN[0]), placement(BSN[1], **{"Uren per week": 0})],
        purchases=[purchase("F-1", **{"Bedrag excl. BTW": 0}), purchase("F-2")],
    )
    second = write_submission(
        tmp_path / "b.xlsx",
        placements=[placement("123456789"), placement(BSN[2]), placement(BSN[3])],
    )
    parsed = [parse_submission_workbook(path, ReadLimits()) for path in (first, second)]
    tables = [table for workbook in parsed for table in workbook.tables]
    together = read_tables(tables)
    assert [[reading.problems for reading in table] for table in together] == [
        [(), ("Uren per week moet groter zijn dan 0",)],
        [("Bedrag excl. BTW moet groter zijn dan 0",), ()],
        [("BSN is ongeldig (elfproef mislukt)",), (), ()],
    ]
    assert [[reading.row.provenance.row for reading in table] for table in together] == [
        [6, 7],
        [6, 7],
        [6, 7, 8],
    ]
    rules = ruleset("twente-2016")
    for workbook, readings in ((parsed[0], together[:2]), (parsed[1], together[2:])):
        alone = validate_submission(workbook, contract_for(rules), rules, KnownEvidence(), PSEUDO)
        read_before = validate_submission(
            workbook, contract_for(rules), rules, KnownEvidence(), PSEUDO, readings=readings
        )
        assert read_before == alone


def test_registers_read_together_are_checked_for_doubles_each_on_its_own(tmp_path: Path) -> None:
    one = write_register(tmp_path / "een.xlsx", [contract_row("TW-1"), contract_row("TW-2")])
    two = write_register(tmp_path / "twee.xlsx", [contract_row("TW-1"), contract_row("tw-1 ")])
    tables = [read_register(one).contracts, read_register(two).contracts]
    first, second = read_tables(tables)
    assert [reading.problems for reading in first] == [(), ()]
    assert [reading.problems for reading in second] == [
        (),
        ("contractnummer komt twee keer voor in het register",),
    ]
