"""The privacy promise on a whole processed home (issue 10): after `sroi run` (with Prefect's
own logging on), `sroi report`, `sroi export`, `sroi mail` and every listing command, no BSN and
no full name of the people in its inbox is found in the ledger, the logs, the Prefect artifacts
and logs, the reports, the export, the mail (subjects, bodies, the reports and templates
attached) or anything the commands print. (Only the contractors' own files keep them: the
originals in archive/ and quarantine/ and their annotated copies in feedback/, which are mailed
to that contractor's own address only.)"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pdfplumber
import pytest
from openpyxl import load_workbook

from sroi.demo.generator import DEMO_AS_OF, DEMO_QUARTER, demo_bsns, mistyped, write_demo_home
from sroi.demo.model import load_demo_home
from tests.cli import sroi
from tests.smtp_server import (
    HOST,
    PASSWORD,
    USERNAME,
    Received,
    free_port,
    self_signed_certificate,
    smtp_server,
)

pytestmark = pytest.mark.slow
CONTRACTS = ("TW-2025-014", "TW-2025-017", "TW-2025-021", "TW-2025-030", "TW-2026-003",
             "DUO-2025-003", "DUO-2025-008")  # fmt: skip
OWN_FILES = ("archive", "quarantine", "feedback")


def personal_data() -> set[str]:
    """Every BSN of the demo's people (also as mistyped), and their full names."""
    people = demo_bsns(load_demo_home())
    numbers = set(people.values()) | {mistyped(number) for number in people.values()}
    return numbers | {name for name in people if " " in name}


def texts_of_home(root: Path) -> dict[str, str]:
    """Every file of the home outside the contractors' own files, as text (the ledger's bytes
    too; an .xlsx by its XML parts; a PDF is checked through its HTML twin)."""
    found: dict[str, str] = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in (*OWN_FILES, "inbox"):
            continue
        if path.suffix == ".pdf":
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as package:
                found[str(relative)] = "".join(
                    package.read(name).decode("utf-8", "replace") for name in package.namelist()
                )
        else:
            found[str(relative)] = path.read_bytes().decode("utf-8", "replace")
    return found


def prefect_texts(api: str) -> dict[str, str]:
    artifacts = httpx.post(f"{api}/artifacts/filter", json={}, timeout=30).json()
    logs = httpx.post(f"{api}/logs/filter", json={"limit": 200}, timeout=30).json()
    return {"prefect artifacts": json.dumps(artifacts), "prefect logs": json.dumps(logs)}


def with_mail(home: Path, port: int) -> dict[str, str]:
    """The demo register with an address per contractor, and mail settings for the test's
    server; returns contract -> address."""
    workbook = load_workbook(home / "contracts.xlsx")
    sheet = workbook["Contracten"]
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Contractnummer")
    column = sheet.max_column + 1
    sheet.cell(row=header, column=column, value="E-mail")
    addresses = {}
    for row in range(header + 1, sheet.max_row + 1):
        contract = sheet.cell(row=row, column=1).value
        if contract:
            addresses[str(contract)] = f"sroi.{str(contract).lower()}@opdrachtnemer.example"
            sheet.cell(row=row, column=column, value=addresses[str(contract)])
    workbook.save(home / "contracts.xlsx")
    (home / "sroi.toml").write_text(
        f'[mail]\nhost = "{HOST}"\nport = {port}\nusername = "{USERNAME}"\n'
        'password_env = "SROI_TEST_SMTP_PASSWORD"\nsender = "SROI-team <sroi@twente.example>"\n'
        '[mail.municipalities]\nEnschede = ["m@enschede.example"]\nregio = ["r@twente.example"]\n',
        encoding="utf-8",
    )
    return addresses


def texts_of_mail(
    home: Path, messages: list[Received], addresses: dict[str, str]
) -> dict[str, str]:
    """Subject, body and every attachment of each message as text, except the feedback
    workbooks: those are the contractor's own annotated file, sent to its own address only."""
    found: dict[str, str] = {}
    for number, received in enumerate(messages):
        where = f"mail {number} to {', '.join(received.recipients)}"
        found[where] = str(received.message["Subject"]) + "\n" + received.body
        for name, (kind, content) in received.attachments().items():
            if name.endswith(" - terugkoppeling.xlsx"):
                (contract,) = [c for c, a in addresses.items() if received.recipients == (a,)]
                assert content == (home / "feedback" / contract / name).read_bytes(), where
            elif kind == "application/pdf":
                with pdfplumber.open(io.BytesIO(content)) as pdf:
                    found[f"{where}: {name}"] = " ".join(p.extract_text() or "" for p in pdf.pages)
            else:
                with zipfile.ZipFile(io.BytesIO(content)) as package:
                    found[f"{where}: {name}"] = "".join(
                        package.read(part).decode("utf-8", "replace") for part in package.namelist()
                    )
    return found


def test_no_bsn_or_name_outside_the_contractors_own_files(
    tmp_path: Path, prefect_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    write_demo_home(home)
    port = free_port()
    addresses = with_mail(home, port)
    cert_file, key_file = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    monkeypatch.setenv("SROI_TEST_SMTP_PASSWORD", PASSWORD)
    outputs: dict[str, str] = {}
    commands = [
        ("run", "--as-of", DEMO_AS_OF.isoformat(), "--verbose"),
        ("report", "--quarter", str(DEMO_QUARTER)),
        ("export", "--quarter", str(DEMO_QUARTER), "-o", str(tmp_path / "home" / "export.xlsx")),
        ("summary", "--quarter", str(DEMO_QUARTER), "--json"),
        ("runs", "--json"),
        ("audit",),
        ("worklist", "--as-of", DEMO_AS_OF.isoformat()),
        ("worklist", "--as-of", DEMO_AS_OF.isoformat(), "--json"),
        ("mail", "--quarter", str(DEMO_QUARTER), "--as-of", DEMO_AS_OF.isoformat(), "--dry-run"),
        ("mail", "--quarter", str(DEMO_QUARTER), "--as-of", DEMO_AS_OF.isoformat()),
        *[("lines", "--contract", contract, "--csv") for contract in CONTRACTS],
        *[("lines", "--contract", contract) for contract in CONTRACTS],
    ]
    with smtp_server(port, cert_file, key_file) as inbox:
        for command in commands:
            result = sroi(*command, "--home", str(home), api=prefect_api, cwd=tmp_path)
            assert result.returncode == 0, (command, result.stderr)
            outputs[" ".join(command)] = result.stdout + result.stderr
    mail = texts_of_mail(home, inbox.messages, addresses)
    assert len(inbox.messages) == 9, "Enschede, the region and 7 contractors' feedback"
    texts = outputs | texts_of_home(home) | prefect_texts(prefect_api) | mail
    assert "sroi.db" in texts and "export.xlsx" in texts and "reports/2026Q3/regio.html" in texts
    assert any("regio.pdf" in where for where in texts), "the mailed reports are searched"
    secrets = personal_data()
    leaks = {
        (where, secret) for where, text in texts.items() for secret in secrets if secret in text
    }
    assert leaks == set()
    archived = "".join(texts_of_home_own(home))
    assert any(secret in archived for secret in secrets), "the search would find them"


def texts_of_home_own(root: Path) -> list[str]:
    """The contractors' annotated copies do hold them: proof that the search can find them."""
    texts = []
    for path in (root / "feedback").rglob("*.xlsx"):
        with zipfile.ZipFile(path) as package:
            texts += [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    return texts
