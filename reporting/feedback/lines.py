"""What the feedback workbook is told about a submitted workbook: its tables' header rows and
every line's verdict, and the facts for the summary sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from validators.lines import LineStatus

SUMMARY_TITLE = "Samenvatting"
STATUS_HEADER = "Status"
NOTE_HEADER = "Toelichting"

STATUS_FILLS = {
    LineStatus.REJECTED: "FFC7CE",
    LineStatus.PENDING: "FFEB9C",
    LineStatus.ACCEPTED: "C6EFCE",
}
"""Excel's own "light red / light yellow / light green" cell styles, familiar to contractors."""


@dataclass(frozen=True)
class FeedbackLine:
    sheet: str
    """Sheet name as in the submitted workbook."""
    row: int
    """1-based Excel row of the line."""
    status: LineStatus
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    value_quarter: Decimal
    """Euros this line counts in the quarter (0 when rejected or pending)."""
    unchanged: bool = False
    """The row repeats a line processed earlier; `status` is that line's status now."""

    @property
    def text(self) -> str:
        return "; ".join((*self.reasons, *self.warnings))

    @property
    def status_text(self) -> str:
        """'afgewezen', or 'ongewijzigd (geaccepteerd)' for a row sent before."""
        label = self.status.label_nl
        return f"ongewijzigd ({label})" if self.unchanged else label


@dataclass(frozen=True)
class FeedbackSummary:
    contract_id: str
    contractor: str
    file: str
    """Original file name."""
    quarter_label: str
    """E.g. "3e kwartaal 2026"."""
    processed_on: date
    unchanged: int
    """Rows that repeated a line already processed earlier."""


@dataclass(frozen=True)
class HeaderRow:
    sheet: str
    row: int
    """1-based Excel row of the table's header row."""
    last_column: int
    """1-based index of the last column of the table."""


def lines_of_table(
    header: HeaderRow, headers: Sequence[HeaderRow], lines: Sequence[FeedbackLine]
) -> list[FeedbackLine]:
    """The lines under `header`: on its sheet, below it, and not under a later table there."""
    later = [
        other.row for other in headers if other.sheet == header.sheet and other.row > header.row
    ]
    end = min(later, default=None)
    return [
        line
        for line in lines
        if line.sheet == header.sheet and line.row > header.row and (end is None or line.row < end)
    ]
