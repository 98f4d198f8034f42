"""After a register change (a contract's period, ruleset or contractor corrected), the lines of
that contract are checked again: each line's current version is judged anew from the archived
file it came from, and a line whose verdict changes gets a new version (INTERFACE.md section 5,
"the next run re-checks the stored lines of changed contracts")."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session

from domain.contracts import Contract
from domain.errors import FileRejected
from flows.retrying import IO_RETRIES
from flows.storing import RunContext
from ledger.audit import AuditAction, record_event
from ledger.evidence import LedgerEvidence
from ledger.files import archived_files
from ledger.lines import current_versions, now, store_lines
from ledger.schema import FileRecord
from parsers import read_submission
from validators.lines import CheckedLine
from validators.submission import validate_submission
from valuation.components import value_lines

RECHECK_ACTOR = "sroi run (registerwijziging)"


@dataclass(frozen=True)
class Recheck:
    contract_id: str
    files: int
    """Archived files of the contract read again."""
    lines: int
    """Current lines that were checked."""
    changed: int
    """Lines whose verdict changed and that got a new version."""


@contextmanager
def _as_submitted(workspace_root: Path, record: FileRecord) -> Iterator[Path]:
    """The archived copy under the name it was submitted with (the name is part of what was
    read: a PDF's line names its file)."""
    archived = workspace_root / record.stored_path
    with tempfile.TemporaryDirectory(prefix="sroi-recheck-") as folder:
        named = Path(folder) / record.original_name
        named.symlink_to(archived)
        yield named


def _renewed(
    session: Session, checked: Sequence[CheckedLine], record: FileRecord, contract_id: str
) -> list[CheckedLine]:
    """The lines of this file that still count and are judged differently now."""
    current = {
        (version.source_sheet, version.source_row): version
        for version in current_versions(session, contract_id)
        if version.file_id == record.id
    }
    renewed = []
    for line in checked:
        version = current.get((line.provenance.sheet, line.provenance.row))
        if version is not None and line.fingerprint != version.fingerprint:
            renewed.append(replace(line, line_id=version.line_id))
    return renewed


def _recheck_file(run: RunContext, contract: Contract, record: FileRecord) -> int:
    workspace = run.workspace
    if not (workspace.home.root / record.stored_path).is_file():
        return 0  # removed by retention; its lines keep their verdict
    ruleset = workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
    with _as_submitted(workspace.home.root, record) as path:
        try:
            parsed = read_submission(path, workspace.limits, workspace.vocabulary)
        except FileRejected:
            return 0
    with workspace.ledger.exclusive() as session:
        checked = validate_submission(
            parsed, contract, ruleset, LedgerEvidence(session), workspace.pseudonymizer
        )
        renewed = _renewed(session, checked.lines, record, contract.contract_id)
        if not renewed:
            return 0
        valued = value_lines(replace(checked, lines=tuple(renewed)), ruleset)
        received = record.received_at or record.processed_at
        store_lines(
            session, record.id, contract.contract_id, ruleset.id, valued, received_at=received
        )
        record_event(
            session,
            now(),
            RECHECK_ACTOR,
            AuditAction.RECHECKED,
            contract_id=contract.contract_id,
            file_id=record.id,
            lines=[line.line_id for line in renewed],
        )
    return len(renewed)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def recheck_contract(run: RunContext, contract_id: str) -> Recheck | None:
    contract = run.register.get(contract_id)
    if contract is None:
        return None
    with run.workspace.ledger.reading() as session:
        files = archived_files(session, contract_id)
        lines = len(current_versions(session, contract_id))
    if not lines:
        return None
    changed = sum(_recheck_file(run, contract, record) for record in files)
    return Recheck(contract_id, len(files), lines, changed)


def recheck_contracts(run: RunContext, contract_ids: Sequence[str]) -> list[Recheck]:
    results = [recheck_contract(run, contract_id) for contract_id in contract_ids]
    return [result for result in results if result is not None]
