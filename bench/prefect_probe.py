"""Prefect's own cost, without the pipeline: the same temporary local server `sroi run` starts
(settings and database under HOME/.prefect), one flow run, and TASKS tasks that do nothing,
called the way the pipeline calls its tasks.

    python -m bench.prefect_probe HOME [--tasks N]

With 0 tasks it is Prefect's fixed cost of a run (import, server start, a flow run); the
difference to N tasks is its bookkeeping of N task runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from flows.home import Home
from sroi.prefect_local import local_prefect


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("home", type=Path)
    options.add_argument("--tasks", type=int, default=0)
    arguments = options.parse_args()
    home = Home(arguments.home.resolve())
    with local_prefect(home) as server:
        # Imported after the server is configured: Prefect reads its settings at import.
        from prefect import flow, task  # noqa: PLC0415
        from prefect.cache_policies import NO_CACHE  # noqa: PLC0415

        @task(cache_policy=NO_CACHE)
        def nothing(index: int) -> int:
            return index

        @flow(name="bench-prefect-probe", persist_result=False)
        def probe(tasks: int) -> int:
            return sum(nothing(index) for index in range(tasks))

        if server is not None:
            server.wait_until_ready()
        probe(arguments.tasks)
    print(f"one flow run with {arguments.tasks} task runs")


if __name__ == "__main__":
    main()
