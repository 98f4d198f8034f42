"""The first sheet of a feedback workbook, "Samenvatting": the counts, the value of the
quarter, a legend and every rejected or pending line in one list."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from domain.dutch import date_nl, round_cents
from reporting.feedback.annotate import status_fill
from reporting.feedback.lines import SUMMARY_TITLE, FeedbackLine, FeedbackSummary
from reporting.spreadsheet import EURO_FORMAT, write_text
from validators.lines import LineStatus

_EXPLANATION = (
    "Op elk blad staan naast de tabel de kolommen 'Status' en 'Toelichting' met de beoordeling "
    "en de reden per regel. Afgewezen regels zijn rood gekleurd, regels in behandeling geel en "
    "bij geaccepteerde regels is alleen de statuscel groen. Een regel die u eerder al "
    "aanleverde, staat er als 'ongewijzigd' met de beoordeling die hij toen kreeg."
)
_LEGEND = (
    (LineStatus.REJECTED, "telt niet mee; pas de regel aan en lever hem opnieuw aan"),
    (LineStatus.PENDING, "telt nog niet mee; wacht op goedkeuring of een ontbrekend stuk"),
    (LineStatus.ACCEPTED, "telt mee"),
)
_UNCHANGED_MEANING = "al eerder aangeleverd; telt zoals toen beoordeeld (tussen haakjes)"


def add_summary_sheet(
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
    return sum(1 for line in lines if line.status is status and not line.unchanged)


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
        write_text(cell, status.label_nl)
        cell.fill = status_fill(status)
        write_text(sheet.cell(row=row, column=2), meaning)
        row += 1
    write_text(sheet.cell(row=row, column=1), "ongewijzigd (...)")
    write_text(sheet.cell(row=row, column=2), _UNCHANGED_MEANING)
    return row + 1


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
    problems = [line for line in lines if line.status is not LineStatus.ACCEPTED]
    return sorted(
        problems,
        key=lambda line: (position.get(line.sheet, len(position)), line.sheet, line.row),
    )


def _write_problem(sheet: Worksheet, row: int, line: FeedbackLine) -> None:
    write_text(sheet.cell(row=row, column=1), line.sheet)
    sheet.cell(row=row, column=2, value=line.row).alignment = Alignment(horizontal="left")
    status = sheet.cell(row=row, column=3)
    write_text(status, line.status_text)
    status.fill = status_fill(line.status)
    text = line.text
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
