"""`sroi demo` from nothing to reports, as `make demo` runs it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.cli import sroi

pytestmark = pytest.mark.slow


def test_demo_runs_end_to_end(tmp_path: Path, prefect_api: str) -> None:
    home = tmp_path / "demo"
    demo = sroi("demo", "--home", str(home), api=prefect_api, cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stderr
    assert not [p for p in (home / "inbox").rglob("*") if p.is_file()]
    assert (home / "reports" / "2026Q3" / "regio.pdf").stat().st_size > 10_000
    assert len(list((home / "reports" / "2026Q3" / "contracts").glob("*.pdf"))) == 8

    summary = sroi(
        "summary",
        "--home",
        str(home),
        "--quarter",
        "2026Q3",
        "--json",
        api=prefect_api,
        cwd=tmp_path,
    )
    assert summary.returncode == 0, summary.stderr
    document = json.loads(summary.stdout)
    statuses = Counter(contract["status"] for contract in document["contracts"])
    assert statuses == {
        "op_schema": 3,
        "achter": 2,
        "aandacht": 1,
        "gerealiseerd": 1,
        "nog_niet_gestart": 1,
    }
    assert document["files"] == {"archived": 10, "duplicates": 1, "quarantined": 3}

    again = sroi("demo", "--home", str(home), api=prefect_api, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
