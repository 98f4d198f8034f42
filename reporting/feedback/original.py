"""The workbook to annotate: the contractor's own file where openpyxl can open it (.xlsx,
.xlsm), so their formatting stays; otherwise rebuilt from the cell values the parsers read
(.xls, .ods, .csv and the .xlsx files openpyxl cannot open). Those are the same values the
lines came from, so every line's row still points at the right place."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

from parsers.grid import CellRange, SheetGrid
from parsers.limits import ReadLimits
from parsers.workbook import WORKBOOK_SUFFIXES, read_workbook
from reporting.spreadsheet import DATE_FORMAT, write_text

# What openpyxl raises on workbooks it cannot model (observed: KeyError for a missing
# sharedStrings part in calamine's issue_530.xlsx, TypeError for the pivot caches of
# pivots.xlsx, zlib.error for a damaged part the parsers do not need); such files are rebuilt
# from the parsed values instead.
_OPENPYXL_OPEN_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    ParseError,
)
_OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}

Sheets = dict[str, Worksheet]
"""Worksheets by their name in the submitted file."""


def open_original(original: Path, limits: ReadLimits) -> tuple[Workbook, Sheets]:
    """The workbook to annotate and its worksheets by their name in the submitted file."""
    suffix = original.suffix.lower()
    if suffix in _OPENPYXL_SUFFIXES:
        try:
            workbook = load_workbook(original, keep_vba=False)
        except _OPENPYXL_OPEN_ERRORS:
            return _rebuild(read_workbook(original, limits, include_hidden=True))
        sheets = {ws.title: ws for ws in workbook.worksheets if isinstance(ws, Worksheet)}
        return workbook, sheets
    if suffix in WORKBOOK_SUFFIXES or suffix == ".csv":
        return _rebuild(read_workbook(original, limits, include_hidden=True))
    raise ValueError(f"no feedback workbook for {original.name}: not a spreadsheet")


def _rebuild(grids: Sequence[SheetGrid]) -> tuple[Workbook, Sheets]:
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    sheets: Sheets = {}
    for grid in grids:
        target = workbook.create_sheet(_sheet_title(grid.name))
        if grid.hidden:
            target.sheet_state = "hidden"
        _copy_values(target, grid.rows)
        _copy_merges(target, grid.merged)
        sheets[grid.name] = target
    return workbook, sheets


def _sheet_title(name: str) -> str:
    """A name made valid as a sheet title (at most 31 characters, no []:*?/\\); a CSV's only
    sheet is named after its file."""
    return INVALID_TITLE_REGEX.sub("_", name)[:31] or "Blad1"


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
                cell.number_format = DATE_FORMAT


def _copy_merges(target: Worksheet, ranges: Iterable[CellRange]) -> None:
    for (first_row, first_column), (last_row, last_column) in ranges:
        if (first_row, first_column) != (last_row, last_column):
            target.merge_cells(
                start_row=first_row + 1,
                start_column=first_column + 1,
                end_row=last_row + 1,
                end_column=last_column + 1,
            )
