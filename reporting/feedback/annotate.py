"""Beside each table of the submitted workbook two columns, Status and Toelichting, with every
row's verdict and the Dutch reasons; rejected rows light red, pending rows light yellow. This
is the openpyxl writer of the plan in plan.py (the package writer is package/)."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from reporting.feedback.lines import FeedbackLine, HeaderRow
from reporting.feedback.plan import CellEdit, Look, plan_table
from reporting.spreadsheet import write_text


def status_fill(colour: str) -> PatternFill:
    """A solid fill of `colour` (RGB)."""
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def annotate_table(sheet: Worksheet, header: HeaderRow, lines: Sequence[FeedbackLine]) -> None:
    """Writes the annotation of the table under `header` into `sheet`."""
    plan = plan_table(header, lines, lambda row, column: is_free(sheet, row, column))
    for (row, column), edit in sorted(plan.edits.items()):
        _apply(sheet, sheet.cell(row=row, column=column), edit)
    for column, width in plan.widths:
        _widen(sheet, column, width)


def _apply(sheet: Worksheet, cell: Cell | MergedCell, edit: CellEdit) -> None:
    if edit.like is not None:
        row, column = edit.like
        _copy_style(sheet.cell(row=row, column=column), cell)
    if edit.text is not None and isinstance(cell, Cell):
        write_text(cell, edit.text)
    apply_look(cell, edit.look)


def apply_look(cell: Cell | MergedCell, look: Look) -> None:
    """Gives `cell` the font, fill, alignment and number format that `look` asks for."""
    if look.bold:
        cell.font = Font(bold=True, size=look.size)
    if look.fill is not None:
        cell.fill = status_fill(look.fill)
    if look.wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif look.left:
        cell.alignment = Alignment(horizontal="left")
    if look.number_format is not None:
        cell.number_format = look.number_format


def is_free(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether the cell holds nothing (no value or an empty text) and is not inside a merge."""
    # Reading through _cells avoids creating empty cells (which would grow the used range).
    cell = sheet._cells.get((row, column))
    if cell is None:
        return True
    return not isinstance(cell, MergedCell) and cell.value in (None, "")


def _copy_style(source: Cell | MergedCell, target: Cell | MergedCell) -> None:
    """The new header cells look like the table's own headers."""
    target.font = copy(source.font)
    target.border = copy(source.border)
    target.fill = copy(source.fill)
    target.alignment = copy(source.alignment)


def _widen(sheet: Worksheet, column: int, width: float) -> None:
    """The column becomes at least `width` wide. A <col> over several columns (a contractor's
    "L:XFD") is split so that only this column changes, as the package writer does: widening
    the whole range would widen thousands of columns, and a second <col> inside it would
    overlap it."""
    covering = _covering(sheet, column)
    if covering is None:
        sheet.column_dimensions[get_column_letter(column)].width = width
        return
    if covering.width and covering.width >= width:
        return
    _split_off(sheet, covering, column).width = width


def _covering(sheet: Worksheet, column: int) -> ColumnDimension | None:
    """The column dimension that covers `column`, if any."""
    for dimension in sheet.column_dimensions.values():
        first = dimension.min or column_index_from_string(dimension.index)
        if first <= column <= (dimension.max or first):
            return dimension
    return None


def _split_off(sheet: Worksheet, dimension: ColumnDimension, column: int) -> ColumnDimension:
    """The dimension of `column` alone, split off the `dimension` that covers it (the columns
    before and after it keep their own dimensions, as they were)."""
    first = dimension.min or column_index_from_string(dimension.index)
    last = dimension.max or first
    if column < last:
        _piece(sheet, dimension, column + 1, last)
    if first == column:
        dimension.min = dimension.max = column
        return dimension
    dimension.max = column - 1
    return _piece(sheet, dimension, column, column)


def _piece(sheet: Worksheet, source: ColumnDimension, first: int, last: int) -> ColumnDimension:
    """A copy of `source` for the columns `first` to `last`, added to the sheet."""
    piece = ColumnDimension(
        sheet,
        index=get_column_letter(first),
        width=source.width,
        bestFit=source.bestFit,
        hidden=source.hidden,
        outlineLevel=source.outlineLevel,
        collapsed=source.collapsed,
        style=source._style,
        min=first,
        max=last,
    )
    sheet.column_dimensions[piece.index] = piece
    return piece
