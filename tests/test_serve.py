"""`sroi serve` as an operator starts it (issue 10): a subprocess in a test home, with its own
Prefect server and UI. It picks up files dropped in the inbox once they were quiet, has the
nightly and quarterly deployments registered with the configured schedules (read back through
Prefect's API), runs the nightly deployment through Prefect, and stops cleanly on SIGTERM, also
in the middle of a run (the file at hand finishes; the rest stays in the inbox)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from flows.calendar import report_days
from flows.home import Home
from flows.workspace import opened
from ledger.schema import FileRecord, RunRecord
from tests.builders import contract_row, placement, valid_bsns, write_register, write_submission
from tests.cli import SROI

pytestmark = pytest.mark.slow

CONTRACT = "TW-2025-001"
QUIET_MINUTES = 0.05
"""Three seconds."""
PEOPLE = valid_bsns(400, start=300_000_000)


@dataclass
class Served:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    output: list[str]
    ui: str

    @property
    def api(self) -> str:
        return f"{self.ui}/api"

    def wait_for_line(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if re.search(pattern, line):
                return line
        pytest.fail(f"no line matching {pattern!r}; output:\n{''.join(self.output)}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=180)


def _read(process: subprocess.Popen[str], lines: queue.Queue[str], output: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        lines.put(line)


def new_home(root: Path) -> Home:
    write_register(root / "contracts.xlsx", [contract_row(CONTRACT)])
    (root / "inbox").mkdir(parents=True)
    (root / "sroi.toml").write_text(
        "[schedule]\n"
        'timezone = "Europe/Amsterdam"\n'
        'nightly = "30 3 * * 1-5"\n'
        'quarterly_at = "06:45"\n'
        f"watch_quiet_minutes = {QUIET_MINUTES}\n",
        encoding="utf-8",
    )
    return Home(root)


def start_serve(home: Home, prefect_api: str | None = None) -> Served:
    """`sroi serve` on `home`, once it says it serves: with its own Prefect server, or with the
    one at `prefect_api` (as on several machines)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    if prefect_api is not None:
        env["PREFECT_API_URL"] = prefect_api
    process = subprocess.Popen(
        [*SROI, "serve", "--home", str(home.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env | {"SROI_HOME": ""},
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=_read, args=(process, lines, output), daemon=True).start()
    server = Served(process, lines, output, "")
    if prefect_api is None:
        ui_line = server.wait_for_line(r"Prefect UI: ", timeout=300)
        server.ui = ui_line.split("Prefect UI: ")[1].split()[0]
    else:
        server.ui = prefect_api.removesuffix("/api")
    server.wait_for_line(r"^serving: ", timeout=300)
    return server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Home, Served]]:
    home = new_home(tmp_path / "home")
    server = start_serve(home)
    try:
        yield home, server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def drop_files(home: Home, count: int, first: int = 0) -> list[str]:
    names = []
    for number in range(first, first + count):
        name = f"{CONTRACT}/lijst {number:03}.xlsx"
        write_submission(home.inbox / name, placements=[placement(PEOPLE[number])])
        names.append(name)
    return names


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, every: float = 0.5
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    pytest.fail(f"not within {timeout} s: {what}")


def runs(home: Home) -> list[tuple[str, str]]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        rows = session.execute(select(RunRecord.started_by, RunRecord.state).order_by(RunRecord.id))
        return [(started_by, state) for started_by, state in rows]


def runs_ended(home: Home) -> bool:
    """No run is running (a run's last file is recorded before it writes feedback and ends)."""
    return "running" not in {state for _, state in runs(home)}


def recorded(home: Home) -> list[str]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        return list(session.scalars(select(FileRecord.inbox_path)))


def deployments(api: str) -> dict[str, dict[str, Any]]:
    found = httpx.post(f"{api}/deployments/filter", json={}, timeout=30).json()
    return {deployment["name"]: deployment for deployment in found}


def test_serve_watches_the_inbox_serves_its_schedules_and_stops_on_sigterm(
    served: tuple[Home, Served],
) -> None:
    home, server = served
    assert httpx.get(server.ui, timeout=30).status_code == 200, "the UI is served"

    registered = deployments(server.api)
    assert set(registered) == {"nightly", "inbox-watch", "quarterly"}
    (nightly,) = registered["nightly"]["schedules"]
    assert nightly["schedule"]["cron"] == "30 3 * * 1-5"
    assert nightly["schedule"]["timezone"] == "Europe/Amsterdam"
    (quarterly,) = registered["quarterly"]["schedules"]
    next_day = report_days(date.today(), 1)[0]
    assert f"RDATE:{next_day:%Y%m%d}T064500" in quarterly["schedule"]["rrule"]
    assert quarterly["schedule"]["timezone"] == "Europe/Amsterdam"
    assert registered["inbox-watch"]["schedules"] == []

    dropped = drop_files(home, 3)
    started = time.monotonic()
    wait_until(lambda: sorted(recorded(home)) == dropped, 90, "the dropped files processed")
    assert time.monotonic() - started < QUIET_MINUTES * 60 + 60
    wait_until(lambda: runs_ended(home), 60, "the watch's run ended")
    assert runs(home) == [("inbox watch", "completed")]

    flow_run = httpx.post(
        f"{server.api}/deployments/{registered['nightly']['id']}/create_flow_run",
        json={},
        timeout=30,
    ).json()

    def nightly_completed() -> bool:
        state = httpx.get(f"{server.api}/flow_runs/{flow_run['id']}", timeout=30).json()
        return bool(state["state"]["type"] == "COMPLETED")

    wait_until(nightly_completed, 120, "the nightly deployment's run completed")
    assert runs(home)[-1] == ("nightly schedule", "completed")

    assert server.stop() == 0
    text = "".join(server.output)
    assert "stopped" in text
    assert "Traceback" not in text
    with pytest.raises(httpx.TransportError):
        httpx.get(server.ui, timeout=5)


def test_sigterm_during_a_run_finishes_the_file_at_hand_and_leaves_the_rest(
    served: tuple[Home, Served],
) -> None:
    home, server = served
    dropped = drop_files(home, len(PEOPLE))  # a run of several seconds, stopped early in it
    wait_until(lambda: bool(runs(home)), 120, "the watch started a run", every=0.1)
    assert server.stop() == 0
    done = recorded(home)
    waiting = sorted(p.relative_to(home.inbox).as_posix() for p in home.inbox.rglob("*.xlsx"))
    assert waiting, "the run was stopped before the end of the inbox"
    assert sorted(done + waiting) == sorted(dropped), "each file stored once or still waiting"
    archived = list((home.archive / CONTRACT).glob("*.xlsx"))
    assert len(archived) == len(done)
    assert runs(home) == [("inbox watch", "stopped")]
    assert "Traceback" not in "".join(server.output)
