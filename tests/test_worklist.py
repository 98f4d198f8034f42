"""`sroi worklist` (issue 12) on the demo home, run as of the demo's date: the pending lines
with their stable ids, the files in quarantine with their reasons, contracts without a
submission, contracts behind schedule; first things first. `sroi approve` takes an id from it
and the id stays the same; the region report carries the same list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pdfplumber
import pytest

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import write_reports
from reporting.worklist import FailedMail, WorkKind, build_worklist
from rulesets.catalog import load_catalog
from sroi import app
from sroi.demo_data import DEMO_AS_OF, DEMO_QUARTER
from tests.builders import make_contract
from tests.cli import sroi
from valuation.portfolio import value_portfolio

MVO_APPROVAL = (
    "wacht op goedkeuring: blok 15 (MVO-activiteiten) vereist goedkeuring (kolom "
    "'Goedgekeurd door' of sroi approve)"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Iterator[Home]:
    """`sroi init --demo`, processed as of the demo's date."""
    home = Home(tmp_path_factory.mktemp("worklist") / "home")
    app.init_demo_home(home)
    ingest_inbox(home=str(home.root), as_of=DEMO_AS_OF)
    yield home


def worklist(home: Home, api: str, day: date = DEMO_AS_OF) -> dict[str, Any]:
    result = sroi("worklist", "--home", str(home.root), "--as-of", day.isoformat(), "--json",
                  api=api, cwd=home.root)  # fmt: skip
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def of_kind(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item for item in document["items"] if item["kind"] == kind]


@pytest.mark.slow
def test_the_worklist_of_the_demo_home_first_things_first(demo: Home, prefect_api: str) -> None:
    document = worklist(demo, prefect_api)
    assert document["quarter"] == str(DEMO_QUARTER) and document["as_of"] == "2026-10-15"

    quarantined = of_kind(document, "quarantined_file")
    assert [(item["file_id"], item["contract_id"]) for item in quarantined] == [
        (4, "DUO-2025-008"), (12, "TW-2025-030"), (14, None),
    ]  # fmt: skip
    assert quarantined[0]["what"].startswith("DUO-2025-008/leeg.xlsx")
    assert quarantined[0]["reason"].startswith("geen blad met plaatsingen, inkoop of MVO-uren")
    assert quarantined[1]["reason"] == "het bestand is geen geldig Excel-bestand, al heet het .xlsx"
    assert quarantined[2]["reason"].startswith("onbekend contract: map 'XX-2026-999'")

    pending = of_kind(document, "pending_line")
    assert [(item["line_id"], item["contract_id"]) for item in pending] == [
        (38, "TW-2026-003"), (39, "TW-2026-003"), (40, "TW-2026-003"),
    ]  # fmt: skip
    assert {item["reason"] for item in pending} == {MVO_APPROVAL}
    assert pending[0]["what"].startswith("Gastles schoonmaakvak op het VSO (6 uur, 16-04-2026)")

    behind = of_kind(document, "behind_schedule")
    assert [item["contract_id"] for item in behind] == ["TW-2025-017", "DUO-2025-008",
                                                        "TW-2025-030"]  # fmt: skip
    assert behind[0]["reason"].startswith("achter op schema: ")
    # Every running contract sent a file that reported on 2026Q3 (as the municipality reports
    # say: "Alle lopende contracten hebben voor dit kwartaal aangeleverd").
    assert of_kind(document, "no_submission") == []
    kinds = [item["kind"] for item in document["items"]]
    assert kinds == sorted(kinds, key=[kind.value for kind in WorkKind].index), "first first"

    text = sroi("worklist", "--home", str(demo.root), "--as-of", "15-10-2026",
                api=prefect_api, cwd=demo.root)  # fmt: skip
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "worklist of 2026Q3 as of 15-10-2026: 9 items"
    assert lines[1].split()[:3] == ["quarantined", "file", "4"]
    assert any(line.split()[:4] == ["pending", "line", "line", "38"] for line in lines)


@pytest.mark.slow
def test_approve_an_id_from_the_worklist_and_it_stays(demo: Home, prefect_api: str) -> None:
    before = of_kind(worklist(demo, prefect_api), "pending_line")
    line_id = before[0]["line_id"]
    approved = sroi("approve", str(line_id), "--by", "M. de Boer", "--home", str(demo.root),
                    api=prefect_api, cwd=demo.root)  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    assert f"line {line_id} approved by M. de Boer: geaccepteerd" in approved.stdout

    after = of_kind(worklist(demo, prefect_api), "pending_line")
    assert [item["line_id"] for item in after] == [item["line_id"] for item in before[1:]]
    lines = sroi("lines", "--contract", "TW-2026-003", "--csv", "--home", str(demo.root),
                 api=prefect_api, cwd=demo.root)  # fmt: skip
    row = next(r for r in lines.stdout.splitlines() if r.startswith(f"{line_id},"))
    assert ",accepted,geaccepteerd," in row and "M. de Boer" in row, "the same id, approved"


