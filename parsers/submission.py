"""Submission workbooks (INTERFACE.md section 3): which sheets hold which table, and the
contract the workbook names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.errors import NoEvidenceFound
from parsers.cells import normalise_header
from parsers.columns import SUBMISSION_TABLES, TableKind, TableSpec
from parsers.grid import RawTable, SheetGrid, extract_table, find_header, find_labelled_value
from parsers.workbook import ReadLimits, read_workbook

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


def _spec_by_sheet_name(name: str) -> TableSpec | None:
    wanted = normalise_header(name)
    for spec in SUBMISSION_TABLES:
        if wanted in {normalise_header(candidate) for candidate in spec.sheet_names}:
            return spec
    return None


def _spec_by_headers(grid: SheetGrid) -> TableSpec | None:
    scored = [
        (len(match.fields), spec)
        for spec in SUBMISSION_TABLES
        if (match := find_header(grid, spec)) is not None
    ]
    return max(scored, key=lambda item: item[0])[1] if scored else None


def _read_sheet(grid: SheetGrid, path: Path) -> tuple[RawTable | None, SheetReport]:
    spec = _spec_by_sheet_name(grid.name) or _spec_by_headers(grid)
    if spec is None:
        return None, SheetReport(grid.name, None, None, {}, 0, "geen bekende tabel op dit blad")
    table = extract_table(grid, spec, path)
    if table is None:
        expected = ", ".join(spec.label_of(field) for field in spec.key_fields)
        note = f"kopregel niet gevonden in de eerste 20 rijen (verwacht o.a.: {expected})"
        return None, SheetReport(grid.name, spec.kind, None, {}, 0, note)
    report = SheetReport(grid.name, spec.kind, table.header_row, table.columns, len(table.rows))
    return table, report


def parse_submission_workbook(path: Path, limits: ReadLimits) -> ParsedWorkbook:
    """Every recognised table of a submission workbook, with provenance per row.

    Raises UnreadableFile for a file that cannot be opened and NoEvidenceFound when it holds no
    recognisable table or no rows at all.
    """
    grids = read_workbook(path, limits)
    tables: list[RawTable] = []
    reports: list[SheetReport] = []
    contract_ref: str | None = None
    for grid in grids:
        contract_ref = contract_ref or find_labelled_value(grid, CONTRACT_LABEL)
        table, report = _read_sheet(grid, path)
        reports.append(report)
        if table is not None:
            tables.append(table)
    parsed = ParsedWorkbook(path.name, contract_ref, tables, reports)
    if not tables:
        raise NoEvidenceFound(
            "geen blad met plaatsingen, inkoop of MVO-uren gevonden; gebruik de bladen "
            "'Plaatsingen', 'Inkoop' en 'MVO' met de kolomkoppen uit het sjabloon",
            path=path,
        )
    if parsed.line_count == 0:
        raise NoEvidenceFound("het bestand bevat geen ingevulde regels", path=path)
    return parsed
