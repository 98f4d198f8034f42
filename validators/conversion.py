"""From raw cells to typed values, one column type at a time, keeping what went wrong.

A cell that cannot be read (a date column holding 'morgen') yields a Dutch problem for that
cell; the schema checks then skip that cell so the contractor sees one precise reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
from rulesets.vocabulary import FieldType, TableDefinition

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
        FieldType.TEXT: cell_text,
        FieldType.DATE: lambda value: parse_date_nl(value, date1904=date1904),
        FieldType.DECIMAL: parse_decimal_nl,
        FieldType.AMOUNT: parse_decimal_nl,
        FieldType.PERCENTAGE: parse_percentage,
        FieldType.FLAG: parse_flag,
        FieldType.INTEGER: _integer,
    }
    return converters[kind]


def convert_table(table: RawTable) -> list[TypedRow]:
    """Typed values for every field of the table's definition; fields the file lacks are None
    (or False for a flag)."""
    types = table.definition.types()
    converters = {name: _converter(kind, table.date1904) for name, kind in types.items()}
    rows: list[TypedRow] = []
    for raw in table.rows:
        values: dict[str, TypedValue] = {}
        problems: dict[str, str] = {}
        for name, kind in types.items():
            cell = raw.cells.get(name)
            if is_blank(cell):
                values[name] = False if kind is FieldType.FLAG else None
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


def to_frame(rows: Sequence[TypedRow], definition: TableDefinition) -> pd.DataFrame:
    """One column per field plus `row` (Excel row); index = position in `rows`."""
    types = definition.types()
    records = [
        {"row": row.provenance.row or 0}
        | {name: _frame_value(row.values.get(name)) for name in types}
        for row in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=["row", *types])
    for name, kind in types.items():
        frame[name] = _as_column_type(frame[name], kind)
    return frame


def _as_column_type(column: pd.Series, kind: FieldType) -> pd.Series:
    if kind in {FieldType.DECIMAL, FieldType.AMOUNT, FieldType.PERCENTAGE}:
        return column.astype("float64")
    if kind is FieldType.DATE:
        return pd.to_datetime(column)
    if kind is FieldType.INTEGER:
        return column.astype("Int64")
    if kind is FieldType.FLAG:
        return column.astype(bool)
    return column.astype("string")


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
