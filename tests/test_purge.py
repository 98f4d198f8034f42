"""Retention (AVG, issue 10): `sroi purge --before DATE` removes personal fields and stored
originals of what ended before DATE, keeps the euro figures and the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.lines import audit, contract_lines
from flows.purge import purge
from flows.quarter import summary
from flows.workspace import opened
from ledger.audit import AuditAction
from ledger.schema import FileRecord, LineRecord, LineVersion
from sroi import app
from tests.builders import contract_row, placement, valid_bsns, write_register, write_submission

pytestmark = pytest.mark.slow
OLD, NEW = "TW-2020-001", "TW-2025-001"
BSN = valid_bsns(3, start=400_000_000)
LONG_AGO = datetime(2021, 9, 1, 12, 0)
QUARTERS = [Quarter(2020, 4), Quarter(2021, 2), Quarter(2021, 3), Quarter(2025, 3)]


def processed_home(root: Path) -> Home:
    """An old contract whose placements ended in 2021 (its files arrived then), and a running
    one with a person still at work; a file of long ago waits in quarantine."""
    home = Home(root)
    app.init_home(home)
    old = contract_row(OLD, Startdatum=date(2020, 1, 1), Einddatum=date(2022, 12, 31))
    write_register(home.root / "contracts.xlsx", [old, contract_row(NEW)])
    write_submission(
        home.inbox / OLD / "2021.xlsx",
        placements=[
            placement(BSN[0], Naam="Karel Appel", Startdatum=date(2020, 10, 1),
                      Einddatum=date(2021, 8, 31)),
            placement(BSN[1], Naam="Corneille Beverloo", Startdatum=date(2020, 11, 2),
                      Einddatum=date(2021, 6, 30)),
        ],
    )  # fmt: skip
    write_submission(
        home.inbox / NEW / "2025.xlsx",
        placements=[placement(BSN[2], Naam="Lucebert Swaanswijk", Startdatum=date(2025, 3, 3))],
    )
    (home.inbox / OLD / "kapot.xlsx").write_bytes(b"PK no workbook")
    ingest_inbox(home=str(home.root), as_of=date(2025, 10, 1))
    with opened(home) as workspace, workspace.ledger.transaction() as session:
        old_files = select(FileRecord.id).where(FileRecord.contract_id == OLD)
        session.execute(
            update(FileRecord)
            .where(FileRecord.contract_id == OLD)
            .values(received_at=LONG_AGO, processed_at=LONG_AGO)
        )
        session.execute(
            update(LineVersion)
            .where(LineVersion.file_id.in_(old_files))
            .values(received_at=LONG_AGO)
        )
    return home


def person_keys(home: Home, contract: str) -> set[str]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        query = select(LineRecord.person_key).where(LineRecord.contract_id == contract)
        return {key for key in session.scalars(query) if key}


def stored(home: Home) -> set[str]:
    return {
        path.relative_to(home.root).as_posix()
        for folder in (home.archive, home.quarantine, home.feedback)
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_purge_removes_what_ended_before_the_date_and_keeps_the_figures(
    tmp_path: Path, prefect_api: str
) -> None:
    home = processed_home(tmp_path / "home")
    figures = [summary(home, quarter) for quarter in QUARTERS]
    old_people, new_people = person_keys(home, OLD), person_keys(home, NEW)
    before = stored(home)
    assert {f"archive/{OLD}/2021.xlsx", f"quarantine/{OLD}/kapot.xlsx"} <= before

    report = purge(home, date(2023, 1, 1), "AVG-team")
    assert (report.people, report.files) == (2, 2)
    assert set(report.removed) == {
        f"archive/{OLD}/2021.xlsx",
        f"feedback/{OLD}/2021 - terugkoppeling.xlsx",
        f"quarantine/{OLD}/kapot.xlsx",
        f"quarantine/{OLD}/kapot.xlsx.reason.txt",
    }
    assert stored(home) == before - set(report.removed)
    assert [summary(home, quarter) for quarter in QUARTERS] == figures

    ledger_bytes = (home.root / "sroi.db").read_bytes()
    for gone in old_people | {"K.A.", "C.B."}:
        assert gone.encode() not in ledger_bytes
    assert person_keys(home, NEW) == new_people, "a person still at work keeps their pseudonym"
    assert all(key.startswith("verwijderd-") for key in person_keys(home, OLD))
    with opened(home) as workspace, workspace.ledger.reading() as session:
        assert all(
            record.purged_at is not None
            for record in session.scalars(select(FileRecord).where(FileRecord.contract_id == OLD))
        )
    rows = contract_lines(home, OLD, None, date(2025, 10, 1))[1]
    assert len(rows) == 2 and all("verwijderd" in row.subject for row in rows)

    (entry,) = [e for e in audit(home, None, None) if e.action is AuditAction.PURGED]
    assert entry.actor == "AVG-team"
    assert entry.detail["people"] == 2

    again = purge(home, date(2023, 1, 1), "AVG-team")
    assert (again.people, again.files, again.removed) == (0, 0, [])
