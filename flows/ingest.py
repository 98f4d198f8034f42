"""The ingest flow: inbox -> parse -> validate -> value -> store -> archive/ or quarantine/.

Each stage is a task with typed input and output. Bad input is a value (`Rejection`), not an
exception, so a quarantined file is an ordinary outcome and the log stays clean; only a defect
in our own code raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from domain.contracts import Contract
from domain.errors import FileRejected
from domain.storage import copy_atomically
from flows.feedback import ArchivedWorkbook, write_feedback_for
from flows.filing import (
    InboxFile,
    free_destination,
    list_inbox,
    sha256_of,
    write_reason,
)
from flows.home import Home
from flows.retrying import IO_RETRIES
from flows.workspace import Workspace, open_workspace
from ledger.files import (
    FileOutcome,
    FileStatus,
    finish_run,
    processed_file,
    record_file,
    start_run,
    stored_paths,
)
from ledger.lines import known_evidence, record_lines
from parsers import Parsed, file_kind, read_submission
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from rulesets import Ruleset
from rulesets.vocabulary import Vocabulary
from validators.assignment import assign_contract
from validators.lines import LineStatus
from validators.register import Register
from validators.submission import CheckedSubmission, validate_submission
from valuation.components import ValuedLine, value_lines


@dataclass(frozen=True)
class Rejection:
    """Why a file cannot be processed, in Dutch, for quarantine/<name>.reason.txt."""

    reason_nl: str


@dataclass(frozen=True)
class FileResult:
    inbox_path: str
    status: FileStatus
    contract_id: str | None
    stored_path: str
    reason: str | None = None
    accepted: int = 0
    rejected: int = 0
    pending: int = 0
    unchanged: int = 0
    file_id: int | None = None


@dataclass(frozen=True)
class RunContext:
    """What every file of one run shares."""

    workspace: Workspace
    register: Register
    run_id: int


@dataclass(frozen=True)
class InboxItem:
    file: InboxFile
    sha256: str


@dataclass(frozen=True)
class RunReport:
    as_of: date
    files: list[FileResult] = field(default_factory=list)
    register_problems: list[str] = field(default_factory=list)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def read_inbox(inbox: Path) -> list[InboxFile]:
    return list_inbox(inbox)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def hash_file(path: Path) -> str:
    return sha256_of(path)


@task(cache_policy=NO_CACHE)
def parse_file(path: Path, limits: ReadLimits, vocabulary: Vocabulary) -> Parsed | Rejection:
    try:
        return read_submission(path, limits, vocabulary)
    except FileRejected as rejected:
        return Rejection(rejected.reason_nl)


@task(cache_policy=NO_CACHE)
def identify_contract(file: InboxFile, parsed: Parsed, register: Register) -> Contract | Rejection:
    """Folder name first; at the top level the workbook's Contractnummer cell or the file name."""
    named_in_file = parsed.contract_ref if isinstance(parsed, ParsedWorkbook) else None
    try:
        return assign_contract(file.folder_contract, file.name, named_in_file, register)
    except FileRejected as rejected:
        return Rejection(rejected.reason_nl)


@task(cache_policy=NO_CACHE)
def validate_lines(
    workspace: Workspace, parsed: Parsed, contract: Contract, ruleset: Ruleset
) -> CheckedSubmission:
    with workspace.ledger.reading() as session:
        known = known_evidence(session)
    return validate_submission(parsed, contract, ruleset, known, workspace.pseudonymizer)


@task(cache_policy=NO_CACHE)
def value_checked_lines(checked: CheckedSubmission, ruleset: Ruleset) -> list[ValuedLine]:
    return value_lines(checked, ruleset)


