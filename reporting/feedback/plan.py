"""What the annotation of one table does, cell by cell, whatever writes the workbook: the
openpyxl copy (annotate.py) and the edited package (package/) follow the same plan, so the
contractor gets the same feedback from both."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from reporting.feedback.lines import (
    NOTE_HEADER,
    STATUS_FILLS,
    STATUS_HEADER,
    FeedbackLine,
    HeaderRow,
)
from validators.lines import LineStatus

Position = tuple[int, int]
"""(row, column) of a cell, both 1-based."""

IsFree = Callable[[int, int], bool]
"""Whether the cell at (row, column) holds nothing: no value, no formula, not inside a merge."""

STATUS_WIDTH = 16
NOTE_WIDTH = 60

_SEVERITY = {LineStatus.ACCEPTED: 0, LineStatus.PENDING: 1, LineStatus.REJECTED: 2}


class Look(NamedTuple):
    """How a cell we write differs from the format it had: each field left at its default
    keeps what the cell had."""

    fill: str | None = None
    """RGB of a solid fill, e.g. "FFC7CE"."""
    wrap: bool = False
    """Text wraps, top aligned (replaces the cell's alignment)."""
    left: bool = False
    """Aligned left (replaces the cell's alignment)."""
    bold: bool = False
    """A bold font (with `size` when given) replaces the cell's font."""
    size: float | None = None
    number_format: str | None = None


AS_IT_IS = Look()
"""The look of a cell that keeps its format."""


class CellEdit(NamedTuple):
    """What happens to one cell: a text written into it, a changed look, or the look of
    another cell (`like`: the new header cells look like the table's own headers)."""

    text: str | None = None
    """Not yet neutralised: every writer passes it through reporting.spreadsheet."""
    look: Look = AS_IT_IS
    like: Position | None = None


@dataclass(frozen=True)
class RowNote:
    """What one Excel row gets: the worst status of its lines and all their texts."""

    row: int
    status: LineStatus
    status_text: str
    text: str


@dataclass(frozen=True)
class TablePlan:
    """The annotation of one table: the edit of every cell it touches and the widths of the
    two new columns (a column narrower than that is widened)."""

    edits: dict[Position, CellEdit] = field(default_factory=dict)
    widths: tuple[tuple[int, float], ...] = ()


def row_notes(lines: Sequence[FeedbackLine]) -> list[RowNote]:
    """One note per row, in row order; a row with several lines shows the worst status."""
    by_row: dict[int, list[FeedbackLine]] = {}
    for line in lines:
        by_row.setdefault(line.row, []).append(line)
    notes: list[RowNote] = []
    for row, row_lines in sorted(by_row.items()):
        worst = max(row_lines, key=lambda line: _SEVERITY[line.status])
        texts = [text for line in row_lines if (text := line.text)]
        notes.append(RowNote(row, worst.status, worst.status_text, "; ".join(dict.fromkeys(texts))))
    return notes


def plan_table(header: HeaderRow, lines: Sequence[FeedbackLine], is_free: IsFree) -> TablePlan:
    """The annotation of the table under `header` holding `lines`, placed where the sheet
    (seen through `is_free`) has room."""
    notes = row_notes(lines)
    status = free_column_pair(
        is_free, header.last_column + 1, [header.row, *(n.row for n in notes)]
    )
    first = first_table_column(is_free, header)
    edits: dict[Position, CellEdit] = {}
    template = (header.row, header.last_column)
    for offset, title in enumerate((STATUS_HEADER, NOTE_HEADER)):
        edits[(header.row, status + offset)] = CellEdit(text=title, like=template)
    for note in notes:
        edits.update(_note_edits(note, first, status))
    return TablePlan(edits, ((status, STATUS_WIDTH), (status + 1, NOTE_WIDTH)))


def _note_edits(note: RowNote, first_column: int, status_column: int) -> dict[Position, CellEdit]:
    """Accepted rows keep the contractor's look (only the status cell is green); rejected and
    pending rows are coloured from the table's first column to the note."""
    fill = STATUS_FILLS[note.status]
    text = note.text or None
    if note.status is LineStatus.ACCEPTED:
        edits = {(note.row, status_column): CellEdit(note.status_text, Look(fill=fill))}
        if text:
            edits[(note.row, status_column + 1)] = CellEdit(text, Look(wrap=True))
        return edits
    edits = {
        (note.row, column): CellEdit(look=Look(fill=fill))
        for column in range(first_column, status_column)
    }
    edits[(note.row, status_column)] = CellEdit(note.status_text, Look(fill=fill))
    edits[(note.row, status_column + 1)] = CellEdit(text, Look(fill=fill, wrap=bool(text)))
    return edits


def free_column_pair(is_free: IsFree, start: int, rows: Sequence[int]) -> int:
    """The first column from `start` on where it and the next are empty in `rows`.

    Normally `start` itself: the columns right after the table. A contractor who keeps notes
    without a header beside the table keeps them; the annotation moves further right.
    """
    column = start
    while not all(is_free(row, c) for row in rows for c in (column, column + 1)):
        column += 1
    return column


def first_table_column(is_free: IsFree, header: HeaderRow) -> int:
    """The leftmost filled header cell: tables do not always start in column A."""
    for column in range(1, header.last_column + 1):
        if not is_free(header.row, column):
            return column
    return 1
