"""Running the `sroi` command as a user does: a subprocess with the test's Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SROI = [sys.executable, "-m", "sroi.cli"]


def sroi(*args: str, api: str, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PREFECT_API_URL": api, "SROI_HOME": ""}
    return subprocess.run(
        [*SROI, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
