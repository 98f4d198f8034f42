"""The measurements of one home, each a separate process, in this order:

1. generate the home (scaled_home: register and inbox);
2. the floor: every inbox file read once by a bare process (bench/floor.py);
3. in the home with its inbox set aside, `sroi run` (an empty inbox in a new home: Prefect's
   database and the ledger are created) and again (an empty inbox in an existing home: the
   fixed cost of every run);
4. the inbox back: `sroi run` on it (first run), then again with nothing new (quiet run); their
   difference is the marginal cost of the files, compared with the floor;
   and on a copy of the generated home, `sroi run` as the very first command in it (first run
   in a new home);
5. `sroi report` of the home's last quarter (HTML and PDF of every contract, municipality and
   the region);
6. Prefect alone (bench/prefect_probe.py): server start and an empty flow run (first in a new
   home, then again), and a flow run with as many no-op task runs as the first run recorded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Measurement, run_measured
from sroi.demo.scaled import AS_OF, LAST_QUARTER

REPO = Path(__file__).resolve().parents[1]

GENERATE = "generate"
FLOOR = "floor"
EMPTY_NEW = "empty_new"
EMPTY_AGAIN = "empty_again"
FIRST = "first"
FIRST_NEW = "first_new"
QUIET = "quiet"
REPORT = "report"
PREFECT_NEW = "prefect_new"
PREFECT_EMPTY = "prefect_empty"
PREFECT_TASKS = "prefect_tasks"


@dataclass(frozen=True)
class Size:
    """A home to measure: how many contracts, workbooks (12 placements each) and PDFs."""

    name: str
    contracts: int
    workbooks: int
    invoices: int

    def describe(self) -> str:
        return (
            f"{self.contracts} contracts, {self.workbooks} workbooks of 12 placements, "
            f"{self.invoices} PDF invoices"
        )


SIZES = {
    "small": Size("small", contracts=8, workbooks=40, invoices=4),
    "400": Size("400", contracts=50, workbooks=400, invoices=40),
    "2000": Size("2000", contracts=400, workbooks=2000, invoices=200),
}
ALL = ("400", "2000")
"""`--size all`: the homes the targets are set for."""


@dataclass
class HomeResult:
    """Every measurement of one home, by key (GENERATE, FLOOR, ...)."""

    size: Size
    measurements: dict[str, Measurement] = field(default_factory=dict)
    inbox_files: int = 0
    task_runs: int | None = None
    """Task runs Prefect recorded for the first run; None when its database could not be read."""

    def get(self, key: str) -> Measurement | None:
        return self.measurements.get(key)

    @property
    def failed(self) -> list[Measurement]:
        return [measurement for measurement in self.measurements.values() if not measurement.ok]


def bench_environment() -> dict[str, str]:
    """This environment without Prefect settings (so `sroi run` keeps Prefect's state under the
    home, as for a coordinator) and without an SROI home or ledger URL; no telemetry."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PREFECT_") and name not in {"SROI_HOME", "SROI_DATABASE_URL"}
    }
    return kept | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


def sroi_command() -> list[str]:
    """The installed `sroi` beside this Python, as a coordinator runs it."""
    script = Path(sys.executable).with_name("sroi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sroi.cli"]


def prefect_task_runs(home: Path) -> int | None:
    """How many task runs Prefect's database under the home holds."""
    database = home / ".prefect" / "prefect.db"
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            (count,) = connection.execute("SELECT count(*) FROM task_run").fetchone()
    except sqlite3.Error:
        return None
    return int(count)


