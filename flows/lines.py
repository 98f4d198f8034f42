"""A coordinator's work on lines: list a contract's lines with their values, approve a pending
line, retract a misfiled file, read the audit trail. Every line keeps its id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import UserError
from domain.periods import DayRange, Quarter
from flows.home import Home
from flows.quarter import quarter_view
from flows.workspace import opened
from ledger.audit import AuditAction, AuditEntry, audit_entries, record_event
from ledger.lines import approve_line, checked_line, current_versions
from ledger.retraction import Retraction, retract_file
from ledger.schema import LineVersion
from reporting.subjects import subject_of
from validators.lines import HourFacts, LineKind, LineStatus, PlacementFacts, PurchaseFacts
from valuation.accrual import LineValue

_ZERO = Decimal(0)


@dataclass(frozen=True)
class LineRow:
    """One line of a contract as `sroi lines` shows it."""

    line_id: int
    version: int
    kind: LineKind
    status: LineStatus
    block: str
    subject: str
    value_quarter: Decimal
    value_to_date: Decimal
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    file_id: int
    file: str
    sheet: str
    row: int | None
    approved_by: str
    approved_at: datetime | None


def _evidence_days(version: LineVersion) -> DayRange | None:
    """The days a line's evidence is about; None when its fields could not be read."""
    facts = checked_line(version).facts
    if isinstance(facts, PlacementFacts):
        return DayRange(facts.start_date, facts.end_date or date.max)
    if isinstance(facts, PurchaseFacts):
        return DayRange(facts.invoice_date, facts.invoice_date)
    if isinstance(facts, HourFacts):
        return DayRange(facts.activity_date, facts.activity_date)
    return None


def belongs_to_quarter(version: LineVersion, value: LineValue | None, quarter: Quarter) -> bool:
    """A line belongs to a quarter when it counts in it, when its evidence lies in it, or (a
    line whose fields could not be read) when its file reported on it."""
    if value is not None and value.by_quarter.get(quarter, _ZERO) != 0:
        return True
    days = _evidence_days(version)
    if days is not None:
        return not days.clip(DayRange(quarter.first_day, quarter.last_day)).is_empty
    file = version.file
    reported_on = file.run.as_of if file.run is not None else file.processed_at.date()
    return Quarter.last_completed(reported_on) == quarter


def _row(version: LineVersion, value: LineValue | None, quarter: Quarter) -> LineRow:
    line = checked_line(version)
    return LineRow(
        line_id=version.line_id,
        version=version.version,
        kind=line.kind,
        status=line.status,
        block=line.block_code or "",
        subject=subject_of(line),
        value_quarter=value.by_quarter.get(quarter, _ZERO) if value else _ZERO,
        value_to_date=value.to_date if value else _ZERO,
        reasons=line.reasons,
        warnings=line.warnings + (tuple(value.warnings) if value else ()),
        file_id=version.file_id,
        file=version.source_file,
        sheet=version.source_sheet or "",
        row=version.source_row,
        approved_by=version.approved_by or "",
        approved_at=version.approved_at,
    )


def contract_lines(
    home: Home, contract_id: str, quarter: Quarter | None, today: date
) -> tuple[Quarter, list[LineRow]]:
    """Every current line of a contract, valued as of the end of `quarter` (default: the last
    completed quarter); with a quarter given, only the lines that belong to it."""
    valued_at = quarter or Quarter.last_completed(today)
    with opened(home) as workspace:
        view = quarter_view(workspace, valued_at)
        valuation = view.portfolio.contract(contract_id) or next(
            (c for c in view.portfolio.contracts if c.contract.contract_id.casefold()
             == contract_id.strip().casefold()),
            None,
        )  # fmt: skip
        if valuation is None:
            raise UserError(f"contract {contract_id!r} is not (validly) in the register")
        with workspace.ledger.reading() as session:
            versions = current_versions(session, valuation.contract.contract_id)
            rows = [
                _row(version, valuation.lines.get(version.line_id), valued_at)
                for version in versions
                if quarter is None
                or belongs_to_quarter(version, valuation.lines.get(version.line_id), quarter)
            ]
    return valued_at, rows


@dataclass(frozen=True)
class Approval:
    line_id: int
    version: int
    status: LineStatus
    reasons: tuple[str, ...]


def approve(home: Home, line_id: int, by: str) -> Approval:
    """Approve a pending line: a new version with who and when; the line keeps its id."""
    with opened(home) as workspace, workspace.ledger.transaction() as session:
        version = approve_line(session, line_id, by)
        record_event(
            session,
            version.created_at,
            by.strip(),
            AuditAction.APPROVED,
            contract_id=version.contract_id,
            file_id=version.file_id,
            line_id=line_id,
            status=version.status,
        )
        status = LineStatus(version.status)
        return Approval(line_id, version.version, status, tuple(version.reasons))


def retract(home: Home, file_id: int, by: str, reason: str) -> Retraction:
    """Take a file's lines out of the figures; the original stays archived."""
    with opened(home) as workspace, workspace.ledger.transaction() as session:
        return retract_file(session, file_id, by, reason)


def audit(home: Home, contract_id: str | None, since: datetime | None) -> list[AuditEntry]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        return audit_entries(session, contract_id=contract_id, since=since)
