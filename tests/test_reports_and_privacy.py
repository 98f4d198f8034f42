"""Reports in Dutch (HTML and the PDF of the same HTML) and the privacy promise: no clear BSN
or full name in the ledger or the reports."""

from __future__ import annotations

import re
from datetime import date

import pdfplumber
import pytest

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import write_reports
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
BSN = valid_bsns(4)
NAMES = ("Willemijn Kuipers", "Mohammed Bouzid")


@pytest.fixture(scope="module")
def reported_home(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Home:
    home = Home(tmp_path_factory.mktemp("reports") / "home")
    app.init_home(home)
    joint = contract_row("TW-2025-001", Opdrachtnemer="Bouw & Zn <Oost> B.V.")
    write_register(
        home.root / "contracts.xlsx",
        [joint, contract_row("TW-2025-002")],
        participants=[("TW-2025-001", "Enschede", 60), ("TW-2025-001", "Hof van Twente", 40)],
    )
    write_submission(
        home.inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[
            placement(BSN[0], Naam=NAMES[0]),
            placement(BSN[1], Naam=NAMES[1], Doelgroep="WIA"),
        ],
        purchases=[purchase("F-1", **{"Bedrag excl. BTW": 1234.56})],
    )
    write_submission(home.inbox / "TW-2025-002" / "q2.xlsx", placements=[placement("123456789")])
    ingest_inbox(home=str(home.root), as_of=date(2025, 7, 1))
    write_reports(home, Quarter(2025, 2), date(2025, 7, 2))
    return home


def test_reports_per_contract_municipality_and_region(reported_home: Home) -> None:
    folder = reported_home.reports / "2025Q2"
    expected = {
        "contracts/TW-2025-001.html",
        "contracts/TW-2025-001.pdf",
        "contracts/TW-2025-002.html",
        "contracts/TW-2025-002.pdf",
        "gemeenten/Enschede.html",
        "gemeenten/Enschede.pdf",
        "gemeenten/Hof van Twente.html",
        "gemeenten/Hof van Twente.pdf",
        "regio.html",
        "regio.pdf",
        "index.html",
    }
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == expected


def test_contract_report_amounts_in_dutch_notation(reported_home: Home) -> None:
    html = (reported_home.reports / "2025Q2" / "contracts" / "TW-2025-001.html").read_text("utf-8")
    assert "€ 50.000,00" in html  # obligation
    assert "€ 1.234,56" in html  # the invoice line
    assert "01-01-2025 t/m 31-12-2026" in html
    assert "Bouw &amp; Zn &lt;Oost&gt; B.V." in html and "<Oost>" not in html
    assert "BSN is ongeldig" not in html  # that line belongs to the other contract


def test_pdf_is_the_same_report(reported_home: Home) -> None:
    pdf_path = reported_home.reports / "2025Q2" / "contracts" / "TW-2025-001.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "SROI-rapportage contract TW-2025-001" in text
    assert "€ 50.000,00" in text and "€ 1.234,56" in text


def test_municipality_report_uses_the_share(reported_home: Home) -> None:
    html = (reported_home.reports / "2025Q2" / "gemeenten" / "Hof van Twente.html").read_text(
        "utf-8"
    )
    assert "€ 20.000,00" in html  # 40% of the 50,000 obligation


def test_no_bsn_or_full_name_in_ledger_or_reports(reported_home: Home) -> None:
    stored = b"".join(p.read_bytes() for p in reported_home.root.glob("sroi.db*"))
    reports = b"".join(p.read_bytes() for p in reported_home.reports.rglob("*.html"))
    for secret in (*BSN[:2], "123456789", *NAMES):
        assert secret.encode() not in stored, secret
        assert secret.encode() not in reports, secret
    assert b"W.K." in reports  # initials are what remains


def test_templates_can_be_overridden_per_home(reported_home: Home) -> None:
    custom = reported_home.root / "report_templates"
    custom.mkdir(exist_ok=True)
    (custom / "region.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>Regio Twente {{ quarter_nl }}</h1>'
        "{{ figures.net_obligation | euro }}{% endblock %}",
        encoding="utf-8",
    )
    try:
        write_reports(reported_home, Quarter(2025, 2), date(2025, 7, 2))
        html = (reported_home.reports / "2025Q2" / "regio.html").read_text("utf-8")
        assert re.search(r"<h1>Regio Twente 2e kwartaal 2025</h1>\s*€ 100\.000,00", html)
    finally:
        (custom / "region.html").unlink()
