"""The contract register `contracts.xlsx` (sheets Contracten and Deelnemers) or contracts.csv."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.errors import RegisterError, UnreadableFile
from parsers.cells import normalise_header
from parsers.columns import CONTRACTS, PARTICIPANTS, TableSpec
from parsers.grid import RawTable, SheetGrid, extract_table
from parsers.workbook import ReadLimits, read_workbook


@dataclass(frozen=True)
class RegisterTables:
    file: str
    contracts: RawTable
    participants: RawTable | None


def _named(grids: list[SheetGrid], spec: TableSpec) -> SheetGrid | None:
    names = {normalise_header(name) for name in spec.sheet_names}
    return next((grid for grid in grids if normalise_header(grid.name) in names), None)


def read_register(path: Path) -> RegisterTables:
    """Raw rows of the register; row-level problems are for the validator to report."""
    try:
        grids = read_workbook(path, ReadLimits())
    except UnreadableFile as error:
        raise RegisterError(f"{path}: {error.reason_nl}") from error
    if not grids:
        raise RegisterError(f"{path}: no visible sheet")
    contracts_grid = _named(grids, CONTRACTS) or grids[0]
    contracts = extract_table(contracts_grid, CONTRACTS, path)
    if contracts is None:
        raise RegisterError(
            f"{path}: sheet '{contracts_grid.name}' has no header row with "
            "Contractnummer and Opdrachtsom in its first 20 rows"
        )
    participants_grid = _named(grids, PARTICIPANTS)
    participants = None
    if participants_grid is not None:
        participants = extract_table(participants_grid, PARTICIPANTS, path)
        if participants is None:
            raise RegisterError(
                f"{path}: sheet '{participants_grid.name}' has no header row with "
                "Contractnummer, Gemeente and Aandeel"
            )
    return RegisterTables(path.name, contracts, participants)
