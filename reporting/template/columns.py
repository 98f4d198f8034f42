"""The template's columns, derived from the field definitions (rulesets/vocabulary/tables.yaml):
heading, width, number format, the Excel check and the drop-down list of each column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from openpyxl.utils.datetime import to_excel
from pydantic import BaseModel

from rulesets.model import FixedBlock, HoursBlock, InvoiceBlock, PlacementBlock
from rulesets.vocabulary import (
    FieldDefinition,
    FieldType,
    NumberBounds,
    TableDefinition,
    TableKind,
    Vocabulary,
)

DATE_FORMAT = "DD-MM-YYYY"
TEXT_FORMAT = "@"
AMOUNT_FORMAT = "#,##0.00"
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


@dataclass(frozen=True)
class Check:
    """An Excel date or number validation; bounds are Excel numbers (dates as serials)."""

    type: Literal["date", "decimal", "whole"]
    operator: str
    bounds: tuple[str, ...]
    error: str


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: what a contractor sees, types and is told about it."""

    field: FieldDefinition
    width: int
    required: str
    number_format: str | None
    check: Check | None
    choices: str | None

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def heading(self) -> str:
        return self.field.label

    @property
    def explanation(self) -> str:
        return self.field.description


@dataclass(frozen=True)
class SheetPlan:
    name: str
    table: TableDefinition
    needs: tuple[type[BaseModel], ...]
    """The sheet is written only when the ruleset has a block of one of these kinds."""
    columns: tuple[Column, ...]

    @property
    def lines(self) -> str:
        """What one row is, for the hint above the headings."""
        return self.table.row


_NEEDS: dict[TableKind, tuple[type[BaseModel], ...]] = {
    TableKind.PLACEMENTS: (PlacementBlock, FixedBlock),
    TableKind.PURCHASES: (InvoiceBlock,),
    TableKind.HOURS: (HoursBlock,),
}


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _number_check(field: FieldDefinition, bounds: NumberBounds) -> Check:
    lower = bounds.gt if bounds.gt is not None else bounds.ge
    upper = bounds.lt if bounds.lt is not None else bounds.le
    kind: Literal["decimal", "whole"] = "whole" if field.type is FieldType.INTEGER else "decimal"
    error = f"Vul bij '{field.label}' een getal in, {bounds.describe_nl()}."
    if lower is not None and upper is not None:
        return Check(kind, "between", (_number(lower), _number(upper)), error)
    if lower is not None:
        operator = "greaterThan" if bounds.gt is not None else "greaterThanOrEqual"
        return Check(kind, operator, (_number(lower),), error)
    if upper is None:  # the model guarantees at least one bound; keep the type checker sure
        raise ValueError(f"{field.name}: bounds without a bound")
    operator = "lessThan" if bounds.lt is not None else "lessThanOrEqual"
    return Check(kind, operator, (_number(upper),), error)


_DATE_CHECK = Check(
    "date",
    "between",
    (f"{to_excel(EARLIEST_DATE):g}", f"{to_excel(LATEST_DATE):g}"),
    "Vul een datum in als dd-mm-jjjj, tussen 01-01-1900 en 31-12-2100.",
)


def _column(field: FieldDefinition) -> Column | None:
    hints = field.template
    if hints is None:
        return None
    check = None
    number_format = TEXT_FORMAT if hints.as_text else None
    if field.type is FieldType.DATE:
        check, number_format = _DATE_CHECK, DATE_FORMAT
    elif field.bounds is not None:
        check = _number_check(field, field.bounds)
    if field.type is FieldType.AMOUNT:
        number_format = AMOUNT_FORMAT
    required = hints.required or ("ja" if field.required else "nee")
    return Column(field, hints.width, required, number_format, check, hints.choices)


def sheet_plans(vocabulary: Vocabulary) -> tuple[SheetPlan, ...]:
    """Plaatsingen, Inkoop and MVO with the columns the template offers."""
    plans = []
    for kind, needs in _NEEDS.items():
        table = vocabulary.table(kind)
        columns = tuple(column for field in table.fields if (column := _column(field)))
        plans.append(SheetPlan(table.title, table, needs, columns))
    return tuple(plans)
