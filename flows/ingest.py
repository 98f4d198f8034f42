"""The ingest flow: inbox -> parse -> validate -> value -> store -> archive/ or quarantine/.

One task per file does the work of that file; the stages are the entry functions of parsers,
validators, valuation and ledger. Bad input is an ordinary outcome (the file is quarantined with
its Dutch reason), never an exception that stops the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from domain.errors import FileRejected
from flows.feedback import ArchivedWorkbook, write_feedback_for
from flows.filing import InboxFile, list_inbox, sha256_of
from flows.home import Home
from flows.recheck import Recheck, recheck_contracts
from flows.retrying import IO_RETRIES
from flows.storing import FileResult, RunContext, archive, put_aside, quarantine
from flows.workspace import open_workspace
from ledger.evidence import LedgerEvidence
from ledger.files import FileStatus, archived_copy, finish_run, start_run
from parsers import file_kind, read_submission
from parsers.submission import ParsedWorkbook
from validators.assignment import assign_contract
from validators.submission import validate_submission
from valuation.components import value_lines


@dataclass(frozen=True)
class RunReport:
    as_of: date
    run_id: int
    files: list[FileResult] = field(default_factory=list)
    register_problems: list[str] = field(default_factory=list)
    rechecks: list[Recheck] = field(default_factory=list)


def _process(run: RunContext, file: InboxFile) -> FileResult:
    workspace = run.workspace
    sha256 = sha256_of(file.path)
    try:
        parsed = read_submission(file.path, workspace.limits, workspace.vocabulary)
        named = parsed.contract_ref if isinstance(parsed, ParsedWorkbook) else None
        contract = assign_contract(file.folder_contract, file.name, named, run.register)
    except FileRejected as rejected:
        return quarantine(run, file, sha256, rejected.reason_nl)
    with workspace.ledger.reading() as session:
        earlier = archived_copy(session, sha256, contract.contract_id)
        earlier_id = earlier.id if earlier is not None else None
    if earlier_id is not None:
        reason = f"zelfde bestand als eerder verwerkt (bestand {earlier_id}); geen effect"
        return put_aside(
            run, file, sha256, reason=reason, contract_id=contract.contract_id, of=earlier_id
        )
    ruleset = workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
    with workspace.ledger.reading() as session:
        checked = validate_submission(
            parsed, contract, ruleset, LedgerEvidence(session), workspace.pseudonymizer
        )
    return archive(
        run, file, sha256, contract, checked=checked, valued=value_lines(checked, ruleset)
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def process_file(run: RunContext, file: InboxFile) -> FileResult:
    """One inbox file from the inbox to archive/ or quarantine/. A defect in our code while
    processing it quarantines that file with a Dutch reason (the traceback goes to the log for
    the operator); the other files are processed. A failure to read or write a file is retried."""
    if not file.path.exists():
        return FileResult.vanished(file)
    try:
        return _process(run, file)
    except OSError:
        raise
    except Exception as defect:  # noqa: BLE001 - a defect stays with its own file
        get_run_logger().exception("interne fout bij %s", file.relative)
        if not file.path.exists():
            return FileResult.vanished(file)
        reason = (
            f"interne fout bij het verwerken ({type(defect).__name__}); het bestand is niet "
            "meegeteld. Meld dit aan de beheerder."
        )
        return quarantine(run, file, sha256_of(file.path), reason)


def _process_or_leave(run: RunContext, file: InboxFile) -> FileResult:
    """A file that cannot be read or written even after the retries stays in the inbox for
    the next run; the run goes on with the others."""
    try:
        return process_file(run, file)
    except OSError as error:
        get_run_logger().warning("%s blijft in de inbox: %s", file.relative, error)
        return FileResult.left_in_inbox(file, str(error))


@task(cache_policy=NO_CACHE)
def write_feedback(run: RunContext, results: list[FileResult], as_of: date) -> list[Path]:
    """Annotated copies of the archived workbooks for the contractors."""
    archived = [
        ArchivedWorkbook(result.file_id, result.contract_id, result.stored_path)
        for result in results
        if result.status is FileStatus.ARCHIVED
        and result.file_id is not None
        and result.contract_id is not None
        and file_kind(Path(result.stored_path)) == "workbook"
    ]
    written, problems = write_feedback_for(run.workspace, run.register, archived, as_of)
    for problem in problems:
        get_run_logger().warning("terugkoppeling niet geschreven: %s", problem)
    return written


@flow(name="sroi-ingest", persist_result=False, validate_parameters=True)
def ingest_inbox(home: str, as_of: date) -> RunReport:
    """Process every file in the inbox once; each ends in archive/ or quarantine/."""
    logger = get_run_logger()
    workspace = open_workspace(Home(Path(home)))
    try:
        register = workspace.load_register()
        changed = workspace.sync_register(register)
        problems = [problem.describe_nl(register.file) for problem in register.problems]
        for problem in problems:
            logger.info("contractregister: %s", problem)
        with workspace.ledger.transaction() as session:
            run_id = start_run(session, as_of, str(flow_run.get_id() or ""))
        run = RunContext(workspace, register, run_id)
        rechecks = recheck_contracts(run, changed)
        results = [_process_or_leave(run, file) for file in list_inbox(workspace.home.inbox)]
        write_feedback(run, results, as_of)
        with workspace.ledger.transaction() as session:
            finish_run(session, run_id, len(results))
        return RunReport(as_of, run_id, results, problems, rechecks)
    finally:
        workspace.close()
