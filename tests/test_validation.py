"""Line checks with Dutch reasons that name the rule (VALUATION.md section 2, INTERFACE.md 3-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from domain.pseudonym import Pseudonymizer
from parsers.grid import Provenance
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from rulesets import load_catalog
from tests.builders import make_contract, placement, purchase, valid_bsns, write_submission
from validators.known import KnownEvidence, KnownLine
from validators.lines import CheckedLine, LineStatus, PlacementFacts
from validators.submission import CheckedSubmission, validate_submission

CATALOG = load_catalog()
PSEUDO = Pseudonymizer(b"k" * 32)
BSN = valid_bsns(8)


def check(
    tmp_path: Path,
    *,
    ruleset_id: str = "twente-2016",
    known: KnownEvidence | None = None,
    contract_id: str = "C1",
    **tables: list[dict[str, object]],
) -> CheckedSubmission:
    path = write_submission(tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx", **tables)  # type: ignore[arg-type]
    parsed = parse_submission_workbook(path, ReadLimits())
    ruleset = CATALOG.by_id(ruleset_id)
    assert ruleset is not None
    return validate_submission(
        parsed,
        make_contract(contract_id, ruleset_id=ruleset_id, contractor_kvk="12345678"),
        ruleset,
        known or KnownEvidence(),
        PSEUDO,
    )


def only(result: CheckedSubmission) -> CheckedLine:
    assert len(result.lines) == 1
    return result.lines[0]


def test_a_good_placement_is_accepted_with_pseudonym_and_initials(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement(BSN[0], Dienstverband="vast")]))
    assert line.status is LineStatus.ACCEPTED and line.reasons == ()
    facts = line.facts
    assert isinstance(facts, PlacementFacts)
    assert facts.person_key == PSEUDO.person_by_bsn(BSN[0])
    assert BSN[0] not in facts.person_key
    assert facts.initials == "J.d.V."
    assert facts.permanent and facts.fte == 1 and facts.age_at_start == 44
    assert line.provenance == Provenance("0.xlsx", "Plaatsingen", 6)


def test_bsn_failing_the_11_test_is_rejected_without_repeating_it(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement("123456789")]))
    assert line.status is LineStatus.REJECTED
    assert line.reasons == ("BSN is ongeldig (elfproef mislukt)",)
    assert "123456789" not in repr(line)


def test_bsn_typed_as_number_without_leading_zero_is_read_as_nine_digits(tmp_path: Path) -> None:
    zero_led = next(b for b in valid_bsns(200, start=10_000_000) if b.startswith("0"))
    line = only(check(tmp_path, placements=[placement(int(zero_led))]))  # type: ignore[arg-type]
    assert line.status is LineStatus.ACCEPTED


def test_personnel_number_identifies_within_the_contractor(tmp_path: Path) -> None:
    row = placement("", Personeelsnummer="P-0042")
    line = only(check(tmp_path, placements=[row]))
    assert line.status is LineStatus.ACCEPTED
    assert isinstance(line.facts, PlacementFacts)
    assert line.facts.person_key == PSEUDO.person_by_personnel_number("12345678", "P-0042")


def test_unknown_target_group_names_the_ruleset(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement(BSN[0], Doelgroep="Stagiair HBO")]))
    assert line.reasons == ("doelgroep 'Stagiair HBO' komt niet voor in regeling twente-2016",)


def test_missing_and_unreadable_cells_each_give_one_precise_reason(tmp_path: Path) -> None:
    row = placement(
        BSN[0], Geboortedatum=None, Startdatum="31-31-2025", **{"Uren per week": "veel"}
    )
    line = only(check(tmp_path, placements=[row]))
    assert line.status is LineStatus.REJECTED
    assert "Geboortedatum ontbreekt" in line.reasons
    assert (
        "Startdatum: '31-31-2025' is geen geldige datum (verwacht bv. 31-12-2025)" in line.reasons
    )
    assert "Uren per week: 'veel' is geen getal" in line.reasons
    assert "Startdatum ontbreekt" not in line.reasons


def test_end_before_start(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement(BSN[0], Einddatum=date(2025, 1, 1))]))
    assert line.reasons == ("einddatum ligt voor de startdatum",)


def test_nug_needs_evidence_and_age_below_27(tmp_path: Path) -> None:
    young_without = placement(BSN[0], Doelgroep="NUG", Geboortedatum=date(2000, 1, 1))
    old_with = placement(
        BSN[1], Doelgroep="NUG", Geboortedatum=date(1990, 1, 1), Bewijs="UWV-brief"
    )
    result = check(tmp_path, placements=[young_without, old_with])
    first, second = result.lines
    assert first.reasons == (
        "bewijs ontbreekt: blok 14 (NUG: jongeren < 27 zonder startkwalificatie, "
        "ex-gedetineerden) vereist een bewijsstuk (kolom Bewijs)",
    )
    assert second.reasons == (
        "leeftijd bij start (35 jaar) past niet bij blok 14 (NUG: jongeren < 27 zonder "
        "startkwalificatie, ex-gedetineerden): vereist < 27 jaar",
    )


@pytest.mark.parametrize(
    ("since", "status"),
    [(date(2024, 11, 1), LineStatus.ACCEPTED), (date(2024, 11, 2), LineStatus.REJECTED)],
)
def test_ww_benefit_of_at_least_3_months_to_the_day(
    tmp_path: Path, since: date, status: LineStatus
) -> None:
    # Twente block 5: WW > 3 maanden en < 1 jaar; start 2025-02-01.
    row = placement(BSN[0], Doelgroep="5", **{"Uitkering sinds": since})
    line = only(check(tmp_path, placements=[row]))
    assert line.status is status
    if status is LineStatus.REJECTED:
        assert "vereist >= 3 maanden en < 12 maanden" in line.reasons[0]


@pytest.mark.parametrize(
    ("since", "status"),
    [(date(2024, 8, 1), LineStatus.REJECTED), (date(2024, 7, 31), LineStatus.ACCEPTED)],
)
def test_duoplus_ww_counts_after_more_than_6_months(
    tmp_path: Path, since: date, status: LineStatus
) -> None:
    row = placement(BSN[0], Doelgroep="WW", **{"Uitkering sinds": since})
    line = only(check(tmp_path, ruleset_id="duoplus-2024", placements=[row]))
    assert line.status is status


def test_participatiewet_block_must_match_benefit_duration(tmp_path: Path) -> None:
    short = placement(
        BSN[0], Doelgroep="Participatiewet > 2 jaar", **{"Uitkering sinds": "01-06-2024"}
    )
    line = only(check(tmp_path, placements=[short]))
    assert line.status is LineStatus.REJECTED
    assert "vereist >= 24 maanden" in line.reasons[0]


def test_hours_above_full_time_count_as_one_fte_with_a_warning(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement(BSN[0], **{"Uren per week": 40})]))
    assert isinstance(line.facts, PlacementFacts) and line.facts.fte == 1
    assert line.warnings == ("40 uur per week is meer dan voltijd (36 uur); geteld als 1 fte",)


def test_same_placement_twice_in_one_file(tmp_path: Path) -> None:
    result = check(
        tmp_path, placements=[placement(BSN[0]), placement(BSN[0], Einddatum=date(2025, 9, 1))]
    )
    assert [line.status for line in result.lines] == [LineStatus.ACCEPTED, LineStatus.REJECTED]
    assert result.lines[1].reasons[-1] == (
        "dubbele regel: zelfde persoon, doelgroep en startdatum als rij 6"
    )


def _known(line: CheckedLine, line_id: int, contract_id: str = "C1") -> KnownLine:
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
        match_keys=line.match_keys,
    )


def test_resubmitted_placement_updates_or_is_unchanged(tmp_path: Path) -> None:
    first = only(check(tmp_path, placements=[placement(BSN[0])]))
    known = KnownEvidence((_known(first, 7),))
    same = check(tmp_path, known=known, placements=[placement(BSN[0])])
    assert same.lines == () and [row.line_id for row in same.unchanged] == [7]
    ended = only(
        check(tmp_path, known=known, placements=[placement(BSN[0], Einddatum=date(2025, 8, 31))])
    )
    assert ended.line_id == 7 and ended.identity == first.identity


def test_twente_invoice_of_sw_company_is_accepted(tmp_path: Path) -> None:
    line = only(check(tmp_path, purchases=[purchase("F-1", **{"Bedrag excl. BTW": "3.450,00"})]))
    assert line.status is LineStatus.ACCEPTED and line.block_code == "9"


def test_duoplus_sw_invoice_waits_for_approval_and_copy(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        ruleset_id="duoplus-2024",
        purchases=[purchase("F-1"), purchase("F-2", **{"Goedgekeurd door": "M. de Boer"})],
    )
    unapproved, approved = result.lines
    assert unapproved.status is LineStatus.PENDING and len(unapproved.reasons) == 2
    assert unapproved.reasons[0].startswith("wacht op goedkeuring: blok 11 (Inzet SW bedrijven)")
    assert approved.status is LineStatus.PENDING
    assert approved.reasons == (
        "kopie factuur ontbreekt: blok 11 vereist de factuur als PDF in de inbox van dit contract",
    )


def test_invoice_outside_the_contract_period_is_rejected(tmp_path: Path) -> None:
    line = only(check(tmp_path, purchases=[purchase("F-9", Factuurdatum=date(2024, 12, 31))]))
    assert line.reasons == (
        "factuurdatum 31-12-2024 valt buiten de contractperiode (01-01-2025 t/m 31-12-2026)",
    )


def test_an_invoice_counts_once_wherever_it_is_claimed(tmp_path: Path) -> None:
    first = only(check(tmp_path, purchases=[purchase("F-2025.001")]))
    known = KnownEvidence((_known(first, 3, contract_id="OTHER"),))
    again = only(
        check(tmp_path, known=known, purchases=[purchase("f2025001", Leverancier="Ander")])
    )
    assert again.status is LineStatus.REJECTED
    assert "al ingediend" in again.reasons[0] and "contract OTHER" in again.reasons[0]
    twice = check(tmp_path, purchases=[purchase("F-7"), purchase("F-7")])
    assert [line.status for line in twice.lines] == [LineStatus.ACCEPTED, LineStatus.REJECTED]


def test_mvo_hours_need_approval_in_twente_and_travel_never_counts(tmp_path: Path) -> None:
    hours: list[dict[str, object]] = [
        {"Datum": date(2025, 3, 4), "Activiteit": "Gastles bouwtechniek", "Uren": 3, "Reisuren": 1},
        {
            "Datum": "05-03-2025",
            "Activiteit": "Open dag",
            "Uren": "2,5",
            "Goedgekeurd door": "J. Smit",
        },
        {
            "Datum": date(2024, 3, 4),
            "Activiteit": "Te vroeg",
            "Uren": 1,
            "Goedgekeurd door": "J. Smit",
        },
    ]
    pending, accepted, early = check(tmp_path, hours=hours).lines
    assert pending.status is LineStatus.PENDING and pending.warnings == (
        "reisuren (1) tellen niet mee",
    )
    assert accepted.status is LineStatus.ACCEPTED
    assert early.status is LineStatus.REJECTED


def test_rejected_line_keeps_no_personal_data(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement("123456789", Naam="Fatima El Amrani")]))
    assert "Fatima" not in repr(line) and "123456789" not in repr(line)
    assert line.raw_summary["Initialen"] == "F.E.A."
    assert line.raw_summary["Doelgroep"] == "Participatiewet > 2 jaar"
    assert line.raw_summary["Startdatum"] == "01-02-2025"


def test_checked_lines_are_immutable_values(tmp_path: Path) -> None:
    line = only(check(tmp_path, placements=[placement(BSN[0])]))
    with pytest.raises(AttributeError):
        line.status = LineStatus.REJECTED  # type: ignore[misc]
    assert replace(line, status=LineStatus.REJECTED).status is LineStatus.REJECTED
