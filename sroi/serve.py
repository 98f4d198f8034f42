"""`sroi serve`: one long-running process that runs the home by itself (INTERFACE.md section 6).

It starts Prefect's server with its UI (unless PREFECT_API_URL points at one), registers the
home's deployments (flows.deployments) and serves them with a Prefect runner: the nightly and
quarterly runs come from their schedules, the inbox-watch run from the watch (flows.watch). Runs
execute in processes of their own. Ctrl-C or SIGTERM stops it: the watch ends, runs in progress
finish the file at hand (the rest stays in the inbox), then the server stops.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Callable
from datetime import date

from flows.home import Home
from sroi.prefect_local import local_prefect

POLL_SECONDS = 2.0
"""How often the runner asks Prefect for runs that are due (a watch run starts within this)."""
STOP_GRACE_SECONDS = 120.0
"""How long the runs in progress get to finish the file at hand when serve stops."""


def _start_watch_run(say: Callable[[str], None]) -> None:
    """Asks Prefect for a run of the inbox-watch deployment (the runner picks it up)."""
    from prefect.deployments import run_deployment  # noqa: PLC0415 - after Prefect is set up

    from flows.deployments import watch_deployment_name  # noqa: PLC0415

    run = run_deployment(watch_deployment_name(), timeout=0, as_subflow=False)
    name = getattr(run, "name", "?")  # a FlowRun (called outside an event loop)
    say(f"inbox watch: new files were quiet; run {name} started")


async def _serve(home: Home, say: Callable[[str], None]) -> None:
    from prefect.runner import Runner  # noqa: PLC0415 - after Prefect is set up

    from flows.deployments import sroi_deployments  # noqa: PLC0415
    from flows.watch import InboxWatch, watching  # noqa: PLC0415

    schedule = home.load_settings().schedule
    runner = Runner(
        name=f"sroi-{socket.gethostname()}",
        query_seconds=POLL_SECONDS,
        pause_on_shutdown=False,
        limit=None,
    )
    deployments = await asyncio.to_thread(sroi_deployments, home, schedule, date.today())
    for deployment in deployments:
        await runner.aadd_deployment(deployment)
    stopping = asyncio.Event()
    serving = asyncio.create_task(runner.start())
    await asyncio.sleep(0.5)  # the runner installs its own SIGTERM handler first; ours wins
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stopping.set)
    quiet = schedule.watch_quiet_minutes * 60
    watch = InboxWatch(home.inbox, quiet, lambda: _start_watch_run(say))
    say(_serving_line(schedule.nightly, schedule.timezone, quiet))
    if quiet > 0:
        with watching(watch):
            await stopping.wait()
    else:
        await stopping.wait()
    say("stopping: runs in progress finish the file at hand; the rest stays in the inbox")
    await runner.astop()
    await asyncio.wait_for(serving, STOP_GRACE_SECONDS)


def _serving_line(nightly: str, timezone: str, quiet_seconds: float) -> str:
    watch = (
        f"inbox watch: a run {quiet_seconds / 60:g} min after the last new file"
        if quiet_seconds > 0
        else "inbox watch off"
    )
    return (
        f"serving: nightly run '{nightly}' ({timezone}), quarterly report run on the first "
        f"working day after a quarter, {watch}. Ctrl-C or SIGTERM stops."
    )


def serve(home: Home, say: Callable[[str], None], *, verbose: bool = False) -> None:
    """Runs until Ctrl-C or SIGTERM. Every mistake in the home is one clear error first."""
    from flows.workspace import check_ready_to_run  # noqa: PLC0415 - while Prefect starts

    home.require_exists()
    with local_prefect(home, verbose=verbose, ui=True) as server:
        check_ready_to_run(home)
        if server is not None:
            server.wait_until_ready()
            say(f"Prefect UI: {server.url}  (its API: {server.api_url})")
        else:
            say(f"Prefect server of PREFECT_API_URL: {os.environ['PREFECT_API_URL']}")
        asyncio.run(_serve(home, say))
    say("stopped")
