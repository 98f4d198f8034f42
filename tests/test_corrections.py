"""A coordinator's ordinary quarter of corrections (INTERFACE.md section 5): cumulative lists,
corrected rows, misfiled files, a corrected register, files that had to wait in quarantine."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import RunReport, ingest_inbox
from flows.lines import LineRow, audit, contract_lines, retract
from flows.quarter import summary
from ledger.audit import AuditAction
from ledger.files import FileStatus
from sroi import app
from tests.builders import (
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_invoice_pdf,
    write_register,
    write_submission,
)
from validators.lines import LineStatus

pytestmark = pytest.mark.slow
TW = "TW-2025-001"
BSN = valid_bsns(5)


def new_home(root: Path, *contracts: dict[str, Any]) -> Home:
    home = Home(root)
    app.init_home(home)
    write_register(home.root / "contracts.xlsx", list(contracts) or [contract_row(TW)])
    return home


def run(home: Home, as_of: date) -> RunReport:
    return ingest_inbox(home=str(home.root), as_of=as_of)


def lines(home: Home, contract: str = TW) -> list[LineRow]:
    return contract_lines(home, contract, None, date(2025, 10, 1))[1]


FIRST_PLACEMENTS = [
    placement(BSN[0]),
    placement(BSN[1], Doelgroep="Herintreder", Startdatum=date(2025, 2, 3)),
    placement("123456789", Naam="Karin Jansen", Geboortedatum=date(1985, 3, 3),
              Startdatum=date(2025, 3, 1)),
]  # fmt: skip
FIRST_PURCHASES = [
    purchase("F-1", Factuurdatum=date(2025, 3, 12)),
    purchase("F-2", Factuurdatum=date(2025, 3, 20), **{"Bedrag excl. BTW": 800}),
]
FINAL_PLACEMENTS = [
    placement(BSN[0]),
    placement(BSN[1], Doelgroep="Wajong", Startdatum=date(2025, 2, 3)),
    placement(BSN[2], Naam="Karin Jansen", Geboortedatum=date(1985, 3, 3),
              Startdatum=date(2025, 3, 1)),
    placement(BSN[3], Startdatum=date(2025, 5, 5)),
]  # fmt: skip
FINAL_PURCHASES = [
    purchase("F-1", Factuurdatum=date(2025, 3, 12)),
    purchase("F-2", Factuurdatum=date(2025, 3, 20), **{"Bedrag excl. BTW": 850}),
    purchase("F-3", Factuurdatum=date(2025, 6, 2)),
]


def test_a_cumulative_list_with_corrections(tmp_path: Path, prefect_api: str) -> None:
    home = new_home(tmp_path / "home")
    write_submission(
        home.inbox / TW / "Q1.xlsx",
        contract_id=TW,
        placements=FIRST_PLACEMENTS,
        purchases=FIRST_PURCHASES,
    )
    (first,) = run(home, date(2025, 4, 15)).files
    assert (first.accepted, first.rejected, first.pending) == (3, 2, 0)
    before = [line.line_id for line in lines(home)]

    write_submission(
        home.inbox / TW / "Q2.xlsx",
        contract_id=TW,
        placements=FINAL_PLACEMENTS,
        purchases=FINAL_PURCHASES,
    )
    (second,) = run(home, date(2025, 7, 15)).files

    # P1 and F-1 unchanged; two corrected rows, a new person, a changed and a new invoice
    assert (second.accepted, second.rejected, second.pending, second.unchanged) == (5, 0, 0, 2)
    after = lines(home)
    assert all(line.status is LineStatus.ACCEPTED for line in after)
    assert len(after) == 7
    assert [line.line_id for line in after][:5] == before  # every line keeps its id
    versions = {line.line_id: line.version for line in after}
    assert sorted(versions.values()) == [1, 1, 1, 1, 2, 2, 2]  # P2, P3 and F-2 have a history
    changed = next(line for line in after if line.subject.startswith("factuur F-2"))
    assert (changed.version, changed.value_to_date) == (2, 850)

    document = summary(home, Quarter(2025, 3))
    assert document["contracts"][0]["lines"] == {"accepted": 7, "rejected": 0, "pending": 0}

    # the same final list, sent once to a new home, gives the same figures
    single = new_home(tmp_path / "once")
    write_submission(
        single.inbox / TW / "Q2.xlsx",
        contract_id=TW,
        placements=FINAL_PLACEMENTS,
        purchases=FINAL_PURCHASES,
    )
    run(single, date(2025, 7, 15))
    once = summary(single, Quarter(2025, 3))
    assert {**once, "files": None} == {**document, "files": None}

    feedback = load_workbook(home.feedback / TW / "Q2 - terugkoppeling.xlsx")["Plaatsingen"]
    statuses = [feedback.cell(row, 16).value for row in range(6, 10)]
    assert statuses == ["ongewijzigd (geaccepteerd)", *["geaccepteerd"] * 3]


def test_a_re_sent_rejected_row_stays_one_rejected_line(tmp_path: Path, prefect_api: str) -> None:
    home = new_home(tmp_path / "home")
    wrong = [placement("123456789")]
    write_submission(home.inbox / TW / "Q1.xlsx", contract_id=TW, placements=wrong)
    run(home, date(2025, 4, 15))
    write_submission(home.inbox / TW / "Q2.xlsx", contract_id=TW, placements=wrong)
    (again,) = run(home, date(2025, 7, 15)).files
    assert (again.rejected, again.unchanged) == (0, 1)
    assert [line.status for line in lines(home)] == [LineStatus.REJECTED]


def test_a_misfiled_invoice_is_retracted_and_dropped_again(
    tmp_path: Path, prefect_api: str
) -> None:
    other = "TW-2025-002"
    home = new_home(tmp_path / "home", contract_row(TW), contract_row(other))
    invoice = write_invoice_pdf(
        tmp_path / "factuur WSW-88.pdf",
        number="WSW-88",
        day="03-06-2025",
        excl="2.000,00",
        vat="420,00",
        total="2.420,00",
    )
    (home.inbox / other).mkdir()
    shutil.copy(invoice, home.inbox / other / invoice.name)  # the wrong folder
    (misfiled,) = run(home, date(2025, 7, 1)).files
    assert [line.value_to_date for line in lines(home, other)] == [2000]

    shutil.copy(invoice, home.inbox / other / invoice.name)  # same bytes, same contract
    (duplicate,) = run(home, date(2025, 7, 1)).files
    assert duplicate.status is FileStatus.DUPLICATE

    assert misfiled.file_id is not None
    retraction = retract(home, misfiled.file_id, "M. de Boer", "verkeerde map")
    assert len(retraction.withdrawn) == 1
    assert lines(home, other) == []
    assert (home.archive / other / invoice.name).is_file()  # the original stays

    (home.inbox / TW).mkdir()
    shutil.copy(invoice, home.inbox / TW / invoice.name)  # same bytes, the right contract
    (right,) = run(home, date(2025, 7, 1)).files
    assert (right.status, right.accepted) == (FileStatus.ARCHIVED, 1)
    assert [line.value_to_date for line in lines(home)] == [2000]
    processed, entry = audit(home, other, None)
    assert (processed.action, processed.file_id) == (AuditAction.PROCESSED, misfiled.file_id)
    assert (entry.action, entry.actor, entry.file_id) == (
        AuditAction.RETRACTED,
        "M. de Boer",
        misfiled.file_id,
    )
    assert entry.detail["reason"] == "verkeerde map"


def test_a_corrected_contract_period_checks_the_stored_lines_again(
    tmp_path: Path, prefect_api: str
) -> None:
    registered = contract_row(TW, Startdatum=date(2026, 3, 1), Einddatum=date(2028, 2, 28))
    home = new_home(tmp_path / "home", registered)
    early = [purchase("F-1", Factuurdatum=date(2026, 1, 15))]
    write_submission(home.inbox / TW / "Q1.xlsx", contract_id=TW, purchases=early)
    run(home, date(2026, 4, 15))
    (line,) = contract_lines(home, TW, None, date(2026, 4, 15))[1]
    assert line.reasons == (
        "factuurdatum 15-01-2026 valt buiten de contractperiode (01-03-2026 t/m 28-02-2028)",
    )

    corrected = contract_row(TW, Startdatum=date(2026, 1, 1), Einddatum=date(2028, 2, 28))
    write_register(home.root / "contracts.xlsx", [corrected])
    report = run(home, date(2026, 4, 16))

    assert [(r.contract_id, r.files, r.lines, r.changed) for r in report.rechecks] == [
        (TW, 1, 1, 1)
    ]
    (again,) = contract_lines(home, TW, None, date(2026, 4, 16))[1]
    assert (again.line_id, again.version, again.status) == (line.line_id, 2, LineStatus.ACCEPTED)
    assert again.value_to_date == 1250.5
    assert [entry.action for entry in audit(home, TW, None)] == [
        AuditAction.PROCESSED,
        AuditAction.RECHECKED,
    ]
    quiet = run(home, date(2026, 4, 17))
    assert quiet.rechecks == []


def test_quarantine_keeps_where_a_file_came_from_and_a_retry_clears_it(
    tmp_path: Path, prefect_api: str
) -> None:
    home = new_home(tmp_path / "home")
    for number, folder in enumerate(("XX-1", "XX-2")):
        write_submission(home.inbox / folder / "SROI.xlsx", placements=[placement(BSN[number])])
    run(home, date(2025, 7, 1))
    for folder in ("XX-1", "XX-2"):
        note = (home.quarantine / folder / "SROI.xlsx.reason.txt").read_text(encoding="utf-8")
        assert note.splitlines()[:2] == [
            f"Reden: onbekend contract: map '{folder}' staat niet (geldig) in het contractregister",
            f"Oorspronkelijke plaats: inbox/{folder}/SROI.xlsx",
        ]

    # the contract is added to the register; the coordinator puts the file back
    write_register(home.root / "contracts.xlsx", [contract_row(TW), contract_row("XX-1")])
    shutil.move(home.quarantine / "XX-1" / "SROI.xlsx", home.inbox / "XX-1" / "SROI.xlsx")
    (retried,) = run(home, date(2025, 7, 2)).files
    assert retried.status is FileStatus.ARCHIVED
    assert not (home.quarantine / "XX-1").exists()  # the old reason went with it
    assert (home.quarantine / "XX-2" / "SROI.xlsx").is_file()
