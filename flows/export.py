"""`sroi export`: the analysts' workbook of a quarter (reporting.export writes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.periods import Quarter
from flows.home import Home
from flows.lines import belongs_to_quarter  # one rule for "lines of a quarter"
from flows.quarter import quarter_view, refuse_unbegun
from flows.workspace import opened
from ledger.lines import current_versions
from reporting.export import ExportInputs, write_export


@dataclass(frozen=True)
class Export:
    path: Path
    lines: int
    contracts: int


def export_quarter(home: Home, quarter: Quarter, destination: Path, today: date) -> Export:
    """Every evidence line of the quarter (the lines `sroi lines --quarter` shows), valued as of
    its last day, with the contract, municipality and region figures."""
    refuse_unbegun(quarter, today)
    with opened(home) as workspace:
        view = quarter_view(workspace, quarter)
        values = {
            line_id: value
            for valuation in view.portfolio.contracts
            for line_id, value in valuation.lines.items()
        }
        with workspace.ledger.reading() as session:
            of_quarter = {
                version.line_id
                for version in current_versions(session)
                if belongs_to_quarter(version, values.get(version.line_id), quarter)
            }
    lines = [stored for stored in view.lines if stored.line_id in of_quarter]
    count = write_export(destination, ExportInputs(view.portfolio, lines, today))
    return Export(destination, count, len(view.portfolio.contracts))
