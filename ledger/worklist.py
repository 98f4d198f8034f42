"""What the worklist reads from the ledger beyond lines and mail: the files in quarantine."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.files import FileStatus
from ledger.schema import FileRecord


def quarantined_now(session: Session) -> list[FileRecord]:
    """Files in quarantine now: a quarantined file that a later file replaced (a retry) is not."""
    query = (
        select(FileRecord)
        .where(
            FileRecord.status == FileStatus.QUARANTINED,
            FileRecord.resolved_by.is_(None),
        )
        .order_by(FileRecord.id)
    )
    return list(session.scalars(query))
