"""The feedback workbook for the contractor (INTERFACE.md section 1: `feedback/<contract>/`).

An annotated copy of a submitted workbook: beside each table two columns, Status and Toelichting,
with every line's verdict and the Dutch reasons; rejected rows light red, pending rows light
yellow. A first sheet "Samenvatting" gives the counts, the value of the quarter and all problems
in one list.

The copy keeps the contractor's own formatting when openpyxl can open the file (.xlsx, .xlsm).
For .xls, .ods, .csv and the .xlsx files openpyxl cannot open, it is rebuilt from the cell values
that python-calamine reads; those are the same values the parsers saw, so every line's row still
points at the right place.

Every text we write from submitted or derived text is neutralised: a text that a spreadsheet
would take for a formula gets a leading apostrophe and is stored as a string.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from contextlib import closing
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import python_calamine
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

from domain.dutch import date_nl, round_cents
from parsers.workbook import ReadLimits, read_workbook
from validators.lines import LineStatus

SUMMARY_TITLE = "Samenvatting"
STATUS_HEADER = "Status"
NOTE_HEADER = "Toelichting"

# The same words as the quarterly reports use.
STATUS_NL = {status.value: status.label_nl for status in LineStatus}
# Excel's own "light red / light yellow / light green" cell styles, familiar to contractors.
STATUS_FILLS = {
    LineStatus.REJECTED.value: "FFC7CE",
    LineStatus.PENDING.value: "FFEB9C",
    LineStatus.ACCEPTED.value: "C6EFCE",
}
_SEVERITY = {
    LineStatus.ACCEPTED.value: 0,
    LineStatus.PENDING.value: 1,
    LineStatus.REJECTED.value: 2,
}

# Characters that make Excel, LibreOffice or a CSV import start a formula or DDE call (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes Excel "repair" the file
_DATE_FORMAT = "dd-mm-yyyy"
# Dutch Excel shows this as € 1.234,56 (the separators follow the reader's locale).
EURO_FORMAT = '"€" #,##0.00;"€" -#,##0.00'

# What openpyxl raises on workbooks it cannot model (observed: KeyError for a missing
# sharedStrings part in calamine's issue_530.xlsx, TypeError for the pivot caches of
# pivots.xlsx); such files are rebuilt from calamine's values instead.
_OPENPYXL_OPEN_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    ParseError,
)
_OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}
_CALAMINE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}

_EXPLANATION = (
    "Op elk blad staan naast de tabel de kolommen 'Status' en 'Toelichting' met de beoordeling "
    "en de reden per regel. Afgewezen regels zijn rood gekleurd, regels in behandeling geel en "
    "bij geaccepteerde regels is alleen de statuscel groen."
)
_LEGEND = (
    (LineStatus.REJECTED, "telt niet mee; pas de regel aan en lever hem opnieuw aan"),
    (LineStatus.PENDING, "telt nog niet mee; wacht op goedkeuring of een ontbrekend stuk"),
    (LineStatus.ACCEPTED, "telt mee"),
)


@dataclass(frozen=True)
class FeedbackLine:
    sheet: str
    """Sheet name as in the submitted workbook."""
    row: int
    """1-based Excel row of the line."""
    status: str
    """"accepted" | "rejected" | "pending"."""
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    value_quarter: Decimal
    """Euros this line counts in the quarter (0 when rejected or pending)."""


@dataclass(frozen=True)
class FeedbackSummary:
    contract_id: str
    contractor: str
    file: str
    """Original file name."""
    quarter_label: str
    """E.g. "3e kwartaal 2026"."""
    processed_on: date
    unchanged: int
    """Rows that repeated a line already processed earlier."""


@dataclass(frozen=True)
class HeaderRow:
    sheet: str
    row: int
    """1-based Excel row of the table's header row."""
    last_column: int
    """1-based index of the last column of the table."""


def write_feedback_workbook(
    original: Path,
    destination: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
) -> Path:
    """Writes destination (always .xlsx; the caller picks the name) and returns it."""
    if destination.suffix.lower() != ".xlsx":
        raise ValueError(f"feedback workbook must be .xlsx, got {destination.name}")
    for line in lines:
        if line.status not in STATUS_NL:
            raise ValueError(f"unknown line status {line.status!r}")
    workbook, sheets = _open_original(original)
    for header in headers:
        sheet = sheets.get(header.sheet)
        if sheet is not None:
            _annotate_table(sheet, header, _lines_of_table(header, headers, lines))
    _add_summary_sheet(workbook, summary, lines, list(sheets))
    _save(workbook, destination)
    return destination


# --- neutralising text ---------------------------------------------------------------------


