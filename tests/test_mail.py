"""Mail (issue 12): `sroi mail` sends each municipality its reports, the region its report, each
contractor its feedback and a reminder with the blank template, through a real SMTP server on
127.0.0.1 (STARTTLS, AUTH LOGIN) that the test starts; the messages are read back. A second run
sends nothing new, a failed send (server down) is recorded, shown in the worklist and sent by
the next run, and --dry-run sends nothing. The scheduled runs (quarterly, nightly) mail too."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain.dutch import euro, number_nl
from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.nightly import nightly_run
from flows.quarter import summary
from flows.quarterly import quarterly_run
from flows.workspace import opened
from ledger.schema import MailRecord
from tests.builders import (
    REGISTER_HEADERS,
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
)
from tests.cli import sroi
from tests.smtp_server import (
    HOST,
    PASSWORD,
    USERNAME,
    Inbox,
    Received,
    free_port,
    self_signed_certificate,
    smtp_server,
)

pytestmark = pytest.mark.slow

QUARTER = Quarter(2025, 3)
RUN_DAY = date(2025, 10, 10)
MAIL_DAY = date(2025, 10, 20)
"""After the reminder day (15 days after 30-09-2025)."""
PASSWORD_VARIABLE = "SROI_TEST_SMTP_PASSWORD"
SENDER = "SROI-team Twente <sroi@twente.example>"
PEOPLE = valid_bsns(4, start=200_000_000)
NAMES = ("Jan de Vries", "Fatma Yilmaz", "Kees Brink", "Noor Haddou")
ENSCHEDE = ("manager.sroi@enschede.example", "wethouder@enschede.example")
HENGELO = ("sroi@hengelo.example",)
REGION = ("regio@twente.example",)
CONTRACTOR = {
    "TW-2025-001": "info@terhorst.example",
    "TW-2025-002": "sroi@bouwmij.example",
    "TW-2025-003": "planning@groenwerk.example",
}


def write_home(root: Path, port: int, *, municipalities: bool = True) -> Home:
    """Three contracts: 001 (Enschede) and 002 (Hengelo 60%, Enschede 40%) send files, 003
    (Enschede) sends nothing; every contractor has an address."""
    rows = [
        contract_row("TW-2025-001", **{"E-mail": CONTRACTOR["TW-2025-001"]}),
        contract_row("TW-2025-002", Gemeente="Hengelo", Opdrachtnemer="Bouwmij Hengelo B.V.",
                     **{"E-mail": CONTRACTOR["TW-2025-002"]}),
        contract_row("TW-2025-003", Opdrachtnemer="Groenwerk Lonneker B.V.",
                     **{"E-mail": CONTRACTOR["TW-2025-003"]}),
    ]  # fmt: skip
    write_register(
        root / "contracts.xlsx",
        rows,
        participants=[("TW-2025-002", "Hengelo", 60), ("TW-2025-002", "Enschede", 40)],
        headers=(*REGISTER_HEADERS, "E-mail"),
    )
    inbox = root / "inbox"
    write_submission(
        inbox / "TW-2025-001" / "Ter Horst Q3 2025.xlsx",
        contract_id="TW-2025-001",
        placements=[
            placement(PEOPLE[0], Naam=NAMES[0]),
            placement(PEOPLE[1], Naam=NAMES[1], Doelgroep="WW", Startdatum=date(2025, 7, 1)),
        ],
    )
    write_submission(
        inbox / "TW-2025-002" / "Bouwmij Q3 2025.xlsx",
        contract_id="TW-2025-002",
        placements=[placement(PEOPLE[2], Naam=NAMES[2]), placement("123456789", Naam=NAMES[3])],
        purchases=[purchase("SW-2025-118", Factuurdatum=date(2025, 8, 12))],
    )
    lines = [
        "[mail]",
        f'host = "{HOST}"',
        f"port = {port}",
        "starttls = true",
        f'username = "{USERNAME}"',
        f'password_env = "{PASSWORD_VARIABLE}"',
        f'sender = "{SENDER}"',
        "remind_after_days = 15",
    ]
    if municipalities:
        lines += [
            "[mail.municipalities]",
            f"Enschede = {json.dumps(list(ENSCHEDE))}",
            f"Hengelo = {json.dumps(list(HENGELO))}",
            f"regio = {json.dumps(list(REGION))}",
        ]
    (root / "sroi.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Home(root)


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The test server's certificate, trusted by the client as the system's CAs would be;
    the password in the environment, as an operator sets it."""
    cert_file, key_file = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    return cert_file, key_file


