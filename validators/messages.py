"""pandera failure cases as Dutch sentences per row, for the contractor and the coordinator."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from domain.errors import SroiError

RowMessages = dict[int, list[str]]
"""Frame position -> Dutch messages."""

ROW_CHECK_MESSAGES: Mapping[str, str] = {
    "person_identified": "BSN of personeelsnummer ontbreekt",
    "working_time_given": "uren per week of FTE ontbreekt",
    "end_not_before_start": "einddatum ligt voor de startdatum",
    "born_before_start": "geboortedatum ligt niet voor de startdatum",
    "benefit_not_after_start": "'Uitkering sinds' ligt na de startdatum",
    "supplier_identified": "leverancier of KvK-nummer leverancier ontbreekt",
    "contract_id_unique": "contractnummer komt twee keer voor in het register",
}

_BOUND = re.compile(
    r"^(greater_than|greater_than_or_equal_to|less_than|less_than_or_equal_to)\((.+)\)$"
)
_BOUND_TEXT = {
    "greater_than": "moet groter zijn dan {}",
    "greater_than_or_equal_to": "mag niet kleiner zijn dan {}",
    "less_than": "moet kleiner zijn dan {}",
    "less_than_or_equal_to": "mag niet groter zijn dan {}",
}


class SchemaDefect(SroiError):
    """A failure the schema should never produce for frames we build (a bug, not bad input)."""


def _number_nl(text: str) -> str:
    return text.removesuffix(".0").replace(".", ",")


def column_message(check: str, label: str) -> str:
    if check == "not_nullable":
        return f"{label} ontbreekt"
    if check == "elfproef":
        return f"{label} is ongeldig (elfproef mislukt)"
    if check == "kvk_format":
        return f"{label} moet uit 8 cijfers bestaan"
    if check == "email_address":
        return f"{label} is geen e-mailadres (bijvoorbeeld naam@bedrijf.nl)"
    bound = _BOUND.match(check)
    if bound:
        return f"{label} {_BOUND_TEXT[bound.group(1)].format(_number_nl(bound.group(2)))}"
    raise SchemaDefect(f"no Dutch message for column check {check!r}")


def row_check_message(check: str) -> str:
    if check not in ROW_CHECK_MESSAGES:
        raise SchemaDefect(f"no Dutch message for row check {check!r}")
    return ROW_CHECK_MESSAGES[check]


def validate_rows(
    schema: type[pa.DataFrameModel],
    frame: pd.DataFrame,
    label_of: Callable[[str], str],
    unreadable: set[tuple[int, str]],
) -> RowMessages:
    """Messages per frame position; cells in `unreadable` already have their own message."""
    return failure_messages(schema_failures(schema, frame), label_of, unreadable)


def schema_failures(schema: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases of the frame (lazy: all of them); empty when it passes."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["index", "check", "column", "schema_context"])


def failure_messages(
    failures: pd.DataFrame, label_of: Callable[[str], str], unreadable: set[tuple[int, str]]
) -> RowMessages:
    messages: RowMessages = {}
    for failure in failures.to_dict("records"):
        index = failure["index"]
        if index is None or pd.isna(index):
            raise SchemaDefect(f"schema-level failure: {failure['check']} on {failure['column']}")
        position = int(index)
        check = str(failure["check"])
        if failure["schema_context"] == "Column":
            column = str(failure["column"])
            if (position, column) in unreadable:
                continue
            text = column_message(check, label_of(column))
        else:
            text = row_check_message(check)
        bucket = messages.setdefault(position, [])
        if text not in bucket:
            bucket.append(text)
    return messages
