"""A throw-away PostgreSQL cluster for ledger tests, from Debian's postgresql package.

The server refuses to run as root; as root the cluster is run as the `postgres` user (via
runuser). Without PostgreSQL on the machine the fixture skips with the reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def skip_or_fail(reason: str) -> None:
    """Without a system package a test skips, but not under `make test`, which installs them:
    there a missing package is a failure, not a test that quietly tests nothing."""
    import pytest  # noqa: PLC0415 - only tests get here

    if os.environ.get("SROI_REQUIRE_SYSTEM_PACKAGES"):
        pytest.fail(f"{reason}; `make test` should have installed it", pytrace=False)
    pytest.skip(reason)


def unavailable_reason() -> str | None:
    if _binaries() is None:
        return "PostgreSQL is not installed (Debian package postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run the server"
        if shutil.which("runuser") is None:
            return "running as root without runuser"
    return None


@contextmanager
def temporary_cluster() -> Iterator[str]:
    """Yields a SQLAlchemy URL of an empty database `sroi` on a private unix socket."""
    binaries = _binaries()
    if binaries is None:
        raise RuntimeError(unavailable_reason())
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="sroi-pg-"))
    if as_root:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    data, port = folder / "data", _free_port()

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=''"
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(folder / "log"),
        "start",
    )
    try:
        run(
            str(binaries / "createdb"), "-h", str(folder), "-p", str(port), "-U", "postgres", "sroi"
        )
        yield f"postgresql+psycopg://postgres@/sroi?host={folder}&port={port}"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
