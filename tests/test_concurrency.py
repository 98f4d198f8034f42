"""Several runs at once and runs killed halfway (issue 10), on SQLite and on PostgreSQL.

Each test builds the same home (the demo's register and inbox, plus extra workbooks of new
people and a correction of one of them) and processes it as users and the scheduler would:
`sroi run` subprocesses, two or three at the same time, or one killed with SIGKILL at a crash
point and then run again. The figures must equal one clean run; every inbox file must end in
exactly one of archive/ or quarantine/, recorded once in the ledger; no claim may stay behind.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from domain.periods import Quarter
from flows.crash_points import ENVIRONMENT, CrashPoint
from flows.home import Home
from flows.quarter import summary
from flows.workspace import opened
from ledger.runs import RunState
from ledger.schema import Claim, FileRecord, RunRecord
from sroi.demo.generator import DEMO_AS_OF, write_demo_home
from tests.builders import placement, valid_bsns, write_submission
from tests.cli import SROI
from tests.postgres import skip_or_fail, temporary_cluster, unavailable_reason

pytestmark = pytest.mark.slow

QUARTERS = (Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3))
EXTRA_CONTRACTS = ("TW-2025-014", "TW-2025-017", "TW-2025-021", "TW-2025-030")
PEOPLE = valid_bsns(48, start=200_000_000)
CORRECTED = PEOPLE[0]
"""Sent with 36 hours a week in one file and corrected to 24 in a file sent after it."""


def _extra_files(inbox: Path) -> None:
    """Six more workbooks per contract, two new people in each; the correction last."""
    people = iter(PEOPLE)
    for contract in EXTRA_CONTRACTS:
        for number in range(6):
            rows = [
                placement(next(people), Startdatum=date(2026, 2, 2), Naam="Piet Bakker"),
                placement(next(people), Startdatum=date(2026, 3, 2), Naam="Els Smit"),
            ]
            write_submission(inbox / contract / f"extra {number:02}.xlsx", placements=rows)
    write_submission(
        inbox / EXTRA_CONTRACTS[0] / "zz correctie.xlsx",
        placements=[placement(CORRECTED, Startdatum=date(2026, 2, 2), **{"Uren per week": 24})],
    )


def build_home(root: Path, ledger_url: str | None) -> Home:
    write_demo_home(root)
    _extra_files(root / "inbox")
    if ledger_url is not None:
        (root / "sroi.toml").write_text(f'[ledger]\nurl = "{ledger_url}"\n', encoding="utf-8")
    return Home(root)


def inbox_files(home: Home) -> set[str]:
    return {path.relative_to(home.inbox).as_posix() for path in home.inbox.rglob("*.*")}


def start_run(home: Home, api: str, crash_at: str | None = None) -> subprocess.Popen[str]:
    env = os.environ | {"PREFECT_API_URL": api, "SROI_HOME": ""}
    env.pop(ENVIRONMENT, None)
    if crash_at is not None:
        env[ENVIRONMENT] = crash_at
    command = [*SROI, "run", "--home", str(home.root), "--as-of", DEMO_AS_OF.isoformat()]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


def files_printed(stdout: str) -> list[str]:
    """The inbox paths of the file lines `sroi run` printed ("archived     TW-1/a b.xlsx  ...")."""
    statuses = ("archived", "duplicate", "quarantined")
    return [
        line[13:].split("  ")[0] for line in stdout.splitlines() if line.split(" ")[0] in statuses
    ]


def figures(home: Home) -> list[dict[str, Any]]:
    return [summary(home, quarter) for quarter in QUARTERS]


def stored_files(home: Home) -> list[str]:
    """Every file under archive/ and quarantine/ (not the reason notes)."""
    return sorted(
        path.name
        for folder in (home.archive, home.quarantine)
        for path in folder.rglob("*")
        if path.is_file() and not path.name.endswith(".reason.txt")
    )


def ledger_state(home: Home) -> tuple[list[str], int, list[str]]:
    """Inbox paths of the recorded files, the claims left, and the runs' states."""
    with opened(home) as workspace, workspace.ledger.reading() as session:
        paths = sorted(session.scalars(select(FileRecord.inbox_path)))
        claims = session.scalar(select(func.count()).select_from(Claim)) or 0
        states = list(session.scalars(select(RunRecord.state).order_by(RunRecord.id)))
    return paths, claims, states


