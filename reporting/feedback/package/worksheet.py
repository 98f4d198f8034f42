"""A worksheet part being annotated: which cells are free, which format a cell has, and the
part rewritten with the new cells, formats and column widths.

Only the rows that get a cell are rewritten (and the <cols>, <dimension> and <sheetView> tags);
every other byte stays as the contractor's program wrote it. Texts become inline strings, so
the shared strings part stays as it is. Rows and cells are found by their tags (scan.py) and
only read when the annotation asks for them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.markup import (
    Edit,
    apply_edits,
    attribute,
    attribute_pattern,
    decimal_number,
    end_tag,
    opened,
    text_content,
    whole_number,
    with_attribute,
)
from reporting.feedback.package.names import MAIN
from reporting.feedback.package.scan import Scan, Tag
from reporting.feedback.plan import Position

_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_CELL_REFERENCE = attribute_pattern("r")
"""Matches a start tag up to its r attribute (group 2: the quoted reference)."""

LAST_ROW = 1_048_576
LAST_COLUMN = 16_384
"""The last row and column (XFD) of a worksheet."""

StringAt = Callable[[int], str]
"""The shared string with a given index."""


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, 1-based and inclusive."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    def covers(self, row: int, column: int) -> bool:
        return (
            self.first_row <= row <= self.last_row
            and self.first_column <= column <= self.last_column
        )

    def joined(self, row: int, column: int) -> Area:
        return Area(
            min(self.first_row, row),
            min(self.first_column, column),
            max(self.last_row, row),
            max(self.last_column, column),
        )

    @property
    def reference(self) -> str:
        first = f"{column_letter(self.first_column)}{self.first_row}"
        last = f"{column_letter(self.last_column)}{self.last_row}"
        return first if first == last else f"{first}:{last}"


class _Write(NamedTuple):
    """What a cell becomes: its format and, when given, its (neutralised) text."""

    style: int
    text: str | None


@dataclass(frozen=True)
class _Column:
    """One <col> (columns `first` to `last`) as an empty tag, as written or rewritten."""

    first: int
    last: int
    raw: bytes

    @property
    def width(self) -> float | None:
        value = attribute(self.raw, "width")
        return decimal_number(value, "column width") if value else None


class _Row:
    """A row of the sheet: its tag and where each of its cells starts, by column (the cells
    themselves are read when first asked for)."""

    def __init__(self, scan: Scan, tag: Tag, number: int) -> None:
        self._scan = scan
        self.tag = tag
        self.starts = _cell_starts(scan, tag, number)
        self.columns = sorted(self.starts)
        extensions = scan.first("extLst", tag.open_end, tag.close)
        self.cells_end = extensions.start if extensions is not None else tag.close
        """Where a cell after the last one goes: before the row's extensions, if any."""
        self._cells: dict[int, Tag] = {}

    def cell(self, column: int) -> Tag | None:
        if column not in self._cells:
            start = self.starts.get(column)
            if start is None:
                return None
            self._cells[column] = self._scan.tag_at(start)
        return self._cells[column]


