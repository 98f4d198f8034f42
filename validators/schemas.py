"""pandera schemas, one per table kind: column types, required cells, row-level checks.

Check names are registered and mapped to Dutch messages in `validators.messages`; a new check
needs a message there (a test walks every check of every schema).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series
from stdnum.nl import bsn as bsn_number

from validators.conversion import FieldType


def normalise_bsn(text: str) -> str:
    """A BSN typed as a number loses its leading zero; restore it."""
    digits = text.replace(" ", "").replace(".", "").replace("-", "")
    return digits.zfill(9) if digits.isdigit() and len(digits) == 8 else digits


@extensions.register_check_method(statistics=[])
def elfproef(series: pd.Series) -> pd.Series:
    """BSN 11-test (python-stdnum)."""
    return series.isna() | series.map(
        lambda value: pd.isna(value) or bsn_number.is_valid(normalise_bsn(str(value)))
    ).astype(bool)


@extensions.register_check_method(statistics=[])
def kvk_format(series: pd.Series) -> pd.Series:
    """KvK numbers have 8 digits."""
    return series.isna() | series.str.replace(r"\s", "", regex=True).str.fullmatch(r"\d{8}")


_TEXT = pd.StringDtype()


def not_before(frame: pd.DataFrame, earlier: str, later: str) -> pd.Series:
    """Row check: `later` is on or after `earlier` wherever both dates are given."""
    dates = frame[[earlier, later]]
    return dates.isna().any(axis=1) | (dates[later] >= dates[earlier])


class _RowSchema(pa.DataFrameModel):
    row: Series[int]

    class Config:
        strict = True
        coerce = True


class PlacementRows(_RowSchema):
    bsn: Series[_TEXT] = pa.Field(nullable=True, elfproef=())  # type: ignore[valid-type]
    personnel_number: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    name: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    initials: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    birth_date: Series[pa.DateTime] = pa.Field(nullable=False)
    target_group: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    start_date: Series[pa.DateTime] = pa.Field(nullable=False)
    end_date: Series[pa.DateTime] = pa.Field(nullable=True)
    hours_per_week: Series[float] = pa.Field(nullable=True, gt=0, le=168)
    fte: Series[float] = pa.Field(nullable=True, gt=0)
    employment: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    benefit_since: Series[pa.DateTime] = pa.Field(nullable=True)
    refugee: Series[bool]
    special_group: Series[bool]
    evidence: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    note: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]

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


class PurchaseRows(_RowSchema):
    supplier: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    supplier_kvk: Series[_TEXT] = pa.Field(nullable=True, kvk_format=())  # type: ignore[valid-type]
    invoice_number: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    invoice_date: Series[pa.DateTime] = pa.Field(nullable=False)
    amount_excl_vat: Series[float] = pa.Field(nullable=False, gt=0)
    block: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    approved_by: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]

    @pa.dataframe_check
    @classmethod
    def supplier_identified(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["supplier"].notna() | frame["supplier_kvk"].notna()


class HourRows(_RowSchema):
    activity_date: Series[pa.DateTime] = pa.Field(nullable=False)
    activity: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    hours: Series[float] = pa.Field(nullable=False, gt=0, le=24 * 366)
    travel_hours: Series[float] = pa.Field(nullable=True, ge=0)
    approved_by: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]


class ContractRows(_RowSchema):
    contract_id: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    title: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    contractor: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    contractor_kvk: Series[_TEXT] = pa.Field(nullable=True, kvk_format=())  # type: ignore[valid-type]
    municipality: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    contract_value: Series[float] = pa.Field(nullable=False, gt=0)
    sroi_percentage: Series[float] = pa.Field(nullable=True, gt=0, le=100)
    capital_intensive: Series[bool]
    start_date: Series[pa.DateTime] = pa.Field(nullable=False)
    end_date: Series[pa.DateTime] = pa.Field(nullable=False)
    award_date: Series[pa.DateTime] = pa.Field(nullable=True)
    ruleset: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    pso_level: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, le=3)
    label: Series[_TEXT] = pa.Field(nullable=True)  # type: ignore[valid-type]
    pso_valid_until: Series[pa.DateTime] = pa.Field(nullable=True)
    labour_share: Series[float] = pa.Field(nullable=True, gt=0, le=100)

    @pa.dataframe_check
    @classmethod
    def end_not_before_start(cls, frame: pd.DataFrame) -> pd.Series:
        return not_before(frame, "start_date", "end_date")

    @pa.dataframe_check
    @classmethod
    def contract_id_unique(cls, frame: pd.DataFrame) -> pd.Series:
        ids = frame["contract_id"].str.strip().str.upper()
        return ids.isna() | ~ids.duplicated(keep="first")


class ShareRows(_RowSchema):
    contract_id: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    municipality: Series[_TEXT] = pa.Field(nullable=False)  # type: ignore[valid-type]
    share: Series[float] = pa.Field(nullable=False, gt=0, le=100)


PLACEMENT_TYPES: dict[str, FieldType] = {
    "bsn": "text",
    "personnel_number": "text",
    "name": "text",
    "initials": "text",
    "birth_date": "date",
    "target_group": "text",
    "start_date": "date",
    "end_date": "date",
    "hours_per_week": "decimal",
    "fte": "decimal",
    "employment": "text",
    "benefit_since": "date",
    "refugee": "flag",
    "special_group": "flag",
    "evidence": "text",
    "note": "text",
}
PURCHASE_TYPES: dict[str, FieldType] = {
    "supplier": "text",
    "supplier_kvk": "text",
    "invoice_number": "text",
    "invoice_date": "date",
    "amount_excl_vat": "decimal",
    "block": "text",
    "approved_by": "text",
}
HOUR_TYPES: dict[str, FieldType] = {
    "activity_date": "date",
    "activity": "text",
    "hours": "decimal",
    "travel_hours": "decimal",
    "approved_by": "text",
}
CONTRACT_TYPES: dict[str, FieldType] = {
    "contract_id": "text",
    "title": "text",
    "contractor": "text",
    "contractor_kvk": "text",
    "municipality": "text",
    "contract_value": "decimal",
    "sroi_percentage": "percentage",
    "capital_intensive": "flag",
    "start_date": "date",
    "end_date": "date",
    "award_date": "date",
    "ruleset": "text",
    "pso_level": "integer",
    "label": "text",
    "pso_valid_until": "date",
    "labour_share": "percentage",
}
SHARE_TYPES: dict[str, FieldType] = {
    "contract_id": "text",
    "municipality": "text",
    "share": "percentage",
}
