"""`sroi runs`: the recent runs, with what became of their files and who or what started them.
A run recorded as running whose process is gone shows as interrupted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flows.home import Home
from flows.workspace import opened
from ledger.lines import now
from ledger.runs import RunState, is_abandoned, recent_runs
from ledger.schema import RunRecord


@dataclass(frozen=True)
class RunRow:
    run_id: int
    started_at: datetime
    finished_at: datetime | None
    state: RunState
    as_of: date
    started_by: str
    outcomes: dict[str, int]
    flow_run_id: str | None

    def document(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": self.finished_at.isoformat(timespec="seconds")
            if self.finished_at
            else None,
            "state": self.state.value,
            "as_of": self.as_of.isoformat(),
            "started_by": self.started_by,
            "files": self.outcomes,
            "flow_run_id": self.flow_run_id,
        }


def _state(run: RunRecord, at: datetime) -> RunState:
    state = RunState(run.state)
    if state is RunState.RUNNING and is_abandoned(run.heartbeat_at, run.host, run.pid, now=at):
        return RunState.INTERRUPTED
    return state


def recent(home: Home, limit: int = 20) -> list[RunRow]:
    """The newest runs first (times in UTC, as the ledger keeps them)."""
    at = now()
    with opened(home) as workspace, workspace.ledger.reading() as session:
        return [
            RunRow(
                run.id,
                run.started_at,
                run.finished_at,
                _state(run, at),
                run.as_of,
                run.started_by,
                dict(run.outcomes),
                run.flow_run_id,
            )
            for run in recent_runs(session, limit)
        ]
