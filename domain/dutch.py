"""How amounts, dates and percentages look to Dutch readers: `€ 1.234,56`, `31-12-2025`."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_cents(amount: Decimal) -> Decimal:
    """Commercial rounding to whole cents (half away from zero), as on an invoice."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _group_thousands(digits: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def number_nl(value: Decimal | float | int, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50' (Dutch separators)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = _group_thousands(whole)
    if decimals:
        text += "," + fraction.ljust(decimals, "0")
    return sign + text


def short_number_nl(value: Decimal | float | int) -> str:
    """40.0 -> '40', 2.50 -> '2,5': a number in running Dutch text."""
    normalised = Decimal(str(value)).normalize()
    text = f"{normalised:f}"
    return text.replace(".", ",")


def euro(value: Decimal | float | int) -> str:
    """1234.56 -> '€ 1.234,56'; negative: '€ -1.234,56'."""
    return f"€ {number_nl(value, 2)}"


def date_nl(value: date | None) -> str:
    """2025-12-31 -> '31-12-2025'; None -> ''."""
    return "" if value is None else value.strftime("%d-%m-%Y")


def percent_nl(fraction: Decimal | float, decimals: int = 0) -> str:
    """0.255 -> '25,5%' with decimals=1."""
    return f"{number_nl(Decimal(str(fraction)) * 100, decimals)}%"
