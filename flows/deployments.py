"""The Prefect deployments `sroi serve` serves for one home (INTERFACE.md sections 6 and 8):
the nightly validation run and its mail (cron in the schedules' time zone), the quarterly
report run and its mail (on the report days of flows.calendar) and the inbox-watch run (no
schedule: the watch starts it).
Several `sroi serve` processes on machines sharing the home register the same deployments and
share their runs; the claims in the ledger split the inbox between them."""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import date
from typing import Any

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, RRule

from flows.calendar import quarterly_rrule, report_days
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.nightly import NIGHTLY_STARTER, nightly_run
from flows.quarterly import quarterly_run
from flows.settings import ScheduleSettings

NIGHTLY = "nightly"
QUARTERLY = "quarterly"
INBOX_WATCH = "inbox-watch"
WATCH_STARTER = "inbox watch"
TAGS = ["sroi"]


def deployment_name(flow_name: str, deployment: str) -> str:
    """As `run_deployment` and the Prefect UI name it: 'sroi-ingest/inbox-watch'."""
    return f"{flow_name}/{deployment}"


def watch_deployment_name() -> str:
    return deployment_name(ingest_inbox.name, INBOX_WATCH)


def _made(deployment: RunnerDeployment | Coroutine[Any, Any, RunnerDeployment]) -> RunnerDeployment:
    """`to_deployment` answers with a coroutine inside an event loop; we call it outside."""
    if not isinstance(deployment, RunnerDeployment):
        raise TypeError("the deployments are made outside an event loop")
    return deployment


def sroi_deployments(home: Home, schedule: ScheduleSettings, today: date) -> list[RunnerDeployment]:
    """The three deployments of `home`; the quarterly one lists the report days from `today`."""
    root = str(home.root)
    zone = schedule.timezone
    days = report_days(today)
    made = [
        nightly_run.to_deployment(
            name=NIGHTLY,
            schedules=[Cron(schedule.nightly, timezone=zone)],
            parameters={"home": root, "started_by": NIGHTLY_STARTER},
            description=f"Nightly validation of the inbox of {root}, then the mail that is due.",
            entrypoint_type=EntrypointType.MODULE_PATH,
            tags=TAGS,
        ),
        ingest_inbox.to_deployment(
            name=INBOX_WATCH,
            parameters={"home": root, "started_by": WATCH_STARTER},
            description=f"Started by the inbox watch once new files in {root} were quiet.",
            entrypoint_type=EntrypointType.MODULE_PATH,
            tags=TAGS,
        ),
        quarterly_run.to_deployment(
            name=QUARTERLY,
            schedules=[RRule(quarterly_rrule(days, schedule.quarterly_time, zone), timezone=zone)],
            parameters={"home": root},
            description=(
                f"Report day of {root}: inbox, reports of the quarter just ended, retention, "
                "mail. "
                f"Next: {', '.join(day.isoformat() for day in days[:4])}."
            ),
            entrypoint_type=EntrypointType.MODULE_PATH,
            tags=TAGS,
        ),
    ]
    return [_made(deployment) for deployment in made]
