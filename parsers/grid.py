"""A sheet as a grid of cell values, and finding the table in it.

Spreadsheets from people have title rows, notes and merged cells; the table can start anywhere
in the first rows. `locate_table` finds the header row by matching known headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domain.text import header_key
from parsers.cells import CellValue, cell_text, is_blank
from rulesets.vocabulary import TableDefinition

HEADER_SEARCH_ROWS = 20
_TOTAL_WORDS = ("totaal", "subtotaal", "total", "som")


@dataclass(frozen=True)
class Provenance:
    """Where a line came from: the original file name, sheet and 1-based Excel row."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def describe_nl(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.row:
            parts.append(f"rij {self.row}")
        return ", ".join(parts)


CellRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class SheetGrid:
    name: str
    rows: Sequence[Sequence[CellValue]]
    date1904: bool = False
    hidden: bool = False
    merged: tuple[CellRange, ...] = ()
    """Merged cells as ((first row, first column), (last row, last column)), 0-based."""


@dataclass(frozen=True)
class RawRow:
    provenance: Provenance
    cells: dict[str, CellValue]


@dataclass(frozen=True)
class RawTable:
    """One recognised table: its header row, which column feeds which field, its data rows."""

    definition: TableDefinition
    sheet: str
    header_row: int
    columns: dict[str, str]
    """field -> header text as written in the file."""
    rows: list[RawRow]
    skipped_rows: list[int] = field(default_factory=list)
    """Rows under the header that are notes or totals, not data (1-based)."""
    date1904: bool = False
    last_column: int = 0
    """1-based index of the last filled cell of the header row (where feedback columns go)."""


@dataclass(frozen=True)
class HeaderMatch:
    row_index: int
    fields: dict[int, str]
    """column index -> field."""


def find_header(grid: SheetGrid, definition: TableDefinition) -> HeaderMatch | None:
    """The row in the first 20 that names the most fields of the table, its key fields included."""
    best: HeaderMatch | None = None
    for index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        fields: dict[int, str] = {}
        for column, value in enumerate(row):
            if isinstance(value, str):
                name = definition.field_for(value)
                if name is not None and name not in fields.values():
                    fields[column] = name
        if not set(definition.key_fields) <= set(fields.values()):
            continue
        if best is None or len(fields) > len(best.fields):
            best = HeaderMatch(index, fields)
    return best


def _is_note_or_total(row: Sequence[CellValue], fields: dict[int, str]) -> bool:
    filled = [value for value in row if not is_blank(value)]
    if len(filled) == 1 and isinstance(filled[0], str):
        return True
    mapped = [row[column] for column in fields if column < len(row) and not is_blank(row[column])]
    if len(mapped) < 2:
        return len(filled) <= 1
    first_text = next((cell_text(v) for v in mapped if isinstance(v, str)), "")
    return header_key(first_text).startswith(_TOTAL_WORDS)


def extract_table(
    grid: SheetGrid, definition: TableDefinition, file: Path | str
) -> RawTable | None:
    """The table of `definition` on this sheet, or None when its header row is not found."""
    header = find_header(grid, definition)
    if header is None:
        return None
    header_cells = grid.rows[header.row_index]
    rows: list[RawRow] = []
    skipped: list[int] = []
    file_name = Path(file).name
    for index in range(header.row_index + 1, len(grid.rows)):
        row = grid.rows[index]
        if all(is_blank(value) for value in row):
            continue
        if _is_note_or_total(row, header.fields):
            skipped.append(index + 1)
            continue
        cells = {
            name: (row[column] if column < len(row) else None)
            for column, name in header.fields.items()
        }
        rows.append(RawRow(Provenance(file_name, grid.name, index + 1), cells))
    return RawTable(
        definition=definition,
        sheet=grid.name,
        header_row=header.row_index + 1,
        columns={name: cell_text(header_cells[column]) for column, name in header.fields.items()},
        rows=rows,
        skipped_rows=skipped,
        date1904=grid.date1904,
        last_column=max(
            (column + 1 for column, value in enumerate(header_cells) if not is_blank(value)),
            default=0,
        ),
    )


def find_labelled_value(grid: SheetGrid, label: str, rows: int = HEADER_SEARCH_ROWS) -> str | None:
    """The value beside (right) or below a cell reading `label`, e.g. 'Contractnummer'."""
    wanted = header_key(label)
    for index, row in enumerate(grid.rows[:rows]):
        for column, value in enumerate(row):
            if not isinstance(value, str) or header_key(value) != wanted:
                continue
            beside = next((v for v in row[column + 1 :] if not is_blank(v)), None)
            if beside is not None:
                return cell_text(beside)
            if index + 1 < len(grid.rows):
                below_row = grid.rows[index + 1]
                if column < len(below_row) and not is_blank(below_row[column]):
                    return cell_text(below_row[column])
    return None