def neutralise(text: str) -> str:
    """`text` as a cell may safely hold it: never a formula, DDE call or invalid XML."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", text)
    if cleaned.startswith(_FORMULA_STARTS):
        cleaned = "'" + cleaned
    if len(cleaned) > _MAX_CELL_TEXT:
        cleaned = cleaned[: _MAX_CELL_TEXT - 1] + "…"
    return cleaned


def write_text(cell: Cell, text: str) -> None:
    """Put `text` into `cell` as a string, whatever it looks like."""
    cell.value = neutralise(text)
    # openpyxl turns text that looks like "=..." into a formula and "#N/A" into an error value.
    cell.data_type = "s"


# --- opening the original ----------------------------------------------------------------


def _open_original(original: Path) -> tuple[Workbook, dict[str, Worksheet]]:
    """The workbook to annotate and its worksheets by their name in the submitted file."""
    suffix = original.suffix.lower()
    if suffix in _OPENPYXL_SUFFIXES:
        try:
            workbook = load_workbook(original, keep_vba=False)
        except _OPENPYXL_OPEN_ERRORS:
            # Calamine read this file for the parsers, so its values are the next best copy.
            return _rebuild_from_calamine(original)
        sheets = {ws.title: ws for ws in workbook.worksheets if isinstance(ws, Worksheet)}
        return workbook, sheets
    if suffix in _CALAMINE_SUFFIXES:
        return _rebuild_from_calamine(original)
    if suffix == ".csv":
        return _rebuild_from_csv(original)
    raise ValueError(f"no feedback workbook for {original.name}: not a spreadsheet")


def _rebuild_from_calamine(original: Path) -> tuple[Workbook, dict[str, Worksheet]]:
    workbook = _empty_workbook()
    sheets: dict[str, Worksheet] = {}
    with closing(python_calamine.CalamineWorkbook.from_path(str(original))) as source:
        for metadata in source.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = source.get_sheet_by_name(metadata.name)
            target = workbook.create_sheet(metadata.name)
            if metadata.visible != python_calamine.SheetVisibleEnum.Visible:
                target.sheet_state = "hidden"
            _copy_values(target, sheet.to_python(skip_empty_area=False))
            _copy_merges(target, sheet.merged_cell_ranges or ())
            sheets[metadata.name] = target
    return workbook, sheets


def _rebuild_from_csv(original: Path) -> tuple[Workbook, dict[str, Worksheet]]:
    # The parsers name a CSV's only sheet after the file; read it the same way.
    workbook = _empty_workbook()
    sheets: dict[str, Worksheet] = {}
    for grid in read_workbook(original, ReadLimits()):
        target = workbook.create_sheet(_csv_sheet_title(grid.name))
        _copy_values(target, grid.rows)
        sheets[grid.name] = target
    return workbook, sheets


def _csv_sheet_title(name: str) -> str:
    """A file name made valid as a sheet title (at most 31 characters, no []:*?/\\)."""
    return INVALID_TITLE_REGEX.sub("_", name)[:31] or "Blad1"


def _empty_workbook() -> Workbook:
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    return workbook


def _copy_values(target: Worksheet, rows: Iterable[Sequence[Any]]) -> None:
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = target.cell(row=row_number, column=column)
            if isinstance(value, str):
                write_text(cell, value)
                continue
            cell.value = value
            if isinstance(value, date) and not isinstance(value, datetime):
                cell.number_format = _DATE_FORMAT


def _copy_merges(
    target: Worksheet, ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    for (first_row, first_column), (last_row, last_column) in ranges:
        if (first_row, first_column) != (last_row, last_column):
            target.merge_cells(
                start_row=first_row + 1,
                start_column=first_column + 1,
                end_row=last_row + 1,
                end_column=last_column + 1,
            )


# --- annotating a table ------------------------------------------------------------------


@dataclass(frozen=True)
class _RowNote:
    """What one Excel row gets: the worst status of its lines and all their texts."""

    row: int
    status: str
    text: str


def _line_text(line: FeedbackLine) -> str:
    return "; ".join((*line.reasons, *line.warnings))


def _lines_of_table(
    header: HeaderRow, headers: Sequence[HeaderRow], lines: Sequence[FeedbackLine]
) -> list[FeedbackLine]:
    """The lines under `header`: on its sheet, below it, and not under a later table there."""
    later = [
        other.row for other in headers if other.sheet == header.sheet and other.row > header.row
    ]
    end = min(later, default=None)
    return [
        line
        for line in lines
        if line.sheet == header.sheet and line.row > header.row and (end is None or line.row < end)
    ]


def _row_notes(lines: Sequence[FeedbackLine]) -> list[_RowNote]:
    by_row: dict[int, list[FeedbackLine]] = {}
    for line in lines:
        by_row.setdefault(line.row, []).append(line)
    notes: list[_RowNote] = []
    for row, row_lines in sorted(by_row.items()):
        status = max((line.status for line in row_lines), key=_SEVERITY.__getitem__)
        texts = [text for line in row_lines if (text := _line_text(line))]
        notes.append(_RowNote(row, status, "; ".join(dict.fromkeys(texts))))
    return notes


def _annotate_table(sheet: Worksheet, header: HeaderRow, lines: Sequence[FeedbackLine]) -> None:
    notes = _row_notes(lines)
    status_column = _free_column_pair(
        sheet, header.last_column + 1, [header.row] + [n.row for n in notes]
    )
    first_column = _first_table_column(sheet, header)
    template = sheet.cell(row=header.row, column=header.last_column)
    for offset, title in enumerate((STATUS_HEADER, NOTE_HEADER)):
        cell = sheet.cell(row=header.row, column=status_column + offset)
        _copy_style(template, cell)
        write_text(cell, title)
    for note in notes:
        _write_note(sheet, note, first_column, status_column)
    _widen(sheet, status_column, 16)
    _widen(sheet, status_column + 1, 60)


def _write_note(sheet: Worksheet, note: _RowNote, first_column: int, status_column: int) -> None:
    status_cell = sheet.cell(row=note.row, column=status_column)
    write_text(status_cell, STATUS_NL[note.status])
    if note.text:
        note_cell = sheet.cell(row=note.row, column=status_column + 1)
        write_text(note_cell, note.text)
        note_cell.alignment = Alignment(wrap_text=True, vertical="top")
    fill = _fill(note.status)
    if note.status == LineStatus.ACCEPTED.value:
        # Accepted rows keep the contractor's look; only the status cell says it is fine.
        status_cell.fill = fill
        return
    for column in range(first_column, status_column + 2):
        sheet.cell(row=note.row, column=column).fill = fill


def _free_column_pair(sheet: Worksheet, start: int, rows: Sequence[int]) -> int:
    """The first column from `start` on where it and the next are empty in `rows`.

    Normally `start` itself: the columns right after the table. A contractor who keeps notes
    without a header beside the table keeps them; the annotation moves further right.
    """
    column = start
    while not all(_is_free(sheet, row, c) for row in rows for c in (column, column + 1)):
        column += 1
    return column


def _is_free(sheet: Worksheet, row: int, column: int) -> bool:
    # Reading through _cells avoids creating empty cells (which would grow the used range).
    cell = sheet._cells.get((row, column))
    if cell is None:
        return True
    return not isinstance(cell, MergedCell) and cell.value in (None, "")


def _first_table_column(sheet: Worksheet, header: HeaderRow) -> int:
    """The leftmost filled header cell: tables do not always start in column A."""
    for column in range(1, header.last_column + 1):
        if not _is_free(sheet, header.row, column):
            return column
    return 1


def _copy_style(source: Cell | MergedCell, target: Cell) -> None:
    """The new header cells look like the table's own headers."""
    target.font = copy(source.font)
    target.border = copy(source.border)
    target.fill = copy(source.fill)
    target.alignment = copy(source.alignment)


