"""Submission workbooks as people fill them in (INTERFACE.md section 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from domain.errors import NoEvidenceFound, UnreadableFile
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from parsers.workbook import read_workbook
from rulesets.vocabulary import TableKind
from tests.builders import placement, purchase, valid_bsns, write_ods, write_submission
from tests.conftest import REALDATA

LIMITS = ReadLimits()
BSN = valid_bsns(3)


def test_tables_found_below_title_rows_with_contract_cell_and_notes(tmp_path: Path) -> None:
    path = write_submission(
        tmp_path / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0]), placement(BSN[1], Startdatum="01-03-2025")],
        purchases=[purchase("F-2025-001", **{"Bedrag excl. BTW": "3.450,00"})],
        header_row=9,
    )
    parsed = parse_submission_workbook(path, LIMITS)
    assert parsed.contract_ref == "TW-2025-001"
    kinds = {table.definition.kind: table for table in parsed.tables}
    placements = kinds[TableKind.PLACEMENTS]
    assert placements.header_row == 9
    assert [row.provenance.row for row in placements.rows] == [10, 11]
    assert placements.rows[1].cells["start_date"] == "01-03-2025"
    assert placements.columns["hours_per_week"] == "Uren per week"
    assert placements.skipped_rows == [14]  # the note under the table
    assert kinds[TableKind.PURCHASES].rows[0].cells["amount_excl_vat"] == "3.450,00"


def test_sheet_recognised_by_headers_when_its_name_is_unknown(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blad1"
    sheet.append(["Overzicht personen"])
    sheet.append([])
    sheet.append(
        ["Burgerservicenummer", "Naam", "Geb. datum", "Bouwblok", "Begindatum", "Uren p/w"]
    )
    sheet.append([BSN[0], "A. Jansen", date(1990, 1, 1), "WIA", date(2025, 4, 1), 24])
    hidden = workbook.create_sheet("Verborgen")
    hidden.append(["Doelgroep", "Startdatum"])
    hidden.append(["WIA", date(2025, 1, 1)])
    hidden.sheet_state = "hidden"
    path = tmp_path / "blad1.xlsx"
    workbook.save(path)
    parsed = parse_submission_workbook(path, LIMITS)
    assert [table.sheet for table in parsed.tables] == ["Blad1"]
    table = parsed.tables[0]
    assert table.definition.kind is TableKind.PLACEMENTS and table.header_row == 3
    assert table.rows[0].cells["birth_date"] == date(1990, 1, 1)


def test_empty_rows_inside_the_table_are_skipped(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["BSN", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"])
    sheet.append([BSN[0], date(1990, 1, 1), "WIA", date(2025, 4, 1), 24])
    sheet.append([])
    sheet.append([BSN[1], date(1991, 1, 1), "WIA", date(2025, 4, 1), 24])
    path = tmp_path / "gaten.xlsx"
    workbook.save(path)
    rows = parse_submission_workbook(path, LIMITS).tables[0].rows
    assert [row.provenance.row for row in rows] == [2, 4]


def test_corrupt_file_is_unreadable_with_a_dutch_reason(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 this zip ends right here")
    with pytest.raises(UnreadableFile) as error:
        parse_submission_workbook(path, LIMITS)
    assert "beschadigd" in error.value.reason_nl


def test_text_renamed_to_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "notitie.xlsx"
    path.write_text("Beste coördinator, hierbij de cijfers.", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="geen geldig Excel-bestand"):
        parse_submission_workbook(path, LIMITS)


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile) as error:
        parse_submission_workbook(path, LIMITS)
    assert error.value.reason_nl == "het bestand is leeg (0 bytes)"


def test_a_sheet_named_for_a_table_without_its_header_row(tmp_path: Path) -> None:
    path = write_submission(tmp_path / "leeg.xlsx", contract_id="TW-1")
    with pytest.raises(NoEvidenceFound) as error:
        parse_submission_workbook(path, LIMITS)
    assert error.value.reason_nl == (
        "blad 'Plaatsingen': kopregel niet gevonden in de eerste 20 rijen (verwacht o.a.: "
        "Doelgroep, Startdatum); gebruik de kolomkoppen uit het sjabloon"
    )


def test_a_workbook_without_any_table_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blad1"
    sheet["A1"] = "Beste mevrouw, hierbij onze gegevens."
    workbook.save(tmp_path / "brief.xlsx")
    with pytest.raises(NoEvidenceFound) as error:
        parse_submission_workbook(tmp_path / "brief.xlsx", LIMITS)
    assert error.value.reason_nl == (
        "geen blad met plaatsingen, inkoop of MVO-uren gevonden; gebruik de bladen "
        "'Plaatsingen', 'Inkoop' en 'MVO' met de kolomkoppen uit het sjabloon"
    )


def test_headers_without_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["BSN", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"])
    path = tmp_path / "alleen-koppen.xlsx"
    workbook.save(path)
    with pytest.raises(NoEvidenceFound, match="geen ingevulde regels"):
        parse_submission_workbook(path, LIMITS)


def test_row_limit_bounds_the_cost(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["BSN", "Doelgroep", "Startdatum"])
    for _ in range(60):
        sheet.append([BSN[0], "WIA", date(2025, 1, 1)])
    path = tmp_path / "groot.xlsx"
    workbook.save(path)
    with pytest.raises(UnreadableFile, match="maximaal 50"):
        parse_submission_workbook(path, ReadLimits(max_rows_per_sheet=50))


def test_opendocument_spreadsheet(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "libreoffice.ods",
        {
            "Plaatsingen": [
                ["SROI-verantwoording"],
                ["Contractnummer", "TW-2025-001"],
                [],
                ["BSN", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"],
                [BSN[0], date(1980, 1, 1), "WIA", date(2025, 4, 1), 24],
                [BSN[1], "01-02-1990", "Wajong", "1 mei 2025", "32,5"],
            ]
        },
    )
    parsed = parse_submission_workbook(path, LIMITS)
    assert parsed.contract_ref == "TW-2025-001"
    (table,) = parsed.tables
    assert table.header_row == 4
    assert [row.cells["start_date"] for row in table.rows] == [date(2025, 4, 1), "1 mei 2025"]


def test_macro_workbook_xlsm(tmp_path: Path) -> None:
    path = write_submission(
        tmp_path / "met-macro.xlsm", contract_id="TW-1", placements=[placement(BSN[0])]
    )
    assert parse_submission_workbook(path, LIMITS).line_count == 1


def test_legacy_xls_is_read() -> None:
    grids = read_workbook(REALDATA / "readxl" / "deaths.xls", LIMITS)
    assert [grid.name for grid in grids] == ["arts", "other"]
    assert grids[0].rows[4][:2] == ["Name", "Profession"]
