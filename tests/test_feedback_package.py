"""The package writer of the feedback workbook (reporting/feedback/package/) against the openpyxl
writer: the same workbook for the contractor, cell by cell, on generated and demo workbooks,
hand-made ones with the awkward parts (a table not in column A, notes beside it, two tables on
a sheet, hidden sheets, a "Samenvatting" of their own, local defined names, dates, shared
formulas, prefixed XML) and every real third-party workbook; and the packages it leaves to
openpyxl. Its output is checked as a package too (every part well-formed, every relationship
and content type in place) and read back by calamine, since LibreOffice is not at hand."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import python_calamine
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from domain.errors import FileRejected
from parsers import read_submission
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from parsers.workbook import read_workbook
from reporting.feedback import (
    FeedbackLine,
    FeedbackSummary,
    HeaderRow,
    NotSupported,
    write_feedback_workbook,
    write_package,
    write_with_openpyxl,
)
from reporting.feedback.package.markup import Edit, apply_edits, attribute, with_attribute
from reporting.feedback.package.scan import Scan
from reporting.feedback.package.worksheet import column_letter, column_number, parse_area
from reporting.feedback.summary_layout import unique_title
from sroi.demo.generator import write_demo_home
from sroi.demo.scaled import scaled_home
from tests.conftest import REALDATA
from validators.lines import LineStatus

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SUMMARY = FeedbackSummary(
    contract_id="TW-2025-014",
    contractor="Bouwbedrijf Ter Horst B.V.",
    file="werkboek.xlsx",
    quarter_label="3e kwartaal 2026",
    processed_on=date(2026, 10, 5),
    unchanged=1,
)
STATUSES = (LineStatus.REJECTED, LineStatus.ACCEPTED, LineStatus.PENDING)
EXPECTED_FALLBACKS = {
    "pivots.xlsx": "pivot tables",  # openpyxl cannot open it, nor a copy with its pivots
    "issue_530.xlsx": "backslashes",  # zip entries named xl\worksheets\...
}
"""The real workbooks the package writer leaves to openpyxl, and why."""

Lines = tuple[list[HeaderRow], list[FeedbackLine]]


# --- inputs -----------------------------------------------------------------------------------


def _line(sheet: str, row: int, index: int) -> FeedbackLine:
    """A line with a verdict that cycles over rejected, accepted and pending."""
    status = STATUSES[index % 3]
    reasons = (f"=reden {index}", "BSN klopt niet") if status is LineStatus.REJECTED else ()
    warnings = ("wacht op goedkeuring",) if status is LineStatus.PENDING else ()
    return FeedbackLine(
        sheet, row, status, reasons, warnings, Decimal("12.34"), unchanged=index % 7 == 6
    )


def parsed_lines(path: Path) -> Lines:
    """The tables the parser finds and a verdict for each of their rows."""
    parsed = read_submission(path, ReadLimits())
    assert isinstance(parsed, ParsedWorkbook)
    headers = [HeaderRow(t.sheet, t.header_row, t.last_column) for t in parsed.tables]
    rows = [(t.sheet, row.provenance.row) for t in parsed.tables for row in t.rows]
    return headers, [_line(sheet, row, i) for i, (sheet, row) in enumerate(rows) if row]


def invented_lines(path: Path) -> Lines:
    """For a workbook without our tables: on every worksheet the first filled row (of the
    first 30) is a header, and the three rows under it are lines."""
    headers: list[HeaderRow] = []
    lines: list[FeedbackLine] = []
    for grid in read_workbook(path, ReadLimits(), include_hidden=True):
        for number, row in enumerate(grid.rows[:30], start=1):
            filled = [i for i, value in enumerate(row, start=1) if value not in (None, "")]
            if filled:
                headers.append(HeaderRow(grid.name, number, max(filled)))
                lines += [_line(grid.name, number + 1 + i, i) for i in range(3)]
                break
    return headers, lines


def both(original: Path, folder: Path, inputs: Lines) -> tuple[Path, Path]:
    """The feedback of `original` by the package writer (no fallback) and by openpyxl."""
    headers, lines = inputs
    fast = write_package(original, folder / "package.xlsx", headers, lines, SUMMARY)
    slow = write_with_openpyxl(original, folder / "openpyxl.xlsx", headers, lines, SUMMARY)
    return fast, slow


# --- what the contractor sees ----------------------------------------------------------------


def _fill(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.start_color.rgb)[-6:]


def _width(sheet: Worksheet, column: int) -> float | None:
    """The width Excel shows: of the <col> that covers the column, if it sets one."""
    letter = column_letter(column)
    dimensions = sheet.column_dimensions
    if letter in dimensions and dimensions[letter].customWidth:
        return float(dimensions[letter].width)
    for dimension in dimensions.values():
        if dimension.customWidth and dimension.min and dimension.min <= column <= dimension.max:
            return float(dimension.width)
    return None


def _value(cell: Any) -> Any:
    # openpyxl drops a cell holding an empty text when it saves; the package keeps it
    return None if cell.value == "" else cell.value


def _differences(fast: Path, slow: Path) -> Iterator[str]:
    a, b = load_workbook(fast), load_workbook(slow)
    if a.sheetnames != b.sheetnames:
        yield f"sheets {a.sheetnames} != {b.sheetnames}"
        return
    if a.active is None or b.active is None or a.active.title != b.active.title:
        yield f"active sheet {a.active} != {b.active}"
    for name in b.sheetnames:
        x, y = a[name], b[name]
        if x.sheet_state != y.sheet_state:
            yield f"{name}: state {x.sheet_state} != {y.sheet_state}"
        if not isinstance(y, Worksheet) or not isinstance(x, Worksheet):
            continue
        yield from _sheet_differences(name, x, y)


def _sheet_differences(name: str, x: Worksheet, y: Worksheet) -> Iterator[str]:
    merged = ({str(r) for r in x.merged_cells.ranges}, {str(r) for r in y.merged_cells.ranges})
    if merged[0] != merged[1]:
        yield f"{name}: merged {merged[0] ^ merged[1]}"
    if x.print_area != y.print_area or set(x.defined_names) != set(y.defined_names):
        yield f"{name}: names {x.print_area} {set(x.defined_names)} != {set(y.defined_names)}"
    # Only the cells either has: a declared used range may be a whole sheet (issue_174.xlsx).
    places = sorted(set(x._cells) | set(y._cells))
    last_column = max((column for _, column in places), default=1)
    for column in range(1, min(last_column, 1000) + 1):
        widths = _width(x, column), _width(y, column)
        if widths[0] != widths[1]:
            yield f"{name}!{column_letter(column)}: widths {widths}"
    for row, column in places:
        p, q = x.cell(row, column), y.cell(row, column)
        where = f"{name}!{p.coordinate}"
        if _value(p) != _value(q):
            yield f"{where}: {p.value!r} != {q.value!r}"
        if _fill(p) != _fill(q):
            yield f"{where}: fill {_fill(p)} != {_fill(q)}"
        if bool(p.font.b) != bool(q.font.b):
            yield f"{where}: bold {p.font.b} != {q.font.b}"
        if p.number_format != q.number_format:
            yield f"{where}: format {p.number_format!r} != {q.number_format!r}"


def assert_same_for_the_contractor(fast: Path, slow: Path) -> None:
    """Sheet order, hidden state, active sheet, merged cells, print areas and local names,
    column widths, and per cell the value, fill colour, bold and number format."""
    differences = list(_differences(fast, slow))
    assert not differences, differences[:10]


# --- the package as a package -----------------------------------------------------------------


def _resolve(source: str, target: str) -> str:
    folder = source.rpartition("/")[0]
    joined = target if target.startswith("/") else f"{folder}/{target}"
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def assert_consistent_package(path: Path) -> None:
    """What Excel checks before it opens a file: every entry intact (CRC), every XML part
    well-formed, every part with a content type and every override a part, every internal
    relationship pointing at a part, unique sheet names and ids, local names and the active
    tab pointing at a sheet, and exactly one selected sheet: the first."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = {name.casefold(): name for name in archive.namelist()}
        trees = {
            name: ElementTree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }
    types = trees["[Content_Types].xml"]
    defaults = {d.get("Extension", "").casefold() for d in types if d.tag.endswith("Default")}
    overrides = {
        o.get("PartName", "").lstrip("/").casefold() for o in types if o.tag.endswith("Override")
    }
    assert overrides <= set(names), overrides - set(names)
    for folded, name in names.items():
        if not name.endswith("/") and name != "[Content_Types].xml":
            assert folded in overrides or folded.rpartition(".")[2] in defaults, name
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        source = name.replace("_rels/", "").removesuffix(".rels")
        for relationship in tree:
            if relationship.get("TargetMode") != "External":
                target = _resolve(source, relationship.get("Target", ""))
                assert target.casefold() in names, (name, target)
    _assert_consistent_workbook(trees)


