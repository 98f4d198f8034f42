"""Runs: when each started and ended, who or what started it, what became of its files; and
which runs are alive (a heartbeat every few seconds), so the work of a killed run is taken
over and the run is shown as interrupted."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ledger.schema import Claim, RunRecord

DEFAULT_TIMEOUT = timedelta(seconds=90)
"""A run without a heartbeat this long died (heartbeats come every 10 s)."""
HEARTBEAT_EVERY = timedelta(seconds=10)


class RunState(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"
    """Asked to stop (Ctrl-C, SIGTERM): the files not reached stay in the inbox."""
    FAILED = "failed"
    """Ended by an error (the operator's log has it); unreached files stay in the inbox."""
    INTERRUPTED = "interrupted"
    """The process ended without a word (killed, power cut); found out by a later run."""


@dataclass(frozen=True)
class Claimant:
    """A run and where it runs."""

    run_id: int
    host: str
    pid: int


def _process_is_gone(host: str | None, pid: int | None) -> bool:
    """Whether a process on this very machine no longer runs (another machine's: unknown)."""
    if host != socket.gethostname() or pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_abandoned(
    heartbeat_at: datetime | None,
    host: str | None,
    pid: int | None,
    *,
    now: datetime,
    timeout: timedelta = DEFAULT_TIMEOUT,
) -> bool:
    """Whether a run (or its claim) lost its process: no heartbeat within `timeout`, or its
    process on this machine is gone."""
    stale = heartbeat_at is None or heartbeat_at < now - timeout
    return stale or _process_is_gone(host, pid)


def start_run(session: Session, as_of: date, started_by: str, *, now: datetime) -> Claimant:
    """Records the run as running in this process."""
    run = RunRecord(
        started_at=now,
        as_of=as_of,
        files_seen=0,
        state=RunState.RUNNING.value,
        started_by=started_by,
        outcomes={},
        host=socket.gethostname(),
        pid=os.getpid(),
        heartbeat_at=now,
    )
    session.add(run)
    session.flush()
    return Claimant(run.id, socket.gethostname(), os.getpid())


def set_flow_run(session: Session, run_id: int, flow_run_id: str | None) -> None:
    run = session.get(RunRecord, run_id)
    if run is not None:
        run.flow_run_id = flow_run_id


def keep_alive(session: Session, claimant: Claimant, now: datetime) -> None:
    """The run's heartbeat, and its claims'."""
    session.execute(
        update(RunRecord).where(RunRecord.id == claimant.run_id).values(heartbeat_at=now)
    )
    session.execute(update(Claim).where(Claim.run_id == claimant.run_id).values(heartbeat_at=now))


def finish_run(
    session: Session, run_id: int, state: RunState, outcomes: dict[str, int], *, now: datetime
) -> None:
    run = session.get(RunRecord, run_id)
    if run is not None:
        run.finished_at = now
        run.files_seen = sum(outcomes.values())
        run.state = state.value
        run.outcomes = outcomes


def close_abandoned_runs(
    session: Session, *, now: datetime, timeout: timedelta = DEFAULT_TIMEOUT
) -> list[int]:
    """Runs recorded as running whose process is gone: marked interrupted, their claims
    released (their files are then claimed again like any other). Returns their ids."""
    running = session.scalars(select(RunRecord).where(RunRecord.state == RunState.RUNNING))
    closed = []
    for run in running:
        if is_abandoned(run.heartbeat_at, run.host, run.pid, now=now, timeout=timeout):
            run.state = RunState.INTERRUPTED.value
            run.finished_at = run.heartbeat_at or run.started_at
            closed.append(run.id)
    if closed:
        session.execute(delete(Claim).where(Claim.run_id.in_(closed)))
    return closed


def recent_runs(session: Session, limit: int) -> list[RunRecord]:
    query = select(RunRecord).order_by(RunRecord.id.desc()).limit(limit)
    return list(session.scalars(query))