@pytest.fixture
def processed(tmp_path: Path, prefect_api: str) -> Iterator[tuple[Home, int]]:
    """A home whose inbox was processed on RUN_DAY (reporting on 2025Q3), with mail pointing at
    a free port where no server listens yet."""
    port = free_port()
    home = write_home(tmp_path / "home", port)
    ingest_inbox(home=str(home.root), as_of=RUN_DAY)
    yield home, port


def mail(home: Home, *more: str, api: str) -> Any:
    return sroi("mail", "--home", str(home.root), "--quarter", str(QUARTER),
                "--as-of", MAIL_DAY.isoformat(), *more, api=api, cwd=home.root)  # fmt: skip


def records(home: Home) -> list[MailRecord]:
    with opened(home) as workspace, workspace.ledger.reading() as session:
        return list(session.scalars(select(MailRecord).order_by(MailRecord.id)))


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return " ".join(" ".join(page.extract_text() or "" for page in pdf.pages).split())


def money(value: float) -> str:
    return euro(Decimal(str(value)))


def whole(value: float) -> str:
    return f"€ {number_nl(Decimal(str(value)), 0)}"


def subject(received: Received) -> str:
    """The subject as a mail client shows it (a folded header keeps its leading space)."""
    return str(received.message["Subject"]).strip()


def by_subject(inbox: Inbox) -> dict[str, Received]:
    subjects = [subject(received) for received in inbox.messages]
    assert len(subjects) == len(set(subjects)), subjects
    return dict(zip(subjects, inbox.messages, strict=True))


