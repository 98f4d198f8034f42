"""The parallel part of a run: reading inbox files (flows.reading) and writing feedback
workbooks, on every core. Any `concurrent.futures` executor does it: a process pool by default
(one process per core); an operator with a Dask cluster can pass
`distributed.Client.get_executor()` instead. The flows only submit jobs and collect results,
in order."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from domain.errors import FileRejected
from flows.filing import InboxFile
from flows.reading import ReadContext, ReadResult, read_files, remember
from parsers.limits import ReadLimits
from reporting.feedback import FeedbackLine, FeedbackSummary, HeaderRow, write_feedback_workbook

T = TypeVar("T")
_INLINE_UP_TO = 1
"""A run with this few jobs does them in its own process: handing them over costs more."""
_MEMORY_FOLDER = "/dev/shm"  # noqa: S108 - a worker's own short-lived files, in memory
FILES_PER_JOB = 32
"""Files a worker reads in one go: their rows are checked in one pandera call per kind."""
FEEDBACK_PER_JOB = 16
"""Feedback workbooks a worker writes in one go (handing over each one alone costs about as
much as writing it)."""


@dataclass(frozen=True)
class FeedbackJob:
    file_id: int
    original: Path
    destination: Path
    headers: tuple[HeaderRow, ...]
    lines: tuple[FeedbackLine, ...]
    summary: FeedbackSummary


@dataclass(frozen=True)
class FeedbackDone:
    file_id: int
    destination: Path
    problem: str | None = None


_LIMITS: ReadLimits | None = None
"""In a worker process: the limits of the run it works for."""


def _exit_with(parent: int) -> None:
    """Ends this worker when the run that started it is gone (killed: it cannot say so)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="sroi-parent-watch", daemon=True).start()


def _start_worker(context: ReadContext, parent: int) -> None:
    """Runs once in every worker process: what every file is read with. A Ctrl-C in the
    terminal is for the run (it stops after the file at hand), not for its workers; a worker
    whose run was killed ends too."""
    global _LIMITS  # noqa: PLW0603 - one value per worker process, set when it starts
    _LIMITS = context.limits
    remember(context)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if Path(_MEMORY_FOLDER).is_dir() and os.access(_MEMORY_FOLDER, os.W_OK):
        # openpyxl writes each sheet to a temporary file before zipping it
        tempfile.tempdir = _MEMORY_FOLDER
    _exit_with(parent)


def write_feedback(job: FeedbackJob, limits: ReadLimits | None = None) -> FeedbackDone:
    """One feedback workbook, in a worker; a problem is reported, not raised (the ledger is
    complete already and one unwritable copy must not stop the others)."""
    reading = limits or _LIMITS or ReadLimits()
    try:
        write_feedback_workbook(
            job.original,
            job.destination,
            job.headers,
            job.lines,
            job.summary,
            limits=reading,
            durable=False,  # made durable together afterwards (flows.ingest.write_feedback)
        )
    except (OSError, ValueError, FileRejected) as problem:
        return FeedbackDone(job.file_id, job.destination, f"{job.original.name}: {problem}")
    except Exception as defect:  # noqa: BLE001 - one workbook's defect must not stop the run
        trace = traceback.format_exc()
        return FeedbackDone(
            job.file_id, job.destination, f"{job.original.name}: interne fout ({defect!r})\n{trace}"
        )
    return FeedbackDone(job.file_id, job.destination)


def write_feedbacks(
    jobs: Sequence[FeedbackJob], limits: ReadLimits | None = None
) -> list[FeedbackDone]:
    """A few feedback workbooks, in a worker, one after the other."""
    return [write_feedback(job, limits) for job in jobs]


def _batches(items: Sequence[T], most: int) -> list[list[T]]:
    """`items` in consecutive batches of at most `most`, and at least one batch per core."""
    size = max(1, min(most, -(-len(items) // (os.cpu_count() or 1))))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


class Workers:
    """Submits jobs to an executor, or runs them inline when there are few."""

    def __init__(
        self, executor: Executor | None, context: ReadContext, *, initialised: bool = False
    ) -> None:
        self._executor = executor
        self._context = context
        self._initialised = initialised
        """Whether the executor's processes already hold the context (our own pool)."""

    def read(self, files: Sequence[InboxFile]) -> Iterator[ReadResult]:
        """Every file read and judged (flows.reading), in the order given; the files go to the
        workers a few at a time (the reading starts at once)."""
        jobs = _batches(files, FILES_PER_JOB)
        return (result for done in self._map(read_files, jobs) for result in done)

    def feedback(self, groups: Iterable[Sequence[FeedbackJob]]) -> Iterator[FeedbackDone]:
        """Every feedback workbook written, in the order given, a few per worker job; each
        group's jobs go to the workers as soon as it is made (while the next one is made)."""
        submitted = [
            self._map(write_feedbacks, _batches(jobs, FEEDBACK_PER_JOB)) for jobs in groups
        ]
        return (done for results in submitted for batch in results for done in batch)

    def _map(self, function: Callable[..., T], items: Sequence[Any]) -> Iterator[T]:
        context = self._context if function is read_files else self._context.limits
        if self._executor is None or len(items) <= _INLINE_UP_TO:
            return (function(item, context) for item in items)
        futures: list[Future[T]] = [
            self._executor.submit(function, item)
            if self._initialised
            else self._executor.submit(function, item, context)
            for item in items
        ]
        return (future.result() for future in futures)


def _process_pool(context: ReadContext) -> ProcessPoolExecutor:
    """One process per core. Forked where the platform allows: the workers start at once with
    everything imported (the parse stage neither starts threads nor holds locks across)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=os.cpu_count() or 1,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(context, os.getpid()),
    )


_EXECUTOR: ContextVar[Executor | None] = ContextVar("sroi_executor", default=None)


@contextmanager
def use_executor(executor: Executor) -> Iterator[None]:
    """Runs started meanwhile (in this thread) read and write on `executor`, e.g. a Dask
    cluster's `Client.get_executor()`, instead of a process pool of their own."""
    token = _EXECUTOR.set(executor)
    try:
        yield
    finally:
        _EXECUTOR.reset(token)


@contextmanager
def workers(context: ReadContext) -> Iterator[Workers]:
    """The run's workers: the executor of `use_executor` (kept open: it is the caller's), else
    a process pool for the run, shut down afterwards."""
    executor = _EXECUTOR.get()
    if executor is not None:
        yield Workers(executor, context)
        return
    if (os.cpu_count() or 1) < 2:
        yield Workers(None, context)
        return
    pool = _process_pool(context)
    try:
        yield Workers(pool, context, initialised=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
