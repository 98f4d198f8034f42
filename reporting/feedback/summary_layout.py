"""The content of the first sheet of a feedback workbook, "Samenvatting": the counts, the value
of the quarter, a legend and every rejected or pending line in one list. Laid out here once,
written by either writer (summary_sheet.py with openpyxl, package/summary.py as XML)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.dutch import date_nl, round_cents
from reporting.feedback.lines import (
    STATUS_FILLS,
    SUMMARY_TITLE,
    FeedbackLine,
    FeedbackSummary,
)
from reporting.feedback.plan import AS_IT_IS, Look
from reporting.spreadsheet import EURO_FORMAT
from validators.lines import LineStatus

_EXPLANATION = (
    "Op elk blad staan naast de tabel de kolommen 'Status' en 'Toelichting' met de beoordeling "
    "en de reden per regel. Afgewezen regels zijn rood gekleurd, regels in behandeling geel en "
    "bij geaccepteerde regels is alleen de statuscel groen. Een regel die u eerder al "
    "aanleverde, staat er als 'ongewijzigd' met de beoordeling die hij toen kreeg."
)
_LEGEND = (
    (LineStatus.REJECTED, "telt niet mee; pas de regel aan en lever hem opnieuw aan"),
    (LineStatus.PENDING, "telt nog niet mee; wacht op goedkeuring of een ontbrekend stuk"),
    (LineStatus.ACCEPTED, "telt mee"),
)
_UNCHANGED_MEANING = "al eerder aangeleverd; telt zoals toen beoordeeld (tussen haakjes)"
_TITLE = Look(bold=True, size=14)
_HEADING = Look(bold=True, size=12)
_LABEL = Look(bold=True)
_NUMBER = Look(left=True)
_WRAPPED = Look(wrap=True)
_WIDTHS = ((1, 34.0), (2, 36.0), (3, 16.0), (4, 90.0))
_EXPLANATION_HEIGHT = 32.0

SummaryValue = str | int | Decimal
"""A text (neutralised by the writer), a count or a row number, or euros."""


@dataclass(frozen=True)
class SummaryCell:
    """One filled cell of the summary sheet (row and column 1-based)."""

    row: int
    column: int
    value: SummaryValue
    look: Look = AS_IT_IS


@dataclass(frozen=True)
class MergedRow:
    """Cells merged along one row, from `first` to `last` column."""

    row: int
    first: int
    last: int


@dataclass(frozen=True)
class SummaryLayout:
    """Everything on the summary sheet, in row order."""

    cells: tuple[SummaryCell, ...]
    merged: tuple[MergedRow, ...]
    row_heights: tuple[tuple[int, float], ...]
    widths: tuple[tuple[int, float], ...]
    """(column, width) of the four columns."""
    auto_filter: tuple[int, int] | None
    """First and last row of the filtered problem list (columns A to D), if there is one."""


def unique_title(taken: Iterable[str], wanted: str = SUMMARY_TITLE) -> str:
    """`wanted`, or a variant when the contractor already has a sheet of that name (sheet names
    compare without case)."""
    names = {name.casefold() for name in taken}
    candidates = [wanted, "Terugkoppeling", *(f"{wanted} ({n})" for n in range(2, 100))]
    return next(name for name in candidates if name.casefold() not in names)


def summary_layout(
    summary: FeedbackSummary, lines: Sequence[FeedbackLine], sheet_order: Sequence[str]
) -> SummaryLayout:
    """The summary sheet of a workbook whose worksheets are `sheet_order`."""
    cells = [SummaryCell(1, 1, "Terugkoppeling SROI-verantwoording", _TITLE)]
    row = _facts(cells, 3, summary, lines)
    explanation_row = row + 1
    row = _legend(cells, explanation_row)
    auto_filter = _problems(cells, row + 1, lines, sheet_order)
    return SummaryLayout(
        cells=tuple(cells),
        merged=(MergedRow(explanation_row, 1, 4),),
        row_heights=((explanation_row, _EXPLANATION_HEIGHT),),
        widths=_WIDTHS,
        auto_filter=auto_filter,
    )


def _count(lines: Sequence[FeedbackLine], status: LineStatus) -> int:
    return sum(1 for line in lines if line.status is status and not line.unchanged)


def _facts(
    cells: list[SummaryCell], row: int, summary: FeedbackSummary, lines: Sequence[FeedbackLine]
) -> int:
    """The label/value block; returns the first row after it."""
    texts = (
        ("Contract", summary.contract_id),
        ("Opdrachtnemer", summary.contractor),
        ("Bestand", summary.file),
        ("Kwartaal", summary.quarter_label),
        ("Verwerkt op", date_nl(summary.processed_on)),
    )
    for label, text in texts:
        cells += [SummaryCell(row, 1, label, _LABEL), SummaryCell(row, 2, text)]
        row += 1
    row += 1
    counts = (
        ("Geaccepteerd", _count(lines, LineStatus.ACCEPTED)),
        ("Afgewezen", _count(lines, LineStatus.REJECTED)),
        ("In behandeling", _count(lines, LineStatus.PENDING)),
        ("Ongewijzigd (al eerder verwerkt)", summary.unchanged),
    )
    for label, number in counts:
        cells += [SummaryCell(row, 1, label, _LABEL), SummaryCell(row, 2, number, _NUMBER)]
        row += 1
    total = round_cents(sum((line.value_quarter for line in lines), Decimal(0)))
    cells += [
        SummaryCell(row, 1, "Waarde dit kwartaal", _LABEL),
        SummaryCell(row, 2, total, Look(left=True, number_format=EURO_FORMAT)),
    ]
    return row + 1


def _legend(cells: list[SummaryCell], row: int) -> int:
    """The explanation (merged over A:D) and the colours; returns the first row after it."""
    cells.append(SummaryCell(row, 1, _EXPLANATION, _WRAPPED))
    row += 1
    for status, meaning in _LEGEND:
        cells += [
            SummaryCell(row, 1, status.label_nl, Look(fill=STATUS_FILLS[status])),
            SummaryCell(row, 2, meaning),
        ]
        row += 1
    cells += [
        SummaryCell(row, 1, "ongewijzigd (...)"),
        SummaryCell(row, 2, _UNCHANGED_MEANING),
    ]
    return row + 1


def _problems(
    cells: list[SummaryCell], row: int, lines: Sequence[FeedbackLine], sheet_order: Sequence[str]
) -> tuple[int, int] | None:
    """The list of rejected and pending lines; returns the rows its filter covers."""
    cells.append(SummaryCell(row, 1, "Afgewezen regels en regels in behandeling", _HEADING))
    row += 1
    problems = sorted_problems(lines, sheet_order)
    if not problems:
        cells.append(SummaryCell(row, 1, "Geen afgewezen regels of regels in behandeling."))
        return None
    header_row = row
    for column, title in enumerate(("Blad", "Rij", "Status", "Toelichting"), start=1):
        cells.append(SummaryCell(row, column, title, _LABEL))
    for line in problems:
        row += 1
        cells += [
            SummaryCell(row, 1, line.sheet),
            SummaryCell(row, 2, line.row, _NUMBER),
            SummaryCell(row, 3, line.status_text, Look(fill=STATUS_FILLS[line.status])),
        ]
        if text := line.text:
            cells.append(SummaryCell(row, 4, text, _WRAPPED))
    return header_row, row


def sorted_problems(
    lines: Sequence[FeedbackLine], sheet_order: Sequence[str]
) -> list[FeedbackLine]:
    """Rejected and pending lines in the order of the workbook: sheet by sheet, row by row."""
    position = {name: index for index, name in enumerate(sheet_order)}
    problems = [line for line in lines if line.status is not LineStatus.ACCEPTED]
    return sorted(
        problems,
        key=lambda line: (position.get(line.sheet, len(position)), line.sheet, line.row),
    )