def _fill(status: str) -> PatternFill:
    colour = STATUS_FILLS[status]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _widen(sheet: Worksheet, column: int, width: float) -> None:
    dimension = sheet.column_dimensions[get_column_letter(column)]
    if not dimension.width or dimension.width < width:
        dimension.width = width


# --- the summary sheet -------------------------------------------------------------------


def _add_summary_sheet(
    workbook: Workbook,
    summary: FeedbackSummary,
    lines: Sequence[FeedbackLine],
    sheet_order: Sequence[str],
) -> Worksheet:
    sheet = workbook.create_sheet(_unique_title(workbook, SUMMARY_TITLE), 0)
    title = sheet.cell(row=1, column=1)
    write_text(title, "Terugkoppeling SROI-verantwoording")
    title.font = Font(bold=True, size=14)
    row = _write_facts(sheet, 3, summary, lines)
    row = _write_legend(sheet, row + 1)
    _write_problems(sheet, row + 1, lines, sheet_order)
    for letter, width in (("A", 34), ("B", 36), ("C", 16), ("D", 90)):
        sheet.column_dimensions[letter].width = width
    _make_active(workbook, sheet)
    return sheet


def _unique_title(workbook: Workbook, wanted: str) -> str:
    """`wanted`, or a variant when the contractor already has a sheet of that name."""
    taken = {name.casefold() for name in workbook.sheetnames}
    candidates = [wanted, "Terugkoppeling", *(f"{wanted} ({n})" for n in range(2, 100))]
    return next(name for name in candidates if name.casefold() not in taken)


def _count(lines: Sequence[FeedbackLine], status: LineStatus) -> int:
    return sum(1 for line in lines if line.status == status.value)


