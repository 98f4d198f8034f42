"""The ingest flow: inbox -> parse -> validate -> value -> store -> archive/ or quarantine/.

The inbox is taken in chunks. A chunk's files are claimed in the ledger (several runs split the
inbox), read on every core (flows.workers), then checked against the ledger and stored in one
transaction (a savepoint per file), after which they leave the inbox. While one chunk is
stored the next one is read. Bad input is an ordinary outcome (the file is quarantined with its
Dutch reason), never an exception that stops the run; a request to stop (Ctrl-C, SIGTERM) ends
the run after the file at hand and leaves the rest in the inbox.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import deployment, flow_run
from prefect.utilities.annotations import quote

from domain.storage import make_durable
from flows.claiming import Tally, claim, kept_alive, release_claims
from flows.control import announce, stop_requested, stop_when_asked
from flows.crash_points import CrashPoint, crash_point
from flows.feedback import mark_feedback_written, pending_feedback
from flows.filing import InboxFile, list_inbox
from flows.home import Home
from flows.reading import ReadContext, ReadResult
from flows.recheck import Recheck, recheck_contracts
from flows.retrying import IO_RETRIES
from flows.run_artifact import publish_run_artifact
from flows.storing import AfterCommit, ClaimedFile, FileResult, RunContext, store_one
from flows.workers import Workers, workers
from flows.workspace import Workspace, open_workspace
from ledger.claims import release_all
from ledger.files import known_files
from ledger.lines import now
from ledger.runs import RunState, close_abandoned_runs, finish_run, set_flow_run, start_run

FIRST_CHUNK = 8
CHUNK = 64
"""Files claimed, read and stored together: enough to keep every core reading while the ledger
work of the chunk before is done and to spread what each chunk costs (its claims, its
transaction, its task run), few enough that a run stopping leaves little half-read. The chunks
start at FIRST_CHUNK files and double up to CHUNK, so that storing starts soon."""
READ_AHEAD = 2
"""Chunks the workers may be reading while one is stored: they keep reading while the ledger
work takes longer than reading, and the other way round."""


@dataclass(frozen=True)
class RunReport:
    as_of: date
    run_id: int
    state: RunState
    files: list[FileResult] = field(default_factory=list)
    register_problems: list[str] = field(default_factory=list)
    rechecks: list[Recheck] = field(default_factory=list)
    taken_by_others: int = 0
    """Inbox files another run (on this machine or another) was working on."""
    feedback_problems: list[str] = field(default_factory=list)

    def outcomes(self) -> dict[str, int]:
        counts = Counter(result.status.value if result.status else "left" for result in self.files)
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class _Chunk:
    files: list[ClaimedFile]
    read: Iterator[ReadResult]


def _chunks(files: Sequence[InboxFile]) -> Iterator[list[InboxFile]]:
    remaining = iter(files)
    size = FIRST_CHUNK
    while chunk := list(islice(remaining, size)):
        yield chunk
        size = min(2 * size, CHUNK)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def store_files(
    run: RunContext, files: list[ClaimedFile], read: list[ReadResult]
) -> list[FileResult]:
    """A chunk of read files checked against the ledger and stored in one transaction; then
    their copies are made durable and they leave the inbox. Stops early when asked to; the
    files not reached are released and stay in the inbox."""
    results: list[FileResult] = []
    after = AfterCommit()
    with run.workspace.ledger.exclusive() as session:
        known = known_files(
            session, {item.sha256 for item in files}, {item.file.relative for item in files}
        )
        for claimed, parsed in zip(files, read, strict=True):
            if stop_requested():
                break
            result, done = store_one(session, run, claimed, parsed, known)
            results.append(result)
            after.absorb(done)
    crash_point(CrashPoint.STORED)
    after.finish(run.workspace.home.root)
    return results


def _store_chunk(run: RunContext, chunk: _Chunk) -> list[FileResult]:
    """Stores a chunk, tells the listeners of each file, and releases the chunk's claims."""
    try:
        results = store_files(quote(run), chunk.files, quote(list(chunk.read)), return_state=False)
    finally:
        release_claims(run, chunk.files)
    for result in results:
        announce(result)
    return results


def _start_chunk(run: RunContext, pool: Workers, files: list[InboxFile], tally: Tally) -> _Chunk:
    claimed = claim(run, files, tally)
    chunk = _Chunk(claimed, pool.read([item.file for item in claimed]))
    crash_point(CrashPoint.READING)
    return chunk


