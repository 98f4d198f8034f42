"""Claims on inbox files, so that several runs (on one machine or on several sharing the inbox
and the ledger) split the files between them and each file is handled exactly once
(INTERFACE.md section 5). A claim is taken over when its run stopped sending heartbeats, or at
once when its process on this machine is gone (killed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.runs import DEFAULT_TIMEOUT, Claimant, is_abandoned
from ledger.schema import Claim


def _new_claim(
    session: Session, sha256: str, inbox_path: str, claimant: Claimant, now: datetime
) -> bool:
    try:
        with session.begin_nested():
            session.add(
                Claim(
                    sha256=sha256,
                    inbox_path=inbox_path,
                    run_id=claimant.run_id,
                    host=claimant.host,
                    pid=claimant.pid,
                    claimed_at=now,
                    heartbeat_at=now,
                )
            )
    except IntegrityError:
        return False  # another run claimed it just now
    return True


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
        return _new_claim(session, sha256, inbox_path, claimant, now)
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


def release(session: Session, sha256: str, inbox_path: str, claimant: Claimant) -> None:
    session.execute(
        delete(Claim).where(
            Claim.sha256 == sha256,
            Claim.inbox_path == inbox_path,
            Claim.run_id == claimant.run_id,
        )
    )


def release_all(session: Session, claimant: Claimant) -> None:
    session.execute(delete(Claim).where(Claim.run_id == claimant.run_id))
