"""The house reads one way: a room imports only rooms below it (PRODUCT.md, Architecture).

The contract is import-linter's layers contract in pyproject.toml; `make lint` runs it. These
tests run the same checker, on the project and on a copy with one deliberately wrong import, so
a contract that stopped checking anything would fail here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["root_packages"])


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(project / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=project,
        env=os.environ | {"PYTHONPATH": str(project)},
        timeout=300,
        check=False,
    )


def test_every_package_of_the_house_is_in_the_contract() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    outside_the_house = {"tests", "bench"}
    assert packages - outside_the_house == set(_contract_packages())


def test_the_project_keeps_the_layers() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_of_a_room_above_is_caught(tmp_path: Path) -> None:
    for package in _contract_packages():
        shutil.copytree(ROOT / package, tmp_path / package)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    wrong = tmp_path / "domain" / "dutch.py"
    wrong.write_text(
        wrong.read_text(encoding="utf-8") + "\n\ndef _upward() -> None:\n    import sroi.cli\n",
        encoding="utf-8",
    )
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "The house reads one way BROKEN" in result.stdout
    assert "domain.dutch -> sroi.cli" in result.stdout
