"""The feedback workbook for the contractor (INTERFACE.md section 1: `feedback/<contract>/`).

An annotated copy of a submitted workbook: beside each table the columns Status and Toelichting
with every line's verdict and the Dutch reasons (plan.py), and a first sheet "Samenvatting"
with the counts, the value of the quarter and all problems in one list (summary_layout.py).
Every text we write is neutralised against formulas (reporting.spreadsheet).

An ordinary .xlsx is annotated by editing its package (package/: the contractor's file stays
as it was byte for byte outside what we add, in a few milliseconds); other files, and packages
that writer does not edit, are copied through openpyxl (original.py, annotate.py,
summary_sheet.py), rebuilt from the parsed values where openpyxl cannot open them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from domain.storage import write_atomically
from parsers.limits import ReadLimits
from reporting.feedback.annotate import annotate_table
from reporting.feedback.lines import (
    FeedbackLine,
    FeedbackSummary,
    HeaderRow,
    lines_of_table,
)
from reporting.feedback.original import open_original
from reporting.feedback.package import NewPackage, NotSupported, annotated_package
from reporting.feedback.summary_layout import summary_layout
from reporting.feedback.summary_sheet import add_summary_sheet

__all__ = [
    "FeedbackLine",
    "FeedbackSummary",
    "HeaderRow",
    "NotSupported",
    "write_feedback_workbook",
    "write_package",
    "write_with_openpyxl",
]

_log = logging.getLogger(__name__)


def write_feedback_workbook(
    original: Path,
    destination: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
    *,
    limits: ReadLimits | None = None,
    durable: bool = True,
) -> Path:
    """Writes destination (always .xlsx; the caller picks the name) and returns it. It is
    written whole or not at all: a crash never leaves half a workbook behind. With
    `durable=False` the caller makes it durable (domain.storage.make_durable, for many at once)."""
    _check_destination(destination)
    package = _package(original, headers, lines, summary, limits or ReadLimits())
    if package is None:
        return write_with_openpyxl(
            original, destination, headers, lines, summary, limits=limits, durable=durable
        )
    return write_atomically(destination, package.save, durable=durable)


def write_package(
    original: Path,
    destination: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
    *,
    limits: ReadLimits | None = None,
    durable: bool = True,
) -> Path:
    """`write_feedback_workbook` by editing the original's package only: raises NotSupported,
    before anything is written, for an original that writer does not edit."""
    _check_destination(destination)
    package = annotated_package(original, headers, lines, summary, limits or ReadLimits())
    return write_atomically(destination, package.save, durable=durable)


def write_with_openpyxl(
    original: Path,
    destination: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
    *,
    limits: ReadLimits | None = None,
    durable: bool = True,
) -> Path:
    """`write_feedback_workbook` through openpyxl, for any original: the contractor's workbook
    loaded whole and saved, or rebuilt from its values (.xls, .ods, .csv, odd .xlsx)."""
    _check_destination(destination)
    workbook, sheets = open_original(original, limits or ReadLimits())
    for header in headers:
        sheet = sheets.get(header.sheet)
        if sheet is not None:
            annotate_table(sheet, header, lines_of_table(header, headers, lines))
    add_summary_sheet(workbook, summary_layout(summary, lines, list(sheets)))
    return write_atomically(destination, workbook.save, durable=durable)


def _package(
    original: Path,
    headers: Sequence[HeaderRow],
    lines: Sequence[FeedbackLine],
    summary: FeedbackSummary,
    limits: ReadLimits,
) -> NewPackage | None:
    """The edited package of `original`, or None when it is to be copied with openpyxl: the
    package writer raises NotSupported for every original it does not edit, damaged ones
    included (tests/test_feedback_package.py damages workbooks to check that)."""
    try:
        return annotated_package(original, headers, lines, summary, limits)
    except NotSupported as reason:
        _log.debug("feedback for %s through openpyxl: %r", original.name, reason)
        return None


def _check_destination(destination: Path) -> None:
    if destination.suffix.lower() != ".xlsx":
        raise ValueError(f"feedback workbook must be .xlsx, got {destination.name}")