def test_mail_sends_reports_feedback_and_reminder_once(
    processed: tuple[Home, int], certificate: tuple[Path, Path], prefect_api: str
) -> None:
    home, port = processed
    with smtp_server(port, *certificate) as inbox:
        dry = mail(home, "--dry-run", api=prefect_api)
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout.count("would send") == 6, dry.stdout
        assert "nothing was sent" in dry.stdout
        assert inbox.messages == [] and records(home) == []
        assert not (home.reports / str(QUARTER)).exists(), "a dry run writes nothing"

        first = mail(home, api=prefect_api)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "6 sent" in first.stdout
        messages = by_subject(inbox)

        second = mail(home, api=prefect_api)
        assert second.returncode == 0, second.stderr
        assert "nothing due for 2025Q3" in second.stdout
        assert len(inbox.messages) == 6, "a second run sends nothing new"

    assert all(m.login == USERNAME and m.tls for m in inbox.messages), "STARTTLS, then login"
    assert {m.sender for m in inbox.messages} == {"sroi@twente.example"}
    figures = summary(home, QUARTER)
    municipal = {row["municipality"]: row for row in figures["municipalities"]}

    enschede = messages["SROI-rapportage 3e kwartaal 2025, gemeente Enschede"]
    assert enschede.recipients == ENSCHEDE
    assert enschede.message["To"] == ", ".join(ENSCHEDE)
    assert enschede.message["From"] == SENDER
    assert enschede.message["Auto-Submitted"] == "auto-generated"
    body = enschede.body
    assert body.startswith("Geachte heer/mevrouw,")
    assert f"netto SROI-verplichting: {whole(municipal['Enschede']['net_obligation'])}" in body
    assert "Met vriendelijke groet,\r\nSROI-team Twente" in body
    attached = enschede.attachments()
    assert sorted(attached) == [
        "SROI-rapportage 2025Q3 contract TW-2025-001.pdf",
        "SROI-rapportage 2025Q3 contract TW-2025-002.pdf",
        "SROI-rapportage 2025Q3 contract TW-2025-003.pdf",
        "SROI-rapportage 2025Q3 gemeente Enschede.pdf",
    ]
    assert {kind for kind, _ in attached.values()} == {"application/pdf"}
    text = pdf_text(attached["SROI-rapportage 2025Q3 gemeente Enschede.pdf"][1])
    assert "Enschede" in text
    forecast = "Prognose aan het einde (met de lopende plaatsingen) "
    assert forecast + money(municipal["Enschede"]["forecast_at_end"]) in text
    remaining = municipal["Enschede"]["remaining"]
    assert f'Nog te realiseren ("in het vat") {money(remaining)}' in text
    assert f"Geplaatste personen {municipal['Enschede']['people']}" in text
    contract_text = pdf_text(attached["SROI-rapportage 2025Q3 contract TW-2025-002.pdf"][1])
    assert "TW-2025-002" in contract_text

    hengelo = messages["SROI-rapportage 3e kwartaal 2025, gemeente Hengelo"]
    assert hengelo.recipients == HENGELO
    assert sorted(hengelo.attachments()) == [
        "SROI-rapportage 2025Q3 contract TW-2025-002.pdf",
        "SROI-rapportage 2025Q3 gemeente Hengelo.pdf",
    ]
    hengelo_pdf = hengelo.attachments()["SROI-rapportage 2025Q3 gemeente Hengelo.pdf"][1]
    assert forecast + money(municipal["Hengelo"]["forecast_at_end"]) in pdf_text(hengelo_pdf)

    region = messages["SROI-rapportage 3e kwartaal 2025, regio"]
    assert region.recipients == REGION
    (region_pdf,) = region.attachments().values()
    region_text = pdf_text(region_pdf[1])
    assert "Werklijst: wat nu aandacht vraagt" in region_text
    assert "geen aanlevering" in region_text and "TW-2025-003" in region_text
    assert "Werklijst van het SROI-team" in region.body

    feedback = messages["Terugkoppeling SROI-verantwoording contract TW-2025-002"]
    assert feedback.recipients == (CONTRACTOR["TW-2025-002"],)
    assert "Bouwmij Q3 2025.xlsx: 2 geaccepteerd, 1 afgewezen, 0 in behandeling" in feedback.body
    (name, (kind, content)) = next(iter(feedback.attachments().items()))
    assert name == "Bouwmij Q3 2025 - terugkoppeling.xlsx"
    assert kind == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert content == (home.feedback / "TW-2025-002" / name).read_bytes()
    load_workbook(io.BytesIO(content))  # opens as a workbook
    other = messages["Terugkoppeling SROI-verantwoording contract TW-2025-001"]
    assert other.recipients == (CONTRACTOR["TW-2025-001"],)

    reminder = messages["Herinnering: SROI-verantwoording 3e kwartaal 2025, contract TW-2025-003"]
    assert reminder.recipients == (CONTRACTOR["TW-2025-003"],)
    assert "nog geen SROI-verantwoording van u ontvangen" in reminder.body
    assert "SROI-formulier TW-2025-003.xlsx" in reminder.body
    (template_name, (_, template)) = next(iter(reminder.attachments().items()))
    assert template_name == "SROI-formulier TW-2025-003.xlsx"
    workbook = load_workbook(io.BytesIO(template))
    assert {"Plaatsingen", "Uitleg"} <= set(workbook.sheetnames)
    cells = [cell.value for row in workbook["Plaatsingen"].iter_rows() for cell in row]
    assert "TW-2025-003" in cells

    for received in inbox.messages:  # the bodies never carry a BSN or a name
        for secret in (*PEOPLE, *NAMES):
            assert secret not in received.body and secret not in subject(received)

    stored = records(home)
    assert len(stored) == 6
    assert {(r.state, r.attempts) for r in stored} == {("sent", 1)}
    assert sorted(r.kind for r in stored) == [
        "feedback", "feedback", "municipality", "municipality", "region", "reminder",
    ]  # fmt: skip
    assert next(r for r in stored if r.kind == "reminder").contract_id == "TW-2025-003"


