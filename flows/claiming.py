"""Claiming inbox files before work, so several runs split the inbox (INTERFACE.md section 5),
and keeping the run and its claims alive while it works."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from flows.filing import InboxFile, sha256_of
from flows.storing import ClaimedFile, RunContext
from ledger.claims import claim_files, release
from ledger.database import Ledger
from ledger.lines import now
from ledger.runs import HEARTBEAT_EVERY, Claimant, keep_alive


@dataclass
class Tally:
    """Inbox files this run did not get: another run has them, or they were gone."""

    taken_by_others: int = 0
    vanished: int = 0


def _arrived(files: Sequence[InboxFile], tally: Tally) -> list[ClaimedFile]:
    """The files still there, with their hash and arrival time."""
    present = []
    for file in files:
        received = file.received_at()
        try:
            sha256 = sha256_of(file.path)
        except FileNotFoundError:
            received = None
        if received is None:
            tally.vanished += 1  # another run finished it meanwhile
        else:
            present.append(ClaimedFile(file, sha256, received))
    return present


def claim(run: RunContext, files: Sequence[InboxFile], tally: Tally) -> list[ClaimedFile]:
    """The files of `files` this run may work on now, each claimed in the ledger."""
    present = _arrived(files, tally)
    with run.workspace.ledger.transaction() as session:
        wanted = [(candidate.sha256, candidate.file.relative) for candidate in present]
        got = claim_files(session, wanted, run.claimant, now=now())
    tally.taken_by_others += got.count(False)
    return [candidate for candidate, ours in zip(present, got, strict=True) if ours]


def release_claims(run: RunContext, files: Sequence[ClaimedFile]) -> None:
    if not files:
        return
    with run.workspace.ledger.transaction() as session:
        release(session, [(item.sha256, item.file.relative) for item in files], run.claimant)


@contextmanager
def kept_alive(ledger: Ledger, claimant: Claimant) -> Iterator[None]:
    """A heartbeat for the run and its claims every few seconds, from a thread of its own, so
    a file that takes long is not taken over by another run."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
            try:
                with ledger.transaction() as session:
                    keep_alive(session, claimant, now())
            except SQLAlchemyError:
                continue  # the database was busy or away; the next beat tries again

    thread = threading.Thread(target=beat, name="sroi-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
