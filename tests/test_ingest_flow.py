"""The ingest flow end to end through Prefect, on workbooks built like real submissions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import summary
from ledger.database import open_ledger
from ledger.files import FileStatus, file_counts
from ledger.lines import current_versions, line_history
from sroi import app
from tests.builders import (
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
)

pytestmark = pytest.mark.slow
BSN = valid_bsns(6)


@pytest.fixture
def home(tmp_path: Path, prefect_api: str) -> Iterator[Home]:
    home = Home(tmp_path / "home")
    app.init_home(home)
    write_register(
        home.root / "contracts.xlsx",
        [
            contract_row("TW-2025-001"),
            contract_row(
                "DUO-2025-002", Gemeente="Diemen", Opdrachtsom=400_000, Regeling="duoplus"
            ),
        ],
    )
    yield home


def run(
    home: Home, as_of: date = date(2025, 7, 15)
) -> list[tuple[str, FileStatus | None, str | None]]:
    report = ingest_inbox(home=str(home.root), as_of=as_of)
    return [(result.inbox_path, result.status, result.reason) for result in report.files]


def inbox_files(home: Home) -> list[Path]:
    return sorted(path for path in home.inbox.rglob("*") if path.is_file())


def placed_files(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")
    )


def reason_note(home: Home, folder: str, name: str) -> list[str]:
    return (
        (home.quarantine / folder / f"{name}.reason.txt").read_text(encoding="utf-8").splitlines()
    )


def reason_of(home: Home, folder: str, name: str) -> str:
    first = reason_note(home, folder, name)[0]
    assert first.startswith("Reden: ")
    return first.removeprefix("Reden: ")


def test_every_inbox_file_ends_in_archive_or_quarantine_with_a_dutch_reason(home: Home) -> None:
    inbox = home.inbox
    write_submission(
        inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0]), placement("123456789")],
    )
    write_submission(inbox / "TW-2025-001" / "leeg.xlsx", contract_id="TW-2025-001")
    (inbox / "TW-2025-001" / "kapot.xlsx").write_bytes(b"PK\x03\x04\x14\x00garbage")
    write_submission(inbox / "XX-2025-999" / "q2.xlsx", placements=[placement(BSN[1])])
    write_submission(
        inbox / "van-mail.xlsx",
        contract_id="DUO-2025-002",
        purchases=[purchase("F-1", **{"Goedgekeurd door": "M. de Boer"})],
    )
    write_submission(inbox / "zonder-contract.xlsx", placements=[placement(BSN[2])])
    write_submission(
        inbox / "TW-2025-001" / "ander-contract.xlsx",
        contract_id="DUO-2025-002",
        placements=[placement(BSN[3])],
    )
    (inbox / "TW-2025-001" / "brief.docx").write_bytes(b"PK\x03\x04 word")
    before = len(inbox_files(home))

    results = run(home)

    assert inbox_files(home) == []
    archived = placed_files(home.archive)
    quarantined = placed_files(home.quarantine)
    assert len(archived) + len(quarantined) == before == len(results)
    assert sorted(archived) == ["q2.xlsx", "van-mail.xlsx"]
    assert reason_of(home, "TW-2025-001", "leeg.xlsx") == (
        "blad 'Plaatsingen': kopregel niet gevonden in de eerste 20 rijen (verwacht o.a.: "
        "Doelgroep, Startdatum); gebruik de kolomkoppen uit het sjabloon"
    )
    assert reason_of(home, "TW-2025-001", "kapot.xlsx") == (
        "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen"
    )
    assert reason_of(home, "XX-2025-999", "q2.xlsx") == (
        "onbekend contract: map 'XX-2025-999' staat niet (geldig) in het contractregister"
    )
    assert reason_of(home, "inbox", "zonder-contract.xlsx") == (
        "onbekend contract: zet het bestand in inbox/<contractnummer>/, vul de cel "
        "'Contractnummer' in of noem het contractnummer in de bestandsnaam"
    )
    assert reason_of(home, "TW-2025-001", "ander-contract.xlsx") == (
        "contractnummer in het bestand (DUO-2025-002) wijkt af van de map (TW-2025-001)"
    )
    assert reason_of(home, "TW-2025-001", "brief.docx") == (
        "bestandstype '.docx' wordt niet verwerkt; lever Excel (.xlsx, .xlsm, .xls, .ods) of "
        "PDF-facturen aan"
    )
    note = reason_note(home, "TW-2025-001", "kapot.xlsx")
    assert note[1:] == [
        "Oorspronkelijke plaats: inbox/TW-2025-001/kapot.xlsx",
        note[2],
        "Verwerking: run 1",
    ]
    assert note[2].startswith("Verwerkt op: ") and note[2].endswith(" (UTC)")
    assert (home.archive / "TW-2025-001" / "q2.xlsx").is_file()
    assert (home.archive / "DUO-2025-002" / "van-mail.xlsx").is_file()

    document = summary(home, Quarter(2025, 2))
    lines = {c["contract_id"]: c["lines"] for c in document["contracts"]}
    assert lines["TW-2025-001"] == {"accepted": 1, "rejected": 1, "pending": 0}
    assert lines["DUO-2025-002"] == {"accepted": 0, "rejected": 0, "pending": 1}
    assert document["files"] == {"archived": 2, "duplicates": 0, "quarantined": 6}


def test_the_same_file_twice_has_no_effect(home: Home) -> None:
    first = write_submission(
        home.inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0])],
    )
    spare = home.root / "kopie.xlsx"
    shutil.copy(first, spare)
    run(home)
    before = summary(home, Quarter(2025, 2))

    shutil.copy(spare, home.inbox / "TW-2025-001" / "q2-nogmaals.xlsx")
    shutil.copy(spare, home.inbox / "q2.xlsx")
    results = run(home)

    assert [status for _, status, _ in results] == ["duplicate", "duplicate"]
    after = summary(home, Quarter(2025, 2))
    assert after["contracts"] == before["contracts"]
    assert after["files"] == {"archived": 1, "duplicates": 2, "quarantined": 0}
    assert inbox_files(home) == []
    assert len(list((home.archive / "TW-2025-001" / "duplicaten").iterdir())) == 2


def test_the_same_bytes_three_times_in_one_run(home: Home) -> None:
    """Within one chunk: a copy in an unknown folder is quarantined, the same bytes in the
    contract's folder are archived and clear that quarantine, a third copy is a duplicate (the
    chunk's one question to the ledger must not hide its own files from each other)."""
    spare = write_submission(
        home.root / "q2.xlsx", contract_id="TW-2025-001", placements=[placement(BSN[0])]
    )
    for place in ("AAA-999/q2.xlsx", "TW-2025-001/q2-nogmaals.xlsx", "TW-2025-001/q2.xlsx"):
        (home.inbox / place).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(spare, home.inbox / place)

    results = run(home)

    assert [(path, status) for path, status, _ in results] == [
        ("AAA-999/q2.xlsx", FileStatus.QUARANTINED),
        ("TW-2025-001/q2-nogmaals.xlsx", FileStatus.ARCHIVED),
        ("TW-2025-001/q2.xlsx", FileStatus.DUPLICATE),
    ]
    assert not (home.quarantine / "AAA-999" / "q2.xlsx").exists(), "cleared by the archived copy"
    assert inbox_files(home) == []
    assert summary(home, Quarter(2025, 2))["files"] == {
        "archived": 1,
        "duplicates": 1,
        "quarantined": 1,
    }


