"""An empty contract register with the expected headings, for `sroi init`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from rulesets.vocabulary import TableKind, builtin_vocabulary


def write_blank_register(path: Path) -> None:
    """Sheets Contracten and Deelnemers with the first heading of every register field."""
    vocabulary = builtin_vocabulary()
    workbook = Workbook()
    default = workbook.active
    if default is not None:  # a new openpyxl workbook always has one sheet
        workbook.remove(default)
    for kind in (TableKind.CONTRACTS, TableKind.PARTICIPANTS):
        table = vocabulary.table(kind)
        sheet = workbook.create_sheet(table.title)
        sheet.append([field.label for field in table.fields])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.save(path)