def test_a_failed_send_is_recorded_shown_and_retried_by_the_next_run(
    processed: tuple[Home, int], certificate: tuple[Path, Path], prefect_api: str
) -> None:
    home, port = processed
    down = mail(home, api=prefect_api)
    assert down.returncode == 1, down.stdout + down.stderr
    assert "6 failed" in down.stdout and "niet bereikbaar" in down.stdout
    assert {(r.state, r.attempts) for r in records(home)} == {("failed", 1)}
    assert all(f"{HOST}:{port} niet bereikbaar" in (r.last_error or "") for r in records(home))

    shown = sroi("worklist", "--home", str(home.root), "--as-of", MAIL_DAY.isoformat(), "--json",
                 api=prefect_api, cwd=home.root)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    failed = [i for i in json.loads(shown.stdout)["items"] if i["kind"] == "failed_mail"]
    assert sorted(item["message_id"] for item in failed) == [r.id for r in records(home)]
    assert all("niet bereikbaar" in item["reason"] for item in failed)

    with smtp_server(port, *certificate) as inbox:
        again = mail(home, api=prefect_api)
        assert again.returncode == 0, again.stdout + again.stderr
        assert again.stdout.count("(retry)") == 6 and "6 sent" in again.stdout
        assert len(inbox.messages) == 6
        assert mail(home, api=prefect_api).returncode == 0
        assert len(inbox.messages) == 6
    assert {(r.state, r.attempts, r.last_error) for r in records(home)} == {("sent", 2, None)}
    shown = sroi("worklist", "--home", str(home.root), "--as-of", MAIL_DAY.isoformat(), "--json",
                 api=prefect_api, cwd=home.root)  # fmt: skip
    assert not [i for i in json.loads(shown.stdout)["items"] if i["kind"] == "failed_mail"]


def test_a_refused_login_fails_the_message_with_the_reason(
    processed: tuple[Home, int],
    certificate: tuple[Path, Path],
    prefect_api: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, port = processed
    monkeypatch.setenv(PASSWORD_VARIABLE, "verkeerd")
    with smtp_server(port, *certificate) as inbox:
        result = mail(home, api=prefect_api)
    assert result.returncode == 1
    assert inbox.messages == []
    assert all("inloggen op SMTP-server" in (r.last_error or "") for r in records(home))


def test_without_host_mail_is_off_and_settings_mistakes_are_one_line(
    tmp_path: Path, prefect_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = write_home(tmp_path / "home", free_port())
    settings = home.settings_file.read_text(encoding="utf-8")
    home.settings_file.write_text(settings.replace(f'host = "{HOST}"\n', ""), encoding="utf-8")
    off = mail(home, api=prefect_api)
    assert off.returncode == 2
    assert off.stderr.strip() == (
        f"sroi: error: mail is off: no [mail] host in {home.settings_file}"
    )
    assert "Traceback" not in off.stderr

    home.settings_file.write_text(settings, encoding="utf-8")
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    missing = mail(home, api=prefect_api)
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"sroi: error: [mail] username is set but the environment variable {PASSWORD_VARIABLE} "
        "(the SMTP password) is empty"
    )
    assert records(home) == []


def test_the_report_run_and_the_nightly_run_mail_what_is_due(
    tmp_path: Path, certificate: tuple[Path, Path], prefect_api: str
) -> None:
    port = free_port()
    home = write_home(tmp_path / "home", port)
    with smtp_server(port, *certificate) as inbox:
        quarterly_run(home=str(home.root), as_of=MAIL_DAY)
        subjects = sorted(subject(received) for received in inbox.messages)
        assert subjects == [
            "Herinnering: SROI-verantwoording 3e kwartaal 2025, contract TW-2025-003",
            "SROI-rapportage 3e kwartaal 2025, gemeente Enschede",
            "SROI-rapportage 3e kwartaal 2025, gemeente Hengelo",
            "SROI-rapportage 3e kwartaal 2025, regio",
            "Terugkoppeling SROI-verantwoording contract TW-2025-001",
            "Terugkoppeling SROI-verantwoording contract TW-2025-002",
        ]
        write_submission(
            home.inbox / "TW-2025-003" / "Groenwerk Q3 2025.xlsx",
            contract_id="TW-2025-003",
            placements=[placement(PEOPLE[3], Naam=NAMES[3])],
        )
        nightly_run(home=str(home.root), as_of=date(2025, 10, 21))
        assert len(inbox.messages) == 7, "the nightly run mails the new feedback only"
        last = inbox.messages[-1]
        assert subject(last) == ("Terugkoppeling SROI-verantwoording contract TW-2025-003")
        assert last.recipients == (CONTRACTOR["TW-2025-003"],)
        assert list(last.attachments()) == ["Groenwerk Q3 2025 - terugkoppeling.xlsx"]
