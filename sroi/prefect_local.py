"""Prefect in local mode, quietly: a server of its own per command with its database under the
home folder, no telemetry, no chatter on the console.

`configure_prefect` must run before `prefect` is imported: Prefect reads these settings at import
and client start. Values already in the environment win, so an operator can point
PREFECT_API_URL at a real server for several machines.

The server starts in a child process at once and the command does its own preparation while it
boots (importing and checking the home take as long as the server's start); the command waits
for it only when it needs it.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx

from domain.errors import ConfigError
from flows.home import Home

_STARTUP_TIMEOUT = 180.0
"""The first start creates Prefect's own database; a slow laptop needs time."""


def configure_prefect(home: Home, *, verbose: bool = False) -> None:
    defaults = {
        "PREFECT_HOME": str(home.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(int(_STARTUP_TIMEOUT)),
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


def _free_port(preferred: int = 0) -> int:
    """`preferred` when it is free on 127.0.0.1, else any free port."""
    for port in (preferred, 0) if preferred else (0,):
        with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ConfigError("no free port on 127.0.0.1 for Prefect's server")


PREFECT_UI_PORT = 4200
"""Prefect's usual port; `sroi serve` takes it when it is free."""


def _end_with_parent() -> None:
    """In the child before it starts (Linux): SIGTERM when the command that started it dies,
    also by SIGKILL, so no server is left behind."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _prefect_folder() -> str:
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ConfigError("Prefect is not installed in this Python environment")
    return str(Path(spec.origin).parent.parent)


class LocalServer:
    """Prefect's API server in a child process on 127.0.0.1, as Prefect itself starts one for
    a flow without a server (the same application and settings), but started without waiting
    and ended with its command. Its output goes to <home>/.prefect/server.log.

    With `ui`, the whole server of `prefect server start`: the UI, and the services that turn
    deployment schedules into flow runs (`sroi serve`)."""

    def __init__(self, home: Home, *, ui: bool = False, port: int | None = None) -> None:
        self.log_path = home.prefect_home / "server.log"
        self.ui = ui
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/api"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", _prefect_folder(), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1",
            "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        environment = os.environ | {
            # We keep no blocks; registering Prefect's block types costs seconds on a first start.
            "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
            "PREFECT__SERVER_FINAL": "1",
        }
        environment.pop("PREFECT_API_URL", None)
        if self.ui:
            environment |= {"PREFECT_UI_ENABLED": "1", "PREFECT_UI_API_URL": self.api_url}
        else:
            environment |= {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # a Ctrl-C in the terminal is for the command
                preexec_fn=_end_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
            )

    def wait_until_ready(self, timeout: float = _STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    code = self._process.returncode
                    raise ConfigError(
                        f"Prefect's local server stopped at start (exit {code}); "
                        f"see {self.log_path}"
                    )
                try:
                    if client.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise ConfigError(
            f"Prefect's local server did not start in {timeout:.0f} s; see {self.log_path}"
        )

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


@contextmanager
def local_prefect(
    home: Home, *, verbose: bool = False, ui: bool = False
) -> Iterator[LocalServer | None]:
    """Prefect configured for `home`, and its local server started (not yet ready: call
    `wait_until_ready` before the first flow); with `ui`, the whole server with its UI, on
    port 4200 when free. With PREFECT_API_URL set, that server is used and None is yielded."""
    configure_prefect(home, verbose=verbose)
    if os.environ.get("PREFECT_API_URL"):
        yield None
        return
    fresh = not home.prefect_home.exists()
    server = LocalServer(home, ui=ui, port=_free_port(PREFECT_UI_PORT) if ui else None)
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    except BaseException:
        _stop(server)
        if fresh:  # a command that failed (a mistake in the home) leaves the home as it was
            shutil.rmtree(home.prefect_home, ignore_errors=True)
        raise
    _stop(server)


def _stop(server: LocalServer) -> None:
    if "prefect" in sys.modules:
        _send_pending_events()
    os.environ.pop("PREFECT_API_URL", None)
    server.stop()


def _send_pending_events(timeout: float = 10.0) -> None:
    """The client sends task-run events in the background; send the last ones while the server
    still listens."""
    from prefect.events.worker import EventsWorker  # noqa: PLC0415

    EventsWorker.drain_all(timeout=timeout)
