"""A user's mistake is one clear line on stderr and a non-zero exit, never a traceback, and a
run checks the home and the ledger before it starts Prefect (INTERFACE.md section 6)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.builders import contract_row, placement, valid_bsns, write_register, write_submission
from tests.cli import SROI

pytestmark = pytest.mark.slow


def sroi_without_prefect(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as a coordinator starts it: no Prefect server configured, so a run that got
    as far as Prefect would create <home>/.prefect."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SROI_"))}
    return subprocess.run(
        [*SROI, *args],
        capture_output=True,
        text=True,
        env=clean | env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def a_home(root: Path, settings: str = "") -> Path:
    home = root / "home"
    write_register(home / "contracts.xlsx", [contract_row("TW-2025-001")])
    write_submission(
        home / "inbox" / "TW-2025-001" / "q2.xlsx", placements=[placement(valid_bsns(1)[0])]
    )
    (home / "sroi.toml").write_text(settings, encoding="utf-8")
    return home


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_one_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [expected]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "not a url",
            "ledger url 'not a url' is not a database URL (expected e.g. "
            "postgresql+psycopg://sroi@dbserver/sroi or sqlite:///path/sroi.db)",
        ),
        (
            "mysql://sroi@db.example/sroi",
            "the ledger runs on SQLite or PostgreSQL, not mysql (mysql://sroi@db.example/sroi)",
        ),
    ],
)
def test_a_ledger_url_that_cannot_work(tmp_path: Path, url: str, message: str) -> None:
    home = a_home(tmp_path, f'[ledger]\nurl = "{url}"\n')
    result = sroi_without_prefect("run", "--home", str(home), cwd=tmp_path)
    assert_one_line(result, f"sroi: error: {message}")
    assert not (home / ".prefect").exists()
    assert (home / "inbox" / "TW-2025-001" / "q2.xlsx").is_file()


def test_an_unreachable_postgresql_ledger(tmp_path: Path) -> None:
    port = closed_port()
    home = a_home(tmp_path)
    url = f"postgresql+psycopg://sroi:geheim@127.0.0.1:{port}/sroi"
    result = sroi_without_prefect("run", "--home", str(home), cwd=tmp_path, SROI_DATABASE_URL=url)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    where = f"postgresql+psycopg://sroi:***@127.0.0.1:{port}/sroi"
    assert line.startswith(f"sroi: error: cannot open the ledger at {where}: ")
    assert "geheim" not in line
    assert not (home / ".prefect").exists()


def test_a_missing_inbox_is_an_error_not_a_quiet_night(tmp_path: Path) -> None:
    home = a_home(tmp_path)
    (home / "inbox" / "TW-2025-001" / "q2.xlsx").unlink()
    (home / "inbox" / "TW-2025-001").rmdir()
    (home / "inbox").rmdir()
    result = sroi_without_prefect("run", "--home", str(home), cwd=tmp_path)
    assert_one_line(
        result,
        f"sroi: error: inbox folder {home / 'inbox'} does not exist (is the share mounted? "
        "`sroi init` creates it)",
    )
    assert not (home / ".prefect").exists()


def test_a_home_that_is_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("geen map", encoding="utf-8")
    result = sroi_without_prefect("init", cwd=tmp_path, SROI_HOME=str(afile))
    assert_one_line(result, f"sroi: error: {afile} is a file, not a folder")
    below = sroi_without_prefect("init", "--home", str(afile / "sub"), cwd=tmp_path)
    assert_one_line(
        below,
        f"sroi: error: cannot create {afile / 'sub'}: a part of that path is a file, not a folder",
    )
    summary = sroi_without_prefect(
        "summary", "--quarter", "2025Q1", "--json", "--home", str(afile), cwd=tmp_path
    )
    assert_one_line(summary, f"sroi: error: home {afile} is a file, not a folder")


def test_a_home_where_nothing_may_be_created(tmp_path: Path) -> None:
    result = sroi_without_prefect("init", "--home", "/proc/sroi", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("sroi: error: cannot create /proc/sroi: ")
