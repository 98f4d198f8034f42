"""Prefect in local mode, quietly: a temporary server per run with its own database under the
home folder, no telemetry, no chatter on the console.

`configure_prefect` must run before `prefect` is imported: Prefect reads these settings at import
and client start. Values already in the environment win, so an operator can point
PREFECT_API_URL at a real server for several machines.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.home import Home


def configure_prefect(home: Home, *, verbose: bool = False) -> None:
    defaults = {
        "PREFECT_HOME": str(home.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
        # The first start migrates Prefect's own database; 20 s (the default) is too short
        # on a slow laptop.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        # SQLite under Prefect's server: wait for a lock instead of failing with
        # "database is locked" while its services write at the same time.
        "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
        "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "60",
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_INTERNAL_LEVEL": "ERROR",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


@contextmanager
def _output_to(log_path: Path) -> Iterator[None]:
    """Point this process's stdout and stderr (file descriptors 1 and 2) at a log file for the
    duration; a child process started meanwhile keeps writing there afterwards."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    with log_path.open("ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


@contextmanager
def _interrupts_blocked() -> Iterator[None]:
    """SIGINT blocked meanwhile, and so for a child started meanwhile for its whole life: a
    Ctrl-C in the terminal reaches the whole process group, and the server must keep serving
    while the run finishes the file at hand (it is stopped with SIGTERM afterwards)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def local_prefect_api(home: Home) -> Iterator[None]:
    """Prefect's temporary local server for one command, its output in
    <home>/.prefect/server.log instead of on the coordinator's console (at shutdown its services
    may log cancelled work). With PREFECT_API_URL set, that server is used instead."""
    from prefect.server.api.server import SubprocessASGIServer  # noqa: PLC0415
    from prefect.settings import PREFECT_API_URL, temporary_settings  # noqa: PLC0415

    if PREFECT_API_URL.value():
        yield
        return
    server = SubprocessASGIServer()
    with _output_to(home.prefect_home / "server.log"), _interrupts_blocked():
        server.start()
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            try:
                yield
            finally:
                _send_pending_events()
    finally:
        server.stop()


def _send_pending_events(timeout: float = 10.0) -> None:
    """The client sends task-run events in the background; send the last ones while the server
    still listens. (Prefect 3.8's server may still log a cancelled write of its task-run
    recorder when it stops; that goes to server.log and does not touch the ledger.)"""
    from prefect.events.worker import EventsWorker  # noqa: PLC0415

    EventsWorker.drain_all(timeout=timeout)