class Worksheet:
    """The worksheet part `data`, read for annotating (`strings` gives a shared string when a
    cell's emptiness depends on it)."""

    def __init__(self, data: bytes, strings: StringAt) -> None:
        scan = Scan(data, MAIN, "worksheet")
        root = scan.root
        sheet_data = scan.first("sheetData", root.open_end, root.close)
        if sheet_data is None:
            raise NotSupported("worksheet without sheetData")
        self._scan = scan
        self._sheet_data = sheet_data
        self._row_tags = _rows_by_number(scan, sheet_data)
        self._row_numbers = sorted(self._row_tags)
        self._rows: dict[int, _Row] = {}
        self._merged = _merged_areas(scan, sheet_data.end, root.close)
        self._strings = strings
        self._writes: dict[Position, _Write] = {}
        self._widths: dict[int, float] = {}
        self._names: dict[str, bytes] = {}

    # --- reading ------------------------------------------------------------------------------

    def is_free(self, row: int, column: int) -> bool:
        """Whether the cell holds nothing: no value or an empty text, no formula, and it is not
        covered by a merge it does not start (as openpyxl sees it)."""
        written = self._writes.get((row, column))
        if written is not None and written.text is not None:
            return False
        if any(
            area.covers(row, column) and (row, column) != (area.first_row, area.first_column)
            for area in self._merged
        ):
            return False
        cell = self._cell(row, column)
        return cell is None or self._is_empty(cell)

    def style_of(self, row: int, column: int) -> int:
        """The format id of the cell (0 for a cell that is not there)."""
        written = self._writes.get((row, column))
        if written is not None:
            return written.style
        cell = self._cell(row, column)
        if cell is None:
            return 0
        return whole_number(cell.attribute("s") or "0", "cell format")

    # --- changing -----------------------------------------------------------------------------

    def write(self, row: int, column: int, style: int, text: str | None = None) -> None:
        """The cell gets format `style` and, unless None, the (neutralised) `text`."""
        if row > LAST_ROW or column > LAST_COLUMN:
            raise NotSupported(f"cell {column_letter(column)}{row} is beyond the sheet's end")
        earlier = self._writes.get((row, column))
        if text is None and earlier is not None:
            text = earlier.text
        self._writes[(row, column)] = _Write(style, text)

    def widen(self, column: int, width: float) -> None:
        """The column becomes at least `width` wide."""
        self._widths[column] = max(width, self._widths.get(column, 0.0))

    def render(self) -> bytes:
        """The part with the cells written and the columns widened."""
        scan = self._scan
        head = (scan.root.open_end, self._sheet_data.start)
        edits = [
            *self._row_edits(),
            *self._column_edits(),
            *tab_selection_edits(scan, *head),
            *self._dimension_edits(),
        ]
        return apply_edits(scan.data, edits)

    # --- cells --------------------------------------------------------------------------------

    def _row(self, number: int) -> _Row | None:
        if number not in self._rows:
            tag = self._row_tags.get(number)
            if tag is None:
                return None
            self._rows[number] = _Row(self._scan, tag, number)
        return self._rows[number]

    def _cell(self, row: int, column: int) -> Tag | None:
        found = self._row(row)
        return found.cell(column) if found is not None else None

    def _is_empty(self, cell: Tag) -> bool:
        content = self._scan.data[cell.open_end : cell.close]
        if not content:
            return True
        if self._scan.first("f", cell.open_end, cell.close) is not None:
            return False
        kind = cell.attribute("t")
        if kind == "inlineStr":
            return not self._inline_text(cell)
        value = self._scan.first("v", cell.open_end, cell.close)
        text = self._scan.data[value.open_end : value.close] if value is not None else b""
        if not text:
            return True
        if kind == "s":
            if not text.strip().isdigit():
                raise NotSupported(f"shared string index {text!r}")
            return self._strings(int(text)) == ""
        return False

    def _inline_text(self, cell: Tag) -> bool:
        """Whether the inline string of `cell` has text: in its <t> or the <t> of its runs, not
        in phonetic runs."""
        scan = self._scan
        inline = scan.first("is", cell.open_end, cell.close)
        if inline is None:
            return False
        phonetic = [(tag.start, tag.end) for tag in scan.tags("rPh", inline.open_end, inline.close)]
        return any(
            text.close > text.open_end
            for text in scan.tags("t", inline.open_end, inline.close)
            if not any(start <= text.start < end for start, end in phonetic)
        )

    # --- rows ---------------------------------------------------------------------------------

    def _row_edits(self) -> list[Edit]:
        by_row: dict[int, dict[int, _Write]] = {}
        for (number, column), write in self._writes.items():
            by_row.setdefault(number, {})[column] = write
        edits: list[Edit] = []
        new_rows: dict[int, list[bytes]] = {}
        """New rows by the offset they go in at (-1: the end of sheetData)."""
        for number in sorted(by_row):
            row = self._row(number)
            if row is not None:
                new = self._rewritten_row(row, number, by_row[number])
                edits.append(Edit(row.tag.start, row.tag.end, new))
                continue
            index = bisect.bisect(self._row_numbers, number)
            following = self._row_numbers[index] if index < len(self._row_numbers) else None
            at = self._row_tags[following].start if following is not None else -1
            new_rows.setdefault(at, []).append(self._new_row(number, by_row[number]))
        for at, rows in new_rows.items():
            edits.append(self._rows_inserted(at, b"".join(rows)))
        return edits

    def _rows_inserted(self, at: int, rows: bytes) -> Edit:
        """Rows put in before the row at offset `at`, or at the end of sheetData for -1."""
        sheet_data = self._sheet_data
        if at >= 0:
            return Edit(at, at, rows)
        if sheet_data.empty:
            tag = opened(self._scan.data[sheet_data.start : sheet_data.open_end])
            new = tag + rows + end_tag(sheet_data.qualified)
            return Edit(sheet_data.start, sheet_data.end, new)
        return Edit(sheet_data.close, sheet_data.close, rows)

    def _new_row(self, number: int, writes: dict[int, _Write]) -> bytes:
        name = self._name("row")
        cells = b"".join(
            self._new_cell(number, column, write) for column, write in sorted(writes.items())
        )
        return b"<" + name + b' r="' + str(number).encode() + b'">' + cells + end_tag(name)

    def _rewritten_row(self, row: _Row, number: int, writes: dict[int, _Write]) -> bytes:
        """The row with its cells rewritten or added in column order; all else as it was.
        A new cell goes before the first cell to its right, or at the end of the row."""
        data = self._scan.data
        tag = row.tag
        start_tag = opened(data[tag.start : tag.open_end])
        if b"spans" in start_tag:
            start_tag = with_attribute(start_tag, "spans", None)
        pieces = [start_tag]
        position = tag.open_end
        for column, write in sorted(writes.items()):
            cell = row.cell(column)
            if cell is not None:
                pieces += [data[position : cell.start], self._rewritten_cell(cell, write)]
                position = cell.end
                continue
            index = bisect.bisect(row.columns, column)
            at = row.starts[row.columns[index]] if index < len(row.columns) else row.cells_end
            at = max(at, position)
            pieces += [data[position:at], self._new_cell(number, column, write)]
            position = at
        pieces += [data[position : tag.close], end_tag(tag.qualified)]
        return b"".join(pieces)

    def _new_cell(self, row: int, column: int, write: _Write) -> bytes:
        return self._cell_bytes(f"{column_letter(column)}{row}", write)

    def _rewritten_cell(self, cell: Tag, write: _Write) -> bytes:
        data = self._scan.data
        if write.text is not None:
            return self._cell_bytes(cell.attribute("r") or "", write)
        style = str(write.style) if write.style else None
        return (
            with_attribute(data[cell.start : cell.open_end], "s", style)
            + data[cell.open_end : cell.end]
        )

    def _cell_bytes(self, reference: str, write: _Write) -> bytes:
        """A cell holding `write`: an inline string (never a formula) or only a format."""
        name = self._name
        start = b"<" + name("c") + b' r="' + reference.encode() + b'"'
        if write.style:
            start += b' s="' + str(write.style).encode() + b'"'
        if write.text is None:
            return start + b"/>"
        return (
            start + b' t="inlineStr"><' + name("is") + b"><" + name("t") + text_content(write.text)
            + end_tag(name("t")) + end_tag(name("is")) + end_tag(name("c"))
        )  # fmt: skip

    def _name(self, local: str) -> bytes:
        """`local` with the prefix sheetData is written with."""
        name = self._names.get(local)
        if name is None:
            name = self._names[local] = self._sheet_data.named(local)
        return name

    def _dimension_edits(self) -> list[Edit]:
        """The used range grown over the new cells (left alone when it cannot be read)."""
        scan = self._scan
        dimension = scan.first("dimension", scan.root.open_end, self._sheet_data.start)
        if dimension is None or not self._writes:
            return []
        area = parse_area(dimension.attributes.get("ref", ""))
        if area is None:
            return []
        rows = [row for row, _ in self._writes]
        columns = [column for _, column in self._writes]
        area = area.joined(min(rows), min(columns)).joined(max(rows), max(columns))
        tag = scan.data[dimension.start : dimension.open_end]
        return [
            Edit(dimension.start, dimension.open_end, with_attribute(tag, "ref", area.reference))
        ]

    # --- columns ------------------------------------------------------------------------------

    def _column_edits(self) -> list[Edit]:
        scan = self._scan
        blocks = list(scan.tags("cols", scan.root.open_end, self._sheet_data.start))
        if len(blocks) > 1:
            raise NotSupported("several <cols> blocks")
        block = blocks[0] if blocks else None
        columns = _columns(scan, block) if block is not None else []
        before = list(columns)
        for column, width in sorted(self._widths.items()):
            columns = _widened(columns, column, width, self._name("col"))
        if columns == before:
            return []
        content = b"".join(column.raw for column in sorted(columns, key=lambda c: c.first))
        if block is None:
            name = self._name("cols")
            new = b"<" + name + b">" + content + end_tag(name)
            return [Edit(self._sheet_data.start, self._sheet_data.start, new)]
        tag = opened(scan.data[block.start : block.open_end])
        return [Edit(block.start, block.end, tag + content + end_tag(block.qualified))]


