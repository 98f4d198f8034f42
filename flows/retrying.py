"""When a task may try again: only after an input/output failure (a network share that
hiccups, a file still being written, a database connection that dropped). A defect in our code
or bad input fails the same way a second time, so it is not retried."""

from __future__ import annotations

from typing import Any

from prefect import Task
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from sqlalchemy.exc import OperationalError

RETRYABLE: tuple[type[BaseException], ...] = (OSError, OperationalError)


def on_io_error(task: Task[Any, Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Prefect's `retry_condition_fn`: the failed state carries the exception as its data."""
    return isinstance(state.data, RETRYABLE)


IO_RETRIES: dict[str, Any] = {
    "retries": 2,
    "retry_delay_seconds": 1,
    "retry_condition_fn": on_io_error,
}
"""Task options for steps that touch files or the ledger."""