def test_a_resubmitted_placement_updates_its_end_date_and_keeps_history(home: Home) -> None:
    folder = home.inbox / "TW-2025-001"
    write_submission(folder / "q1.xlsx", contract_id="TW-2025-001", placements=[placement(BSN[0])])
    run(home, date(2025, 4, 15))
    write_submission(
        folder / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0], Einddatum=date(2025, 3, 31)), placement(BSN[1])],
    )
    run(home)

    ledger = open_ledger(home.ledger_url(home.load_settings()))
    with ledger.reading() as session:
        current = current_versions(session, "TW-2025-001")
        assert len(current) == 2
        updated = next(version for version in current if version.version == 2)
        versions = line_history(session, updated.line_id)
        assert [v.facts["end_date"] if v.facts else None for v in versions] == [None, "2025-03-31"]
        assert {v.line_id for v in versions} == {updated.line_id}  # one id for its whole life
    ledger.close()
    document = summary(home, Quarter(2025, 3))
    figures = document["contracts"][1]
    # first person: 2025-02-01..03-31 (59 days); second: 2025-02-01..09-30 (242 days), block 2
    assert figures["realized_to_date"] == round(40000 * 59 / 365 + 40000 * 242 / 365, 2)


def test_a_failure_while_storing_leaves_nothing_counted_and_the_file_in_the_inbox(
    home: Home,
) -> None:
    write_submission(
        home.inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0])],
    )
    home.archive.mkdir(exist_ok=True)
    (home.archive / "TW-2025-001").write_text("not a folder: the archive copy must fail")

    ((path, status, reason),) = run(home)

    assert (path, status) == ("TW-2025-001/q2.xlsx", None)
    assert (reason or "").startswith("blijft in de inbox: ")
    assert "archive/TW-2025-001" in (reason or "")
    ledger = open_ledger(home.ledger_url(home.load_settings()))
    with ledger.reading() as session:
        assert current_versions(session) == []
        assert file_counts(session) == {"archived": 0, "duplicates": 0, "quarantined": 0}
    ledger.close()
    assert [p.name for p in inbox_files(home)] == ["q2.xlsx"]  # processed again next run


def test_each_archived_workbook_gets_an_annotated_copy_for_the_contractor(home: Home) -> None:
    write_submission(
        home.inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0]), placement("123456789")],
    )
    (home.inbox / "TW-2025-001" / "kapot.xlsx").write_bytes(b"PK\x03\x04 kapot")
    run(home, date(2025, 7, 15))
    feedback = home.feedback / "TW-2025-001"
    assert sorted(p.name for p in feedback.iterdir()) == ["q2 - terugkoppeling.xlsx"]
    workbook = load_workbook(feedback / "q2 - terugkoppeling.xlsx")
    sheet = workbook["Plaatsingen"]
    status_column = next(c.column for c in sheet[5] if c.value == "Status")
    assert sheet.cell(6, status_column).value == "geaccepteerd"
    assert sheet.cell(7, status_column).value == "afgewezen"
    assert sheet.cell(7, status_column + 1).value == "BSN is ongeldig (elfproef mislukt)"
    rows = workbook["Samenvatting"].iter_rows(values_only=True)
    summary = {row[0]: row[1] for row in rows if row[0]}
    assert summary["Kwartaal"] == "2e kwartaal 2025"
    assert summary["Geaccepteerd"] == 1 and summary["Afgewezen"] == 1
    assert summary["Waarde dit kwartaal"] == pytest.approx(40000 * 91 / 365, abs=0.01)  # Q2 only
