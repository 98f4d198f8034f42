"""Writing text into spreadsheet cells that we hand out (feedback copies, exports): a text that
a spreadsheet would take for a formula or DDE call is neutralised (OWASP CSV/formula injection),
characters XML cannot hold are dropped, and an over-long text is cut at Excel's limit."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make Excel, LibreOffice or a CSV import start a formula or DDE call."""
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes Excel "repair" the file
DATE_FORMAT = "dd-mm-yyyy"
EURO_FORMAT = '"€" #,##0.00;"€" -#,##0.00'
"""Dutch Excel shows this as € 1.234,56 (the separators follow the reader's locale)."""


def neutralise(text: str) -> str:
    """`text` as a cell may safely hold it: never a formula, DDE call or invalid XML."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", text)
    if cleaned.startswith(FORMULA_STARTS):
        cleaned = "'" + cleaned
    if len(cleaned) > MAX_CELL_TEXT:
        cleaned = cleaned[: MAX_CELL_TEXT - 1] + "…"
    return cleaned


def write_text(cell: Cell, text: str) -> None:
    """Put `text` into `cell` as a string, whatever it looks like."""
    cell.value = neutralise(text)
    # openpyxl turns text that looks like "=..." into a formula and "#N/A" into an error value.
    cell.data_type = "s"
