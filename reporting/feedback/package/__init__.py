"""The feedback workbook made by editing the original .xlsx package directly: every part is
copied as it is, except the annotated worksheets, the styles, the workbook, its relationships
and content types, and a new worksheet part for the summary.

Some ten times faster than loading and saving the workbook with openpyxl, and it keeps what
openpyxl drops (images, charts, comments' shapes, extensions). A package it cannot edit
faithfully, or a damaged one, raises NotSupported (and nothing else: what goes wrong in a
damaged package is turned into NotSupported where it is read), and the caller makes the copy
with openpyxl instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parsers.limits import ReadLimits
from reporting.feedback.lines import FeedbackLine, FeedbackSummary, HeaderRow, lines_of_table
from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.markup import neutralised
from reporting.feedback.package.names import MAIN
from reporting.feedback.package.scan import Scan
from reporting.feedback.package.styles import StyleBook
from reporting.feedback.package.summary import summary_part
from reporting.feedback.package.workbook import Book, Sheet
from reporting.feedback.package.worksheet import Worksheet, unselected
from reporting.feedback.package.zipped import Package
from reporting.feedback.plan import plan_table
from reporting.feedback.summary_layout import summary_layout, unique_title

__all__ = ["NewPackage", "NotSupported", "annotated_package"]

PACKAGE_SUFFIXES = {".xlsx", ".xlsm"}
"""Files that may be a package this writer edits (an .xlsm only without macros)."""


@dataclass(frozen=True)
class NewPackage:
    """The feedback workbook: the bytes of its zip."""

    data: bytes

    def save(self, path: Path) -> None:
        path.write_bytes(self.data)


def annotated_package(
    original: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
    limits: ReadLimits,
) -> NewPackage:
    """The feedback workbook of `original`, ready to be saved. Raises NotSupported when
    `original` is not a package this writer edits."""
    if original.suffix.lower() not in PACKAGE_SUFFIXES:
        raise NotSupported(f"{original.suffix} is not an Office Open XML package")
    package = Package(original, limits)
    book = Book(package)
    styles = StyleBook(package.read(book.styles_part))
    strings = _SharedStrings(package, book.shared_strings_part)
    worksheets = {sheet.name: sheet for sheet in book.sheets if sheet.is_worksheet}
    annotated: dict[str, Worksheet] = {}
    for header in headers:
        sheet = worksheets.get(header.sheet)
        if sheet is None:
            continue
        if sheet.name not in annotated:
            annotated[sheet.name] = Worksheet(package.read(sheet.part), strings.text)
        _annotate(annotated[sheet.name], styles, header, lines_of_table(header, headers, lines))
    changed: dict[str, bytes] = {}
    for sheet in book.sheets:
        data = _sheet_part(package, sheet, annotated.get(sheet.name))
        if data is not None:
            changed[_entry(package, sheet.part)] = data
    layout = summary_layout(summary, lines, list(worksheets))
    title = unique_title(sheet.name for sheet in book.sheets)
    summary_xml = summary_part(layout, styles)
    part, book_changes = book.with_summary(title, layout.auto_filter)
    changed.update(book_changes.changed)
    if (styles_xml := styles.render()) is not None:
        changed[_entry(package, book.styles_part)] = styles_xml
    return NewPackage(package.zip_with(changed, book_changes.removed, ((part, summary_xml),)))


def _annotate(
    sheet: Worksheet, styles: StyleBook, header: HeaderRow, lines: Sequence[FeedbackLine]
) -> None:
    """Writes the annotation of the table under `header` (plan.py) into `sheet`."""
    plan = plan_table(header, lines, sheet.is_free)
    for (row, column), edit in sorted(plan.edits.items()):
        like = sheet.style_of(*edit.like) if edit.like is not None else None
        style = styles.derive(sheet.style_of(row, column), edit.look, like)
        text = neutralised(edit.text) if edit.text is not None else None
        sheet.write(row, column, style, text)
    for column, width in plan.widths:
        sheet.widen(column, width)


def _sheet_part(package: Package, sheet: Sheet, annotated: Worksheet | None) -> bytes | None:
    """The new bytes of a sheet's part: annotated, or only unselected; None when unchanged."""
    if annotated is not None:
        return annotated.render()
    data = package.read(sheet.part)
    new = unselected(data, "worksheet" if sheet.is_worksheet else "chartsheet")
    return None if new is data else new


def _entry(package: Package, part: str) -> str:
    name = package.name_of(part)
    if name is None:
        raise NotSupported(f"part {part} is missing")
    return name


class _SharedStrings:
    """The shared strings of the workbook, read only when a cell's emptiness depends on one."""

    def __init__(self, package: Package, part: str | None) -> None:
        self._read: Callable[[], bytes] | None = (
            (lambda: package.read(part)) if part is not None else None
        )
        self._texts: list[str] | None = None

    def text(self, index: int) -> str:
        if self._texts is None:
            if self._read is None:
                raise NotSupported("a shared string without a shared strings part")
            self._texts = _string_texts(self._read())
        if not 0 <= index < len(self._texts):
            raise NotSupported(f"shared string {index} does not exist")
        return self._texts[index]


def _string_texts(data: bytes) -> list[str]:
    """The shared strings in their order (only whether each is empty matters here: the text of
    runs and plain items, not of phonetic runs)."""
    scan = Scan(data, MAIN, "sst")
    texts = []
    for item in scan.under(scan.root, "si"):
        phonetic = [(tag.start, tag.end) for tag in scan.under(item, "rPh")]
        texts.append(
            "".join(
                text.text
                for text in scan.under(item, "t")
                if not any(start <= text.start < end for start, end in phonetic)
            )
        )
    return texts
