"""The floor: every file of an inbox read once, in one bare process, as fast as the libraries the
pipeline uses can read it. Workbooks: every value of every sheet with python-calamine; PDFs: the
text of every page with pdfplumber. Nothing of the pipeline is imported.

    python -m bench.floor INBOX
"""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import python_calamine

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def read_workbook(path: Path) -> int:
    """Reads every sheet's values; returns the number of cells."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python()
        cells += sum(len(row) for row in rows)
    return cells


def read_pdf(path: Path) -> int:
    """Extracts every page's text; returns the number of characters."""
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print("usage: python -m bench.floor INBOX", file=sys.stderr)
        return 2
    files = sorted(path for path in Path(arguments[0]).rglob("*") if path.is_file())
    workbooks = cells = pdfs = characters = unreadable = 0
    for path in files:
        suffix = path.suffix.lower()
        try:
            if suffix in WORKBOOK_SUFFIXES:
                cells += read_workbook(path)
                workbooks += 1
            elif suffix == ".pdf":
                characters += read_pdf(path)
                pdfs += 1
        except python_calamine.CalamineError:
            unreadable += 1
    print(
        f"{workbooks} workbooks ({cells} cells), {pdfs} PDFs ({characters} characters), "
        f"{unreadable} unreadable"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