class _Runner:
    """Runs the measurements of one home and keeps them; prints a line as each one ends."""

    def __init__(self, result: HomeResult, logs: Path) -> None:
        self.result = result
        self.logs = logs
        self.environment = bench_environment()

    def run(self, key: str, label: str, command: list[str]) -> Measurement:
        measurement = run_measured(
            label, command, env=self.environment, cwd=REPO, log=self.logs / f"{key}.log"
        )
        self.result.measurements[key] = measurement
        status = "" if measurement.ok else f"  FAILED (exit {measurement.returncode})"
        print(
            f"  {self.result.size.name:>5}  {label:<58} {measurement.seconds:8.1f} s{status}",
            file=sys.stderr,
            flush=True,
        )
        if not measurement.ok:
            print(_tail(measurement.log), file=sys.stderr, flush=True)
        return measurement

    def module(self, key: str, label: str, *arguments: str) -> Measurement:
        return self.run(key, label, [sys.executable, "-m", *arguments])

    def sroi(self, key: str, label: str, *arguments: str) -> Measurement:
        return self.run(key, label, [*sroi_command(), *arguments])

    def sroi_run(self, key: str, label: str, home: Path) -> Measurement:
        return self.sroi(key, label, "run", "--home", str(home), "--as-of", AS_OF.isoformat())

    def probe(self, key: str, label: str, home: Path, tasks: int) -> Measurement:
        return self.module(key, label, "bench.prefect_probe", str(home), "--tasks", str(tasks))


def _tail(log: Path, lines: int = 15) -> str:
    """The end of a failed command's output, shown before a temporary folder goes."""
    text = log.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(f"        {line}" for line in text)


def _empty_home(home: Path, empty: Path) -> None:
    """A home with the same register and nothing in the inbox."""
    (empty / "inbox").mkdir(parents=True)
    shutil.copy2(home / "contracts.xlsx", empty / "contracts.xlsx")


def _generate(runner: _Runner, size: Size, home: Path) -> Measurement:
    counts = {"contracts": size.contracts, "workbooks": size.workbooks, "invoices": size.invoices}
    options = [text for name, value in counts.items() for text in (f"--{name}", str(value))]
    return runner.module(GENERATE, "generate the home", "bench.generate", str(home), *options)


def measure_home(size: Size, folder: Path) -> HomeResult:
    """Generates the home under `folder` and measures it; stops early when a step it needs
    failed (its log is under folder/logs)."""
    result = HomeResult(size)
    runner = _Runner(result, folder / "logs")
    home, new_home, empty = folder / "home", folder / "new-home", folder / "empty-home"
    if not _generate(runner, size, home).ok:
        return result
    shutil.copytree(home, new_home)
    result.inbox_files = sum(1 for path in (home / "inbox").rglob("*") if path.is_file())
    runner.module(FLOOR, "floor: every inbox file read once", "bench.floor", str(home / "inbox"))
    held = folder / "inbox-held"
    (home / "inbox").rename(held)
    (home / "inbox").mkdir()
    runner.sroi_run(EMPTY_NEW, "sroi run, empty inbox, new home", home)
    runner.sroi_run(EMPTY_AGAIN, "sroi run, empty inbox, existing home", home)
    (home / "inbox").rmdir()
    held.rename(home / "inbox")
    first = runner.sroi_run(FIRST, "sroi run, first run of the files", home)
    result.task_runs = prefect_task_runs(home)
    if first.ok:
        runner.sroi_run(QUIET, "sroi run, quiet run (nothing new)", home)
        quarter = str(LAST_QUARTER)
        label = f"sroi report {quarter} (HTML and PDF)"
        runner.sroi(REPORT, label, "report", "--home", str(home), "--quarter", quarter)
    runner.sroi_run(FIRST_NEW, "sroi run, first run in a new home", new_home)
    _empty_home(home, empty)
    # The first probe creates Prefect's database in the empty home; the rows compared with
    # `sroi run` on an existing home are the ones after it.
    runner.probe(PREFECT_NEW, "Prefect alone: empty flow run, new home", empty, 0)
    runner.probe(PREFECT_EMPTY, "Prefect alone: server start, empty flow run", empty, 0)
    if result.task_runs:
        label = f"Prefect alone: flow run with {result.task_runs} no-op task runs"
        runner.probe(PREFECT_TASKS, label, empty, result.task_runs)
    return result
