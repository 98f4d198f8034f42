"""Feedback workbooks for the contractor: after a run, an annotated copy of every workbook it
archived, in feedback/<contract>/ (INTERFACE.md section 1). The jobs are made here from the
ledger; the workers write them (flows.workers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.errors import UnknownLine
from domain.periods import Quarter
from flows.workers import FeedbackDone, FeedbackJob
from flows.workspace import Workspace
from ledger.database import Ledger
from ledger.files import FileStatus
from ledger.lines import Verdict, current_verdicts, lines_valued_with, verdicts_of_files
from ledger.runs import RunState
from ledger.schema import FileRecord, RunRecord
from parsers.submission import parse_submission_workbook
from reporting.feedback import FeedbackLine, FeedbackSummary, HeaderRow
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


CONTRACTS_PER_GROUP = 25
"""Contracts whose feedback is made together: the workers write one group's workbooks while
the next group is valued."""


def _by_contract(files: Sequence[FileRecord]) -> list[list[FileRecord]]:
    """The files in groups of CONTRACTS_PER_GROUP contracts (in the order they came)."""
    contracts: dict[str | None, list[FileRecord]] = {}
    for file in files:
        contracts.setdefault(file.contract_id, []).append(file)
    grouped = list(contracts.values())
    return [
        [
            file
            for files_of_one in grouped[start : start + CONTRACTS_PER_GROUP]
            for file in files_of_one
        ]
        for start in range(0, len(grouped), CONTRACTS_PER_GROUP)
    ]


def pending_feedback(
    workspace: Workspace, register: Register, run_id: int, as_of: date
) -> Iterator[list[FeedbackJob]]:
    """A job per archived workbook whose contractor has no feedback yet: what to write where,
    from the ledger (the workers only copy the original and annotate it). The jobs come a group
    of contracts at a time (the lines of a contract are valued with all of that contract's
    lines, and those of its people elsewhere)."""
    with workspace.ledger.reading() as session:
        files = _pending(session, run_id)
        quarter = Quarter.last_completed(as_of)
        for group in _by_contract(files):
            ledger = _GroupLedger.read(session, register.contracts, group, quarter)
            yield [
                _job(workspace, register, file, ledger, quarter=quarter, as_of=as_of)
                for file in group
            ]


def mark_feedback_written(ledger: Ledger, done: Sequence[FeedbackDone], at: datetime) -> None:
    written = [result.file_id for result in done if result.problem is None]
    if written:
        with ledger.transaction() as session:
            session.execute(
                update(FileRecord).where(FileRecord.id.in_(written)).values(feedback_at=at)
            )


@dataclass(frozen=True)
class _GroupLedger:
    """What the feedback of a group of files needs from the ledger, read for all at once."""

    values: dict[int, tuple[Decimal, tuple[str, ...]]]
    """line id -> its value in the quarter and the warnings only the valuation knows"""
    added: dict[int, list[Verdict]]
    """file id -> the versions it added"""
    current: dict[int, Verdict]
    """line id -> its current version, for the rows that repeated a line"""

    @classmethod
    def read(
        cls,
        session: Session,
        contracts: Sequence[Contract],
        files: Sequence[FileRecord],
        quarter: Quarter,
    ) -> _GroupLedger:
        repeated = {line_id for file in files for _, _, line_id, _ in _unchanged_rows(file)}
        return cls(
            _quarter_values(session, contracts, files, quarter),
            verdicts_of_files(session, [file.id for file in files]),
            current_verdicts(session, repeated) if repeated else {},
        )


def _unchanged_rows(file: FileRecord) -> list[list[Any]]:
    rows: list[list[Any]] = file.summary.get("unchanged_rows", [])
    return rows


def _feedback_lines(file: FileRecord, ledger: _GroupLedger) -> list[FeedbackLine]:
    """A line per version the file added, and one per row that repeated an earlier line
    (with that line's verdict as it stands)."""
    nothing: tuple[Decimal, tuple[str, ...]] = (Decimal(0), ())
    values = ledger.values
    lines = [
        FeedbackLine(
            sheet=verdict.sheet,
            row=verdict.row,
            status=verdict.status,
            reasons=verdict.reasons,
            warnings=verdict.warnings + values.get(verdict.line_id, nothing)[1],
            value_quarter=values.get(verdict.line_id, nothing)[0],
        )
        for verdict in ledger.added.get(file.id, [])
        if verdict.sheet is not None and verdict.row is not None
    ]
    for sheet, row, line_id, _ in _unchanged_rows(file):
        current = ledger.current.get(line_id)
        if current is None:
            raise UnknownLine(line_id, retracted=True)
        lines.append(
            FeedbackLine(
                sheet=sheet,
                row=row,
                status=current.status,
                reasons=current.reasons,
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
    file: FileRecord,
    ledger: _GroupLedger,
    *,
    quarter: Quarter,
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
        lines=tuple(_feedback_lines(file, ledger)),
        summary=summary,
    )
