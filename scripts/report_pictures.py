"""`make docs`: pictures of the reports, for the README.

Runs `sroi demo` into a temporary home and renders the first page of each report kind (region,
municipality, contract) to docs/reports/<kind>.png, so a reader sees the reports without
running anything. pdfplumber draws the pages (through pypdfium2), so nothing beyond the pinned
Python packages is needed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "reports"
QUARTER = "2026Q3"
PAGES = {
    "regio": "regio.pdf",
    "gemeente": "gemeenten/Hengelo.pdf",
    "contract": "contracts/TW-2025-030.pdf",
}
RESOLUTION = 120


def first_page_png(pdf: Path, png: Path) -> None:
    with pdfplumber.open(pdf) as document:
        document.pages[0].to_image(resolution=RESOLUTION).save(png)


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sroi-docs-") as folder:
        home = Path(folder) / "demo"
        subprocess.run(  # noqa: S603 - our own command with fixed arguments
            [sys.executable, "-m", "sroi.cli", "demo", "--home", str(home)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for kind, relative in PAGES.items():
            png = TARGET / f"{kind}.png"
            first_page_png(home / "reports" / QUARTER / relative, png)
            print(f"{png.relative_to(ROOT)}: first page of {relative}")


if __name__ == "__main__":
    main()
