"""Reading single cell values the way Dutch spreadsheets write them.

Small pure functions; each raises `CellError` with a Dutch message naming what was expected, so
the validator can tell the contractor exactly which cell is wrong and why.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

CellValue = str | float | int | bool | date | datetime | time | timedelta | None

_EXCEL_EPOCH_1900 = date(1899, 12, 30)  # serial 1 = 1900-01-01 given Excel's 1900 leap-year bug
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WRITTEN_DATE = re.compile(r"^(\d{1,2})\.?\s+([a-z]+)\.?\s+(\d{4})$")
_GROUPED_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_UNIT = re.compile(
    r"\s*(?:uur|uren|u|h|hrs?|hours?|fte)?\s*(?:per\s*week|p/?w|/\s*(?:week|wk))?\s*$",
    re.IGNORECASE,
)
"""A unit after a number: '36 uur', '32 u p/w', '0,8 fte', '24 uur per week'."""
_YES = {"ja", "j", "yes", "y", "x", "1", "true", "waar", "vast"}
_NO = {"nee", "n", "no", "0", "false", "onwaar", ""}


class CellError(ValueError):
    """A cell holds something other than what its column needs; message in Dutch."""


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: CellValue) -> str:
    """Text of a cell; whole numbers without '.0' (a BSN typed as a number stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    return str(value).strip()


def parse_decimal_nl(value: CellValue) -> Decimal:
    """Numbers as Excel stores them or as Dutch text: '1.234,56', '1234,56', '€ 12,50', '36'."""
    if isinstance(value, bool) or value is None:
        raise CellError("geen getal")
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not isinstance(value, str):
        raise CellError(f"'{cell_text(value)}' is geen getal")
    text = _UNIT.sub("", value.strip().replace("\u00a0", " "), count=1)
    text = text.replace("€", "").replace("EUR", "").replace(" ", "")
    text = text.rstrip("%")
    negative = text.endswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("()").rstrip("-")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif _GROUPED_THOUSANDS.match(text):
        # Dutch notation: '1.234' is one thousand two hundred thirty-four.
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(f"'{value.strip()}' is geen getal") from error
    if not number.is_finite():
        raise CellError(f"'{value.strip()}' is geen getal")
    return -number if negative else number


def parse_percentage(value: CellValue) -> Decimal:
    """'5%', '5', 5 and 0.05 (a cell formatted as percentage) all mean five percent."""
    number = parse_decimal_nl(value)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 < number < 1:
        return number * 100
    return number


def _from_serial(serial: float, *, date1904: bool) -> date:
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH_1900
    return epoch + timedelta(days=int(serial))


def parse_date_nl(value: CellValue, *, date1904: bool = False) -> date:
    """Excel dates, serial numbers, and text as '31-12-2025', '31/12/2025', '2025-12-31',
    '31 december 2025'."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's range: 1900-01-01 .. 9999-12-31
            return _from_serial(float(value), date1904=date1904)
        raise CellError(f"'{cell_text(value)}' is geen datum")
    if not isinstance(value, str) or not value.strip():
        raise CellError("geen datum")
    text = value.strip().casefold()
    try:
        return _parse_date_text(text)
    except ValueError as error:
        raise CellError(
            f"'{value.strip()}' is geen geldige datum (verwacht bv. 31-12-2025)"
        ) from error


def _parse_date_text(text: str) -> date:
    if match := _NUMERIC_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000 if year < 70 else 1900
        return date(year, month, day)
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := _WRITTEN_DATE.match(text):
        month_name = match.group(2)
        if month_name not in _MONTHS:
            raise ValueError(month_name)
        return date(int(match.group(3)), _MONTHS[month_name], int(match.group(1)))
    raise ValueError(text)


def parse_flag(value: CellValue) -> bool:
    """ja/nee, yes/no, x, 1/0, WAAR/ONWAAR; blank is nee."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = cell_text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"'{cell_text(value)}' is geen ja of nee")
