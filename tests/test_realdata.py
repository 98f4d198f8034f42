"""Every third-party file in ../shared/realdata through `sroi inspect` and through a full run:
a result or a Dutch reason, never a traceback (issue 4). One test per file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.home import Home
from flows.ingest import FileResult, ingest_inbox
from sroi import app
from tests.builders import contract_row, write_register
from tests.conftest import REALDATA

FILES = sorted(path for path in REALDATA.rglob("*") if path.is_file() and path.name != "SOURCES.md")
IDS = [path.name for path in FILES]


def test_the_real_files_are_there() -> None:
    assert len(FILES) >= 30, f"expected the third-party files in {REALDATA}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_inspect_gives_a_result_or_a_dutch_reason(path: Path) -> None:
    document = app.inspect_file(path, None)
    assert document["file"] == path.name
    if "error" in document:
        assert document["error"] and document["kind"] in {"workbook", "invoice", "other"}
    elif document["kind"] == "workbook":
        assert document["sheets"], "a readable workbook lists its sheets"
    else:
        assert document["kind"] == "invoice"
        assert document["total"] is not None or document["amount_excl_vat"] is not None


@pytest.fixture(scope="module")
def run_results(
    tmp_path_factory: pytest.TempPathFactory, prefect_api: str
) -> tuple[Home, dict[str, FileResult]]:
    home = Home(tmp_path_factory.mktemp("realdata") / "home")
    app.init_home(home)
    write_register(home.root / "contracts.xlsx", [contract_row("TW-2025-001")])
    folder = home.inbox / "TW-2025-001"
    folder.mkdir(parents=True)
    for path in FILES:
        (folder / path.name).write_bytes(path.read_bytes())
    report = ingest_inbox(home=str(home.root), as_of=date(2025, 10, 1))
    return home, {Path(result.inbox_path).name: result for result in report.files}


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_full_run_archives_or_quarantines_with_a_reason(
    path: Path, run_results: tuple[Home, dict[str, FileResult]]
) -> None:
    home, results = run_results
    result = results[path.name]
    stored = home.root / result.stored_path
    assert stored.is_file() and stored.read_bytes() == path.read_bytes()
    assert not (home.inbox / "TW-2025-001" / path.name).exists()
    if result.status == "quarantined":
        reason = Path(f"{stored}.reason.txt").read_text(encoding="utf-8").strip()
        assert reason and "interne fout" not in reason
    else:
        assert result.status == "archived"
        assert result.accepted + result.rejected + result.pending >= 1
