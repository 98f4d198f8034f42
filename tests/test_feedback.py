"""The feedback workbook for the contractor: annotated copy, summary sheet, formula injection,
and originals that openpyxl cannot open (.xls, and real .xlsx files from calamine's tests).

The tests of the copy run against both writers: the package writer (the default for an
ordinary .xlsx, here forced so that a test fails when it would fall back) and openpyxl."""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from reporting.feedback import (
    FeedbackLine,
    FeedbackSummary,
    HeaderRow,
    write_feedback_workbook,
    write_package,
    write_with_openpyxl,
)
from reporting.spreadsheet import EURO_FORMAT, neutralise
from tests.builders import (
    PLACEMENT_HEADERS,
    PURCHASE_HEADERS,
    placement,
    purchase,
    valid_bsns,
    write_table,
)
from tests.conftest import REALDATA
from validators.lines import LineStatus

RED, YELLOW, GREEN = "FFC7CE", "FFEB9C", "C6EFCE"
BSNS = valid_bsns(3)
NAMES = ("Jan de Vries", "Fatima El Amrani", "Pieter Jansen")
INJECTED = '=HYPERLINK("https://example.org/x";"klik hier")'
PLACEMENT_LAST_COLUMN = len(PLACEMENT_HEADERS)  # O
PURCHASE_LAST_COLUMN = len(PURCHASE_HEADERS)  # G

SUMMARY = FeedbackSummary(
    contract_id="TW-2025-014",
    contractor="Bouwbedrijf Ter Horst B.V.",
    file="Q3 2026 Ter Horst.xlsx",
    quarter_label="3e kwartaal 2026",
    processed_on=date(2026, 10, 5),
    unchanged=4,
)


def _line(
    sheet: str,
    row: int,
    status: str,
    reasons: Sequence[str] = (),
    warnings: Sequence[str] = (),
    value: str = "0",
) -> FeedbackLine:
    return FeedbackLine(
        sheet, row, LineStatus(status), tuple(reasons), tuple(warnings), Decimal(value)
    )


LINES = (
    _line(
        "Plaatsingen",
        6,
        "accepted",
        warnings=("KvK-nummer 1234567 klopt niet (controlegetal)",),
        value="1234.565",
    ),
    _line(
        "Plaatsingen",
        7,
        "rejected",
        reasons=(INJECTED, "BSN voldoet niet aan de 11-proef"),
    ),
    _line("Plaatsingen", 8, "pending", reasons=("wacht op goedkeuring door de gemeente",)),
    _line("Inkoop", 4, "accepted", value="2500.00"),
    _line("Inkoop", 5, "rejected", reasons=("factuur 2026-17 is al eerder opgevoerd",)),
)
HEADERS = (
    HeaderRow("Plaatsingen", 5, PLACEMENT_LAST_COLUMN),
    HeaderRow("Inkoop", 3, PURCHASE_LAST_COLUMN),
)


def _submission(path: Path) -> Path:
    """As a contractor sends it: title, Contractnummer, formatted headers, a note, a total."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet["A1"] = "SROI-verantwoording 3e kwartaal 2026"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A2"] = "Contractnummer"
    sheet["B2"] = "TW-2025-014"
    rows = [
        placement(number, Naam=name, Startdatum=date(2026, 7, day))
        for number, name, day in zip(BSNS, NAMES, (1, 6, 13), strict=True)
    ]
    write_table(sheet, PLACEMENT_HEADERS, rows, first_row=5)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color="DDDDDD", end_color="DDDDDD")
    sheet["A10"] = "* ingevuld door de opdrachtnemer"
    sheet["A11"] = "Totaal uren"
    sheet["H11"] = "=SUM(H6:H8)"
    purchases = workbook.create_sheet("Inkoop")
    purchases["A1"] = "Inkoop bij sociale ondernemingen"
    write_table(
        purchases,
        PURCHASE_HEADERS,
        [purchase("2026-11"), purchase("2026-17", Factuurdatum="14-08-2026")],
        first_row=3,
    )
    workbook.save(path)
    return path


@pytest.fixture
def original_path(tmp_path: Path) -> Path:
    (tmp_path / "inbox").mkdir()
    return _submission(tmp_path / "inbox" / "Q3 2026 Ter Horst.xlsx")


Writer = Callable[..., Path]
"""write_feedback_workbook or one of the two writers it chooses from."""
WRITERS: dict[str, Writer] = {"package": write_package, "openpyxl": write_with_openpyxl}


@pytest.fixture(params=sorted(WRITERS))
def write(request: pytest.FixtureRequest) -> Writer:
    return WRITERS[request.param]


@pytest.fixture
def feedback(original_path: Path, tmp_path: Path, write: Writer) -> Path:
    destination = tmp_path / "feedback" / "TW-2025-014" / "Q3 2026 Ter Horst.xlsx"
    return write(original_path, destination, HEADERS, LINES, SUMMARY)


def _fill(cell: Any) -> str | None:
    """The RGB of a solid fill, without the alpha byte; None for no fill."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.start_color.rgb)[-6:]


