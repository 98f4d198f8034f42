"""`sroi worklist`: what needs a coordinator now (the rules and the order are in
reporting.worklist); the region report shows the same list."""

from __future__ import annotations

from datetime import date

from domain.periods import Quarter
from flows.home import Home
from flows.quarter import QuarterView, quarter_view, submitted_for
from flows.workspace import Workspace, opened
from ledger.mail import MailKind, failed_messages, sent_messages
from ledger.worklist import quarantined_now
from reporting.worklist import FailedMail, QuarantinedFile, Worklist, build_worklist


def _quarantined(workspace: Workspace) -> list[QuarantinedFile]:
    with workspace.ledger.reading() as session:
        return [
            QuarantinedFile(
                file_id=record.id,
                name=record.original_name,
                inbox_path=record.inbox_path,
                contract_id=record.contract_id,
                reason=record.reason or "",
                processed_at=record.processed_at,
            )
            for record in quarantined_now(session)
        ]


def _failed_mail(workspace: Workspace) -> list[FailedMail]:
    with workspace.ledger.reading() as session:
        return [
            FailedMail(
                message_id=record.id,
                kind_nl=MailKind(record.kind).label_nl,
                subject=record.subject,
                recipients=tuple(record.recipients),
                contract_id=record.contract_id,
                attempts=record.attempts,
                error=record.last_error or "",
                attempted_at=record.attempted_at,
            )
            for record in failed_messages(session)
        ]


def _reminded(workspace: Workspace, quarter: Quarter) -> dict[str, date]:
    """When each contract got its reminder for the quarter."""
    with workspace.ledger.reading() as session:
        return {
            record.contract_id: record.sent_at.date()
            for record in sent_messages(session, MailKind.REMINDER)
            if record.quarter == str(quarter)
            and record.contract_id is not None
            and record.sent_at is not None
        }


def current_worklist(workspace: Workspace, view: QuarterView, as_of: date) -> Worklist:
    """The worklist for the quarter `view` is valued at, as it stands on `as_of`."""
    quarter = view.portfolio.quarter
    return build_worklist(
        view.portfolio,
        view.lines,
        quarantined=_quarantined(workspace),
        failed_mail=_failed_mail(workspace),
        submitted=submitted_for(workspace, quarter),
        reminded=_reminded(workspace, quarter),
        as_of=as_of,
    )


def worklist(home: Home, as_of: date) -> Worklist:
    """The worklist on `as_of`, about the quarter being reported on then (the last completed
    one: in October, the third quarter)."""
    with opened(home) as workspace:
        view = quarter_view(workspace, Quarter.last_completed(as_of))
        return current_worklist(workspace, view, as_of)
