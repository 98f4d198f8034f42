"""Claims on inbox files taken a chunk at a time (ledger.claims.claim_files): a file no run holds
is claimed at once, a file a live run holds is refused, a file of a run that stopped beating is
taken over, and a released file can be claimed again. And what a chunk asks the ledger once
about its files (ledger.files.known_files)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ledger.claims import claim_files, release
from ledger.database import Ledger, open_ledger
from ledger.files import FileOutcome, FileStatus, known_files, record_file
from ledger.runs import DEFAULT_TIMEOUT, Claimant, start_run
from ledger.schema import Claim

NOW = datetime(2026, 10, 15, 2, 0)
FIRST, SECOND, THIRD = (
    ("a" * 64, "x/eerste.xlsx"),
    ("b" * 64, "x/tweede.xlsx"),
    ("c" * 64, "y/derde.xlsx"),
)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    opened = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")
    yield opened
    opened.close()


def _run(ledger: Ledger) -> Claimant:
    with ledger.transaction() as session:
        return start_run(session, date(2026, 10, 15), "test", now=NOW)


def _claim(
    ledger: Ledger, files: list[tuple[str, str]], run: Claimant, at: datetime = NOW
) -> list[bool]:
    with ledger.transaction() as session:
        return claim_files(session, files, run, now=at)


def _holders(ledger: Ledger) -> dict[str, int]:
    with ledger.reading() as session:
        return {claim.inbox_path: claim.run_id for claim in session.scalars(select(Claim))}


def test_free_files_are_claimed_and_held_ones_refused(ledger: Ledger) -> None:
    first, second = _run(ledger), _run(ledger)
    assert _claim(ledger, [FIRST, SECOND], first) == [True, True]
    assert _claim(ledger, [FIRST, THIRD, SECOND], second) == [False, True, False]
    assert _claim(ledger, [FIRST], first) == [True], "a run's own claim stays its own"
    assert _holders(ledger) == {
        FIRST[1]: first.run_id,
        SECOND[1]: first.run_id,
        THIRD[1]: second.run_id,
    }


def test_a_claim_of_a_run_that_stopped_beating_is_taken_over(ledger: Ledger) -> None:
    stopped, later = _run(ledger), _run(ledger)
    assert _claim(ledger, [FIRST, SECOND], stopped) == [True, True]
    with ledger.transaction() as session:  # the stopped run was on another machine
        session.execute(update(Claim).values(host="elders"))
    after_timeout = NOW + DEFAULT_TIMEOUT + timedelta(seconds=1)
    assert _claim(ledger, [SECOND, THIRD], later, after_timeout) == [True, True]
    assert _holders(ledger)[SECOND[1]] == later.run_id
    assert _holders(ledger)[FIRST[1]] == stopped.run_id


def test_a_released_file_can_be_claimed_by_another_run(ledger: Ledger) -> None:
    first, second = _run(ledger), _run(ledger)
    _claim(ledger, [FIRST, SECOND], first)
    with ledger.transaction() as session:
        release(session, [FIRST], first)
        release(session, [SECOND], second)  # not its claim: nothing happens
    assert _holders(ledger) == {SECOND[1]: first.run_id}
    assert _claim(ledger, [FIRST, SECOND], second) == [True, False]


def _record(ledger: Ledger, sha256: str, inbox_path: str, status: FileStatus) -> None:
    outcome = FileOutcome(
        sha256=sha256,
        original_name=Path(inbox_path).name,
        inbox_path=inbox_path,
        contract_id=None,
        kind="workbook",
        status=status,
        reason=None,
        stored_path=f"quarantine/{inbox_path}",
        size_bytes=1,
    )
    with ledger.transaction() as session:
        record_file(session, outcome, None)


def test_a_chunk_knows_which_files_the_ledger_may_hold(ledger: Ledger) -> None:
    """What store_files asks once per chunk: a file outside it needs no query per file."""
    _record(ledger, FIRST[0], FIRST[1], FileStatus.QUARANTINED)
    _record(ledger, SECOND[0], "elders/tweede.xlsx", FileStatus.ARCHIVED)
    with ledger.reading() as session:
        known = known_files(session, {FIRST[0], SECOND[0], THIRD[0]}, {FIRST[1], THIRD[1]})
    assert known.may_be_recorded(FIRST[0]) and known.may_be_recorded(SECOND[0])
    assert not known.may_be_recorded(THIRD[0])
    assert known.may_replace_quarantined(FIRST[1], None)
    assert known.may_replace_quarantined("z/elders.xlsx", FIRST[0])
    assert not known.may_replace_quarantined(THIRD[1], THIRD[0])
    known.note(THIRD[0], THIRD[1], open_quarantine=True)  # quarantined earlier in the chunk
    assert known.may_be_recorded(THIRD[0])
    assert known.may_replace_quarantined(THIRD[1], None)
