"""Feedback workbooks for the contractor: after a run, an annotated copy of every workbook it
archived, in feedback/<contract>/ (INTERFACE.md section 1). The jobs are made here from the
ledger; the workers write them (flows.workers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.periods import Quarter
from flows.workers import FeedbackDone, FeedbackJob
from flows.workspace import Workspace
from ledger.database import Ledger
from ledger.files import FileStatus
from ledger.lines import current_version, lines_valued_with, versions_of_file
from ledger.runs import RunState
from ledger.schema import FileRecord, RunRecord
from parsers.submission import parse_submission_workbook
from reporting.feedback import FeedbackLine, FeedbackSummary, HeaderRow
from validators.lines import LineStatus
from validators.register import Register
from valuation.accrual import accrue


def feedback_path(workspace: Workspace, contract_id: str, file_name: str) -> Path:
    return workspace.home.feedback / contract_id / f"{Path(file_name).stem} - terugkoppeling.xlsx"


def _quarter_values(
    session: Session, contracts: Sequence[Contract], files: Sequence[FileRecord], quarter: Quarter
) -> dict[int, tuple[Decimal, tuple[str, ...]]]:
    """The value in the quarter of the current lines of the files' contracts, and the warnings
    only the valuation knows (one person one FTE, once per person)."""
    lines = lines_valued_with(session, {file.contract_id for file in files if file.contract_id})
    values = accrue(contracts, lines, quarter.last_day)
    return {
        line_id: (value.by_quarter.get(quarter, Decimal(0)), tuple(value.warnings))
        for line_id, value in values.items()
    }


def _pending(session: Session, run_id: int) -> list[FileRecord]:
    """Archived workbooks still without feedback: this run's, and those of runs that ended
    (a killed run's are written by the next run; a running one writes its own)."""
    query = (
        select(FileRecord)
        .join(RunRecord, FileRecord.run_id == RunRecord.id)
        .where(
            FileRecord.status == FileStatus.ARCHIVED,
            FileRecord.kind == "workbook",
            FileRecord.feedback_at.is_(None),
            FileRecord.retracted_at.is_(None),
            FileRecord.purged_at.is_(None),
            (RunRecord.id == run_id) | (RunRecord.state != RunState.RUNNING),
        )
        .order_by(FileRecord.id)
    )
    return list(session.scalars(query))


def pending_feedback(
    workspace: Workspace, register: Register, run_id: int, as_of: date
) -> list[FeedbackJob]:
    """A job per archived workbook whose contractor has no feedback yet: what to write where,
    from the ledger (the workers only copy the original and annotate it)."""
    with workspace.ledger.reading() as session:
        files = _pending(session, run_id)
        if not files:
            return []
        quarter = Quarter.last_completed(as_of)
        values = _quarter_values(session, register.contracts, files, quarter)
        return [
            _job(workspace, register, session, file, quarter=quarter, values=values, as_of=as_of)
            for file in files
        ]


def mark_feedback_written(ledger: Ledger, done: Sequence[FeedbackDone], at: datetime) -> None:
    written = [result.file_id for result in done if result.problem is None]
    if written:
        with ledger.transaction() as session:
            session.execute(
                update(FileRecord).where(FileRecord.id.in_(written)).values(feedback_at=at)
            )


def _feedback_lines(
    session: Session,
    file: FileRecord,
    values: dict[int, tuple[Decimal, tuple[str, ...]]],
) -> list[FeedbackLine]:
    """A line per version the file added, and one per row that repeated an earlier line
    (with that line's verdict as it stands)."""
    nothing: tuple[Decimal, tuple[str, ...]] = (Decimal(0), ())
    lines = [
        FeedbackLine(
            sheet=version.source_sheet,
            row=version.source_row,
            status=LineStatus(version.status),
            reasons=tuple(version.reasons),
            warnings=tuple(version.warnings) + values.get(version.line_id, nothing)[1],
            value_quarter=values.get(version.line_id, nothing)[0],
        )
        for version in versions_of_file(session, file.id)
        if version.source_sheet is not None and version.source_row is not None
    ]
    for sheet, row, line_id, _ in file.summary.get("unchanged_rows", []):
        _, current = current_version(session, line_id)
        lines.append(
            FeedbackLine(
                sheet=sheet,
                row=row,
                status=LineStatus(current.status),
                reasons=tuple(current.reasons),
                warnings=(f"al eerder verwerkt als regel {line_id}",),
                value_quarter=values.get(line_id, nothing)[0],
                unchanged=True,
            )
        )
    return lines


def _headers(workspace: Workspace, file: FileRecord) -> tuple[HeaderRow, ...]:
    """Where the file's tables stand, as the run found them (re-read for files stored before
    the ledger kept it)."""
    tables = file.summary.get("tables")
    if tables is None:
        original = workspace.home.root / file.stored_path
        parsed = parse_submission_workbook(original, workspace.limits, workspace.vocabulary)
        tables = [[table.sheet, table.header_row, table.last_column] for table in parsed.tables]
    return tuple(HeaderRow(sheet, row, column) for sheet, row, column in tables)


def _job(
    workspace: Workspace,
    register: Register,
    session: Session,
    file: FileRecord,
    *,
    quarter: Quarter,
    values: dict[int, tuple[Decimal, tuple[str, ...]]],
    as_of: date,
) -> FeedbackJob:
    contract_id = file.contract_id or ""
    contract = register.get(contract_id)
    summary = FeedbackSummary(
        contract_id=contract_id,
        contractor=contract.contractor if contract else "",
        file=file.original_name,
        quarter_label=quarter.label_nl,
        processed_on=as_of,
        unchanged=int(file.summary.get("unchanged", 0)),
    )
    original = workspace.home.root / file.stored_path
    return FeedbackJob(
        file_id=file.id,
        original=original,
        destination=feedback_path(workspace, contract_id, original.name),
        headers=_headers(workspace, file),
        lines=tuple(_feedback_lines(session, file, values)),
        summary=summary,
    )