def without_feedback(home: Home) -> list[str]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        query = select(FileRecord.inbox_path).where(
            FileRecord.status == "archived",
            FileRecord.kind == "workbook",
            FileRecord.feedback_at.is_(None),
        )
        return list(session.scalars(query))


def assert_handled_once(home: Home, submitted: set[str]) -> None:
    paths, claims, _ = ledger_state(home)
    assert sorted(paths) == sorted(submitted), "every file recorded exactly once"
    assert inbox_files(home) == set()
    assert len(stored_files(home)) == len(submitted)
    assert claims == 0
    assert without_feedback(home) == []
    assert len(list(home.feedback.rglob("*.xlsx"))) == 34


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite in the home; a URL of a new database on a throw-away cluster."""
    if request.param == "sqlite":
        yield None
        return
    reason = unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    with temporary_cluster() as url:
        yield url


def _new_database(cluster_url: str, name: str) -> str:
    """Another empty database on the same cluster (one per home)."""
    plain = cluster_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return cluster_url.replace("/sroi?", f"/{name}?")


def _home(tmp_path: Path, name: str, backend: str | None) -> Home:
    url = _new_database(backend, name) if backend is not None else None
    return build_home(tmp_path / name, url)


@pytest.fixture
def clean_figures(tmp_path: Path, backend: str | None, prefect_api: str) -> list[dict[str, Any]]:
    """The figures of one uninterrupted run of the home."""
    home = _home(tmp_path, "clean", backend)
    code, _, stderr = finish(start_run(home, prefect_api))
    assert code == 0, stderr
    return figures(home)


@pytest.mark.parametrize("runs", [2, 3])
def test_runs_at_the_same_time_split_the_inbox(
    tmp_path: Path,
    backend: str | None,
    prefect_api: str,
    clean_figures: list[dict[str, Any]],
    runs: int,
) -> None:
    home = _home(tmp_path, f"together{runs}", backend)
    submitted = inbox_files(home)
    outputs = [finish(process) for process in [start_run(home, prefect_api) for _ in range(runs)]]
    handled: list[str] = []
    for code, stdout, stderr in outputs:
        assert code == 0, stderr
        assert "Traceback" not in stdout + stderr
        handled += files_printed(stdout)
    assert sorted(handled) == sorted(submitted), "each file handled by exactly one run"
    assert_handled_once(home, submitted)
    _, _, states = ledger_state(home)
    assert states == [RunState.COMPLETED.value] * runs
    assert figures(home) == clean_figures


@pytest.mark.parametrize(
    "crash_at", [f"{CrashPoint.READING}:3", f"{CrashPoint.STORED}:2", f"{CrashPoint.FEEDBACK}:3"]
)
def test_a_killed_run_then_a_new_run_give_the_clean_figures(
    tmp_path: Path,
    backend: str | None,
    prefect_api: str,
    clean_figures: list[dict[str, Any]],
    crash_at: str,
) -> None:
    home = _home(tmp_path, "killed", backend)
    submitted = inbox_files(home)
    code, _, _ = finish(start_run(home, prefect_api, crash_at=crash_at))
    assert code == -9, "the crash point was reached"
    code, stdout, stderr = finish(start_run(home, prefect_api))
    assert code == 0, stderr
    assert "Traceback" not in stdout + stderr
    assert_handled_once(home, submitted)
    _, _, states = ledger_state(home)
    assert states == [RunState.INTERRUPTED.value, RunState.COMPLETED.value]
    assert figures(home) == clean_figures
