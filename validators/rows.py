"""The one pipeline every table goes through before its rules: cells -> typed values (with a
Dutch problem per unreadable cell) -> a frame -> the table's pandera model (lazy) -> Dutch
messages per row. Placements, purchases, hours, contracts and shares all use it."""

from __future__ import annotations

import bisect
import itertools
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
        definition = tables[group[0]].definition
        starts = list(itertools.accumulate((len(converted[index]) for index in group), initial=0))
        frame = to_frame([row for index in group for row in converted[index]], definition)
        failures = schema_failures(MODELS[definition.kind], frame)
        for index, found in zip(group, _per_table(failures, starts), strict=True):
            messages[index] = _messages_of(tables[index], converted[index], found)
    return [
        _readings(table, rows, found)
        for table, rows, found in zip(tables, converted, messages, strict=True)
    ]


def _groups(tables: Sequence[RawTable]) -> list[list[int]]:
    """Positions of the tables checked together, as one frame: of one kind with the same
    fields, or alone."""
    groups: dict[object, list[int]] = {}
    for index, table in enumerate(tables):
        kind = table.definition.kind
        fields = tuple(table.definition.types().items())
        key = index if kind in ROWS_COMPARED else (kind, fields)
        groups.setdefault(key, []).append(index)
    return list(groups.values())


def _per_table(failures: pd.DataFrame, starts: Sequence[int]) -> list[pd.DataFrame]:
    """The failure cases of each table of a frame whose tables start at `starts` (the last
    entry: the frame's length), each row at its position in its own table. A failure of no
    row (a missing column) belongs to every table."""
    positions = pd.to_numeric(failures["index"], errors="coerce")
    whole = failures[positions.isna()]
    located = positions.dropna()
    if located.empty:
        return [whole] * (len(starts) - 1)
    tables_with_rows = {bisect.bisect_right(starts, position) - 1 for position in located}
    found = []
    for table, (start, end) in enumerate(itertools.pairwise(starts)):
        if table not in tables_with_rows:
            found.append(whole)
            continue
        mine = failures[(positions >= start) & (positions < end) | positions.isna()]
        found.append(mine.assign(index=positions[mine.index] - start))
    return found


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
