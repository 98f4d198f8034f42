"""Claims on inbox files, so that several runs (on one machine or on several sharing the inbox
and the ledger) split the files between them and each file is handled exactly once
(INTERFACE.md section 5). A claim is taken over when its run stopped sending heartbeats, or at
once when its process on this machine is gone (killed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.runs import DEFAULT_TIMEOUT, Claimant, is_abandoned
from ledger.schema import Claim


def claim_file(
    session: Session,
    sha256: str,
    inbox_path: str,
    claimant: Claimant,
    *,
    now: datetime,
    timeout: timedelta = DEFAULT_TIMEOUT,
) -> bool:
    """Claims the file for `claimant`; False when another live run has it."""
    existing = session.scalars(
        select(Claim).where(Claim.sha256 == sha256, Claim.inbox_path == inbox_path)
    ).first()
    if existing is None:
        return _new_claims(session, [(sha256, inbox_path)], claimant, now)
    if existing.run_id == claimant.run_id:
        return True
    abandoned = is_abandoned(
        existing.heartbeat_at, existing.host, existing.pid, now=now, timeout=timeout
    )
    if not abandoned:
        return False
    taken = session.execute(
        update(Claim)
        .where(Claim.id == existing.id, Claim.run_id == existing.run_id)
        .values(
            run_id=claimant.run_id,
            host=claimant.host,
            pid=claimant.pid,
            claimed_at=now,
            heartbeat_at=now,
        )
    )
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def claim_files(
    session: Session,
    files: Sequence[tuple[str, str]],
    claimant: Claimant,
    *,
    now: datetime,
    timeout: timedelta = DEFAULT_TIMEOUT,
) -> list[bool]:
    """claim_file for each (sha256, inbox path) of a batch: the files no run has claimed in one
    insert, the others one by one. Whether each file is now the claimant's, in order."""
    held = {
        (claim.sha256, claim.inbox_path)
        for claim in session.scalars(
            select(Claim).where(Claim.sha256.in_({sha256 for sha256, _ in files}))
        )
    }
    free = [file for file in files if file not in held]
    one_by_one = held
    if free and not _new_claims(session, free, claimant, now):
        one_by_one = set(files)  # another run claimed some of them meanwhile
    return [
        claim_file(session, sha256, inbox_path, claimant, now=now, timeout=timeout)
        if (sha256, inbox_path) in one_by_one
        else True
        for sha256, inbox_path in files
    ]


def _new_claims(
    session: Session, files: Sequence[tuple[str, str]], claimant: Claimant, now: datetime
) -> bool:
    """Claims for files no run has claimed, in one insert; False (and none of them claimed)
    when another run claimed one of them just now."""
    rows = [
        {
            "sha256": sha256,
            "inbox_path": inbox_path,
            "run_id": claimant.run_id,
            "host": claimant.host,
            "pid": claimant.pid,
            "claimed_at": now,
            "heartbeat_at": now,
        }
        for sha256, inbox_path in files
    ]
    try:
        with session.begin_nested():
            session.execute(insert(Claim), rows)
    except IntegrityError:
        return False
    return True


def release(session: Session, files: Sequence[tuple[str, str]], claimant: Claimant) -> None:
    """Gives up the claimant's claims on these (sha256, inbox path) files."""
    if not files:
        return
    claims: Table = Claim.__table__  # type: ignore[assignment]
    session.execute(
        delete(claims).where(
            claims.c.sha256 == bindparam("file_sha256"),
            claims.c.inbox_path == bindparam("file_path"),
            claims.c.run_id == claimant.run_id,
        ),
        [{"file_sha256": sha256, "file_path": path} for sha256, path in files],
    )


def release_all(session: Session, claimant: Claimant) -> None:
    session.execute(delete(Claim).where(Claim.run_id == claimant.run_id))