@pytest.mark.slow
def test_a_contract_whose_only_file_was_retracted_has_no_submission(
    demo: Home, prefect_api: str
) -> None:
    retracted = sroi("retract", "9", "--by", "M. de Boer", "--reason", "verkeerde map",
                     "--home", str(demo.root), api=prefect_api, cwd=demo.root)  # fmt: skip
    assert retracted.returncode == 0, retracted.stderr
    silent = of_kind(worklist(demo, prefect_api), "no_submission")
    assert [(item["contract_id"], item["what"]) for item in silent] == [
        ("TW-2025-017", "Bouwcombinatie Noordhorst B.V.")
    ]
    assert silent[0]["reason"] == (
        "geen aanlevering ontvangen voor het 3e kwartaal 2026; geen e-mailadres in het "
        "contractregister voor een herinnering"
    )
    # In the next quarter nobody has sent anything yet: every contract running in it.
    later = of_kind(worklist(demo, prefect_api, date(2027, 1, 20)), "no_submission")
    assert [item["contract_id"] for item in later] == [
        "DUO-2025-003", "DUO-2025-008", "TW-2025-014", "TW-2025-017", "TW-2025-021",
        "TW-2025-030", "TW-2026-003",
    ]  # fmt: skip


@pytest.mark.slow
def test_the_region_report_carries_the_worklist(demo: Home) -> None:
    write_reports(demo, DEMO_QUARTER, DEMO_AS_OF)
    folder = demo.reports / str(DEMO_QUARTER)
    html = (folder / "regio.html").read_text(encoding="utf-8")
    assert "Werklijst: wat nu aandacht vraagt" in html
    section = html[html.index("Werklijst: wat nu aandacht vraagt") :]
    rows = [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr><td>.*?</tr>", section, flags=re.DOTALL)
    ]
    assert [row[:3] for row in rows[:6]] == [
        ["bestand in quarantaine", "DUO-2025-008", "bestand 4"],
        ["bestand in quarantaine", "TW-2025-030", "bestand 12"],
        ["bestand in quarantaine", "", "bestand 14"],
        ["regel wacht op goedkeuring", "TW-2026-003", "regel 39"],
        ["regel wacht op goedkeuring", "TW-2026-003", "regel 40"],
        ["geen aanlevering", "TW-2025-017", ""],
    ]
    assert ["vraagt een gesprek", "TW-2025-017", ""] in [row[:3] for row in rows[6:]]
    with pdfplumber.open(folder / "regio.pdf") as pdf:
        text = " ".join(" ".join(page.extract_text() or "" for page in pdf.pages).split())
    printed = text[text.index("Werklijst: wat nu aandacht vraagt") :]
    order = [printed.index(token) for token in ("bestand 4", "bestand 12", "bestand 14",
             "regel 39", "regel 40", "geen aanlevering ontvangen")]  # fmt: skip
    assert order == sorted(order), "the PDF lists them in the worklist's order"


def test_failed_mail_comes_after_the_lines_and_before_the_contracts() -> None:
    behind = make_contract("TW-1", start_date=date(2025, 1, 1), end_date=date(2026, 12, 31))
    portfolio = value_portfolio([behind], load_catalog(), [], Quarter(2025, 3))
    failed = FailedMail(7, "rapportage gemeente", "SROI-rapportage 3e kwartaal 2025",
                        ("a@b.example",), None, 2, "SMTP-server x:25 niet bereikbaar",
                        datetime(2025, 10, 20, 7, 0))  # fmt: skip
    listed = build_worklist(
        portfolio, [], quarantined=[], failed_mail=[failed], submitted=frozenset(),
        reminded={}, as_of=date(2025, 10, 20),
    )  # fmt: skip
    assert [item.kind for item in listed.items] == [
        WorkKind.FAILED_MAIL, WorkKind.NO_SUBMISSION, WorkKind.BEHIND_SCHEDULE,
    ]  # fmt: skip
    assert listed.items[0].message_id == 7
    assert listed.items[0].reason == (
        "SMTP-server x:25 niet bereikbaar (2 pogingen; de volgende mailronde probeert het opnieuw)"
    )
    assert listed.items[2].amount == Decimal(50_000)
    during = build_worklist(
        portfolio, [], quarantined=[], failed_mail=[], submitted=frozenset(), reminded={},
        as_of=date(2025, 9, 30),
    )  # fmt: skip
    assert WorkKind.NO_SUBMISSION not in {item.kind for item in during.items}, "not yet due"