def _relative(workspace: Workspace, path: Path) -> str:
    return path.relative_to(workspace.home.root).as_posix()


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def store_submission(
    run: RunContext,
    item: InboxItem,
    contract: Contract,
    checked: CheckedSubmission,
    valued: list[ValuedLine],
) -> FileResult:
    """Ledger records and the archive copy in one transaction; then the inbox copy goes."""
    workspace, file = run.workspace, item.file
    counts = {status: checked.count(status) for status in LineStatus}
    with workspace.ledger.transaction() as session:
        destination = free_destination(
            workspace.home.archive / contract.contract_id,
            file.name,
            item.sha256,
            stored_paths(session),
            workspace.home.root,
        )
        outcome = FileOutcome(
            sha256=item.sha256,
            original_name=file.name,
            inbox_path=file.relative,
            contract_id=contract.contract_id,
            kind=file_kind(file.path),
            status=FileStatus.ARCHIVED,
            reason=None,
            stored_path=_relative(workspace, destination),
            size_bytes=file.path.stat().st_size,
            summary={status.value: count for status, count in counts.items()}
            | {"unchanged": checked.unchanged},
        )
        record = record_file(session, outcome, run.run_id)
        record_lines(
            session,
            record.id,
            contract.contract_id,
            contract.ruleset_id,
            valued,
            from_pdf=outcome.kind == "invoice",
        )
        # Inside the transaction: if the copy fails, nothing is recorded either.
        copy_atomically(file.path, destination)
    file.path.unlink()
    return FileResult(
        inbox_path=file.relative,
        status=FileStatus.ARCHIVED,
        contract_id=contract.contract_id,
        stored_path=outcome.stored_path,
        accepted=counts[LineStatus.ACCEPTED],
        rejected=counts[LineStatus.REJECTED],
        pending=counts[LineStatus.PENDING],
        unchanged=checked.unchanged,
        file_id=record.id,
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def set_aside(
    run: RunContext,
    item: InboxItem,
    *,
    status: FileStatus,
    reason: str,
    contract_id: str | None,
    duplicate_of: int | None = None,
) -> FileResult:
    """A duplicate goes to archive/, a rejected file to quarantine/ with its reason beside it."""
    workspace, file = run.workspace, item.file
    if status is FileStatus.DUPLICATE:
        folder = workspace.home.archive / (contract_id or "_onbekend") / "duplicaten"
    else:
        folder = workspace.home.quarantine
    with workspace.ledger.transaction() as session:
        destination = free_destination(
            folder, file.name, item.sha256, stored_paths(session), workspace.home.root
        )
        outcome = FileOutcome(
            sha256=item.sha256,
            original_name=file.name,
            inbox_path=file.relative,
            contract_id=contract_id,
            kind=file_kind(file.path),
            status=status,
            reason=reason,
            stored_path=_relative(workspace, destination),
            size_bytes=file.path.stat().st_size,
            duplicate_of=duplicate_of,
        )
        record_file(session, outcome, run.run_id)
        copy_atomically(file.path, destination)
        if status is FileStatus.QUARANTINED:
            write_reason(destination, reason)
    file.path.unlink()
    return FileResult(file.relative, status, contract_id, outcome.stored_path, reason)


def _quarantine(run: RunContext, item: InboxItem, reason: str) -> FileResult:
    folder_contract = run.register.get(item.file.folder_contract or "")
    contract_id = folder_contract.contract_id if folder_contract else None
    return set_aside(
        run, item, status=FileStatus.QUARANTINED, reason=reason, contract_id=contract_id
    )


def process_file(run: RunContext, file: InboxFile) -> FileResult:
    item = InboxItem(file, hash_file(file.path))
    with run.workspace.ledger.reading() as session:
        earlier = processed_file(session, item.sha256)
        earlier_id, earlier_contract = (earlier.id, earlier.contract_id) if earlier else (0, None)
    if earlier_id:
        reason = f"zelfde bestand als eerder verwerkt (bestand {earlier_id}); geen effect"
        return set_aside(
            run,
            item,
            status=FileStatus.DUPLICATE,
            reason=reason,
            contract_id=earlier_contract,
            duplicate_of=earlier_id,
        )
    parsed = parse_file(file.path, run.workspace.limits, run.workspace.vocabulary)
    if isinstance(parsed, Rejection):
        return _quarantine(run, item, parsed.reason_nl)
    contract = identify_contract(file, parsed, run.register)
    if isinstance(contract, Rejection):
        return _quarantine(run, item, contract.reason_nl)
    ruleset = run.workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
    checked = validate_lines(run.workspace, parsed, contract, ruleset)
    valued = value_checked_lines(checked, ruleset)
    return store_submission(run, item, contract, checked, valued)


def process_file_safely(run: RunContext, file: InboxFile) -> FileResult:
    """A defect while processing one file must not stop the others: that file is quarantined
    with a Dutch reason and the traceback goes to the log for the operator."""
    try:
        return process_file(run, file)
    except Exception as defect:  # the boundary that keeps one defective file contained
        get_run_logger().exception("interne fout bij %s", file.relative)
        if not file.path.exists():
            raise
        reason = (
            f"interne fout bij het verwerken ({type(defect).__name__}); het bestand is niet "
            "meegeteld. Meld dit aan de beheerder."
        )
        return _quarantine(run, InboxItem(file, sha256_of(file.path)), reason)


@task(cache_policy=NO_CACHE)
def write_feedback(run: RunContext, results: list[FileResult], as_of: date) -> list[Path]:
    """Annotated copies of the archived workbooks for the contractors."""
    archived = [
        ArchivedWorkbook(result.file_id, result.contract_id, result.stored_path, result.unchanged)
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
        workspace.sync_register(register)
        problems = [problem.describe_nl(register.file) for problem in register.problems]
        for problem in problems:
            logger.info("contractregister: %s", problem)
        with workspace.ledger.transaction() as session:
            run_id = start_run(session, as_of, str(flow_run.get_id() or ""))
        run = RunContext(workspace, register, run_id)
        files = read_inbox(workspace.home.inbox)
        results = [process_file_safely(run, file) for file in files]
        write_feedback(run, results, as_of)
        with workspace.ledger.transaction() as session:
            finish_run(session, run_id, len(results))
        return RunReport(as_of, results, problems)
    finally:
        workspace.close()