def process_inbox(run: RunContext, pool: Workers, tally: Tally, results: list[FileResult]) -> None:
    """Every inbox file this run gets, chunk by chunk, added to `results` as they are stored;
    the workers read up to READ_AHEAD chunks ahead of the one being stored."""
    waiting: deque[_Chunk] = deque()
    for files in _chunks(list_inbox(run.workspace.home.inbox)):
        if stop_requested():
            break
        waiting.append(_start_chunk(run, pool, files, tally))
        if len(waiting) > READ_AHEAD:
            results += _store_chunk(run, waiting.popleft())
    while waiting:
        chunk = waiting.popleft()
        if stop_requested():
            release_claims(run, chunk.files)
        else:
            results += _store_chunk(run, chunk)


@task(cache_policy=NO_CACHE)
def write_feedback(run: RunContext, pool: Workers) -> list[str]:
    """Annotated copies of the archived workbooks for the contractors, written by the workers;
    returns what could not be written (the ledger is complete without them)."""
    jobs = pending_feedback(run.workspace, run.register, run.claimant.run_id, run.as_of)
    done = []
    for result in pool.feedback(jobs):
        done.append(result)
        crash_point(CrashPoint.FEEDBACK)
    make_durable(result.destination for result in done if result.problem is None)
    mark_feedback_written(run.workspace.ledger, done, now())
    problems = [result.problem for result in done if result.problem is not None]
    for problem in problems:
        get_run_logger().warning("terugkoppeling niet geschreven: %s", problem)
    return problems


def _begin(workspace: Workspace, as_of: date, started_by: str) -> RunContext:
    """The register synced, killed runs closed, this run recorded."""
    register = workspace.load_register()
    with workspace.ledger.transaction() as session:
        for run_id in close_abandoned_runs(session, now=now()):
            get_run_logger().warning("run %s is onderbroken (proces gestopt)", run_id)
        claimant = start_run(session, as_of, started_by, now=now())
        set_flow_run(session, claimant.run_id, str(flow_run.get_id() or "") or None)
    return RunContext(workspace, register, claimant.run_id, claimant, as_of)


def _end(run: RunContext, report: RunReport) -> None:
    with run.workspace.ledger.transaction() as session:
        release_all(session, run.claimant)
        finish_run(session, run.run_id, report.state, report.outcomes(), now=now())


def _read_context(run: RunContext) -> ReadContext:
    workspace = run.workspace
    return ReadContext(
        workspace.limits,
        workspace.vocabulary,
        run.register,
        workspace.catalog,
        workspace.pseudonymizer.key,
    )


def _run(run: RunContext, results: list[FileResult]) -> RunReport:
    workspace = run.workspace
    changed = workspace.sync_register(run.register)
    problems = [problem.describe_nl(run.register.file) for problem in run.register.problems]
    for problem in problems:
        get_run_logger().info("contractregister: %s", problem)
    tally = Tally()
    with (
        kept_alive(workspace.ledger, run.claimant),
        workers(_read_context(run)) as pool,
    ):
        rechecks = recheck_contracts(run, changed)
        process_inbox(run, pool, tally, results)
        feedback_problems = write_feedback(quote(run), quote(pool), return_state=False)
    state = RunState.STOPPED if stop_requested() else RunState.COMPLETED
    return RunReport(
        run.as_of, run.run_id, state, results, problems, rechecks, tally.taken_by_others,
        feedback_problems,
    )  # fmt: skip


def _warn(message: str) -> None:
    get_run_logger().warning(message)


def today_in(timezone: str) -> date:
    """Today's date where the coordinators are (the schedules' time zone)."""
    return datetime.now(ZoneInfo(timezone)).date()


@flow(name="sroi-ingest", persist_result=False, validate_parameters=True)
def ingest_inbox(home: str, as_of: date | None = None, started_by: str = "sroi run") -> RunReport:
    """Process the inbox: each file this run claims ends in archive/ or quarantine/. `as_of`
    is the run date (default: today in the schedules' time zone). The files are read on a
    process pool, or on the executor given with `flows.workers.use_executor`. A run of a
    deployment (`sroi serve`) stops after the file at hand on SIGTERM or when `sroi serve`
    ends."""
    workspace = open_workspace(Home(Path(home)))
    try:
        day = as_of or today_in(workspace.settings.schedule.timezone)
        run = _begin(workspace, day, started_by)
        results: list[FileResult] = []
        try:
            served = deployment.id is not None
            with stop_when_asked(_warn, watch_parent=served):
                report = _run(run, results)
        except BaseException:
            _end(run, RunReport(day, run.run_id, RunState.FAILED, results))
            raise
        _end(run, report)
        publish_run_artifact(report)
        return report
    finally:
        workspace.close()