def _summary_values(path: Path) -> dict[str, Any]:
    sheet = load_workbook(path)["Samenvatting"]
    return {
        str(label): value
        for label, value, *_ in sheet.iter_rows(min_col=1, max_col=2, values_only=True)
        if label is not None
    }


def _problem_rows(path: Path) -> list[tuple[Any, ...]]:
    rows = list(load_workbook(path)["Samenvatting"].iter_rows(max_col=4, values_only=True))
    start = rows.index(("Blad", "Rij", "Status", "Toelichting"))
    return [row for row in rows[start + 1 :] if any(value is not None for value in row)]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_xml(path: Path, title: str) -> str:
    """The worksheet XML of the sheet called `title`, found through the workbook's
    relationships (the package writer adds the summary as a new part, openpyxl renumbers)."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        sheet = next(s for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == title)
        target = next(
            r.get("Target", "") for r in relationships if r.get("Id") == sheet.get(_RELATIONSHIP_ID)
        )
        # openpyxl writes targets from the package root, Excel relative to xl/
        return archive.read(posixpath.normpath(posixpath.join("xl", target)).lstrip("/")).decode()


# --- the annotated copy --------------------------------------------------------------------


def test_status_and_reason_columns_follow_each_table(feedback: Path) -> None:
    workbook = load_workbook(feedback)
    sheet = workbook["Plaatsingen"]
    status, note = PLACEMENT_LAST_COLUMN + 1, PLACEMENT_LAST_COLUMN + 2
    assert sheet.cell(5, status).value == "Status"
    assert sheet.cell(5, note).value == "Toelichting"
    assert sheet.cell(5, status).font.bold  # looks like the contractor's own headers
    assert [sheet.cell(row, status).value for row in (6, 7, 8)] == [
        "geaccepteerd",
        "afgewezen",
        "in behandeling",
    ]
    assert sheet.cell(6, note).value == "KvK-nummer 1234567 klopt niet (controlegetal)"
    assert sheet.cell(7, note).value == f"'{INJECTED}; BSN voldoet niet aan de 11-proef"
    assert sheet.cell(8, note).value == "wacht op goedkeuring door de gemeente"

    purchases = workbook["Inkoop"]
    assert purchases.cell(3, PURCHASE_LAST_COLUMN + 1).value == "Status"
    assert purchases.cell(4, PURCHASE_LAST_COLUMN + 1).value == "geaccepteerd"
    assert purchases.cell(4, PURCHASE_LAST_COLUMN + 2).value is None
    assert purchases.cell(5, PURCHASE_LAST_COLUMN + 1).value == "afgewezen"
    assert purchases.cell(5, PURCHASE_LAST_COLUMN + 2).value == (
        "factuur 2026-17 is al eerder opgevoerd"
    )


def test_rows_that_are_not_lines_and_the_contractors_cells_stay_as_they_were(
    feedback: Path,
) -> None:
    sheet = load_workbook(feedback)["Plaatsingen"]
    assert sheet["A1"].value == "SROI-verantwoording 3e kwartaal 2026"
    assert sheet["A1"].font.bold
    assert (sheet["A2"].value, sheet["B2"].value) == ("Contractnummer", "TW-2025-014")
    assert sheet["A10"].value == "* ingevuld door de opdrachtnemer"
    assert sheet["H11"].value == "=SUM(H6:H8)"  # the contractor's formula is kept as a formula
    assert sheet["C6"].value == NAMES[0]  # the copy goes back to the contractor unchanged
    for row in (1, 2, 10, 11):
        assert sheet.cell(row, PLACEMENT_LAST_COLUMN + 1).value is None
        assert _fill(sheet.cell(row, 1)) is None


def test_rejected_rows_are_red_pending_yellow_and_accepted_only_a_green_status(
    feedback: Path,
) -> None:
    sheet = load_workbook(feedback)["Plaatsingen"]
    table_columns = range(1, PLACEMENT_LAST_COLUMN + 3)
    assert {_fill(sheet.cell(7, column)) for column in table_columns} == {RED}
    assert {_fill(sheet.cell(8, column)) for column in table_columns} == {YELLOW}
    assert _fill(sheet.cell(6, PLACEMENT_LAST_COLUMN + 1)) == GREEN
    assert {_fill(sheet.cell(6, column)) for column in range(1, PLACEMENT_LAST_COLUMN + 1)} == {
        None
    }
    assert _fill(sheet.cell(5, 1)) == "DDDDDD"  # the header keeps the contractor's fill


def test_annotation_moves_right_instead_of_overwriting_the_contractors_notes(
    original_path: Path, tmp_path: Path, write: Writer
) -> None:
    workbook = load_workbook(original_path)
    workbook["Plaatsingen"].cell(7, PLACEMENT_LAST_COLUMN + 1, "nagebeld op 3 oktober")
    workbook.save(original_path)

    result = write(original_path, tmp_path / "out.xlsx", HEADERS, LINES, SUMMARY)

    sheet = load_workbook(result)["Plaatsingen"]
    assert sheet.cell(7, PLACEMENT_LAST_COLUMN + 1).value == "nagebeld op 3 oktober"
    assert sheet.cell(5, PLACEMENT_LAST_COLUMN + 2).value == "Status"
    assert sheet.cell(7, PLACEMENT_LAST_COLUMN + 2).value == "afgewezen"


# --- the summary sheet ---------------------------------------------------------------------


def test_summary_sheet_comes_first_with_the_counts_and_the_value(feedback: Path) -> None:
    workbook = load_workbook(feedback)
    assert workbook.sheetnames == ["Samenvatting", "Plaatsingen", "Inkoop"]
    assert workbook.active is not None
    assert workbook.active.title == "Samenvatting"
    values = _summary_values(feedback)
    assert values["Contract"] == "TW-2025-014"
    assert values["Opdrachtnemer"] == "Bouwbedrijf Ter Horst B.V."
    assert values["Bestand"] == "Q3 2026 Ter Horst.xlsx"
    assert values["Kwartaal"] == "3e kwartaal 2026"
    assert values["Verwerkt op"] == "05-10-2026"
    assert values["Geaccepteerd"] == 2
    assert values["Afgewezen"] == 2
    assert values["In behandeling"] == 1
    assert values["Ongewijzigd (al eerder verwerkt)"] == 4
    assert values["Waarde dit kwartaal"] == pytest.approx(3734.57)  # 1234.565 rounds half up


def test_summary_value_is_a_number_shown_in_euros(feedback: Path) -> None:
    sheet = load_workbook(feedback)["Samenvatting"]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Waarde dit kwartaal")
    assert isinstance(cell.value, float)
    assert cell.number_format == EURO_FORMAT
    assert "€" in cell.number_format
    assert "#,##0.00" in cell.number_format


def test_summary_lists_every_problem_in_workbook_order_with_colours(feedback: Path) -> None:
    assert _problem_rows(feedback) == [
        (
            "Plaatsingen",
            7,
            "afgewezen",
            f"'{INJECTED}; BSN voldoet niet aan de 11-proef",
        ),
        ("Plaatsingen", 8, "in behandeling", "wacht op goedkeuring door de gemeente"),
        ("Inkoop", 5, "afgewezen", "factuur 2026-17 is al eerder opgevoerd"),
    ]
    sheet = load_workbook(feedback)["Samenvatting"]
    colours = {
        cell.value: _fill(cell)
        for cell in sheet["C"]
        if cell.value in {"afgewezen", "in behandeling"}
    }
    assert colours == {"afgewezen": RED, "in behandeling": YELLOW}


def test_summary_explains_the_colours(feedback: Path) -> None:
    sheet = load_workbook(feedback)["Samenvatting"]
    texts = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "rood" in texts
    assert "geel" in texts
    legend = {cell.value: _fill(cell) for cell in sheet["A"]}
    assert legend["afgewezen"] == RED
    assert legend["in behandeling"] == YELLOW
    assert legend["geaccepteerd"] == GREEN


def test_summary_without_problems_says_so(
    original_path: Path, tmp_path: Path, write: Writer
) -> None:
    accepted = [_line("Plaatsingen", 6, "accepted", value="100")]
    result = write(original_path, tmp_path / "ok.xlsx", HEADERS, accepted, SUMMARY)
    sheet = load_workbook(result)["Samenvatting"]
    column_a = [cell.value for cell in sheet["A"]]
    assert "Geen afgewezen regels of regels in behandeling." in column_a


def test_summary_sheet_holds_no_personal_numbers_or_names(feedback: Path) -> None:
    sheet = load_workbook(feedback)["Samenvatting"]
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    for secret in (*BSNS, *NAMES):
        assert not any(secret in text for text in texts), secret


def test_summary_sheet_gets_another_name_when_the_contractor_has_one(
    original_path: Path, tmp_path: Path, write: Writer
) -> None:
    workbook = load_workbook(original_path)
    workbook.create_sheet("samenvatting")["A1"] = "eigen overzicht"
    workbook.save(original_path)

    result = write(original_path, tmp_path / "out.xlsx", HEADERS, LINES, SUMMARY)

    names = load_workbook(result).sheetnames
    assert names[0] == "Terugkoppeling"
    assert "samenvatting" in names


# --- formula injection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+31 6 12345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1", INJECTED],
)
def test_text_that_starts_a_formula_gets_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["doelgroep '=HYPERLINK(\"x\")' komt niet voor", "wacht op goedkeuring", "", "#N/A"],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_characters_excel_cannot_store_are_dropped() -> None:
    assert neutralise("\x01=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


def test_a_reason_that_starts_a_formula_is_stored_as_text(feedback: Path) -> None:
    workbook = load_workbook(feedback, data_only=False)
    cell = workbook["Plaatsingen"].cell(7, PLACEMENT_LAST_COLUMN + 2)
    assert isinstance(cell.value, str)
    assert cell.data_type == "s"
    assert cell.value.startswith("'=HYPERLINK")
    assert _sheet_xml(feedback, "Samenvatting").count("<f>") == 0
    # The only formula on the annotated sheet is the contractor's own total.
    assert _sheet_xml(feedback, "Plaatsingen").count("<f>") == 1


def test_submitted_sheet_and_file_names_are_neutralised_too(tmp_path: Path, write: Writer) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "=Blad"
    sheet["A1"] = "Leverancier"
    workbook.save(tmp_path / "in.xlsx")
    summary = FeedbackSummary(
        "TW-1", "Bouw B.V.", "=cmd.xlsx", "3e kwartaal 2026", date(2026, 10, 5), 0
    )
    lines = [_line("=Blad", 2, "rejected", reasons=("#N/A",))]

    result = write(
        tmp_path / "in.xlsx", tmp_path / "out.xlsx", [HeaderRow("=Blad", 1, 1)], lines, summary
    )

    values = _summary_values(result)
    assert values["Bestand"] == "'=cmd.xlsx"
    assert _problem_rows(result) == [("'=Blad", 2, "afgewezen", "#N/A")]
    annotated = load_workbook(result)["=Blad"]
    assert annotated["C2"].value == "#N/A"
    assert annotated["C2"].data_type == "s"
    assert "<f>" not in _sheet_xml(result, "Samenvatting")


# --- originals openpyxl cannot open --------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_xls_original_is_rebuilt_from_its_values_and_annotated(tmp_path: Path) -> None:
    original = REALDATA / "readxl" / "deaths.xls"
    before = _sha256(original)
    lines = [
        _line("arts", 6, "rejected", reasons=("geboortedatum ontbreekt",)),
        _line("arts", 7, "pending", reasons=("=wacht op bewijs",)),
    ]
    destination = tmp_path / "feedback" / "C1" / "deaths.xlsx"

    result = write_feedback_workbook(
        original, destination, [HeaderRow("arts", 5, 6)], lines, SUMMARY
    )

    assert result == destination
    assert _sha256(original) == before
    workbook = load_workbook(result)
    assert workbook.sheetnames == ["Samenvatting", "arts", "other"]
    sheet = workbook["arts"]
    assert [cell.value for cell in sheet[5]] == [
        "Name",
        "Profession",
        "Age",
        "Has kids",
        "Date of birth",
        "Date of death",
        "Status",
        "Toelichting",
    ]
    assert sheet["A6"].value == "David Bowie"
    assert sheet["E6"].value == datetime(1947, 1, 8)
    assert sheet["E6"].number_format == "dd-mm-yyyy"
    assert (sheet["G6"].value, sheet["H6"].value) == ("afgewezen", "geboortedatum ontbreekt")
    assert (sheet["G7"].value, sheet["H7"].value) == ("in behandeling", "'=wacht op bewijs")
    assert sheet["G8"].value is None
    assert _fill(sheet["A6"]) == RED
    assert _fill(sheet["A7"]) == YELLOW
    assert "B4:E4" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert workbook["other"]["A6"].value == "Vera Rubin"
    assert "<f>" not in _sheet_xml(result, "arts")


@pytest.mark.parametrize(
    ("name", "error"),
    [("pivots.xlsx", TypeError), ("issue_530.xlsx", KeyError)],
)
def test_real_xlsx_that_openpyxl_cannot_open_is_rebuilt(
    name: str, error: type[Exception], tmp_path: Path
) -> None:
    original = REALDATA / "calamine" / name
    with pytest.raises(error):
        load_workbook(original)  # why the fallback exists
    sheet_name, header, first_column = {
        "pivots.xlsx": ("DataSheet", HeaderRow("DataSheet", 1, 10), 1),
        "issue_530.xlsx": ("出勤分类组织汇总表", HeaderRow("出勤分类组织汇总表", 4, 14), 3),
    }[name]
    lines = [_line(sheet_name, header.row + 1, "rejected", reasons=("onbekende doelgroep",))]

    result = write_feedback_workbook(original, tmp_path / "out.xlsx", [header], lines, SUMMARY)

    sheet = load_workbook(result)[sheet_name]
    status = header.last_column + 1
    assert sheet.cell(header.row, status).value == "Status"
    assert sheet.cell(header.row + 1, status).value == "afgewezen"
    assert sheet.cell(header.row + 1, status + 1).value == "onbekende doelgroep"
    # The fill starts where the table starts, not in column A.
    assert _fill(sheet.cell(header.row + 1, first_column)) == RED
    if first_column > 1:
        assert _fill(sheet.cell(header.row + 1, first_column - 1)) is None


def test_pivots_workbook_keeps_all_its_sheets(tmp_path: Path) -> None:
    original = REALDATA / "calamine" / "pivots.xlsx"
    result = write_feedback_workbook(original, tmp_path / "out.xlsx", [], [], SUMMARY)
    workbook = load_workbook(result)
    assert workbook.sheetnames == [
        "Samenvatting",
        "PivotSheet1",
        "PivotSheet2",
        "PivotSheet3",
        "PivotSheet4",
        "DataSheet",
        "DataSheet2",
    ]
    assert workbook["DataSheet"]["B2"].value == "a"


# --- files ---------------------------------------------------------------------------------


def test_xlsm_original_becomes_a_plain_xlsx(
    original_path: Path, tmp_path: Path, write: Writer
) -> None:
    macro_named = original_path.with_suffix(".xlsm")
    original_path.rename(macro_named)
    result = write(macro_named, tmp_path / "out.xlsx", HEADERS, LINES, SUMMARY)
    with zipfile.ZipFile(result) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
        assert not any(name.endswith("vbaProject.bin") for name in archive.namelist())
    assert "macroEnabled" not in content_types
    assert load_workbook(result)["Plaatsingen"].cell(7, PLACEMENT_LAST_COLUMN + 1).value == (
        "afgewezen"
    )


@pytest.mark.parametrize("writer", [write_feedback_workbook, *WRITERS.values()])
def test_destination_must_be_xlsx(original_path: Path, tmp_path: Path, writer: Writer) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx"):
        writer(original_path, tmp_path / "out.xls", HEADERS, LINES, SUMMARY)


def test_same_input_gives_the_same_workbook_content(
    original_path: Path, tmp_path: Path, write: Writer
) -> None:
    def contents(path: Path) -> list[list[tuple[Any, ...]]]:
        workbook = load_workbook(path)
        return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]

    first = write(original_path, tmp_path / "a.xlsx", HEADERS, LINES, SUMMARY)
    second = write(original_path, tmp_path / "b.xlsx", HEADERS, LINES, SUMMARY)
    assert contents(first) == contents(second)
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def _damage_entry(path: Path, entry: str) -> None:
    """Flips bytes inside the compressed data of one zip entry (inflating it fails)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(entry)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(start + 2, start + min(20, info.compress_size - 2)):
        data[index] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_part_the_parsers_do_not_need_is_rebuilt_from_the_values(
    tmp_path: Path,
) -> None:
    """Regression: a damaged docProps/core.xml made openpyxl raise zlib.error, which ended as
    an internal error and no feedback; the parsers read the file, so the copy is rebuilt."""
    original = tmp_path / "in.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Lijst"
    sheet.append(["Naam", "Uren"])
    sheet.append(["Persoon 2", 8])
    workbook.save(original)
    _damage_entry(original, "docProps/core.xml")
    lines = [_line("Lijst", 2, "rejected", reasons=("onbekende doelgroep",))]

    for writer in (write_feedback_workbook, write_with_openpyxl):
        result = writer(
            original,
            tmp_path / f"{writer.__name__}.xlsx",
            [HeaderRow("Lijst", 1, 2)],
            lines,
            SUMMARY,
        )
        copy = load_workbook(result)["Lijst"]
        assert [cell.value for cell in copy[2]][:4] == [
            "Persoon 2",
            8,
            "afgewezen",
            "onbekende doelgroep",
        ]
