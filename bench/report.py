"""The results table: each measurement with its target, the figures derived from them, and the
heading that says on what machine and at which commit they were taken."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Measurement
from bench.suite import (
    EMPTY_AGAIN,
    EMPTY_NEW,
    FIRST,
    FIRST_NEW,
    FLOOR,
    GENERATE,
    PREFECT_EMPTY,
    PREFECT_NEW,
    PREFECT_TASKS,
    QUIET,
    REPO,
    REPORT,
    HomeResult,
)

RESULTS_FILE = REPO / "bench" / "RESULTS.md"
MIB = 1024**2
GIB = 1024**3

MEMORY_LIMIT = GIB
QUIET_LIMIT = 10.0
NEW_HOME_LIMIT = 15.0
REPORT_LIMIT = 120.0
MARGINAL_LIMIT = 3.0
"""(first run - quiet run) / floor."""

_HEADER = (
    "| measurement | wall s | CPU s | largest process MiB | all processes MiB (PSS) | target | met "
    "| output |\n| --- | ---: | ---: | ---: | ---: | --- | --- | --- |"
)


@dataclass(frozen=True)
class Target:
    """What a figure must stay under, as shown in the table, and whether it did."""

    text: str
    met: bool


def _memory_ok(measurement: Measurement) -> bool:
    return measurement.peak_memory < MEMORY_LIMIT


def _time_and_memory(limit: float, label: str) -> Callable[[Measurement, HomeResult], Target]:
    def target(measurement: Measurement, _result: HomeResult) -> Target:
        return Target(
            f"< {label}, < 1 GiB",
            measurement.seconds < limit and _memory_ok(measurement),
        )

    return target


def _first_run_target(measurement: Measurement, result: HomeResult) -> Target:
    """15 s for a new home plus the marginal cost the target allows: 3.0 x the floor."""
    floor = result.get(FLOOR)
    if floor is None or not floor.ok:
        return Target("(no floor)", False)
    limit = NEW_HOME_LIMIT + MARGINAL_LIMIT * floor.seconds
    return Target(
        f"< 15 s + 3.0 x floor = {limit:.1f} s, < 1 GiB",
        measurement.seconds < limit and _memory_ok(measurement),
    )


def _memory_target(measurement: Measurement, _result: HomeResult) -> Target:
    return Target("< 1 GiB", _memory_ok(measurement))


def _new_home_target(measurement: Measurement, _result: HomeResult) -> Target:
    return Target("< 15 s (a new home)", measurement.seconds < NEW_HOME_LIMIT)


TARGETS: dict[str, Callable[[Measurement, HomeResult], Target]] = {
    EMPTY_NEW: _new_home_target,
    FIRST: _memory_target,
    FIRST_NEW: _first_run_target,
    QUIET: _time_and_memory(QUIET_LIMIT, "10 s"),
    REPORT: _time_and_memory(REPORT_LIMIT, "120 s"),
}
ORDER = (
    GENERATE,
    FLOOR,
    EMPTY_NEW,
    EMPTY_AGAIN,
    FIRST,
    QUIET,
    FIRST_NEW,
    REPORT,
    PREFECT_NEW,
    PREFECT_EMPTY,
    PREFECT_TASKS,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _met(target: Target | None, measurement: Measurement | None = None) -> str:
    if measurement is not None and not measurement.ok:
        return f"**failed** (exit {measurement.returncode})"
    if target is None:
        return ""
    return "yes" if target.met else "**no**"


def _measurement_row(measurement: Measurement, result: HomeResult, key: str) -> str:
    rule = TARGETS.get(key)
    target = rule(measurement, result) if rule is not None and measurement.ok else None
    cells = (
        measurement.label,
        f"{measurement.seconds:.1f}",
        f"{measurement.cpu_seconds:.1f}",
        f"{measurement.peak_rss / MIB:.0f}",
        f"{measurement.tree_peak / MIB:.0f}",
        target.text if target is not None else "",
        _met(target, measurement),
        measurement.note,
    )
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _derived_row(label: str, value: str, target: Target | None, note: str) -> str:
    cells = (label, value, "", "", "", target.text if target else "", _met(target), note)
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _both_ok(result: HomeResult, one: str, other: str) -> tuple[Measurement, Measurement] | None:
    first, second = result.get(one), result.get(other)
    if first is None or second is None or not (first.ok and second.ok):
        return None
    return first, second


def _derived_rows(result: HomeResult) -> Iterator[str]:
    """The marginal ingest cost, and the parts of a run's fixed cost that are Prefect's."""
    runs, floor = _both_ok(result, FIRST, QUIET), result.get(FLOOR)
    if runs is not None and floor is not None and floor.ok and floor.seconds > 0:
        first, quiet = runs
        ratio = (first.seconds - quiet.seconds) / floor.seconds
        yield _derived_row(
            "marginal ingest cost (first - quiet) / floor",
            f"{ratio:.2f}x",
            Target(f"<= {MARGINAL_LIMIT}", ratio <= MARGINAL_LIMIT),
            f"{first.seconds - quiet.seconds:.1f} s over a floor of {floor.seconds:.1f} s",
        )
    empty = _both_ok(result, EMPTY_NEW, EMPTY_AGAIN)
    if empty is not None:
        new, again = empty
        yield _derived_row(
            "new home: Prefect database and ledger created",
            f"{new.seconds - again.seconds:.1f}",
            None,
            "empty inbox, new home - existing home; part of the first run too",
        )
    fixed = _both_ok(result, EMPTY_AGAIN, PREFECT_EMPTY)
    if fixed is not None:
        again, prefect = fixed
        yield _derived_row(
            "sroi's own fixed cost of a run",
            f"{again.seconds - prefect.seconds:.1f}",
            None,
            f"empty inbox, existing home - Prefect alone ({prefect.seconds:.1f} s)",
        )
    tasks = _both_ok(result, PREFECT_TASKS, PREFECT_EMPTY)
    if tasks is not None and result.task_runs:
        with_tasks, without = tasks
        spent = with_tasks.seconds - without.seconds
        yield _derived_row(
            f"Prefect's bookkeeping of {result.task_runs} task runs",
            f"{spent:.1f}",
            None,
            f"{1000 * spent / result.task_runs:.0f} ms a task run (no-op tasks, Prefect alone)",
        )


def home_table(result: HomeResult) -> str:
    """The heading and table of one home."""
    size = result.size
    lines = [
        f"### {size.name}: {size.describe()} ({result.inbox_files} inbox files)",
        "",
        _HEADER,
    ]
    for key in ORDER:
        measurement = result.get(key)
        if measurement is not None:
            lines.append(_measurement_row(measurement, result, key))
    lines.extend(_derived_rows(result))
    return "\n".join(lines) + "\n"


def _git(*arguments: str) -> str:
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=REPO, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def commit() -> str:
    """The short commit, with -dirty when tracked files are changed."""
    revision = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return f"{revision}-dirty" if dirty else revision


def memory_gib() -> float:
    """Total memory of the machine (MemTotal in /proc/meminfo)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024 / GIB
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


@dataclass(frozen=True)
class Machine:
    """When and where the benchmark ran: the start, and the load average then (on a shared
    machine the figures mean little without it)."""

    started: datetime
    load: float

    @classmethod
    def now(cls) -> Machine:
        return cls(datetime.now(UTC), os.getloadavg()[0])

    def heading(self, sizes: list[str]) -> str:
        return (
            f"## {self.started:%Y-%m-%d %H:%M} UTC, commit {commit()}, {os.cpu_count()} cores, "
            f"{memory_gib():.1f} GiB, load {self.load:.1f} at the start, "
            f"size {' + '.join(sizes)}\n"
        )


def results_text(results: list[HomeResult], machine: Machine) -> str:
    """The section appended to RESULTS.md: the heading and a table per home."""
    parts = [machine.heading([result.size.name for result in results])]
    parts.extend(home_table(result) for result in results)
    return "\n".join(parts)


def append_results(text: str, path: Path = RESULTS_FILE) -> None:
    with path.open("a", encoding="utf-8") as results:
        results.write("\n" + text)
