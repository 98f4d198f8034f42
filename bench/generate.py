"""Writes a scaled demo home (sroi/demo/scaled.py): contracts.xlsx and the inbox.

python -m bench.generate HOME --contracts 50 --workbooks 400 --invoices 40 [--seed 0]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sroi.demo.generator import write_demo_home
from sroi.demo.scaled import scaled_home


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("home", type=Path)
    options.add_argument("--contracts", type=int, required=True)
    options.add_argument("--workbooks", type=int, required=True)
    options.add_argument("--invoices", type=int, required=True)
    options.add_argument("--seed", type=int, default=0)
    arguments = options.parse_args()
    demo = scaled_home(arguments.contracts, arguments.workbooks, arguments.invoices, arguments.seed)
    written = write_demo_home(arguments.home, demo)
    print(f"{len(written)} inbox files, {len(demo.people)} people")


if __name__ == "__main__":
    main()
