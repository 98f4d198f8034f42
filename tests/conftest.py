"""Shared fixtures. Prefect runs against one temporary local server for the whole session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Prefect: its own state lives in a throw-away folder.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="sroi-test-prefect-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def _realdata() -> Path:
    """../shared/realdata beside the repository (SROI_REALDATA overrides)."""
    if "SROI_REALDATA" in os.environ:
        return Path(os.environ["SROI_REALDATA"])
    beside_repo = Path(__file__).resolve().parents[2] / "shared" / "realdata"
    return beside_repo if beside_repo.is_dir() else Path("/work/shared/realdata")


REALDATA = _realdata()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A Prefect test server for the session; yields its API URL so subprocesses (the `sroi`
    command in CLI tests) can use the same server instead of starting their own."""
    # Imported here, after PREFECT_HOME is set above, and only by tests that need Prefect.
    from prefect.settings import PREFECT_API_URL  # noqa: PLC0415
    from prefect.testing.utilities import prefect_test_harness  # noqa: PLC0415

    with prefect_test_harness(server_startup_timeout=180):
        yield str(PREFECT_API_URL.value())
