"""pandera schemas, one `DataFrameModel` per table kind.

The columns (type, required, bounds, named column checks) come from the one definition of each
field in rulesets/vocabulary/tables.yaml; the row checks below are the rules that involve more
than one column. Every check name, column or row, has a Dutch message in `validators.messages`;
tests/test_schemas.py walks every check of every model and fails a row that breaks it.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series
from stdnum.nl import bsn as bsn_number

from rulesets.vocabulary import FieldDefinition, FieldType, TableKind, builtin_vocabulary


@extensions.register_check_method(statistics=[])
def elfproef(series: pd.Series) -> pd.Series:
    """BSN 11-test (python-stdnum)."""
    return series.isna() | series.map(
        lambda value: pd.isna(value) or bsn_number.is_valid(str(value))
    ).astype(bool)


@extensions.register_check_method(statistics=[])
def kvk_format(series: pd.Series) -> pd.Series:
    """KvK numbers have 8 digits."""
    return series.isna() | series.str.replace(r"\s", "", regex=True).str.fullmatch(r"\d{8}")


@extensions.register_check_method(statistics=[])
def email_address(series: pd.Series) -> pd.Series:
    """One address: something@domain.tld, no spaces."""
    return series.isna() | series.str.strip().str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")


_DTYPES: dict[FieldType, Any] = {
    FieldType.TEXT: pd.StringDtype(),
    FieldType.DATE: pa.DateTime,
    FieldType.DECIMAL: float,
    FieldType.AMOUNT: float,
    FieldType.PERCENTAGE: float,
    FieldType.FLAG: bool,
    FieldType.INTEGER: pd.Int64Dtype(),
}


def _column(field: FieldDefinition) -> Any:
    options: dict[str, Any] = {"nullable": not field.required and field.type is not FieldType.FLAG}
    if field.bounds is not None:
        options |= field.bounds.as_dict()
    options |= {check: () for check in field.checks}
    return pa.Field(**options)


MODELS: dict[TableKind, type[RowModel]] = {}
"""The model of each table kind, filled as the models below are defined."""
ROWS_COMPARED = frozenset({TableKind.CONTRACTS})
"""Kinds whose model compares rows with each other (contract numbers are unique in the
register): their tables are checked one at a time, never together."""


class RowModel(pa.DataFrameModel):
    """A table's rows after conversion: `row` (the Excel row) and one column per field.

    A subclass names its table kind (`class PlacementRows(RowModel, table=...)`); its columns
    are added from that table's field definitions."""

    row: Series[int]

    class Config:
        strict = True
        coerce = True

    def __init_subclass__(cls, table: TableKind | None = None, **kwargs: Any) -> None:
        if table is not None:
            MODELS[table] = cls
            annotations = dict(inspect.get_annotations(cls))
            for field in builtin_vocabulary().table(table).fields:
                annotations[field.name] = Series[_DTYPES[field.type]]  # type: ignore[name-defined,valid-type]
                column = _column(field)
                setattr(cls, field.name, column)
                column.__set_name__(cls, field.name)
            cls.__annotations__ = annotations
        super().__init_subclass__(**kwargs)


def not_before(frame: pd.DataFrame, earlier: str, later: str) -> pd.Series:
    """Row check: `later` is on or after `earlier` wherever both dates are given."""
    dates = frame[[earlier, later]]
    return dates.isna().any(axis=1) | (dates[later] >= dates[earlier])


class PlacementRows(RowModel, table=TableKind.PLACEMENTS):
    @pa.dataframe_check
    @classmethod
    def person_identified(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["bsn"].notna() | frame["personnel_number"].notna()

    @pa.dataframe_check
    @classmethod
    def working_time_given(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["hours_per_week"].notna() | frame["fte"].notna()

    @pa.dataframe_check
    @classmethod
    def end_not_before_start(cls, frame: pd.DataFrame) -> pd.Series:
        return not_before(frame, "start_date", "end_date")

    @pa.dataframe_check
    @classmethod
    def born_before_start(cls, frame: pd.DataFrame) -> pd.Series:
        dates = frame[["birth_date", "start_date"]]
        return dates.isna().any(axis=1) | (dates["birth_date"] < dates["start_date"])

    @pa.dataframe_check
    @classmethod
    def benefit_not_after_start(cls, frame: pd.DataFrame) -> pd.Series:
        return not_before(frame, "benefit_since", "start_date")


class PurchaseRows(RowModel, table=TableKind.PURCHASES):
    @pa.dataframe_check
    @classmethod
    def supplier_identified(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["supplier"].notna() | frame["supplier_kvk"].notna()


class HourRows(RowModel, table=TableKind.HOURS):
    pass


class ContractRows(RowModel, table=TableKind.CONTRACTS):
    @pa.dataframe_check
    @classmethod
    def end_not_before_start(cls, frame: pd.DataFrame) -> pd.Series:
        return not_before(frame, "start_date", "end_date")

    @pa.dataframe_check
    @classmethod
    def contract_id_unique(cls, frame: pd.DataFrame) -> pd.Series:
        ids = frame["contract_id"].str.strip().str.upper()
        return ids.isna() | ~ids.duplicated(keep="first")


class ShareRows(RowModel, table=TableKind.PARTICIPANTS):
    pass