def _assert_consistent_workbook(trees: dict[str, ElementTree.Element]) -> None:
    workbook = trees["xl/workbook.xml"]
    sheets = list(workbook.iter(f"{{{MAIN}}}sheet"))
    assert len({s.get("name", "").casefold() for s in sheets}) == len(sheets)
    assert len({s.get("sheetId") for s in sheets}) == len(sheets)
    for name in workbook.iter(f"{{{MAIN}}}definedName"):
        if name.get("localSheetId") is not None:
            assert int(name.get("localSheetId", "")) < len(sheets)
    for view in workbook.iter(f"{{{MAIN}}}workbookView"):
        assert int(view.get("activeTab", "0")) < len(sheets)
        assert int(view.get("firstSheet", "0")) < len(sheets)
    relationships = {r.get("Id"): r.get("Target", "") for r in trees["xl/_rels/workbook.xml.rels"]}
    parts = [
        _resolve("xl/workbook.xml", relationships[s.get(f"{{{RELATIONSHIPS}}}id")]) for s in sheets
    ]
    selected = [
        part
        for part in parts
        for view in trees[part].iter(f"{{{MAIN}}}sheetView")
        if view.get("tabSelected") in ("1", "true")
    ]
    assert selected == parts[:1]


RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def assert_calamine_reads(path: Path) -> list[Any]:
    """Every worksheet read by calamine (the reader of the parsers); returns the summary's rows."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = {
        meta.name: workbook.get_sheet_by_name(meta.name).to_python()
        for meta in workbook.sheets_metadata
        if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    }
    assert workbook.sheet_names[0] in ("Samenvatting", "Terugkoppeling")
    return list(rows[workbook.sheet_names[0]])


def assert_original_kept(original: Path, result: Path) -> None:
    """Every value of the original is in the feedback at its place (annotations aside)."""
    before, after = load_workbook(original), load_workbook(result)
    for sheet in before.worksheets:
        copy = after[sheet.title]
        assert isinstance(copy, Worksheet)
        # Only the cells the sheet has: iter_rows() walks the declared used range, which may
        # be a whole sheet of a million rows (issue_174.xlsx).
        for (row, column), cell in sorted(sheet._cells.items()):
            if cell.value not in (None, ""):
                assert copy.cell(row, column).value == cell.value, cell.coordinate


# --- generated and demo workbooks ------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A scaled demo home (as python -m bench.generate makes it): every contractor layout."""
    root = tmp_path_factory.mktemp("generated")
    write_demo_home(root, scaled_home(contracts=7, workbooks=14, invoices=0, seed=3))
    return sorted(path for path in (root / "inbox").rglob("*.xlsx") if _parses(path))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The inbox of `sroi init --demo`."""
    root = tmp_path_factory.mktemp("demo")
    write_demo_home(root)
    return sorted((root / "inbox").rglob("*.xlsx"))


def _parses(path: Path) -> bool:
    try:
        parsed_lines(path)
    except FileRejected:
        return False
    return True


def test_generated_workbooks_get_the_same_feedback_from_both_writers(
    generated: list[Path], tmp_path: Path
) -> None:
    layouts = set()
    for number, original in enumerate(generated):
        inputs = parsed_lines(original)
        layouts.add(tuple(load_workbook(original).sheetnames))
        folder = tmp_path / str(number)
        folder.mkdir()
        fast, slow = both(original, folder, inputs)
        assert_same_for_the_contractor(fast, slow)
        assert_consistent_package(fast)
        assert_calamine_reads(fast)
    assert len(generated) >= 10
    assert len(layouts) >= 3


def test_demo_workbooks_get_the_same_feedback_from_both_writers(
    demo: list[Path], tmp_path: Path
) -> None:
    readable = [path for path in demo if zipfile.is_zipfile(path)]
    assert len(readable) >= 10
    for number, original in enumerate(readable):
        inputs = parsed_lines(original) if _parses(original) else invented_lines(original)
        folder = tmp_path / str(number)
        folder.mkdir()
        fast, slow = both(original, folder, inputs)
        assert_same_for_the_contractor(fast, slow)
        assert_consistent_package(fast)


def test_a_file_that_is_no_workbook_is_refused_as_before(demo: list[Path], tmp_path: Path) -> None:
    (broken,) = [path for path in demo if not zipfile.is_zipfile(path)]
    with pytest.raises(NotSupported):
        write_package(broken, tmp_path / "a.xlsx", [], [], SUMMARY)
    with pytest.raises(FileRejected):
        write_feedback_workbook(broken, tmp_path / "b.xlsx", [], [], SUMMARY)


def test_the_package_writer_keeps_what_it_does_not_change_byte_for_byte(
    generated: list[Path], tmp_path: Path
) -> None:
    original = generated[0]
    result = write_package(original, tmp_path / "out.xlsx", *parsed_lines(original), SUMMARY)
    with zipfile.ZipFile(original) as before, zipfile.ZipFile(result) as after:
        theme = before.getinfo("xl/theme/theme1.xml")
        copied = after.getinfo("xl/theme/theme1.xml")
        assert (copied.CRC, copied.compress_size) == (theme.CRC, theme.compress_size)
        assert after.read("docProps/core.xml") == before.read("docProps/core.xml")
        assert len(set(after.namelist()) - set(before.namelist())) == 1  # the summary


def test_the_package_writer_gives_the_same_bytes_for_the_same_input(
    generated: list[Path], tmp_path: Path
) -> None:
    original = generated[1]
    inputs = parsed_lines(original)
    first = write_package(original, tmp_path / "a.xlsx", *inputs, SUMMARY)
    second = write_package(original, tmp_path / "b.xlsx", *inputs, SUMMARY)
    assert first.read_bytes() == second.read_bytes()


def test_an_ordinary_xlsx_takes_the_package_writer(
    generated: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> Path:
        raise AssertionError("copied with openpyxl")

    monkeypatch.setattr("reporting.feedback.write_with_openpyxl", refuse)
    for original in generated[:3]:
        destination = tmp_path / original.name
        write_feedback_workbook(original, destination, *parsed_lines(original), SUMMARY)
        assert load_workbook(destination).sheetnames[0] == "Samenvatting"


# --- hand-made workbooks with the awkward parts ----------------------------------------------

PLACEMENTS = ("Naam", "BSN", "Startdatum", "Einddatum", "Uren", "Opmerking")
THIN = Side(style="thin")


def _contractor_workbook(path: Path) -> Path:
    """A table from column C with dates, a note beside it, a second table under it, a merged
    title, a hidden and a very hidden sheet, a "Samenvatting" of the contractor's own, a print
    area and a name local to a later sheet, and a global name."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet["A1"] = "Verantwoording 3e kwartaal"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.merge_cells("A1:F1")
    for column, title in enumerate(PLACEMENTS, start=3):
        cell = sheet.cell(4, column, title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
        cell.border = Border(bottom=THIN)
    for row in range(5, 10):
        sheet.cell(row, 3, f"Persoon {row}")
        sheet.cell(row, 4, 999990000 + row)
        sheet.cell(row, 5, date(2026, 7, row)).number_format = "dd-mm-yyyy"
        sheet.cell(row, 7, 36)
        sheet.cell(row, 8).border = Border(left=THIN, right=THIN)
    sheet["I6"] = "nagebeld"  # a note beside the table, without a header
    sheet["C12"], sheet["D12"], sheet["E12"] = "Leverancier", "Factuur", "Bedrag"
    sheet["C13"], sheet["D13"], sheet["E13"] = "Groen B.V.", "2026-17", 1250.5
    sheet["C14"], sheet["D14"], sheet["E14"] = "Werk B.V.", "2026-18", 80
    sheet.column_dimensions["C"].width = 22
    hidden = workbook.create_sheet("Inkoop")
    hidden.sheet_state = "hidden"
    hidden["A1"], hidden["B1"] = "Factuur", "Bedrag"
    hidden["A2"], hidden["B2"] = "2026-01", 10
    hidden.print_area = "A1:B2"
    secret = workbook.create_sheet("Intern")
    secret.sheet_state = "veryHidden"
    secret["A1"] = "tarieven"
    own = workbook.create_sheet("Samenvatting")
    own["A1"] = "eigen overzicht"
    own.defined_names["totaal"] = DefinedName("totaal", attr_text="Samenvatting!$A$1")
    workbook.defined_names["contract"] = DefinedName("contract", attr_text="Plaatsingen!$C$5")
    workbook.save(path)
    return path


CONTRACTOR_LINES: Lines = (
    [
        HeaderRow("Plaatsingen", 4, 8),
        HeaderRow("Plaatsingen", 12, 5),
        HeaderRow("Inkoop", 1, 2),
    ],
    [
        *(_line("Plaatsingen", row, row) for row in range(5, 10)),
        _line("Plaatsingen", 13, 0),
        _line("Plaatsingen", 14, 2),
        _line("Inkoop", 2, 0),
        _line("Inkoop", 4, 2),  # a row that is not there yet
    ],
)


@pytest.fixture
def contractor(tmp_path: Path) -> Path:
    return _contractor_workbook(tmp_path / "werkboek.xlsx")


def test_awkward_workbook_gets_the_same_feedback_from_both_writers(
    contractor: Path, tmp_path: Path
) -> None:
    fast, slow = both(contractor, tmp_path, CONTRACTOR_LINES)
    assert_same_for_the_contractor(fast, slow)
    assert_consistent_package(fast)
    assert_original_kept(contractor, fast)
    summary_rows = assert_calamine_reads(fast)
    assert list(summary_rows[2][:2]) == ["Contract", "TW-2025-014"]


def test_awkward_workbook_annotations_land_where_they_should(
    contractor: Path, tmp_path: Path
) -> None:
    fast, _ = both(contractor, tmp_path, CONTRACTOR_LINES)
    workbook = load_workbook(fast)
    assert workbook.sheetnames == [
        "Terugkoppeling",
        "Plaatsingen",
        "Inkoop",
        "Intern",
        "Samenvatting",
    ]
    assert [workbook[name].sheet_state for name in workbook.sheetnames] == [
        "visible",
        "visible",
        "hidden",
        "veryHidden",
        "visible",
    ]
    sheet = workbook["Plaatsingen"]
    # the note in I6 pushes the annotation of the first table to J:K
    assert (sheet["I4"].value, sheet["J4"].value, sheet["K4"].value) == (
        None,
        "Status",
        "Toelichting",
    )
    assert sheet["J4"].font.b and _fill(sheet["J4"]) == "1F4E78"  # looks like the headers
    assert sheet["I6"].value == "nagebeld"
    assert [sheet.cell(row, 10).value for row in (5, 6, 7)] == [
        "in behandeling",
        "ongewijzigd (afgewezen)",  # row 6 was sent before
        "geaccepteerd",
    ]
    assert _fill(sheet["B5"]) is None and _fill(sheet["C5"]) == "FFEB9C"  # from column C
    assert sheet["H6"].border.left.style == "thin"  # the cell keeps its border under the fill
    assert sheet["E6"].number_format == "dd-mm-yyyy"
    # the second table has its own columns, right after it
    assert (sheet["F12"].value, sheet["F13"].value) == ("Status", "afgewezen")
    assert workbook["Inkoop"]["C4"].value == "in behandeling"
    assert workbook["Inkoop"].print_area == "'Inkoop'!$A$1:$B$2"
    assert "totaal" in workbook["Samenvatting"].defined_names
    assert workbook.defined_names["contract"].attr_text == "Plaatsingen!$C$5"


def test_the_summary_is_active_and_the_only_selected_sheet(
    contractor: Path, tmp_path: Path
) -> None:
    workbook = load_workbook(contractor)
    workbook.active = 1
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = True  # grouped, as a contractor may leave them
    workbook.save(contractor)
    fast, _ = both(contractor, tmp_path, CONTRACTOR_LINES)
    assert_consistent_package(fast)
    result = load_workbook(fast)
    assert result.active is not None
    assert result.active.title == "Terugkoppeling"


# --- packages edited at the XML level --------------------------------------------------------


def _rewrite(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """`path` with one part's text changed (the other entries copied)."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(
                info, change(data.decode()).encode() if info.filename == part else data
            )
    return path


def _simple_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Lijst"
    for column, title in enumerate(("Naam", "Uren", "Dubbel"), start=1):
        sheet.cell(1, column, title).font = Font(bold=True)
    for row in range(2, 6):
        sheet.cell(row, 1, f"Persoon {row}")
        sheet.cell(row, 2, row * 4)
        sheet.cell(row, 3, f"=B{row}*2")
    workbook.save(path)
    return path


SIMPLE_LINES: Lines = (
    [HeaderRow("Lijst", 1, 3)],
    [_line("Lijst", row, row - 2) for row in range(2, 6)],
)
"""Rows 2 to 5: rejected, accepted, pending, rejected."""


def test_a_worksheet_written_with_a_namespace_prefix(tmp_path: Path) -> None:
    def prefixed(xml: str) -> str:
        xml = re.sub(r"<(/?)([A-Za-z]+)([\s/>])", r"<\1x:\2\3", xml)
        return xml.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')

    original = _rewrite(
        _simple_workbook(tmp_path / "in.xlsx"), "xl/worksheets/sheet1.xml", prefixed
    )
    fast, slow = both(original, tmp_path, SIMPLE_LINES)
    assert_same_for_the_contractor(fast, slow)
    with zipfile.ZipFile(fast) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<x:c r="D2"' in sheet and "<c " not in sheet


def test_shared_formulas_are_kept(tmp_path: Path) -> None:
    def shared(xml: str) -> str:
        xml = xml.replace("<f>B2*2</f>", '<f t="shared" ref="C2:C5" si="0">B2*2</f>')
        return re.sub(r"<f>B([3-5])\*2</f>", '<f t="shared" si="0"/>', xml)

    original = _rewrite(_simple_workbook(tmp_path / "in.xlsx"), "xl/worksheets/sheet1.xml", shared)
    fast, slow = both(original, tmp_path, SIMPLE_LINES)
    assert_same_for_the_contractor(fast, slow)
    assert load_workbook(fast)["Lijst"]["C4"].value == "=B4*2"
    with zipfile.ZipFile(fast) as archive:
        assert archive.read("xl/worksheets/sheet1.xml").count(b't="shared"') == 4


def test_empty_cells_in_the_annotation_columns_are_used(tmp_path: Path) -> None:
    original = _simple_workbook(tmp_path / "in.xlsx")
    workbook = load_workbook(original)
    workbook["Lijst"]["D2"].border = Border(top=THIN)  # formatted, without a value
    workbook.save(original)

    def empty_text(xml: str) -> str:  # D3 holds an empty inline string
        empty = '<c r="D3" t="inlineStr"><is><t></t></is></c>'
        return xml.replace('</row><row r="4"', empty + '</row><row r="4"')

    _rewrite(original, "xl/worksheets/sheet1.xml", empty_text)
    fast, slow = both(original, tmp_path, SIMPLE_LINES)
    assert_same_for_the_contractor(fast, slow)
    sheet = load_workbook(fast)["Lijst"]
    assert (sheet["D1"].value, sheet["D2"].value, sheet["D3"].value) == (
        "Status",
        "afgewezen",
        "geaccepteerd",
    )
    assert sheet["D2"].border.top.style == "thin"


def test_a_column_range_over_the_annotation_is_split(tmp_path: Path) -> None:
    def wide(xml: str) -> str:
        return xml.replace(
            "<sheetData>",
            '<cols><col min="1" max="20" width="9" customWidth="1"/></cols><sheetData>',
        )

    original = _rewrite(_simple_workbook(tmp_path / "in.xlsx"), "xl/worksheets/sheet1.xml", wide)
    # both writers: openpyxl widened the whole range A:T, or wrote <col>s overlapping it
    for result in both(original, tmp_path, SIMPLE_LINES):
        sheet = load_workbook(result)["Lijst"]
        assert isinstance(sheet, Worksheet)
        widths = [_width(sheet, column) for column in range(1, 22)]
        assert widths == [9, 9, 9, 16, 60, *[9] * 15, None], result.name
        with zipfile.ZipFile(result) as archive:
            columns = re.findall(rb'<col [^>]*min="(\d+)" max="(\d+)"', _sheet_part(archive))
        ranges = sorted((int(first), int(last)) for first, last in columns)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges)), ranges


def _sheet_part(archive: zipfile.ZipFile) -> bytes:
    """The part of the sheet "Lijst", the one with its formulas (the package writer keeps
    sheet1.xml, openpyxl renumbers behind the summary)."""
    (name,) = [
        name
        for name in archive.namelist()
        if name.startswith("xl/worksheets/sheet") and b"B2*2" in archive.read(name)
    ]
    return archive.read(name)


def test_the_calculation_chain_is_left_out(tmp_path: Path) -> None:
    original = _simple_workbook(tmp_path / "in.xlsx")
    chain = '<calcChain xmlns="' + MAIN + '"><c r="C2" i="1"/><c r="C3"/></calcChain>'
    with zipfile.ZipFile(original, "a") as archive:
        archive.writestr("xl/calcChain.xml", chain)
    _rewrite(
        original,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>",
            '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
        ),
    )
    _rewrite(
        original,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            "</Relationships>",
            f'<Relationship Id="rId99" Type="{RELATIONSHIPS}/calcChain" Target="calcChain.xml"/>'
            "</Relationships>",
        ),
    )
    fast = write_package(original, tmp_path / "out.xlsx", *SIMPLE_LINES, SUMMARY)
    assert_consistent_package(fast)
    with zipfile.ZipFile(fast) as archive:
        assert "xl/calcChain.xml" not in archive.namelist()
        assert b"calcChain" not in archive.read("[Content_Types].xml")
        assert b"calcChain" not in archive.read("xl/_rels/workbook.xml.rels")


# --- what the package writer leaves to openpyxl ----------------------------------------------


def _macro_workbook(path: Path) -> Path:
    original = _simple_workbook(path.with_suffix(".xlsx"))
    with zipfile.ZipFile(original, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a project")
    _rewrite(
        original,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ),
    )
    return original.rename(path)


def _strict(path: Path) -> Path:
    original = _simple_workbook(path)
    return _rewrite(
        original,
        "xl/workbook.xml",
        lambda xml: xml.replace(MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main"),
    )


def _commented(path: Path) -> Path:
    original = _simple_workbook(path)
    return _rewrite(
        original,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<sheetData>", "<!-- door de opdrachtnemer --><sheetData>"),
    )


def _rows_out_of_order(path: Path) -> Path:
    original = _simple_workbook(path)

    def swapped(xml: str) -> str:
        rows = re.findall(r"<row r=\"[23]\".*?</row>", xml)
        return xml.replace(rows[0] + rows[1], rows[1] + rows[0])

    return _rewrite(original, "xl/worksheets/sheet1.xml", swapped)


def _without_styles(path: Path) -> Path:
    original = _simple_workbook(path)
    return _rewrite(
        original,
        "xl/_rels/workbook.xml.rels",
        lambda xml: re.sub(r"<Relationship [^>]*styles\"[^>]*/>", "", xml),
    )


def _encrypted(path: Path) -> Path:
    original = _simple_workbook(path.with_name("open.xlsx"))
    with original.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("geheim", target)
    return path


def _doctype(path: Path) -> Path:
    original = _simple_workbook(path)
    return _rewrite(
        original,
        "xl/worksheets/sheet1.xml",
        lambda xml: '<!DOCTYPE worksheet [<!ENTITY a "aaaa">]>' + xml.split("?>", 1)[-1],
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda folder: _macro_workbook(folder / "macro.xlsm"), "macro"),
        (lambda folder: _strict(folder / "strict.xlsx"), "not a plain .xlsx"),
        (lambda folder: _commented(folder / "comment.xlsx"), "comments"),
        (lambda folder: _rows_out_of_order(folder / "rows.xlsx"), "out of order"),
        (lambda folder: _without_styles(folder / "styles.xlsx"), "no styles"),
    ],
    ids=["macros", "strict", "comment", "rows out of order", "no styles"],
)
def test_packages_the_writer_does_not_edit_are_copied_with_openpyxl(
    make: Callable[[Path], Path], reason: str, tmp_path: Path
) -> None:
    original = make(tmp_path)
    with pytest.raises(NotSupported, match=reason):
        write_package(original, tmp_path / "a.xlsx", *SIMPLE_LINES, SUMMARY)
    result = write_feedback_workbook(original, tmp_path / "b.xlsx", *SIMPLE_LINES, SUMMARY)
    workbook = load_workbook(result)
    assert workbook.sheetnames == ["Samenvatting", "Lijst"]
    assert workbook["Lijst"]["D2"].value == "afgewezen"
    with zipfile.ZipFile(result) as archive:
        assert not any(name.endswith("vbaProject.bin") for name in archive.namelist())


def _damaged(original: Path) -> Iterator[tuple[str, bytes]]:
    """`original` damaged as files get damaged: cut short, a byte changed anywhere in the zip,
    an XML part cut short, a number in a part that is no number."""
    data = original.read_bytes()
    for fraction in (0.1, 0.5, 0.9, 0.99):
        yield f"cut at {fraction}", data[: int(len(data) * fraction)]
    for offset in range(7, len(data), len(data) // 40):
        yield f"byte {offset}", data[:offset] + bytes([data[offset] ^ 0x55]) + data[offset + 1 :]
    with zipfile.ZipFile(original) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, part in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        number = re.compile(rb'="[0-9]+"')
        for label, broken in (
            ("cut short", part[: len(part) // 2]),
            ("with a number that is none", number.sub('="\u00b2"'.encode(), part, count=3)),
        ):
            yield f"{name} {label}", _zipped({**parts, name: broken})


def _openpyxl_opens(path: Path) -> bool:
    """Whether openpyxl opens `path` (it raises TypeError or ValueError at a wrong value)."""
    try:
        load_workbook(path)
    except (ValueError, TypeError):
        return False
    return True


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_damaged_workbook_is_always_left_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package writer raises nothing but NotSupported on a damaged package, so that
    write_feedback_workbook falls back to openpyxl for it (what openpyxl makes of it is as
    before the package writer). What it does write is an intact zip of well-formed parts
    (no damaged entry passed on), which openpyxl opens when it opened the original: a value
    that is wrong in a part the writer only copies (a font size that is no number) stays as
    the contractor's program wrote it."""
    left: list[Path] = []

    def openpyxl_writer(original: Path, destination: Path, *_: object, **__: object) -> Path:
        left.append(original)
        return destination

    monkeypatch.setattr("reporting.feedback.write_with_openpyxl", openpyxl_writer)
    original = _simple_workbook(tmp_path / "heel.xlsx")
    outcomes = set()
    for number, (damage, data) in enumerate(_damaged(original)):
        damaged = tmp_path / f"{number}.xlsx"
        damaged.write_bytes(data)
        destination = tmp_path / f"{number}-feedback.xlsx"
        write_feedback_workbook(damaged, destination, *SIMPLE_LINES, SUMMARY)
        if left[-1:] == [damaged]:
            outcomes.add("openpyxl")
            with pytest.raises(NotSupported):
                write_package(damaged, tmp_path / "refused.xlsx", *SIMPLE_LINES, SUMMARY)
            continue
        outcomes.add("package")
        assert_consistent_package(destination)
        if _openpyxl_opens(damaged):
            assert load_workbook(destination)["Lijst"]["D2"].value == "afgewezen", damage
    assert outcomes == {"package", "openpyxl"}


def test_an_encrypted_workbook_is_refused_as_before(tmp_path: Path) -> None:
    locked = _encrypted(tmp_path / "geheim.xlsx")
    with pytest.raises(NotSupported, match="zip"):
        write_package(locked, tmp_path / "a.xlsx", *SIMPLE_LINES, SUMMARY)
    with pytest.raises(FileRejected, match="wachtwoord"):
        write_feedback_workbook(locked, tmp_path / "b.xlsx", *SIMPLE_LINES, SUMMARY)


def test_a_workbook_with_a_document_type_is_refused_as_before(tmp_path: Path) -> None:
    # Entity declarations are refused by the parsers too (defusedxml): such a file never gets
    # as far as feedback in the ingest, and openpyxl cannot copy it either.
    original = _doctype(tmp_path / "doctype.xlsx")
    with pytest.raises(NotSupported, match="document type"):
        write_package(original, tmp_path / "a.xlsx", *SIMPLE_LINES, SUMMARY)
    with pytest.raises(FileRejected):
        read_submission(original, ReadLimits())
    with pytest.raises(FileRejected, match="beschadigd"):
        write_feedback_workbook(original, tmp_path / "b.xlsx", *SIMPLE_LINES, SUMMARY)


def test_other_spreadsheets_are_left_to_openpyxl(tmp_path: Path) -> None:
    csv = tmp_path / "lijst.csv"
    csv.write_text("Naam;Uren\nJan;8\n", encoding="utf-8")
    with pytest.raises(NotSupported):
        write_package(csv, tmp_path / "a.xlsx", [HeaderRow("lijst", 1, 2)], [], SUMMARY)
    result = write_feedback_workbook(
        csv, tmp_path / "b.xlsx", [HeaderRow("lijst", 1, 2)], [], SUMMARY
    )
    assert load_workbook(result).sheetnames == ["Samenvatting", "lijst"]


# --- real third-party workbooks --------------------------------------------------------------

REAL_WORKBOOKS = sorted(REALDATA.rglob("*.xlsx")) if REALDATA.is_dir() else []


@pytest.mark.skipif(not REAL_WORKBOOKS, reason="no ../shared/realdata")
def test_every_real_workbook_is_covered() -> None:
    assert len(REAL_WORKBOOKS) >= 15
    assert set(EXPECTED_FALLBACKS) <= {path.name for path in REAL_WORKBOOKS}


@pytest.mark.parametrize("original", REAL_WORKBOOKS, ids=lambda path: path.name)
def test_real_workbook_takes_the_package_writer_or_falls_back(
    original: Path, tmp_path: Path
) -> None:
    inputs = invented_lines(original)
    result = write_feedback_workbook(original, tmp_path / "feedback.xlsx", *inputs, SUMMARY)
    assert load_workbook(result).sheetnames[0] == "Samenvatting"
    if original.name in EXPECTED_FALLBACKS:
        with pytest.raises(NotSupported, match=EXPECTED_FALLBACKS[original.name]):
            write_package(original, tmp_path / "package.xlsx", *inputs, SUMMARY)
        return
    fast, slow = both(original, tmp_path, inputs)
    assert fast.read_bytes() == result.read_bytes()
    assert_same_for_the_contractor(fast, slow)
    assert_original_kept(original, fast)
    assert_consistent_package(fast)
    assert_calamine_reads(fast)


# --- the pieces ------------------------------------------------------------------------------


def test_attributes_are_read_and_set_whole() -> None:
    tag = b'<c a="x r=" r="B2" s=\'1\' t="n"/>'
    assert (attribute(tag, "r"), attribute(tag, "s"), attribute(tag, "q")) == ("B2", "1", None)
    assert with_attribute(tag, "s", "5") == b'<c a="x r=" r="B2" s="5" t="n"/>'
    assert with_attribute(tag, "r", None) == b'<c a="x r=" s=\'1\' t="n"/>'
    assert with_attribute(b'<row r="3">', "ht", "a&b") == b'<row r="3" ht="a&amp;b">'
    assert attribute(b'<sheet name="R&amp;D"/>', "name") == "R&D"


def test_edits_apply_in_place_and_never_overlap() -> None:
    data = b"0123456789"
    assert apply_edits(data, [Edit(2, 2, b"a"), Edit(2, 4, b"b"), Edit(9, 10, b"")]) == (
        b"01ab45678"
    )
    with pytest.raises(NotSupported):
        apply_edits(data, [Edit(2, 5, b""), Edit(4, 6, b"")])


def test_columns_and_areas() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 702, 703, 16384)] == [
        "A",
        "Z",
        "AA",
        "ZZ",
        "AAA",
        "XFD",
    ]
    assert all(column_number(column_letter(n)) == n for n in range(1, 2000))
    area = parse_area("$B$3:A10")
    assert area is not None
    assert (area.reference, area.joined(12, 5).reference) == ("A3:B10", "A3:E12")
    assert parse_area("not a range") is None


