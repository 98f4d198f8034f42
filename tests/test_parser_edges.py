"""The parse stage at its edges: cells in every notation, tables with gaps and notes, the
limits exactly on their boundary, CSV registers from Windows Excel, and PDF invoices with the
oddities real invoices have. Each test fixes the parsed value or the exact Dutch reason.

Written against mutation testing (docs/testing.md).
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from domain.errors import NoEvidenceFound, RegisterError, UnreadableFile
from parsers import read_submission
from parsers.cells import CellError, cell_text, parse_date_nl, parse_decimal_nl, parse_percentage
from parsers.grid import Provenance
from parsers.invoice_pdf import InvoiceFields, read_invoice_pdf
from parsers.limits import MEGABYTE, ReadLimits
from parsers.register import read_register
from parsers.submission import ParsedWorkbook, SheetReport, parse_submission_workbook
from parsers.workbook import read_workbook
from rulesets import load_catalog
from rulesets.vocabulary import TableKind
from tests.builders import (
    PLACEMENT_HEADERS,
    PURCHASE_HEADERS,
    REGISTER_HEADERS,
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_ods,
    write_register,
    write_submission,
    write_table,
)
from validators.register import RegisterProblem, validate_register

LIMITS = ReadLimits()
BSN = valid_bsns(3, start=400_000_000)


def unreadable(path: Path, limits: ReadLimits = LIMITS) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as raised:
        read_submission(path, limits)
    assert raised.value.path == path
    return raised.value


def save(workbook: Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31-12-25", date(2025, 12, 31)),
        ("1-1-00", date(2000, 1, 1)),
        ("1/1/69", date(2069, 1, 1)),
        ("1.1.70", date(1970, 1, 1)),
        ("17-05-80", date(1980, 5, 17)),
        ("31-12-99", date(1999, 12, 31)),
    ],
)
def test_two_digit_years_below_70_are_this_century(text: str, day: date) -> None:
    assert parse_date_nl(text) == day


@pytest.mark.parametrize(
    ("serial", "day"),
    [(61, date(1900, 3, 1)), (45658, date(2025, 1, 1)), (2_958_465, date(9999, 12, 31))],
)
def test_excel_serial_numbers_within_excels_range(serial: int, day: date) -> None:
    assert parse_date_nl(serial) == day


def test_serial_number_one_is_a_date() -> None:
    """Excel's day 1 is 1900-01-01; before its fictitious 29-02-1900 the reading is a day early
    (docs/testing.md, bugs found), which no SROI date reaches. A fraction is the time of day."""
    assert parse_date_nl(1) in {date(1899, 12, 31), date(1900, 1, 1)}
    assert parse_date_nl(1.75) == parse_date_nl(1)


@pytest.mark.parametrize(("serial", "text"), [(0, "0"), (2_958_466, "2958466"), (-3.5, "-3.5")])
def test_serial_numbers_outside_excels_range_are_no_date(serial: float, text: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_date_nl(serial)
    assert str(raised.value) == f"'{text}' is geen datum"


@pytest.mark.parametrize("value", [True, time(9, 30), "   "])
def test_a_flag_a_time_or_blanks_are_no_date(value: Any) -> None:
    with pytest.raises(CellError) as raised:
        parse_date_nl(value)
    assert str(raised.value) == "geen datum"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("EUR 1.250,50", Decimal("1250.50")),
        ("€\u00a01\u00a0250,50", Decimal("1250.50")),
        ("1 250,50", Decimal("1250.50")),
        ("(1.250,00)", Decimal("-1250.00")),
        ("1.250,00-", Decimal("-1250.00")),
        ("1,250.75", Decimal("1250.75")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("12,5%", Decimal("12.5")),
    ],
)
def test_numbers_in_the_notations_of_invoices(text: str, number: Decimal) -> None:
    assert parse_decimal_nl(text) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "geen getal"),
        (None, "geen getal"),
        (date(2025, 1, 1), "'2025-01-01' is geen getal"),
        ("NaN", "'NaN' is geen getal"),
        (" Infinity ", "'Infinity' is geen getal"),
        ("twaalf", "'twaalf' is geen getal"),
    ],
)
def test_what_is_no_number(value: Any, message: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_decimal_nl(value)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "percent"),
    [(0.05, Decimal("5.00")), (1, Decimal(1)), (1.5, Decimal("1.5")), ("5%", Decimal(5))],
)
def test_a_percentage_cell_below_one_is_a_fraction(value: Any, percent: Decimal) -> None:
    assert parse_percentage(value) == percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "ja"),
        (False, "nee"),
        (datetime(2025, 3, 1), "2025-03-01"),
        (datetime(2025, 3, 1, 14, 30), "2025-03-01T14:30:00"),
        (36.0, "36"),
        (" P-0042 ", "P-0042"),
    ],
)
def test_cell_text_as_a_person_reads_it(value: Any, text: str) -> None:
    assert cell_text(value) == text


def test_excel_true_and_false_in_a_text_column_read_as_ja_and_nee(tmp_path: Path) -> None:
    rows = [placement(BSN[0], Dienstverband=True), placement(BSN[1], Dienstverband=False)]
    table = parse_submission_workbook(
        write_submission(tmp_path / "vinkjes.xlsx", placements=rows), LIMITS
    ).tables[0]
    assert [row.cells["employment"] for row in table.rows] == [True, False]
    assert [cell_text(row.cells["employment"]) for row in table.rows] == ["ja", "nee"]


# --- finding the table ----------------------------------------------------------------------


def placement_workbook(path: Path, rows: list[list[Any]], headers: tuple[str, ...] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["Verantwoording SROI"])
    sheet.append(list(headers or ("BSN", "Naam", "Geboortedatum", "Doelgroep", "Startdatum")))
    for row in rows:
        sheet.append(row)
    return save(workbook, path)


def test_an_empty_row_inside_the_table_does_not_end_it(tmp_path: Path) -> None:
    first = [BSN[0], "Jan", date(1980, 1, 1), "WIA", date(2025, 1, 1)]
    second = [BSN[1], "Piet", date(1981, 1, 1), "WIA", date(2025, 2, 1)]
    path = placement_workbook(tmp_path / "gat.xlsx", [first, [], [], second])
    (table,) = parse_submission_workbook(path, LIMITS).tables
    assert [row.provenance.row for row in table.rows] == [3, 6]


def test_a_row_with_one_field_and_a_remark_beside_the_table_is_data(tmp_path: Path) -> None:
    path = placement_workbook(
        tmp_path / "half.xlsx",
        [
            [BSN[0], "Jan", date(1980, 1, 1), "WIA", date(2025, 1, 1)],
            ["", "Piet", None, None, None, None, "volgt nog"],  # one field and a remark
            [BSN[1], "Kees"],  # two fields, the first of them text
            [int(BSN[2]), None, date(1981, 1, 1), None, date(2025, 1, 1)],  # no text at all
            [None, None, None, None, None, 36],  # a bare number outside the columns
            [None, None, None, None, 12500],  # a lone number under a column: a total
            ["Totaal", None, None, None, 3],
        ],
    )
    (table,) = parse_submission_workbook(path, LIMITS).tables
    assert [row.provenance.row for row in table.rows] == [3, 4, 5, 6]
    assert table.skipped_rows == [7, 8, 9]


def test_the_header_row_names_each_field_once_and_ignores_unknown_columns(tmp_path: Path) -> None:
    headers = ("BSN", "Burgerservicenummer", "Naam", "Kleur", "Geboortedatum", "Doelgroep")
    path = placement_workbook(
        tmp_path / "dubbel.xlsx",
        [[BSN[0], BSN[1], "Jan", "blauw", date(1980, 1, 1), "WIA", None, "Startdatum"]],
        headers=(*headers, "Startdatum"),
    )
    (table,) = parse_submission_workbook(path, LIMITS).tables
    assert table.columns == {
        "bsn": "BSN",
        "name": "Naam",
        "birth_date": "Geboortedatum",
        "target_group": "Doelgroep",
        "start_date": "Startdatum",
    }
    assert table.rows[0].cells["bsn"] == BSN[0]
    assert table.last_column == 7


def test_the_first_of_two_equal_header_rows_is_the_header(tmp_path: Path) -> None:
    headers = ("BSN", "Naam", "Geboortedatum", "Doelgroep", "Startdatum")
    row = [BSN[0], "Jan", date(1980, 1, 1), "WIA", date(2025, 1, 1)]
    path = placement_workbook(tmp_path / "herhaald.xlsx", [row, list(headers), row])
    (table,) = parse_submission_workbook(path, LIMITS).tables
    assert table.header_row == 2
    assert [r.provenance.row for r in table.rows] == [3, 4, 5]


def test_the_last_column_is_the_last_filled_heading(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Inkoop"
    write_table(sheet, PURCHASE_HEADERS, [purchase("F-1")], first_row=3)
    sheet.cell(row=3, column=10, value="Toelichting")
    (table,) = parse_submission_workbook(save(workbook, tmp_path / "breed.xlsx"), LIMITS).tables
    assert (table.header_row, table.last_column) == (3, 10)
    plain = write_submission(tmp_path / "smal.xlsx", purchases=[purchase("F-1")])
    assert parse_submission_workbook(plain, LIMITS).tables[0].last_column == 7


@pytest.mark.parametrize(
    ("cells", "named"),
    [
        ({"A2": "Project Zuid", "B2": "Contractnummer", "C2": "TW-2025-014"}, "TW-2025-014"),
        ({"A2": "Contractnummer", "A3": "TW-2025-015"}, "TW-2025-015"),
    ],
)
def test_the_contract_number_beside_or_below_its_label(
    tmp_path: Path, cells: dict[str, str], named: str
) -> None:
    path = write_submission(tmp_path / "q3.xlsx", purchases=[purchase("F-1")], header_row=6)
    workbook = load_workbook(path)
    for cell, value in cells.items():
        workbook["Inkoop"][cell] = value
    assert parse_submission_workbook(save(workbook, path), LIMITS).contract_ref == named


def test_a_contract_label_on_the_last_row_with_nothing_beside_it(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Toelichting"
    first["A1"] = "Zie het blad Inkoop"
    first["A2"] = "Contractnummer"
    write_table(workbook.create_sheet("Inkoop"), PURCHASE_HEADERS, [purchase("F-1")], 1)
    parsed = parse_submission_workbook(save(workbook, tmp_path / "q3.xlsx"), LIMITS)
    assert parsed.contract_ref is None


def test_provenance_reads_as_file_sheet_and_row() -> None:
    assert Provenance("q3.xlsx", "Inkoop", 7).describe_nl() == "q3.xlsx, blad Inkoop, rij 7"
    assert Provenance("factuur.pdf").describe_nl() == "factuur.pdf"


# --- what a workbook holds -----------------------------------------------------------------------


def test_every_sheet_is_reported_with_what_was_found_on_it(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Toelichting"
    notes["A1"] = "Vul de bladen Plaatsingen en Inkoop in."
    workbook.create_sheet("Plaatsingen")["A1"] = "nog niets"
    write_table(workbook.create_sheet("Blad3"), PURCHASE_HEADERS, [purchase("F-1")], first_row=2)
    parsed = parse_submission_workbook(save(workbook, tmp_path / "q3.xlsx"), LIMITS)
    assert parsed.file == "q3.xlsx"
    assert parsed.sheets == [
        SheetReport("Toelichting", None, None, {}, 0, "geen bekende tabel op dit blad"),
        SheetReport(
            "Plaatsingen",
            TableKind.PLACEMENTS,
            None,
            {},
            0,
            "kopregel niet gevonden in de eerste 20 rijen (verwacht o.a.: Doelgroep, Startdatum)",
        ),
        SheetReport(
            "Blad3",
            TableKind.PURCHASES,
            2,
            {
                "supplier": "Leverancier",
                "supplier_kvk": "KvK leverancier",
                "invoice_number": "Factuurnummer",
                "invoice_date": "Factuurdatum",
                "amount_excl_vat": "Bedrag excl. BTW",
                "block": "Soort",
                "approved_by": "Goedgekeurd door",
            },
            1,
        ),
    ]


def test_a_workbook_without_rows_names_its_file(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Inkoop"
    write_table(sheet, PURCHASE_HEADERS, [], first_row=1)
    path = save(workbook, tmp_path / "leeg.xlsx")
    with pytest.raises(NoEvidenceFound) as raised:
        parse_submission_workbook(path, LIMITS)
    assert (raised.value.reason_nl, raised.value.path) == (
        "het bestand bevat geen ingevulde regels",
        path,
    )
    sheet.title = "Blad1"
    sheet["A1"] = "Alleen een titel"
    sheet.delete_cols(2, 10)
    other = save(workbook, tmp_path / "geen-tabel.xlsx")
    with pytest.raises(NoEvidenceFound) as raised:
        parse_submission_workbook(other, LIMITS)
    assert raised.value.path == other


def test_a_file_of_another_type_is_refused_by_its_name(tmp_path: Path) -> None:
    letter = tmp_path / "brief.docx"
    letter.write_bytes(b"PK\x03\x04 not a workbook")
    assert unreadable(letter).reason_nl == (
        "bestandstype '.docx' wordt niet verwerkt; lever Excel (.xlsx, .xlsm, .xls, .ods) of "
        "PDF-facturen aan"
    )
    bare = tmp_path / "factuur"
    bare.write_bytes(b"%PDF-1.4")
    assert unreadable(bare).reason_nl.startswith("bestandstype '(geen)' wordt niet verwerkt;")


def test_reading_longer_than_the_time_limit_is_refused(tmp_path: Path) -> None:
    path = write_submission(tmp_path / "q3.xlsx", placements=[placement(BSN[0])])
    error = unreadable(path, ReadLimits(max_seconds_per_file=0.0005))
    assert error.reason_nl == (
        "het lezen van het bestand duurde langer dan 0.0005 seconden; het is te groot of te "
        "ingewikkeld"
    )


# --- limits on workbooks ----------------------------------------------------------------------


def test_a_file_exactly_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = write_submission(tmp_path / "q3.xlsx", placements=[placement(BSN[0])])
    size = path.stat().st_size
    exact = ReadLimits(max_file_megabytes=size / MEGABYTE)
    assert exact.max_bytes == size
    assert isinstance(read_submission(path, exact), ParsedWorkbook)
    smaller = ReadLimits(max_file_megabytes=(size - 1) / MEGABYTE)
    assert unreadable(path, smaller).reason_nl == (
        f"het bestand is te groot (0 MB; maximaal {(size - 1) / MEGABYTE:g} MB)"
    )


def test_the_size_of_a_big_file_is_said_in_whole_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "groot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * (MEGABYTE * 5 // 2))
    assert unreadable(path, ReadLimits(max_file_megabytes=1)).reason_nl == (
        "het bestand is te groot (2 MB; maximaal 1 MB)"
    )


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    assert unreadable(path).reason_nl == "het bestand is leeg (0 bytes)"


def test_an_old_excel_file_named_xlsm(tmp_path: Path) -> None:
    path = tmp_path / "macro.xlsm"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert unreadable(path).reason_nl == (
        "het bestand is geen geldig .xlsm-bestand (oud Excel-formaat met de verkeerde "
        "extensie?); sla het op als .xlsx"
    )


def test_a_file_that_only_claims_to_be_a_workbook(tmp_path: Path) -> None:
    text = tmp_path / "lijst.xlsx"
    text.write_text("BSN;Naam\n123;Jan\n", encoding="utf-8")
    assert unreadable(text).reason_nl == (
        "het bestand is geen geldig Excel-bestand, al heet het .xlsx"
    )
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x13\x37" * 400)
    assert unreadable(broken).reason_nl == (
        "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen"
    )


def zipped_sheet(path: Path, sheet_xml: str, name: str = "xl/worksheets/sheet1.xml") -> Path:
    """A workbook from openpyxl with its first sheet's XML replaced."""
    source = write_submission(path.with_suffix(".bron.xlsx"), placements=[placement(BSN[0])])
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr(name, sheet_xml)
            else:
                target.writestr(item, data)
    return path


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def test_a_number_beyond_the_row_limit_is_seen_while_streaming(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>BSN</t></is></c></row>'
    rows += '<row r="12"><c r="A12"><v>5</v></c></row>'
    path = zipped_sheet(tmp_path / "ver.xlsx", SHEET.format(rows=rows))
    assert unreadable(path, ReadLimits(max_rows_per_sheet=11)).reason_nl == (
        "een blad heeft gegevens op rij 12; maximaal 11 rijen per blad worden verwerkt"
    )


def test_a_zip_writer_with_backslashes_is_checked_as_well(tmp_path: Path) -> None:
    rows = '<row r="12"><c r="A12"><v>5</v></c></row>'
    path = zipped_sheet(
        tmp_path / "windows.xlsx", SHEET.format(rows=rows), name="xl\\worksheets\\sheet1.xml"
    )
    assert unreadable(path, ReadLimits(max_rows_per_sheet=11)).reason_nl == (
        "een blad heeft gegevens op rij 12; maximaal 11 rijen per blad worden verwerkt"
    )


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="11"><c r="A11"><v>5</v></c></row>',  # data exactly on the last row allowed
        '<row r="40" ht="30" customHeight="1"/>',  # formatted but empty, beyond the limit
        "<row><c><v>5</v></c></row>",  # no row number written
    ],
)
def test_rows_that_do_not_break_the_row_limit(tmp_path: Path, rows: str) -> None:
    path = zipped_sheet(tmp_path / "grens.xlsx", SHEET.format(rows=rows))
    grids = read_workbook(path, ReadLimits(max_rows_per_sheet=11))
    assert [grid.name for grid in grids] == ["Plaatsingen"]


