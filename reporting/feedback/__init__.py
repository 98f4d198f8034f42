"""The feedback workbook for the contractor (INTERFACE.md section 1: `feedback/<contract>/`).

An annotated copy of a submitted workbook: beside each table the columns Status and Toelichting
with every line's verdict and the Dutch reasons (annotate.py), and a first sheet "Samenvatting"
with the counts, the value of the quarter and all problems in one list (summary_sheet.py). The
copy keeps the contractor's own formatting where it can (original.py). Every text we write is
neutralised against formulas (reporting.spreadsheet).
"""

from __future__ import annotations

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
from reporting.feedback.summary_sheet import add_summary_sheet

__all__ = ["FeedbackLine", "FeedbackSummary", "HeaderRow", "write_feedback_workbook"]


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
    if destination.suffix.lower() != ".xlsx":
        raise ValueError(f"feedback workbook must be .xlsx, got {destination.name}")
    workbook, sheets = open_original(original, limits or ReadLimits())
    for header in headers:
        sheet = sheets.get(header.sheet)
        if sheet is not None:
            annotate_table(sheet, header, lines_of_table(header, headers, lines))
    add_summary_sheet(workbook, summary, lines, list(sheets))
    return write_atomically(destination, workbook.save, durable=durable)
