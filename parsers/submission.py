"""Submission workbooks (INTERFACE.md section 3): which sheets hold which table, and the
contract the workbook names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from domain.errors import NoEvidenceFound
from parsers.grid import RawTable, SheetGrid, extract_table, find_header, find_labelled_value
from parsers.limits import ReadLimits
from parsers.workbook import read_workbook
from rulesets.vocabulary import TableDefinition, TableKind, Vocabulary, builtin_vocabulary

CONTRACT_LABEL = "Contractnummer"


@dataclass(frozen=True)
class SheetReport:
    """What was found on one sheet; shown by `sroi inspect`."""

    name: str
    kind: TableKind | None
    header_row: int | None
    columns: dict[str, str]
    rows: int
    note: str | None = None


@dataclass(frozen=True)
class ParsedWorkbook:
    file: str
    contract_ref: str | None
    tables: list[RawTable]
    sheets: list[SheetReport]

    @property
    def line_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)


def _table_by_sheet_name(name: str, tables: Sequence[TableDefinition]) -> TableDefinition | None:
    return next((table for table in tables if table.names_sheet(name)), None)


def _table_by_headers(grid: SheetGrid, tables: Sequence[TableDefinition]) -> TableDefinition | None:
    scored = [
        (len(match.fields), table)
        for table in tables
        if (match := find_header(grid, table)) is not None
    ]
    return max(scored, key=lambda item: item[0])[1] if scored else None


def _read_sheet(
    grid: SheetGrid, path: Path, tables: Sequence[TableDefinition]
) -> tuple[RawTable | None, SheetReport]:
    definition = _table_by_sheet_name(grid.name, tables) or _table_by_headers(grid, tables)
    if definition is None:
        return None, SheetReport(grid.name, None, None, {}, 0, "geen bekende tabel op dit blad")
    table = extract_table(grid, definition, path)
    if table is None:
        expected = ", ".join(definition.label_of(field) for field in definition.key_fields)
        note = f"kopregel niet gevonden in de eerste 20 rijen (verwacht o.a.: {expected})"
        return None, SheetReport(grid.name, definition.kind, None, {}, 0, note)
    report = SheetReport(
        grid.name, definition.kind, table.header_row, table.columns, len(table.rows)
    )
    return table, report


def parse_submission_workbook(
    path: Path, limits: ReadLimits, vocabulary: Vocabulary | None = None
) -> ParsedWorkbook:
    """Every recognised table of a submission workbook, with provenance per row.

    Raises UnreadableFile for a file that cannot be opened and NoEvidenceFound when it holds no
    recognisable table or no rows at all.
    """
    definitions = (vocabulary or builtin_vocabulary()).submission_tables
    grids = read_workbook(path, limits)
    tables: list[RawTable] = []
    reports: list[SheetReport] = []
    contract_ref: str | None = None
    for grid in grids:
        contract_ref = contract_ref or find_labelled_value(grid, CONTRACT_LABEL)
        table, report = _read_sheet(grid, path, definitions)
        reports.append(report)
        if table is not None:
            tables.append(table)
    parsed = ParsedWorkbook(path.name, contract_ref, tables, reports)
    if not tables:
        raise NoEvidenceFound(_no_table_reason(reports), path=path)
    if parsed.line_count == 0:
        raise NoEvidenceFound("het bestand bevat geen ingevulde regels", path=path)
    return parsed


def _no_table_reason(reports: Sequence[SheetReport]) -> str:
    """Why no table was found: a sheet named for a table without its header row, or no sheet
    that looks like one of the tables at all."""
    named = next((report for report in reports if report.kind is not None), None)
    if named is not None and named.note is not None:
        return f"blad '{named.name}': {named.note}; gebruik de kolomkoppen uit het sjabloon"
    return (
        "geen blad met plaatsingen, inkoop of MVO-uren gevonden; gebruik de bladen "
        "'Plaatsingen', 'Inkoop' en 'MVO' met de kolomkoppen uit het sjabloon"
    )
