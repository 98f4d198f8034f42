"""The nightly run (`sroi serve`, on the `[schedule] nightly` cron): the inbox is processed,
then the mail that is due goes out: the feedback workbooks of the files processed since the
quarter being reported on began, the reminders whose day has come, and every message that
failed before. (The quarter's reports go out with the quarterly report run.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prefect import flow

from flows.home import Home
from flows.ingest import RunReport, ingest_inbox, today_in
from flows.mail import MailReport, ReportMail, mail_step

NIGHTLY_STARTER = "nightly schedule"


@dataclass(frozen=True)
class NightlyReport:
    run: RunReport
    mail: MailReport


@flow(name="sroi-nightly", persist_result=False, validate_parameters=True)
def nightly_run(
    home: str, as_of: date | None = None, started_by: str = NIGHTLY_STARTER
) -> NightlyReport:
    """The inbox, then the mail that is due."""
    day = as_of or today_in(Home(Path(home)).load_settings().schedule.timezone)
    run = ingest_inbox(home=home, as_of=day, started_by=started_by)
    mail = mail_step(home, day, ReportMail.RETRIES_ONLY)
    return NightlyReport(run, mail)
