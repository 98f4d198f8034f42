"""The contract register `contracts.xlsx` (sheets Contracten and Deelnemers) or contracts.csv."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.errors import RegisterError, UnreadableFile
from parsers.grid import RawTable, SheetGrid, extract_table
from parsers.limits import ReadLimits
from parsers.workbook import read_workbook
from rulesets.vocabulary import TableDefinition, TableKind, Vocabulary, builtin_vocabulary


@dataclass(frozen=True)
class RegisterTables:
    file: str
    contracts: RawTable
    participants: RawTable | None


def _named(grids: list[SheetGrid], definition: TableDefinition) -> SheetGrid | None:
    return next((grid for grid in grids if definition.names_sheet(grid.name)), None)


def read_register(path: Path, vocabulary: Vocabulary | None = None) -> RegisterTables:
    """Raw rows of the register; row-level problems are for the validator to report."""
    words = vocabulary or builtin_vocabulary()
    contracts_table = words.table(TableKind.CONTRACTS)
    participants_table = words.table(TableKind.PARTICIPANTS)
    try:
        grids = read_workbook(path, ReadLimits())
    except UnreadableFile as error:
        raise RegisterError(f"{path}: {error.reason_nl}") from error
    if not grids:
        raise RegisterError(f"{path}: no visible sheet")
    contracts_grid = _named(grids, contracts_table) or grids[0]
    contracts = extract_table(contracts_grid, contracts_table, path)
    if contracts is None:
        raise RegisterError(
            f"{path}: sheet '{contracts_grid.name}' has no header row with "
            "Contractnummer and Opdrachtsom in its first 20 rows"
        )
    participants_grid = _named(grids, participants_table)
    participants = None
    if participants_grid is not None:
        participants = extract_table(participants_grid, participants_table, path)
        if participants is None:
            raise RegisterError(
                f"{path}: sheet '{participants_grid.name}' has no header row with "
                "Contractnummer, Gemeente and Aandeel"
            )
    return RegisterTables(path.name, contracts, participants)
