"""The report day (first working day after a quarter, `sroi serve`): the inbox is processed
first, so the reports hold every file that came in; then the reports of the quarter just ended
are written; then what the retention period (`[retention] years`) no longer allows to keep is
removed; then the reports go out by mail, with the feedback, reminders and retries that are
due (flows.mail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import RunReport, ingest_inbox, today_in
from flows.mail import MailReport, ReportMail, mail_step
from flows.purge import PurgeReport, purge_expired
from flows.quarter import write_reports


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: Quarter
    run: RunReport
    reports: list[Path] = field(default_factory=list)
    purge: PurgeReport | None = None
    mail: MailReport | None = None


@flow(name="sroi-quarterly", persist_result=False, validate_parameters=True)
def quarterly_run(
    home: str, as_of: date | None = None, started_by: str = "quarterly schedule"
) -> QuarterlyReport:
    """Inbox, then the reports of the last completed quarter, then retention, then mail."""
    place = Home(Path(home))
    day = as_of or today_in(place.load_settings().schedule.timezone)
    quarter = Quarter.last_completed(day)
    run = ingest_inbox(home=home, as_of=day, started_by=started_by)
    reports = write_reports(place, quarter, day)
    get_run_logger().info("%s: %s rapporten geschreven", quarter, len(reports))
    purge = purge_expired(place, day)
    mail = mail_step(home, day, ReportMail.JUST_WRITTEN)
    return QuarterlyReport(quarter, run, reports, purge, mail)