def test_the_scanner_refuses_what_it_cannot_read_exactly() -> None:
    plain = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'.encode()
    assert Scan(plain, MAIN, "worksheet").root.local_name == "worksheet"
    for refused in (
        b'<!DOCTYPE w [<!ENTITY e "x">]><worksheet xmlns="' + MAIN.encode() + b'"/>',
        plain.replace(b"<sheetData/>", b"<!-- note --><sheetData/>"),
        plain.replace(b"<sheetData/>", b'<sheetData xmlns="urn:other"/>'),
        plain.replace(b"</worksheet>", b""),
        plain.replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
        b'<?xml version="1.0" encoding="UTF-16"?>' + plain,
    ):
        with pytest.raises(NotSupported):
            Scan(refused, MAIN, "worksheet")


def test_a_title_of_the_contractor_is_never_taken() -> None:
    assert unique_title(["Plaatsingen"]) == "Samenvatting"
    assert unique_title(["SAMENVATTING"]) == "Terugkoppeling"
    assert unique_title(["samenvatting", "terugkoppeling"]) == "Samenvatting (2)"


def _summary_sheet_rows(result: Path) -> Sequence[tuple[Any, ...]]:
    return list(load_workbook(result)["Samenvatting"].iter_rows(values_only=True))


def test_the_summary_value_is_a_number_in_euros(generated: list[Path], tmp_path: Path) -> None:
    original = generated[2]
    fast, slow = both(original, tmp_path, parsed_lines(original))
    (value,) = [row[1] for row in _summary_sheet_rows(fast) if row[0] == "Waarde dit kwartaal"]
    assert value == next(
        row[1] for row in _summary_sheet_rows(slow) if row[0] == "Waarde dit kwartaal"
    )
    assert isinstance(value, float)
