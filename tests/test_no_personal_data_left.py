"""The privacy promise on a whole processed home (issue 10): after `sroi run` (with Prefect's
own logging on), `sroi report`, `sroi export` and every listing command, no BSN and no full name
of the people in its inbox is found in the ledger, the logs, the Prefect artifacts and logs, the
reports, the export or anything the commands print. (Only the contractors' own files keep them:
the originals in archive/ and quarantine/ and their annotated copies in feedback/.)"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import httpx
import pytest

from sroi.demo.generator import DEMO_AS_OF, DEMO_QUARTER, demo_bsns, mistyped, write_demo_home
from sroi.demo.model import load_demo_home
from tests.cli import sroi

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


def test_no_bsn_or_name_outside_the_contractors_own_files(tmp_path: Path, prefect_api: str) -> None:
    home = tmp_path / "home"
    write_demo_home(home)
    outputs: dict[str, str] = {}
    commands = [
        ("run", "--as-of", DEMO_AS_OF.isoformat(), "--verbose"),
        ("report", "--quarter", str(DEMO_QUARTER)),
        ("export", "--quarter", str(DEMO_QUARTER), "-o", str(tmp_path / "home" / "export.xlsx")),
        ("summary", "--quarter", str(DEMO_QUARTER), "--json"),
        ("runs", "--json"),
        ("audit",),
        *[("lines", "--contract", contract, "--csv") for contract in CONTRACTS],
        *[("lines", "--contract", contract) for contract in CONTRACTS],
    ]
    for command in commands:
        result = sroi(*command, "--home", str(home), api=prefect_api, cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        outputs[" ".join(command)] = result.stdout + result.stderr
    texts = outputs | texts_of_home(home) | prefect_texts(prefect_api)
    assert "sroi.db" in texts and "export.xlsx" in texts and "reports/2026Q3/regio.html" in texts
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
