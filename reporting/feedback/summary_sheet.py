"""The summary sheet "Samenvatting" written with openpyxl (its content: summary_layout.py)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting.feedback.annotate import apply_look
from reporting.feedback.summary_layout import SummaryLayout, unique_title
from reporting.spreadsheet import write_text


def add_summary_sheet(workbook: Workbook, layout: SummaryLayout) -> Worksheet:
    """Inserts the summary as the first sheet and makes it the one Excel opens on."""
    sheet = workbook.create_sheet(unique_title(workbook.sheetnames), 0)
    for item in layout.cells:
        cell = sheet.cell(row=item.row, column=item.column)
        if isinstance(item.value, str):
            write_text(cell, item.value)
        else:
            cell.value = item.value
        apply_look(cell, item.look)
    for merged in layout.merged:
        sheet.merge_cells(
            start_row=merged.row,
            start_column=merged.first,
            end_row=merged.row,
            end_column=merged.last,
        )
    for row, height in layout.row_heights:
        sheet.row_dimensions[row].height = height
    for column, width in layout.widths:
        sheet.column_dimensions[get_column_letter(column)].width = width
    if layout.auto_filter is not None:
        first, last = layout.auto_filter
        sheet.auto_filter.ref = f"A{first}:D{last}"
    _make_active(workbook, sheet)
    return sheet


def _make_active(workbook: Workbook, sheet: Worksheet) -> None:
    # Without clearing tabSelected Excel opens with several sheets grouped, and edits go to all.
    for worksheet in workbook.worksheets:
        worksheet.sheet_view.tabSelected = False
    for chartsheet in workbook.chartsheets:
        for view in chartsheet.sheetViews.sheetView:
            view.tabSelected = False
    workbook.active = sheet
    sheet.sheet_view.tabSelected = True
