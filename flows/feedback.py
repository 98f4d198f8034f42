"""Feedback workbooks for the contractor: after a run, an annotated copy of every workbook it
archived, in feedback/<contract>/ (INTERFACE.md section 1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.errors import FileRejected, UnknownFile
from domain.periods import Quarter
from flows.workspace import Workspace
from ledger.lines import current_version, stored_lines, versions_of_file
from ledger.schema import FileRecord
from parsers.submission import parse_submission_workbook
from reporting.feedback import FeedbackLine, FeedbackSummary, HeaderRow, write_feedback_workbook
from validators.lines import LineStatus
from validators.register import Register
from valuation.portfolio import value_portfolio


def feedback_path(workspace: Workspace, contract_id: str, file_name: str) -> Path:
    return workspace.home.feedback / contract_id / f"{Path(file_name).stem} - terugkoppeling.xlsx"


def _quarter_values(
    workspace: Workspace, contracts: Sequence[Contract], quarter: Quarter
) -> dict[int, tuple[Decimal, tuple[str, ...]]]:
    """Each current line's value in the quarter, and the warnings only the valuation knows
    (one person one FTE, once per person)."""
    with workspace.ledger.reading() as session:
        lines = stored_lines(session)
    portfolio = value_portfolio(contracts, workspace.catalog, lines, quarter)
    return {
        line_id: (value.by_quarter.get(quarter, Decimal(0)), tuple(value.warnings))
        for valuation in portfolio.contracts
        for line_id, value in valuation.lines.items()
    }


@dataclass(frozen=True)
class ArchivedWorkbook:
    file_id: int
    contract_id: str
    stored_path: str


def write_feedback_for(
    workspace: Workspace,
    register: Register,
    archived: Sequence[ArchivedWorkbook],
    as_of: date,
) -> tuple[list[Path], list[str]]:
    """Feedback workbooks of archived workbooks, and a line per workbook that could not get one.
    The archived copy is re-read: it holds exactly the submitted bytes."""
    if not archived:
        return [], []
    quarter = Quarter.last_completed(as_of)
    values = _quarter_values(workspace, register.contracts, quarter)
    written: list[Path] = []
    problems: list[str] = []
    for workbook in archived:
        try:
            written.append(
                _write_one(
                    workspace, register, workbook, quarter=quarter, values=values, as_of=as_of
                )
            )
        except (OSError, ValueError, FileRejected, UnknownFile) as problem:
            # The ledger is complete already; one unwritable copy must not stop the others.
            problems.append(f"{workbook.stored_path}: {problem}")
    return written, problems


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


def _write_one(
    workspace: Workspace,
    register: Register,
    workbook: ArchivedWorkbook,
    *,
    quarter: Quarter,
    values: dict[int, tuple[Decimal, tuple[str, ...]]],
    as_of: date,
) -> Path:
    contract = register.get(workbook.contract_id)
    original = workspace.home.root / workbook.stored_path
    tables = parse_submission_workbook(original, workspace.limits, workspace.vocabulary).tables
    with workspace.ledger.reading() as session:
        file = session.get(FileRecord, workbook.file_id)
        if file is None:
            raise UnknownFile(workbook.file_id)
        lines = _feedback_lines(session, file, values)
        unchanged = int(file.summary.get("unchanged", 0))
    summary = FeedbackSummary(
        contract_id=workbook.contract_id,
        contractor=contract.contractor if contract else "",
        file=file.original_name,
        quarter_label=quarter.label_nl,
        processed_on=as_of,
        unchanged=unchanged,
    )
    headers = [HeaderRow(table.sheet, table.header_row, table.last_column) for table in tables]
    destination = feedback_path(workspace, workbook.contract_id, original.name)
    return write_feedback_workbook(
        original, destination, headers, lines, summary, limits=workspace.limits
    )
