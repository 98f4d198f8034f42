"""Beside each table of the submitted workbook two columns, Status and Toelichting, with every
row's verdict and the Dutch reasons; rejected rows light red, pending rows light yellow."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting.feedback.lines import (
    NOTE_HEADER,
    STATUS_FILLS,
    STATUS_HEADER,
    FeedbackLine,
    HeaderRow,
)
from reporting.spreadsheet import write_text
from validators.lines import LineStatus

_SEVERITY = {LineStatus.ACCEPTED: 0, LineStatus.PENDING: 1, LineStatus.REJECTED: 2}


@dataclass(frozen=True)
class _RowNote:
    """What one Excel row gets: the worst status of its lines and all their texts."""

    row: int
    status: LineStatus
    status_text: str
    text: str


def status_fill(status: LineStatus) -> PatternFill:
    colour = STATUS_FILLS[status]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _row_notes(lines: Sequence[FeedbackLine]) -> list[_RowNote]:
    by_row: dict[int, list[FeedbackLine]] = {}
    for line in lines:
        by_row.setdefault(line.row, []).append(line)
    notes: list[_RowNote] = []
    for row, row_lines in sorted(by_row.items()):
        worst = max(row_lines, key=lambda line: _SEVERITY[line.status])
        texts = [text for line in row_lines if (text := line.text)]
        notes.append(
            _RowNote(row, worst.status, worst.status_text, "; ".join(dict.fromkeys(texts)))
        )
    return notes


def annotate_table(sheet: Worksheet, header: HeaderRow, lines: Sequence[FeedbackLine]) -> None:
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
    write_text(status_cell, note.status_text)
    if note.text:
        note_cell = sheet.cell(row=note.row, column=status_column + 1)
        write_text(note_cell, note.text)
        note_cell.alignment = Alignment(wrap_text=True, vertical="top")
    fill = status_fill(note.status)
    if note.status is LineStatus.ACCEPTED:
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


def _widen(sheet: Worksheet, column: int, width: float) -> None:
    dimension = sheet.column_dimensions[get_column_letter(column)]
    if not dimension.width or dimension.width < width:
        dimension.width = width
