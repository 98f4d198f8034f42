"""`sroi purge --before DATE` and the retention step of the quarterly run: personal fields out
of the ledger (ledger.purge), then the stored originals and feedback copies of the files it
released off the disk. The euro figures and the audit trail stay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from domain.periods import add_months
from flows.feedback import feedback_path
from flows.filing import reason_file_of
from flows.home import Home
from flows.workspace import Workspace, opened
from ledger.lines import now
from ledger.purge import purge_before
from ledger.schema import FileRecord

RETENTION_ACTOR = "bewaartermijn (kwartaalrun)"


@dataclass(frozen=True)
class PurgeReport:
    before: date
    people: int
    versions: int
    files: int
    removed: list[str] = field(default_factory=list)
    """Paths under the home that were deleted (originals, reason notes, feedback copies)."""


def _copies(workspace: Workspace, record: FileRecord) -> list[Path]:
    stored = workspace.home.root / record.stored_path
    copies = [stored, reason_file_of(stored)]
    if record.contract_id is not None:
        copies.append(feedback_path(workspace, record.contract_id, stored.name))
    return copies


def _remove(workspace: Workspace, records: list[FileRecord]) -> list[str]:
    removed = []
    for record in records:
        for path in _copies(workspace, record):
            if path.is_file():
                path.unlink()
                removed.append(path.relative_to(workspace.home.root).as_posix())
    return removed


def _purged_earlier(workspace: Workspace) -> list[FileRecord]:
    """Files purged in the ledger whose copies a purge that stopped halfway left on disk."""
    with workspace.ledger.reading() as session:
        records = session.scalars(select(FileRecord).where(FileRecord.purged_at.is_not(None)))
        return [record for record in records if any(p.exists() for p in _copies(workspace, record))]


def purge(home: Home, before: date, by: str) -> PurgeReport:
    """Everything retention no longer allows to keep from before `before`."""
    with opened(home) as workspace:
        with workspace.ledger.exclusive() as session:
            result = purge_before(session, before, by.strip(), now())
        removed = _remove(workspace, _purged_earlier(workspace))
        return PurgeReport(before, result.people, result.versions, len(result.files), removed)


def purge_expired(home: Home, today: date) -> PurgeReport | None:
    """The retention period of `[retention] years`, if set: what is older goes."""
    years = home.load_settings().retention.years
    if years is None:
        return None
    return purge(home, add_months(today, -12 * years), RETENTION_ACTOR)
