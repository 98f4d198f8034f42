"""From raw cells to typed values, one column type at a time, keeping what went wrong.

A cell that cannot be read (a date column holding 'morgen') yields a Dutch problem for that
cell; the schema checks then skip that cell so the contractor sees one precise reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

import pandas as pd

from domain.dutch import short_number_nl
from parsers.cells import (
    CellError,
    CellValue,
    cell_text,
    is_blank,
    parse_date_nl,
    parse_decimal_nl,
    parse_flag,
    parse_percentage,
)
from parsers.grid import Provenance, RawTable

FieldType = Literal["text", "date", "decimal", "percentage", "flag", "integer"]
TypedValue = str | date | Decimal | bool | int | None


@dataclass(frozen=True)
class TypedRow:
    provenance: Provenance
    values: dict[str, TypedValue]
    problems: dict[str, str]
    """field -> Dutch message for cells that could not be read."""


def _integer(value: CellValue) -> int:
    number = parse_decimal_nl(value)
    if number != number.to_integral_value():
        raise CellError(f"'{cell_text(value)}' is geen geheel getal")
    return int(number)


def _converter(kind: FieldType, date1904: bool) -> Callable[[CellValue], TypedValue]:
    converters: dict[FieldType, Callable[[CellValue], TypedValue]] = {
        "text": cell_text,
        "date": lambda value: parse_date_nl(value, date1904=date1904),
        "decimal": parse_decimal_nl,
        "percentage": parse_percentage,
        "flag": parse_flag,
        "integer": _integer,
    }
    return converters[kind]


def convert_table(table: RawTable, types: Mapping[str, FieldType]) -> list[TypedRow]:
    """Typed values for every field in `types`; fields the file lacks are None (or False)."""
    converters = {name: _converter(kind, table.date1904) for name, kind in types.items()}
    rows: list[TypedRow] = []
    for raw in table.rows:
        values: dict[str, TypedValue] = {}
        problems: dict[str, str] = {}
        for name, kind in types.items():
            cell = raw.cells.get(name)
            if is_blank(cell):
                values[name] = False if kind == "flag" else None
                continue
            try:
                values[name] = converters[name](cell)
            except CellError as error:
                values[name] = None
                problems[name] = str(error)
        rows.append(TypedRow(raw.provenance, values, problems))
    return rows


def _frame_value(value: TypedValue) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return pd.Timestamp(value)
    return value


def to_frame(rows: list[TypedRow], types: Mapping[str, FieldType]) -> pd.DataFrame:
    """One column per field plus `row` (Excel row); index = position in `rows`."""
    records = [
        {"row": row.provenance.row or 0}
        | {name: _frame_value(row.values.get(name)) for name in types}
        for row in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=["row", *types])
    for name, kind in types.items():
        if kind in {"decimal", "percentage"}:
            frame[name] = frame[name].astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "flag":
            frame[name] = frame[name].astype(bool)
        else:
            frame[name] = frame[name].astype("string")
    return frame


def display_value(value: TypedValue) -> str:
    """A typed value as a Dutch reader expects it: 31-12-2025, 2,5, ja."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return short_number_nl(value)
    return "" if value is None else str(value)


def summarise(
    row: TypedRow, label_of: Callable[[str], str], fields: Sequence[str]
) -> dict[str, str]:
    """A few submitted values under their Dutch headers, so a rejected line stays recognisable
    (callers never pass BSN or name)."""
    return {
        label_of(name): display_value(row.values[name])
        for name in fields
        if row.values.get(name) is not None and row.values.get(name) is not False
    }


class MissingValue(LookupError):
    """A value the schema guaranteed is absent: a defect in the pipeline, not bad input."""


def required_date(row: TypedRow, name: str) -> date:
    value = row.values.get(name)
    if not isinstance(value, date):
        raise MissingValue(f"{name} at {row.provenance}")
    return value


def optional_date(row: TypedRow, name: str) -> date | None:
    value = row.values.get(name)
    return value if isinstance(value, date) else None


def required_decimal(row: TypedRow, name: str) -> Decimal:
    value = row.values.get(name)
    if not isinstance(value, Decimal):
        raise MissingValue(f"{name} at {row.provenance}")
    return value


def optional_decimal(row: TypedRow, name: str) -> Decimal | None:
    value = row.values.get(name)
    return value if isinstance(value, Decimal) else None


def optional_text(row: TypedRow, name: str) -> str | None:
    value = row.values.get(name)
    return value if isinstance(value, str) and value else None


def required_text(row: TypedRow, name: str) -> str:
    value = optional_text(row, name)
    if value is None:
        raise MissingValue(f"{name} at {row.provenance}")
    return value


def flag(row: TypedRow, name: str) -> bool:
    return row.values.get(name) is True
