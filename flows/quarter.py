"""A quarter as the ledger holds it: every contract valued as of the quarter's last day, for
the summary JSON, the reports and the analysts' export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.errors import UserError
from domain.periods import Quarter
from flows.home import Home
from flows.workspace import Workspace, opened
from ledger.files import FileStatus, file_counts
from ledger.lines import stored_lines
from ledger.schema import FileRecord
from reporting.summary import summary_document
from validators.register import Register
from valuation.accrual import StoredLine
from valuation.portfolio import PortfolioValuation, value_portfolio


@dataclass(frozen=True)
class QuarterView:
    portfolio: PortfolioValuation
    lines: list[StoredLine]
    register: Register
    files: dict[str, int]


def quarter_view(workspace: Workspace, quarter: Quarter) -> QuarterView:
    register = workspace.load_register()
    with workspace.ledger.reading() as session:
        lines = stored_lines(session)
        files = file_counts(session)
    portfolio = value_portfolio(register.contracts, workspace.catalog, lines, quarter)
    return QuarterView(portfolio, lines, register, files)


def summary(home: Home, quarter: Quarter) -> dict[str, Any]:
    """The summary JSON of INTERFACE.md section 7."""
    with opened(home) as workspace:
        view = quarter_view(workspace, quarter)
        return summary_document(view.portfolio, view.files)


def _quarantined(workspace: Workspace) -> list[tuple[str, str]]:
    """Files in quarantine now (a retried file's earlier quarantine is not)."""
    with workspace.ledger.reading() as session:
        return [
            (record.original_name, record.reason or "")
            for record in session.scalars(
                select(FileRecord)
                .where(
                    FileRecord.status == FileStatus.QUARANTINED,
                    FileRecord.resolved_by.is_(None),
                )
                .order_by(FileRecord.id)
            )
        ]


def reported_on(record: FileRecord) -> Quarter:
    """The quarter a file was sent for: the last completed quarter on the day of its run (a run
    in October reports on Q3), as `sroi lines --quarter` and the feedback count it."""
    day = record.run.as_of if record.run is not None else record.processed_at.date()
    return Quarter.last_completed(day)


def submitted_for(workspace: Workspace, quarter: Quarter) -> frozenset[str]:
    """Contracts with an archived (not retracted) file in a run that reported on `quarter`."""
    with workspace.ledger.reading() as session:
        records = session.scalars(
            select(FileRecord)
            .where(
                FileRecord.status == FileStatus.ARCHIVED,
                FileRecord.contract_id.is_not(None),
                FileRecord.retracted_at.is_(None),
            )
            .options(selectinload(FileRecord.run))
        )
        return frozenset(
            record.contract_id
            for record in records
            if record.contract_id is not None and reported_on(record) == quarter
        )


def refuse_unbegun(quarter: Quarter, today: date) -> None:
    """A quarter that has not begun has no figures; a report of it would call running
    contracts ended."""
    if quarter.first_day > today:
        raise UserError(f"{quarter} has not begun yet (today is {today:%d-%m-%Y})")


def write_reports(home: Home, quarter: Quarter, generated: date) -> list[Path]:
    """All reports of the quarter: per contract, per municipality and for the region, and the
    quarter's index.html. A quarter that has not ended on `generated` is marked provisional."""
    # Imported here: the charts load matplotlib, which commands without reports never need.
    from flows.worklist import current_worklist  # noqa: PLC0415 - it builds on this module
    from reporting.quarter import ReportInputs, write_quarter_reports  # noqa: PLC0415
    from reporting.render import template_environment  # noqa: PLC0415

    refuse_unbegun(quarter, generated)
    with opened(home) as workspace:
        view = quarter_view(workspace, quarter)
        inputs = ReportInputs(
            portfolio=view.portfolio,
            lines=view.lines,
            files=view.files,
            quarantined=_quarantined(workspace),
            register_problems=[p.describe_nl(view.register.file) for p in view.register.problems],
            generated=generated,
            submitted=submitted_for(workspace, quarter),
            worklist=current_worklist(workspace, view, generated),
        )
        environment = template_environment(home.root / "report_templates")
        return write_quarter_reports(home.reports, inputs, environment)