def _write_facts(
    sheet: Worksheet, row: int, summary: FeedbackSummary, lines: Sequence[FeedbackLine]
) -> int:
    """The label/value block; returns the first row after it."""
    texts = (
        ("Contract", summary.contract_id),
        ("Opdrachtnemer", summary.contractor),
        ("Bestand", summary.file),
        ("Kwartaal", summary.quarter_label),
        ("Verwerkt op", date_nl(summary.processed_on)),
    )
    for label, value in texts:
        _write_label(sheet, row, label)
        write_text(sheet.cell(row=row, column=2), value)
        row += 1
    row += 1
    counts = (
        ("Geaccepteerd", _count(lines, LineStatus.ACCEPTED)),
        ("Afgewezen", _count(lines, LineStatus.REJECTED)),
        ("In behandeling", _count(lines, LineStatus.PENDING)),
        ("Ongewijzigd (al eerder verwerkt)", summary.unchanged),
    )
    for label, number in counts:
        _write_label(sheet, row, label)
        sheet.cell(row=row, column=2, value=number).alignment = Alignment(horizontal="left")
        row += 1
    _write_label(sheet, row, "Waarde dit kwartaal")
    total = round_cents(sum((line.value_quarter for line in lines), Decimal(0)))
    value_cell = sheet.cell(row=row, column=2, value=total)
    value_cell.number_format = EURO_FORMAT
    value_cell.alignment = Alignment(horizontal="left")
    return row + 1


def _write_label(sheet: Worksheet, row: int, label: str) -> None:
    cell = sheet.cell(row=row, column=1)
    write_text(cell, label)
    cell.font = Font(bold=True)


def _write_legend(sheet: Worksheet, row: int) -> int:
    explanation = sheet.cell(row=row, column=1)
    write_text(explanation, _EXPLANATION)
    explanation.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    sheet.row_dimensions[row].height = 32
    row += 1
    for status, meaning in _LEGEND:
        cell = sheet.cell(row=row, column=1)
        write_text(cell, STATUS_NL[status.value])
        cell.fill = _fill(status.value)
        write_text(sheet.cell(row=row, column=2), meaning)
        row += 1
    return row


def _write_problems(
    sheet: Worksheet, row: int, lines: Sequence[FeedbackLine], sheet_order: Sequence[str]
) -> None:
    heading = sheet.cell(row=row, column=1)
    write_text(heading, "Afgewezen regels en regels in behandeling")
    heading.font = Font(bold=True, size=12)
    row += 1
    problems = _sorted_problems(lines, sheet_order)
    if not problems:
        write_text(sheet.cell(row=row, column=1), "Geen afgewezen regels of regels in behandeling.")
        return
    header_row = row
    for column, title in enumerate(("Blad", "Rij", "Status", "Toelichting"), start=1):
        cell = sheet.cell(row=row, column=column)
        write_text(cell, title)
        cell.font = Font(bold=True)
    for line in problems:
        row += 1
        _write_problem(sheet, row, line)
    sheet.auto_filter.ref = f"A{header_row}:D{row}"


def _sorted_problems(
    lines: Sequence[FeedbackLine], sheet_order: Sequence[str]
) -> list[FeedbackLine]:
    """Rejected and pending lines in the order of the workbook: sheet by sheet, row by row."""
    position = {name: index for index, name in enumerate(sheet_order)}
    problems = [line for line in lines if line.status != LineStatus.ACCEPTED.value]
    return sorted(
        problems,
        key=lambda line: (position.get(line.sheet, len(position)), line.sheet, line.row),
    )


def _write_problem(sheet: Worksheet, row: int, line: FeedbackLine) -> None:
    write_text(sheet.cell(row=row, column=1), line.sheet)
    sheet.cell(row=row, column=2, value=line.row).alignment = Alignment(horizontal="left")
    status = sheet.cell(row=row, column=3)
    write_text(status, STATUS_NL[line.status])
    status.fill = _fill(line.status)
    text = _line_text(line)
    if text:
        note = sheet.cell(row=row, column=4)
        write_text(note, text)
        note.alignment = Alignment(wrap_text=True, vertical="top")


def _make_active(workbook: Workbook, sheet: Worksheet) -> None:
    # Without clearing tabSelected Excel opens with several sheets grouped, and edits go to all.
    for worksheet in workbook.worksheets:
        worksheet.sheet_view.tabSelected = False
    for chartsheet in workbook.chartsheets:
        for view in chartsheet.sheetViews.sheetView:
            view.tabSelected = False
    workbook.active = sheet
    sheet.sheet_view.tabSelected = True


# --- saving ------------------------------------------------------------------------------


def _save(workbook: Workbook, destination: Path) -> None:
    """Write beside the destination first, so a crash never leaves half a workbook behind."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.part")
    try:
        workbook.save(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
