"""The one pipeline every table goes through before its rules: cells -> typed values (with a
Dutch problem per unreadable cell) -> a frame -> the table's pandera model (lazy) -> Dutch
messages per row. Placements, purchases, hours, contracts and shares all use it."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.grid import RawTable
from validators.conversion import TypedRow, convert_table, to_frame
from validators.messages import validate_rows
from validators.schemas import MODELS


@dataclass(frozen=True)
class RowReading:
    """One row as read: its typed values and every problem found in it, in Dutch."""

    row: TypedRow
    problems: tuple[str, ...]
    """'Geboortedatum: ...' for unreadable cells, then the schema's messages."""

    @property
    def fine(self) -> bool:
        return not self.problems


def read_rows(table: RawTable) -> list[RowReading]:
    definition = table.definition
    rows = convert_table(table)
    unreadable = {(position, name) for position, row in enumerate(rows) for name in row.problems}
    schema_messages = validate_rows(
        MODELS[definition.kind], to_frame(rows, definition), definition.label_of, unreadable
    )
    return [
        RowReading(
            row,
            tuple(
                [f"{definition.label_of(name)}: {text}" for name, text in row.problems.items()]
                + schema_messages.get(position, [])
            ),
        )
        for position, row in enumerate(rows)
    ]
