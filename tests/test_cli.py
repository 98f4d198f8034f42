"""The `sroi` command as a coordinator runs it (subprocesses, real files, the test's Prefect)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import (
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
)
from tests.cli import SROI, sroi
from tests.conftest import REALDATA

pytestmark = pytest.mark.slow
BSN = valid_bsns(3)


@pytest.fixture(scope="module")
def processed_home(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Path:
    root = tmp_path_factory.mktemp("cli")
    home = root / "home"
    init = sroi("init", "--home", str(home), api=prefect_api, cwd=root)
    assert init.returncode == 0, init.stderr
    write_register(
        home / "contracts.xlsx",
        [contract_row("TW-2025-001"), contract_row("BAD", Opdrachtsom=None)],
    )
    write_submission(
        home / "inbox" / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[placement(BSN[0], Naam="Willemijn Kuipers"), placement("123456789")],
        purchases=[purchase("F-1")],
    )
    (home / "inbox" / "kapot.xlsx").write_bytes(b"\x00\x01")
    result = sroi("run", "--home", str(home), "--as-of", "2025-07-15", api=prefect_api, cwd=root)
    assert result.returncode == 0, result.stderr
    return home


def test_run_prints_one_line_per_file_and_nothing_alarming(
    processed_home: Path, prefect_api: str
) -> None:
    (processed_home / "inbox" / "nog-een.xlsx").write_bytes(b"PK")
    result = sroi("run", "--home", str(processed_home), api=prefect_api, cwd=processed_home)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "quarantined  nog-een.xlsx  het bestand is geen geldig Excel-bestand, al heet het .xlsx"
        "  (file 3)",
        "run 2: 1 quarantined",
    ]
    assert "Traceback" not in result.stderr
    assert "database is locked" not in result.stderr
    assert (
        "warning: contract register: contracts.xlsx, blad Contracten, rij 6: Opdrachtsom ontbreekt"
        in result.stderr
    )


def test_summary_json_is_the_only_thing_on_stdout(processed_home: Path, prefect_api: str) -> None:
    result = sroi(
        "summary",
        "--home",
        str(processed_home),
        "--quarter",
        "2025Q2",
        "--json",
        api=prefect_api,
        cwd=processed_home,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"quarter", "as_of", "contracts", "municipalities", "files"}
    assert document["quarter"] == "2025Q2" and document["as_of"] == "2025-06-30"
    contract = document["contracts"][0]
    assert set(contract) == {
        "contract_id",
        "ruleset",
        "obligation",
        "discount",
        "net_obligation",
        "realized_quarter",
        "realized_to_date",
        "expected_to_date",
        "remaining",
        "status",
        "fine",
        "by_block",
        "by_category",
        "forecast_at_end",
        "forecast_shortfall",
        "people",
        "people_participatiewet",
        "lines",
    }
    assert contract["lines"] == {"accepted": 2, "rejected": 1, "pending": 0}
    assert contract["by_block"] == {"2": round(40000 * 150 / 365, 2), "9": 1250.5}
    placed = round(40000 * 150 / 365, 2)
    assert contract["by_category"] == {"plaatsingen": placed, "inkoop": 1250.5, "activiteiten": 0.0}
    # block 2 runs on at 1 FTE to the contract's end (699 days from 01-02-2025 to 31-12-2026)
    assert contract["forecast_at_end"] == round(40000 * 699 / 365 + 1250.5, 2)
    assert contract["forecast_shortfall"] == 0.0
    assert (contract["people"], contract["people_participatiewet"]) == (1, 1)
    assert set(document["municipalities"][0]) == {
        "municipality",
        "contracts",
        "net_obligation",
        "realized_quarter",
        "realized_to_date",
        "remaining",
        "forecast_at_end",
        "people",
    }
    in_quarantine = [
        p for p in (processed_home / "quarantine").rglob("*") if p.is_file() and p.suffix != ".txt"
    ]
    assert document["files"] == {"archived": 1, "duplicates": 0, "quarantined": len(in_quarantine)}
    assert len(in_quarantine) >= 1


def test_lines_show_status_reason_value_and_source(processed_home: Path, prefect_api: str) -> None:
    result = sroi(
        "lines",
        "--home",
        str(processed_home),
        "--contract",
        "TW-2025-001",
        "--quarter",
        "2025Q2",
        "--csv",
        api=prefect_api,
        cwd=processed_home,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["status"], r["sheet"], r["row"]) for r in rows] == [
        ("accepted", "Plaatsingen", "6"),
        ("rejected", "Plaatsingen", "7"),
        ("accepted", "Inkoop", "6"),
    ]
    assert rows[1]["reasons"] == "BSN is ongeldig (elfproef mislukt)"
    assert rows[2]["value_to_date"] == "1250.50" and rows[2]["status_nl"] == "geaccepteerd"
    first_quarter = sroi(
        "lines",
        "--home",
        str(processed_home),
        "--contract",
        "TW-2025-001",
        "--quarter",
        "2025Q1",
        "--csv",
        api=prefect_api,
        cwd=processed_home,
    )
    # the invoice of 12-05-2025 is not a line of 2025Q1; the placement from 01-02-2025 is
    assert [r["sheet"] for r in csv.DictReader(io.StringIO(first_quarter.stdout))] == [
        "Plaatsingen"
    ]
    table = sroi(
        "lines",
        "--home",
        str(processed_home),
        "--contract",
        "TW-2025-001",
        api=prefect_api,
        cwd=processed_home,
    )
    heading = table.stdout.splitlines()[1]
    assert heading.split() == [
        "line",
        "status",
        "block",
        "subject",
        "quarter",
        "to",
        "date",
        "source",
    ]
    assert "reden: BSN is ongeldig (elfproef mislukt)" in table.stdout
    assert " afgewezen " in table.stdout and " geaccepteerd " in table.stdout


def test_inspect_json_reads_a_workbook_without_touching_the_ledger(
    processed_home: Path, prefect_api: str
) -> None:
    archived = processed_home / "archive" / "TW-2025-001" / "q2.xlsx"
    database = processed_home / "sroi.db"
    before = database.stat().st_mtime_ns
    result = sroi(
        "inspect",
        str(archived),
        "--json",
        "--home",
        str(processed_home),
        api=prefect_api,
        cwd=processed_home,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["kind"] == "workbook" and document["contract"] == "TW-2025-001"
    sheets = {sheet["name"]: sheet for sheet in document["sheets"]}
    assert sheets["Plaatsingen"]["header_row"] == 5 and sheets["Plaatsingen"]["rows"] == 2
    assert sheets["Plaatsingen"]["columns"]["bsn"] == "BSN"
    assert sheets["Inkoop"]["table"] == "inkoop"
    assert database.stat().st_mtime_ns == before


def test_inspect_a_broken_file_gives_the_reason_not_a_traceback(
    tmp_path: Path, prefect_api: str
) -> None:
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"garbage")
    result = sroi("inspect", str(broken), "--json", api=prefect_api, cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"].startswith("het bestand is geen geldig Excel-bestand")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["summary", "--quarter", "2025Q5", "--json"],
            "Invalid value for '--quarter': not a quarter: '2025Q5' (expected e.g. 2025Q3)",
        ),
        (
            ["summary", "--quarter", "2025Q1", "--json", "--home", "/nonexistent/sroi"],
            "home folder /nonexistent/sroi does not exist; run `sroi init` first",
        ),
        (["lines", "--contract", "NOPE-1"], "contract 'NOPE-1' is not (validly) in the register"),
        (
            ["run", "--as-of", "31-02-2026"],
            "Invalid value for '--as-of': '31-02-2026' is not a date (e.g. 25-11-2026 or "
            "2026-11-25)",
        ),
        (["approve", "999", "--by", "M. de Boer"], "no line 999"),
        (
            ["retract", "999", "--by", "M. de Boer", "--reason", "verkeerde map"],
            "no file 999 in the ledger (`sroi run` and `sroi lines` show file ids)",
        ),
    ],
)
def test_user_mistakes_are_one_line_on_stderr(
    processed_home: Path, prefect_api: str, args: list[str], message: str
) -> None:
    if "--home" not in args:
        args = [*args, "--home", str(processed_home)]
    result = sroi(*args, api=prefect_api, cwd=processed_home)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"sroi: error: {message}"]


def test_a_future_quarter_is_refused(processed_home: Path, prefect_api: str) -> None:
    result = sroi(
        "report",
        "--quarter",
        "2099Q4",
        "--home",
        str(processed_home),
        api=prefect_api,
        cwd=processed_home,
    )
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("sroi: error: Invalid value for --quarter: 2099Q4 has not begun yet")


def test_help_names_every_command_in_full(tmp_path: Path, prefect_api: str) -> None:
    result = sroi("--help", api=prefect_api, cwd=tmp_path)
    commands = {
        line.split()[0]: " ".join(line.split()[1:])
        for line in result.stdout.split("Commands:")[1].splitlines()
        if line.strip()
    }
    assert commands["approve"] == "Approve a pending line (stored with who and when)."
    assert commands["retract"] == "Take a processed file's lines out of the figures."
    assert all(text.endswith(".") for text in commands.values())


def test_run_without_a_register_is_one_line_and_leaves_the_inbox(
    tmp_path: Path, prefect_api: str
) -> None:
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    waiting = write_submission(home / "inbox" / "q2.xlsx", placements=[placement(BSN[0])])
    result = sroi("run", "--home", str(home), api=prefect_api, cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"sroi: error: no contract register in {home} (contracts.xlsx or contracts.csv)"
    )
    assert waiting.is_file()


def test_init_writes_a_register_template_that_reads_clean(tmp_path: Path, prefect_api: str) -> None:
    home = tmp_path / "nieuw"
    result = sroi("init", "--home", str(home), api=prefect_api, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in home.iterdir()) == [
        "archive",
        "contracts.xlsx",
        "feedback",
        "inbox",
        "quarantine",
        "reports",
        "sroi.toml",
    ]
    summary = sroi(
        "summary",
        "--home",
        str(home),
        "--quarter",
        "2026Q1",
        "--json",
        api=prefect_api,
        cwd=tmp_path,
    )
    assert json.loads(summary.stdout)["contracts"] == []


def test_a_normal_run_in_local_mode_prints_a_clean_log(tmp_path: Path) -> None:
    """No Prefect server configured: `sroi run` starts Prefect's temporary local server itself,
    keeps its output in <home>/.prefect/server.log and prints only its own lines."""
    home = tmp_path / "home"
    write_register(home / "contracts.xlsx", [contract_row("TW-2025-001")])
    write_submission(home / "inbox" / "TW-2025-001" / "q2.xlsx", placements=[placement(BSN[0])])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"SROI_HOME": ""}
    result = subprocess.run(
        [*SROI, "run", "--home", str(home), "--as-of", "2025-07-15"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        "archived     TW-2025-001/q2.xlsx  TW-2025-001: 1 accepted, 0 rejected, 0 pending"
        "  (file 1)\n"
        "run 1: 1 archived\n"
    )
    assert (home / ".prefect" / "prefect.db").is_file()
    assert (home / ".prefect" / "server.log").is_file()


def test_template_for_a_registered_contract(processed_home: Path, prefect_api: str) -> None:
    output = processed_home / "sjabloon.xlsx"
    result = sroi(
        "template",
        "--contract",
        "tw-2025-001",
        "-o",
        str(output),
        "--home",
        str(processed_home),
        api=prefect_api,
        cwd=processed_home,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"template (twente-2016) written to {output}"
    workbook = load_workbook(output)
    assert workbook["Plaatsingen"]["B2"].value == "TW-2025-001"
    assert workbook["Lijsten"].sheet_state == "hidden"
    missing = sroi(
        "template",
        "-o",
        str(output),
        "--ruleset",
        "utrecht",
        "--home",
        str(processed_home),
        api=prefect_api,
        cwd=processed_home,
    )
    assert missing.returncode == 2 and "onbekende regeling 'utrecht'" in missing.stderr


def test_inspect_json_reads_a_real_dutch_invoice(tmp_path: Path, prefect_api: str) -> None:
    invoice = REALDATA / "invoice2data" / "coolblue1.pdf"
    result = sroi("inspect", str(invoice), "--json", api=prefect_api, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {
        key: document[key]
        for key in (
            "kind",
            "invoice_number",
            "invoice_date",
            "total",
            "amount_excl_vat",
            "vat",
            "kvk",
            "vat_number",
        )
    } == {
        "kind": "invoice",
        "invoice_number": "993548900",
        "invoice_date": "2014-04-19",
        "total": 717.97,
        "amount_excl_vat": 593.36,
        "vat": 124.61,
        "kvk": "24330087",
        "vat_number": "NL810433941B01",
    }


def test_inspect_prints_what_it_read_for_people(tmp_path: Path, prefect_api: str) -> None:
    invoice = REALDATA / "invoice2data" / "coolblue1.pdf"
    result = sroi("inspect", str(invoice), api=prefect_api, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "file:             coolblue1.pdf",
        "kind:             invoice",
        "pages:            1",
        "supplier:         Coolblue B.V.",
        "KvK:              24330087",
        "VAT number:       NL810433941B01",
        "IBAN:             NL50INGB0683251309",
        "invoice number:   993548900",
        "invoice date:     19-04-2014",
        "amount excl. VAT: € 593,36",
        "VAT:              € 124,61",
        "total:            € 717,97",
        "contract:         unknown",
    ]