def test_broken_sheet_xml_is_a_damaged_file(tmp_path: Path) -> None:
    path = zipped_sheet(tmp_path / "kapot.xlsx", "<worksheet><sheetData><row r=")
    assert unreadable(path).reason_nl == (
        "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen"
    )


def test_a_workbook_exactly_at_the_unpacked_limit_is_read(tmp_path: Path) -> None:
    path = write_submission(tmp_path / "q3.xlsx", placements=[placement(BSN[0])])
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    exact = ReadLimits(max_unpacked_megabytes=unpacked / MEGABYTE)
    assert exact.max_unpacked_bytes == unpacked
    assert read_workbook(path, exact)
    smaller = ReadLimits(max_unpacked_megabytes=(unpacked - 1) / MEGABYTE)
    assert unreadable(path, smaller).reason_nl.startswith("het bestand pakt uit tot 0 MB")


def ods_rows(count: int) -> list[list[Any]]:
    header = ["BSN", "Naam", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"]
    bsns = valid_bsns(count, start=500_000_000)
    return [header] + [[bsn, "Jan", date(1980, 1, 1), "WIA", date(2025, 1, 1), 36] for bsn in bsns]


def test_an_opendocument_sheet_exactly_at_the_row_limit_is_read_whole(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "lijst.ods", {"Plaatsingen": ods_rows(9)})
    (grid,) = read_workbook(path, ReadLimits(max_rows_per_sheet=10))
    assert len(grid.rows) == 10
    assert grid.rows[9][0] == valid_bsns(9, start=500_000_000)[8]


def test_an_opendocument_sheet_over_the_row_limit_is_refused(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "lijst.ods", {"Plaatsingen": ods_rows(10)})
    assert unreadable(path, ReadLimits(max_rows_per_sheet=10)).reason_nl == (
        "blad 'Plaatsingen' heeft 11 rijen; maximaal 10 worden verwerkt"
    )


def test_chart_and_hidden_sheets_before_the_data_are_passed_over(tmp_path: Path) -> None:
    workbook = Workbook()
    hidden = workbook.active
    assert hidden is not None
    hidden.title = "Keuzelijsten"
    hidden["A1"] = "WIA"
    hidden.sheet_state = "hidden"
    workbook.create_chartsheet("Grafiek")
    write_table(workbook.create_sheet("Plaatsingen"), PLACEMENT_HEADERS, [placement(BSN[0])], 1)
    write_table(workbook.create_sheet("Inkoop"), PURCHASE_HEADERS, [purchase("F-1")], 1)
    path = save(workbook, tmp_path / "q3.xlsx")
    assert [(g.name, g.hidden) for g in read_workbook(path, LIMITS)] == [
        ("Plaatsingen", False),
        ("Inkoop", False),
    ]
    every = read_workbook(path, LIMITS, include_hidden=True)
    assert [(g.name, g.hidden) for g in every] == [
        ("Keuzelijsten", True),
        ("Plaatsingen", False),
        ("Inkoop", False),
    ]


# --- the contract register ----------------------------------------------------------------------

CATALOG = load_catalog()


def csv_register(path: Path, rows: list[str], encoding: str) -> Path:
    header = "Contractnummer;Opdrachtnemer;Gemeente;Opdrachtsom;Startdatum;Einddatum;Regeling"
    path.write_bytes("\r\n".join([header, *rows]).encode(encoding))
    return path


def test_a_csv_register_saved_by_excel_on_windows(tmp_path: Path) -> None:
    path = csv_register(
        tmp_path / "contracten.csv",
        [
            "TW-1;Café de Zon B.V.;Enschede;1.000.000,00;01-01-2025;31-12-2026;twente",
            "TW-2;Bouw B.V., afd. Oost;Hengelo;250.000;01-01-2025;31-12-2025;twente",
        ],
        "cp1252",
    )
    tables = read_register(path)
    assert tables.file == "contracten.csv"
    register = validate_register(tables, CATALOG)
    assert register.problems == ()
    assert [(c.contract_id, c.contractor, c.contract_value) for c in register.contracts] == [
        ("TW-1", "Café de Zon B.V.", Decimal("1000000.00")),
        ("TW-2", "Bouw B.V., afd. Oost", Decimal(250000)),
    ]


def test_a_csv_register_in_another_code_page_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "contracten.csv"
    header = "Contractnummer;Opdrachtnemer;Gemeente;Opdrachtsom;Startdatum;Einddatum;Regeling"
    row = "TW-1;Bouw\x81 B.V.;Enschede;1000000;01-01-2025;31-12-2026;twente"
    path.write_bytes(f"{header}\r\n{row}".encode("latin-1"))
    (contract,) = validate_register(read_register(path), CATALOG).contracts
    assert contract.contractor == "Bouw\x81 B.V."


def test_a_csv_register_row_may_stop_early(tmp_path: Path) -> None:
    path = csv_register(
        tmp_path / "contracten.csv",
        ["TW-1;Bouw B.V.;Enschede;1000000;01-01-2025;31-12-2026;twente", "TW-2;Bouw B.V."],
        "utf-8",
    )
    register = validate_register(read_register(path), CATALOG)
    assert [c.contract_id for c in register.contracts] == ["TW-1"]
    assert register.problems == (
        RegisterProblem(
            "contracten",
            3,
            "Gemeente ontbreekt; Opdrachtsom ontbreekt; Startdatum ontbreekt; Einddatum "
            "ontbreekt; Regeling ontbreekt",
        ),
    )


def test_a_csv_without_the_register_header_names_its_sheet(tmp_path: Path) -> None:
    path = tmp_path / "contracten.csv"
    path.write_text("Nummer;Naam\nTW-1;Bouw\n", encoding="utf-8")
    with pytest.raises(RegisterError) as raised:
        read_register(path)
    assert str(raised.value) == (
        f"{path}: sheet 'contracten' has no header row with Contractnummer and Opdrachtsom in "
        "its first 20 rows"
    )


def test_the_register_sheet_is_found_by_name_else_the_first(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Toelichting"
    notes["A1"] = "Contractregister"
    write_table(workbook.create_sheet("Contracten"), REGISTER_HEADERS, [contract_row("TW-1")], 1)
    assert read_register(save(workbook, tmp_path / "a.xlsx")).contracts.sheet == "Contracten"
    unnamed = Workbook()
    first = unnamed.active
    assert first is not None
    first.title = "Blad1"
    write_table(first, REGISTER_HEADERS, [contract_row("TW-1")], 1)
    unnamed.create_sheet("Notities")["A1"] = "niets"
    assert read_register(save(unnamed, tmp_path / "b.xlsx")).contracts.sheet == "Blad1"


def test_register_files_that_cannot_be_used(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(RegisterError) as raised:
        read_register(empty)
    assert str(raised.value) == f"{empty}: het bestand is leeg (0 bytes)"
    workbook = Workbook()
    hidden = workbook.active
    assert hidden is not None
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Zichtbaar")
    workbook.active = 1
    path = save(workbook, tmp_path / "verborgen.xlsx")
    workbook = load_workbook(path)
    workbook["Zichtbaar"].sheet_state = "hidden"
    workbook["Sheet"].sheet_state = "visible"
    workbook["Sheet"].sheet_state = "hidden"
    workbook.create_chartsheet("Grafiek")
    hidden_only = save(workbook, tmp_path / "alleen-verborgen.xlsx")
    with pytest.raises(RegisterError) as raised:
        read_register(hidden_only)
    assert str(raised.value) == f"{hidden_only}: no visible sheet"


def test_a_participants_sheet_without_its_header(tmp_path: Path) -> None:
    path = write_register(tmp_path / "contracts.xlsx", [contract_row("TW-1")])
    workbook = load_workbook(path)
    workbook.create_sheet("Deelnemers")["A1"] = "Gemeente Enschede 100%"
    save(workbook, path)
    with pytest.raises(RegisterError) as raised:
        read_register(path)
    assert str(raised.value) == (
        f"{path}: sheet 'Deelnemers' has no header row with Contractnummer, Gemeente and Aandeel"
    )


# --- PDF invoices ---------------------------------------------------------------------------------


def pdf(path: Path, body: str) -> Path:
    from weasyprint import HTML  # noqa: PLC0415 - only these tests need Pango

    HTML(string=f"<html><body>{body}</body></html>").write_pdf(path)
    return path


INVOICE = """<p>Werkbedrijf Amstelland B.V.<br>KvK 34567890</p>
<p>Factuurnummer: 2025-118<br>Factuurdatum: 03-06-2025</p>
<p>Totaal excl. BTW € 1.250,50<br>BTW 21% € 262,61<br>Totaal € 1.513,11</p>"""


def read(path: Path, limits: ReadLimits = LIMITS) -> InvoiceFields:
    parsed = read_submission(path, limits)
    assert isinstance(parsed, InvoiceFields)
    return parsed


def test_a_plain_invoice_is_read_whole(tmp_path: Path) -> None:
    fields = read(pdf(tmp_path / "factuur.pdf", INVOICE))
    assert fields == InvoiceFields(
        file="factuur.pdf",
        pages=1,
        supplier="Werkbedrijf Amstelland B.V.",
        kvk="34567890",
        vat_number=None,
        iban=None,
        invoice_number="2025-118",
        invoice_date=date(2025, 6, 3),
        amount_excl_vat=Decimal("1250.50"),
        vat=Decimal("262.61"),
        total=Decimal("1513.11"),
        currency="EUR",
        warnings=(),
    )


def test_junk_before_the_pdf_header_beyond_the_first_kilobyte(tmp_path: Path) -> None:
    real = pdf(tmp_path / "echt.pdf", INVOICE).read_bytes()
    padded = tmp_path / "mail.pdf"
    padded.write_bytes(b"x" * 1100 + real)
    assert unreadable(padded).reason_nl == (
        "het bestand is geen PDF-bestand, al eindigt de naam op .pdf"
    )


def test_a_file_read_as_invoice_that_is_no_pdf(tmp_path: Path) -> None:
    bare = tmp_path / "factuur"
    bare.write_bytes(b"Beste klant, hierbij de factuur.")
    with pytest.raises(UnreadableFile) as raised:
        read_invoice_pdf(bare, LIMITS)
    assert (raised.value.reason_nl, raised.value.path) == ("het bestand is geen PDF-bestand", bare)


def minimal_pdf(trailer: bytes = b"") -> bytes:
    """A one-page PDF without text, written by hand with a classic cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            minimal_pdf(b"/Encrypt << /Filter /Geheim /V 1 >> /ID [<01> <01>]"),
            "de PDF is beveiligd met een wachtwoord; lever een onbeveiligde PDF aan",
        ),
        (
            b"%PDF-1.4\n" + b"\x00stuk" * 80,
            "de PDF is beschadigd en kan niet worden gelezen; vraag om een nieuwe PDF",
        ),
        (
            minimal_pdf(),
            "de PDF heeft geen tekstlaag (gescand document?); lever een digitale factuur aan",
        ),
    ],
)
def test_pdfs_that_cannot_be_used(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "factuur.pdf"
    path.write_bytes(content)
    assert unreadable(path).reason_nl == reason


def test_a_two_page_invoice_within_and_over_the_page_limit(tmp_path: Path) -> None:
    body = INVOICE.replace("<p>Factuurnummer", '<p style="break-before: page">Factuurnummer')
    path = pdf(tmp_path / "twee.pdf", body)
    fields = read(path, ReadLimits(max_pdf_pages=2))
    assert (fields.pages, fields.invoice_number, fields.total) == (
        2,
        "2025-118",
        Decimal("1513.11"),
    )
    assert unreadable(path, ReadLimits(max_pdf_pages=1)).reason_nl == (
        "de PDF heeft 2 pagina's; per factuur worden er maximaal 1 verwerkt"
    )


def test_an_invoice_without_any_currency_sign_is_in_euro(tmp_path: Path) -> None:
    body = """<p>FACTUUR</p><p>Factuurnummer: 2025-118.<br>Factuurdatum: 03-06-2025</p>
    <p>Totaal excl. BTW 1.250,50<br>btw 21% 262,61<br>Totaal 1.513,11</p>"""
    fields = read(pdf(tmp_path / "kaal.pdf", body))
    assert (fields.currency, fields.invoice_number, fields.vat, fields.warnings) == (
        "EUR",
        "2025-118",
        Decimal("262.61"),
        (),
    )


def test_the_sign_beside_the_total_wins_over_other_currency_words(tmp_path: Path) -> None:
    body = """<p>INVOICE Factuurnummer: US-77<br>Factuurdatum: 03-06-2025</p>
    <p>Koers: 1 EUR = 1,08 USD</p><p>Totaal USD 1.513,11</p>"""
    fields = read(pdf(tmp_path / "usd.pdf", body))
    assert fields.currency == "USD"
    assert "de bedragen op de factuur zijn in USD, niet in euro" in fields.warnings


def test_a_missing_vat_amount_is_computed_with_a_note(tmp_path: Path) -> None:
    body = """<p>Factuurnummer: 2025-118<br>Factuurdatum: 03-06-2025</p>
    <p>Totaal excl. BTW € 1.250,50<br>Totaal € 1.513,11</p>"""
    fields = read(pdf(tmp_path / "zonder-btw.pdf", body))
    assert fields.vat == Decimal("262.61")
    assert fields.warnings == (
        "BTW-bedrag niet gevonden; berekend als totaal min bedrag exclusief BTW",
    )


def test_only_an_amount_excl_vat(tmp_path: Path) -> None:
    body = "<p>Factuurnummer: 2025-118<br>Factuurdatum: 03-06-2025</p><p>Excl. BTW € 1.250,50</p>"
    fields = read(pdf(tmp_path / "alleen-excl.pdf", body))
    assert (fields.amount_excl_vat, fields.vat, fields.total, fields.warnings) == (
        Decimal("1250.50"),
        None,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("total", "warnings"),
    [
        ("1.513,12", ()),  # a cent off: rounding
        (
            "1.513,13",
            (
                "bedragen op de factuur tellen niet op: € 1.250,50 exclusief BTW plus € 262,61 "
                "BTW is € 1.513,11, maar het totaal is € 1.513,13",
            ),
        ),
    ],
)
def test_amounts_that_do_not_add_up_to_the_cent(
    tmp_path: Path, total: str, warnings: tuple[str, ...]
) -> None:
    body = INVOICE.replace("Totaal € 1.513,11", f"Totaal € {total}")
    assert read(pdf(tmp_path / "som.pdf", body)).warnings == warnings


def test_vat_lines_per_rate_once_each_or_the_total_vat_line(tmp_path: Path) -> None:
    per_rate = """<p>Factuurnummer: 7<br>Factuurdatum: 03-06-2025</p>
    <p>Totaal excl. BTW € 1.000,00<br>BTW 9% € 50,00<br>BTW 21% € 50,00</p>
    <p>Samenvatting: 21 % BTW € 50,00</p><p>Totaal € 1.100,00</p>"""
    assert read(pdf(tmp_path / "tarieven.pdf", per_rate)).vat == Decimal("100.00")
    with_total = per_rate.replace("<p>Samenvatting: 21 % BTW € 50,00</p>", "")
    with_total = with_total.replace("<p>Totaal €", "<p>Totaal BTW € 100,00<br>Totaal €")
    assert read(pdf(tmp_path / "totaal-btw.pdf", with_total)).vat == Decimal("100.00")


def test_registration_numbers_with_spaces_and_an_unknown_vat_country(tmp_path: Path) -> None:
    body = """<p>Stichting Leerwerkbedrijf Oost<br>KvK 34 56 78 90<br>
    BTW-nummer: XY 1234 5678 9</p><p>Factuurnummer: A-1<br>Factuurnummer: A-2</p>
    <p>Totaal € 1.513,11</p>"""
    fields = read(pdf(tmp_path / "stichting.pdf", body))
    assert (fields.supplier, fields.kvk, fields.vat_number, fields.invoice_number) == (
        "Stichting Leerwerkbedrijf Oost",
        "34567890",
        "XY123456789",
        "A-1",
    )
    assert fields.warnings == (
        "de factuur noemt meer dan één factuurnummer (A-1, A-2); A-1 is gebruikt",
        "geen factuurdatum gevonden",
        "BTW-nummer XY123456789 lijkt niet te kloppen (controle mislukt)",
    )


def test_without_a_number_the_invoice_says_so(tmp_path: Path) -> None:
    body = "<p>Werkbedrijf Amstelland B.V.</p><p>Datum: 03-06-2025</p><p>Totaal € 1.513,11</p>"
    fields = read(pdf(tmp_path / "zonder-nummer.pdf", body))
    assert (fields.invoice_number, fields.invoice_date) == (None, date(2025, 6, 3))
    assert fields.warnings == ("geen factuurnummer gevonden",)


@pytest.mark.parametrize(
    ("party", "supplier"),
    [
        ("Leverancier:Werkbedrijf Amstelland", "Werkbedrijf Amstelland"),
        ("Leverancier: - Werkbedrijf Amstelland;", "Werkbedrijf Amstelland"),
        ("Leverancier: Xerox Nederland B.V.", "Xerox Nederland B.V."),
        ("Leverancier: 12345<br>Crediteur: Werkbedrijf Oost", "Werkbedrijf Oost"),
        ("Leverancier: *Werkbedrijf Amstelland*", "Werkbedrijf Amstelland"),
    ],
)
def test_the_supplier_from_its_party_label(tmp_path: Path, party: str, supplier: str) -> None:
    body = f"<p>{party}</p><p>Factuurnummer: 2025-118</p><p>Totaal € 1.513,11</p>"
    assert read(pdf(tmp_path / "partij.pdf", body)).supplier == supplier


def test_no_amount_in_a_dutch_invoice_in_capitals(tmp_path: Path) -> None:
    body = "<p>FACTUUR</p><p>Factuurnummer: 2025-118</p><p>TOTAAL: volgt</p>"
    assert unreadable(pdf(tmp_path / "zonder-bedrag.pdf", body)).reason_nl == (
        "er staat geen leesbaar bedrag in de PDF (geen totaalbedrag en geen bedrag exclusief "
        "BTW gevonden); lever een Nederlandse factuur met totaalbedrag aan"
    )


# --- values printed under their labels (a header row with the values on the row below) -----------

COLUMNS = "<style>td { padding: 2px 12px; font-size: 11pt }</style>"


def test_values_printed_under_their_labels(tmp_path: Path) -> None:
    body = f"""{COLUMNS}<p>Werkbedrijf Amstelland B.V.</p>
    <table><tr><td>Klant</td><td>FACTUURDATUM</td><td>Factuurnummer</td><td>Pagina</td></tr>
    <tr><td>K-77</td><td>8-9-2022</td><td>VF1005193039</td><td>1</td></tr></table>
    <table><tr><td>Grondslag</td><td>BTW bedrag</td><td>Factuur totaal</td></tr>
    <tr><td>€ 41,31</td><td>€ 8,68</td><td>€ 49,99</td></tr></table>"""
    fields = read(pdf(tmp_path / "kolommen.pdf", body))
    assert (fields.invoice_number, fields.invoice_date) == ("VF1005193039", date(2022, 9, 8))
    assert (fields.amount_excl_vat, fields.vat, fields.total) == (
        Decimal("41.31"),
        Decimal("8.68"),
        Decimal("49.99"),
    )
    assert fields.warnings == ()


def test_a_number_label_at_the_end_of_a_header_row(tmp_path: Path) -> None:
    body = f"""{COLUMNS}<p>Werkbedrijf Amstelland B.V.</p>
    <table><tr><td>Factuurdatum</td><td>Factuurnummer</td></tr>
    <tr><td>8-9-2022</td><td>VF1005193039</td></tr></table><p>Totaal € 49,99</p>"""
    assert read(pdf(tmp_path / "kolommen.pdf", body)).invoice_number == "VF1005193039"


def test_a_damaged_compressed_sheet_is_a_damaged_file(tmp_path: Path) -> None:
    """Regression: bytes damaged inside a sheet's compressed data raised zlib.error (an
    internal error) instead of the Dutch reason."""
    path = tmp_path / "beschadigd.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in range(1, 40):
        sheet.append([f"tekst {row}" * 5, row])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for index in range(start + 5, start + 40):
        data[index] ^= 0xFF
    path.write_bytes(bytes(data))
    assert unreadable(path).reason_nl == (
        "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen"
    )
