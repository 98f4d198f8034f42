"""The benchmark suite: `make bench` (python -m bench). Generates realistic homes, measures each
step as a whole process (time and peak memory), prints a table with the targets and appends it
to bench/RESULTS.md. See RESULTS.md for what is measured.

    python -m bench [--size small|400|2000|all] [--keep DIR] [--no-append]

Exit code 0 when every measurement ran (whether or not it met its target), 1 when a process
failed (its log is kept under DIR/<size>/logs with --keep), 2 for a wrong option.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.report import RESULTS_FILE, Machine, append_results, results_text
from bench.suite import ALL, SIZES, HomeResult, measure_home


def _options() -> argparse.Namespace:
    options = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    options.add_argument(
        "--size",
        choices=[*SIZES, "all"],
        default="all",
        help=f"the home to measure; all = {' and '.join(ALL)} (default)",
    )
    options.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the homes in this folder and keep them (and the logs)",
    )
    options.add_argument(
        "--no-append", action="store_true", help=f"print the table only, not into {RESULTS_FILE}"
    )
    return options.parse_args()


def _measure(sizes: list[str], folder: Path) -> list[HomeResult]:
    results = []
    for name in sizes:
        size = SIZES[name]
        print(f"{name}: {size.describe()}", file=sys.stderr, flush=True)
        results.append(measure_home(size, folder / name))
    return results


def main() -> int:
    arguments = _options()
    sizes = list(ALL) if arguments.size == "all" else [arguments.size]
    machine = Machine.now()
    if arguments.keep is not None:
        taken = [name for name in sizes if (arguments.keep / name).exists()]
        if taken:
            print(
                f"bench: {arguments.keep / taken[0]} exists; choose another --keep folder",
                file=sys.stderr,
            )
            return 2
        results = _measure(sizes, arguments.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="sroi-bench-") as folder:
            results = _measure(sizes, Path(folder))
    text = results_text(results, machine)
    print(text)
    if not arguments.no_append:
        append_results(text)
        print(f"appended to {RESULTS_FILE}")
    failed = [measurement for result in results for measurement in result.failed]
    for measurement in failed:
        print(f"failed: {measurement.label} (exit {measurement.returncode}): {measurement.note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
