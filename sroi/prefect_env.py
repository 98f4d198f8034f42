"""Prefect in local mode, quietly: a temporary server per run with its own database under the
home folder, no telemetry, no chatter on the console.

Must run before `prefect` is imported: Prefect reads these settings at import and client start.
Values already in the environment win, so an operator can point PREFECT_API_URL at a real
server for several machines.
"""

from __future__ import annotations

import os

from sroi.home import Home


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
