"""docs/operations.md, tested where this machine allows: its systemd unit passes
`systemd-analyze verify`, and its several-machines setup runs on one machine: a Prefect server on
PostgreSQL, a PostgreSQL ledger, two `sroi serve` processes sharing one home. Every file dropped
in the inbox is processed exactly once, the deployments exist once, and both stop cleanly."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.postgres import skip_or_fail, temporary_cluster, unavailable_reason
from tests.test_serve import (
    CONTRACT,
    Served,
    deployments,
    drop_files,
    new_home,
    recorded,
    runs,
    runs_ended,
    start_serve,
    wait_until,
)

pytestmark = pytest.mark.slow
DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"
PREFECT = Path(sys.executable).with_name("prefect")


def test_the_systemd_unit_of_the_operations_doc_is_valid(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        skip_or_fail("systemd-analyze is not installed (Debian package systemd)")
    (unit,) = re.findall(r"```ini\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert "ExecStart=/opt/sroi/.venv/bin/sroi serve --home /srv/sroi" in unit
    here = unit.replace("/opt/sroi/.venv/bin/sroi", str(Path(sys.executable).with_name("sroi")))
    path = tmp_path / "sroi.service"
    path.write_text(here, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


def _database(cluster: str, name: str, driver: str) -> str:
    plain = cluster.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return cluster.replace("/sroi?", f"/{name}?").replace("+psycopg", f"+{driver}")


@pytest.fixture
def prefect_on_postgres(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A `prefect server start` on a PostgreSQL database (as docs/operations.md starts it),
    and the URL of a second database for the ledger."""
    reason = unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    with temporary_cluster() as cluster:
        prefect_db = _database(cluster, "prefect", "asyncpg")
        ledger = _database(cluster, "ledger", "psycopg")
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
            "PREFECT_HOME": str(tmp_path / "prefect"),
            "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }
        server = subprocess.Popen(
            [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        api = f"http://127.0.0.1:{port}/api"
        try:
            wait_until(lambda: _healthy(api), 240, "the Prefect server on PostgreSQL started")
            yield api, ledger
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_two_serve_processes_share_one_home_prefect_server_and_ledger(
    tmp_path: Path, prefect_on_postgres: tuple[str, str]
) -> None:
    api, ledger = prefect_on_postgres
    home = new_home(tmp_path / "home")
    with (home.root / "sroi.toml").open("a", encoding="utf-8") as settings:
        settings.write(f'\n[ledger]\nurl = "{ledger}"\n')
    machines: list[Served] = []
    try:
        for _ in range(2):
            machines.append(start_serve(home, prefect_api=api))
        assert set(deployments(api)) == {"nightly", "inbox-watch", "quarterly"}
        dropped = drop_files(home, 40)
        wait_until(lambda: sorted(recorded(home)) == sorted(dropped), 180, "all files processed")
        assert not list(home.inbox.rglob("*.xlsx"))
        assert len(list((home.archive / CONTRACT).glob("*.xlsx"))) == len(dropped)
        wait_until(lambda: runs_ended(home), 120, "the runs ended")
        assert {state for _, state in runs(home)} == {"completed"}
        for machine in machines:
            assert machine.stop() == 0
            assert "Traceback" not in "".join(machine.output)
    finally:
        for machine in machines:
            if machine.process.poll() is None:
                machine.process.kill()