def tab_selection_edits(scan: Scan, start: int, end: int) -> list[Edit]:
    """Edits that unselect the sheet views between the offsets: with more than one selected
    tab Excel opens with the sheets grouped, and edits go to all of them."""
    edits = []
    for view in scan.tags("sheetView", start, end):
        if "tabSelected" in view.attributes:
            tag = scan.data[view.start : view.open_end]
            edits.append(Edit(view.start, view.open_end, with_attribute(tag, "tabSelected", None)))
    return edits


def unselected(data: bytes, root_name: str) -> bytes:
    """The sheet part `data` (root `worksheet` or `chartsheet`) with its views unselected; the
    same bytes when none was."""
    if b"tabSelected" not in data:
        return data
    scan = Scan(data, MAIN, root_name)
    views = scan.first("sheetViews", scan.root.open_end, scan.root.close)
    if views is None:
        return data
    return apply_edits(data, tab_selection_edits(scan, views.open_end, views.close))


def column_letter(column: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@functools.cache
def column_number(letters: str) -> int:
    """ "A" -> 1, "aa" -> 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def parse_reference(reference: str) -> Position | None:
    """ "B7" -> (7, 2); None when it is not a cell reference."""
    match = _REFERENCE.fullmatch(reference.strip())
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def parse_area(reference: str) -> Area | None:
    """ "A1:L19" (or "B3") as an Area; None when it is not one."""
    first, _, last = reference.partition(":")
    start, end = parse_reference(first), parse_reference(last or first)
    if start is None or end is None:
        return None
    rows, columns = sorted((start[0], end[0])), sorted((start[1], end[1]))
    return Area(rows[0], columns[0], rows[1], columns[1])


def _rows_by_number(scan: Scan, sheet_data: Tag) -> dict[int, Tag]:
    """The rows of sheetData by their number; each must say its number, in rising order."""
    rows: dict[int, Tag] = {}
    previous = 0
    for row in scan.tags("row", sheet_data.open_end, sheet_data.close):
        number = row.attribute("r")
        if number is None or whole_number(number, "row") <= previous:
            raise NotSupported("rows without numbers or out of order")
        previous = int(number)
        rows[previous] = row
    return rows


def _cell_starts(scan: Scan, row: Tag, number: int) -> dict[int, int]:
    """Where each cell of a row starts, by column; each must name its place, in rising order."""
    starts: dict[int, int] = {}
    previous = 0
    data = scan.data
    for found in scan.start_pattern("c").finditer(data, row.open_end, row.close):
        reference = _CELL_REFERENCE.match(data, found.start())
        place = _place(reference.group(2)) if reference is not None else None
        if place is None or place[0] != number or place[1] <= previous:
            raise NotSupported(f"cells of row {number} without places or out of order")
        previous = place[1]
        starts[previous] = found.start()
    return starts


def _place(reference: bytes) -> Position | None:
    try:
        return parse_reference(reference[1:-1].decode())
    except UnicodeDecodeError:
        return None


def _merged_areas(scan: Scan, start: int, end: int) -> list[Area]:
    areas = [
        parse_area(merge.attributes.get("ref", "")) for merge in scan.tags("mergeCell", start, end)
    ]
    return [area for area in areas if area is not None]


def _columns(scan: Scan, block: Tag) -> list[_Column]:
    columns = []
    for col in scan.tags("col", block.open_end, block.close):
        first = whole_number(col.attributes.get("min"), "<col> min")
        last = whole_number(col.attributes.get("max"), "<col> max")
        tag = scan.data[col.start : col.open_end]
        closed = tag if tag.endswith(b"/>") else tag[:-1].rstrip() + b"/>"
        columns.append(_Column(first, last, closed))
    return columns


def _widened(columns: list[_Column], column: int, width: float, name: bytes) -> list[_Column]:
    """`columns` with `column` at least `width` wide: a <col> covering more columns is split
    so that only this one changes."""
    covering = next((c for c in columns if c.first <= column <= c.last), None)
    if covering is None:
        number = str(column).encode()
        raw = b"<" + name + b' min="' + number + b'" max="' + number + b'"/>'
        return [*columns, _sized(_Column(column, column, raw), width)]
    current = covering.width
    if current is not None and current >= width:
        return columns
    pieces = []
    if covering.first < column:
        pieces.append(_ranged(covering, covering.first, column - 1))
    pieces.append(_sized(_ranged(covering, column, column), width))
    if column < covering.last:
        pieces.append(_ranged(covering, column + 1, covering.last))
    return [c for c in columns if c is not covering] + pieces


def _ranged(column: _Column, first: int, last: int) -> _Column:
    raw = with_attribute(with_attribute(column.raw, "min", str(first)), "max", str(last))
    return _Column(first, last, raw)


def _sized(column: _Column, width: float) -> _Column:
    raw = with_attribute(with_attribute(column.raw, "width", f"{width:g}"), "customWidth", "1")
    return _Column(column.first, column.last, raw)
