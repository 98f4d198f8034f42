"""Cell values as Dutch spreadsheets hold them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.text import header_key
from parsers.cells import (
    CellError,
    cell_text,
    parse_date_nl,
    parse_decimal_nl,
    parse_flag,
    parse_percentage,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("€ 12.400,00", Decimal("12400.00")),
        ("1.234", Decimal("1234")),
        ("0.8", Decimal("0.8")),
        ("1,234.56", Decimal("1234.56")),
        ("189,00-", Decimal("-189.00")),
        ("36", Decimal("36")),
        (36.0, Decimal("36.0")),
        (593.36, Decimal("593.36")),
        (20, Decimal("20")),
        ("36 uur", Decimal("36")),
        ("32 u p/w", Decimal("32")),
        ("24 uur per week", Decimal("24")),
        ("0,8 fte", Decimal("0.8")),
    ],
)
def test_numbers_in_dutch_and_excel_notation(cell: object, expected: Decimal) -> None:
    assert parse_decimal_nl(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["twintig", "", "12,3,4", True, "uur", "36 dagen"])
def test_a_non_number_is_a_dutch_error(cell: object) -> None:
    with pytest.raises(CellError, match="getal"):
        parse_decimal_nl(cell)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31-12-2025", date(2025, 12, 31)),
        ("31/12/2025", date(2025, 12, 31)),
        ("2025-12-31", date(2025, 12, 31)),
        ("31 december 2025", date(2025, 12, 31)),
        ("19 april 2014", date(2014, 4, 19)),
        ("8-9-2022", date(2022, 9, 8)),
        ("1 mrt. 2025", date(2025, 3, 1)),
        (datetime(2025, 3, 1, 0, 0), date(2025, 3, 1)),
        (date(2025, 3, 1), date(2025, 3, 1)),
        (45658.0, date(2025, 1, 1)),
    ],
)
def test_dates_as_excel_dates_serials_and_text(cell: object, expected: date) -> None:
    assert parse_date_nl(cell) == expected  # type: ignore[arg-type]


def test_1904_serials() -> None:
    assert parse_date_nl(44196.0, date1904=True) == date(2025, 1, 1)


@pytest.mark.parametrize("cell", ["31-31-2025", "morgen", "32 december 2025", "2025-02-30"])
def test_an_impossible_date_is_a_dutch_error(cell: str) -> None:
    with pytest.raises(CellError, match="datum"):
        parse_date_nl(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("ja", True), ("Ja", True), ("x", True), (True, True), ("nee", False), (None, False)],
)
def test_flags(cell: object, expected: bool) -> None:
    assert parse_flag(cell) is expected  # type: ignore[arg-type]


def test_flag_error_names_the_value() -> None:
    with pytest.raises(CellError, match="'misschien' is geen ja of nee"):
        parse_flag("misschien")


@pytest.mark.parametrize(
    ("cell", "expected"), [("5%", 5), ("5", 5), (5, 5), (0.05, 5), ("2,5%", 2.5)]
)
def test_percentages(cell: object, expected: float) -> None:
    assert parse_percentage(cell) == Decimal(str(expected))  # type: ignore[arg-type]


def test_bsn_typed_as_a_number_keeps_its_digits() -> None:
    assert cell_text(111222333.0) == "111222333"


@pytest.mark.parametrize(
    "header", ["Bedrag excl. BTW", "bedrag excl btw", "BEDRAG-EXCL. BTW (€)", " Bedrag  excl.BTW "]
)
def test_header_variants_normalise_alike(header: str) -> None:
    assert header_key(header) == "bedragexclbtw"
