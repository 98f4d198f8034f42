"""The one pipeline every table goes through before its rules: cells -> typed values (with a
Dutch problem per unreadable cell) -> a frame -> the table's pandera model (lazy) -> Dutch
messages per row. Placements, purchases, hours, contracts and shares all use it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from parsers.grid import RawTable
from validators.conversion import TypedRow, convert_table, to_frame
from validators.messages import RowMessages, failure_messages, schema_failures
from validators.schemas import MODELS, ROWS_COMPARED


@dataclass(frozen=True)
class RowReading:
    """One row as read: its typed values and every problem found in it, in Dutch."""

    row: TypedRow
    problems: tuple[str, ...]
    """'Geboortedatum: ...' for unreadable cells, then the schema's messages."""

    @property
    def fine(self) -> bool:
        return not self.problems


TableReadings = tuple[RowReading, ...]
"""A table's rows as read, in the table's order."""


def read_rows(table: RawTable) -> list[RowReading]:
    return list(read_tables([table])[0])


def read_tables(tables: Sequence[RawTable]) -> list[TableReadings]:
    """The rows of every table read. The tables of one kind are checked by their pandera model
    in one call (its cost is mostly per call, not per row), unless the model compares rows with
    each other (the register's unique contract numbers): then each table on its own."""
    converted = [convert_table(table) for table in tables]
    messages: list[RowMessages] = [{} for _ in tables]
    for group in _groups(tables):
        frames: list[pd.DataFrame] = []
        starts: list[int] = []
        for index in group:
            frame = to_frame(converted[index], tables[index].definition)
            starts.append(sum(len(earlier) for earlier in frames))
            frames.append(frame.set_axis(frame.index + starts[-1]))
        model = MODELS[tables[group[0]].definition.kind]
        failures = schema_failures(model, pd.concat(frames) if len(frames) > 1 else frames[0])
        for index, start, frame in zip(group, starts, frames, strict=True):
            messages[index] = _messages_of(
                tables[index], converted[index], _shifted(failures, start, len(frame))
            )
    return [
        _readings(table, rows, found)
        for table, rows, found in zip(tables, converted, messages, strict=True)
    ]


def _groups(tables: Sequence[RawTable]) -> list[list[int]]:
    """Positions of the tables checked together: by kind, or alone."""
    groups: dict[object, list[int]] = {}
    for index, table in enumerate(tables):
        kind = table.definition.kind
        key = index if kind in ROWS_COMPARED else kind
        groups.setdefault(key, []).append(index)
    return list(groups.values())


def _shifted(failures: pd.DataFrame, start: int, size: int) -> pd.DataFrame:
    """The failure cases of the rows [start, start + size), at their position in their table."""
    positions = pd.to_numeric(failures["index"], errors="coerce")
    mine = failures[(positions >= start) & (positions < start + size) | positions.isna()]
    return mine.assign(index=positions[mine.index] - start)


def _messages_of(table: RawTable, rows: list[TypedRow], failures: pd.DataFrame) -> RowMessages:
    unreadable = {(position, name) for position, row in enumerate(rows) for name in row.problems}
    return failure_messages(failures, table.definition.label_of, unreadable)


def _readings(table: RawTable, rows: list[TypedRow], messages: RowMessages) -> TableReadings:
    label_of = table.definition.label_of
    return tuple(
        RowReading(
            row,
            tuple(
                [f"{label_of(name)}: {text}" for name, text in row.problems.items()]
                + messages.get(position, [])
            ),
        )
        for position, row in enumerate(rows)
    )
