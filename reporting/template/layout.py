"""Where things stand in the template workbook, and how they look; shared by its sheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

TITLE_ROW = 1
CONTRACT_ROW = 2
CONTRACTOR_ROW = 3
HINT_ROW = 4
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 500
LAST_DATA_ROW = HEADER_ROW + DATA_ROWS
LISTS_SHEET = "Lijsten"
GUIDE_SHEET = "Uitleg"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
