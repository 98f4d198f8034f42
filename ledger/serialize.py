"""Line facts to and from JSON columns: dates as ISO text, decimals as exact text."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from validators.lines import Facts, HourFacts, LineKind, PlacementFacts, PurchaseFacts

_FACT_TYPES: dict[LineKind, type[PlacementFacts] | type[PurchaseFacts] | type[HourFacts]] = {
    LineKind.PLACEMENT: PlacementFacts,
    LineKind.PURCHASE: PurchaseFacts,
    LineKind.HOURS: HourFacts,
}


def facts_to_json(facts: Facts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    encoded: dict[str, Any] = {}
    for field in dataclasses.fields(facts):
        value = getattr(facts, field.name)
        encoded[field.name] = str(value) if isinstance(value, Decimal | date) else value
    return encoded


def _decode(value: Any, annotation: Any) -> Any:
    if value is None:
        return None
    options = typing.get_args(annotation) or (annotation,)
    if Decimal in options:
        return Decimal(value)
    if date in options:
        return date.fromisoformat(value)
    return value


def facts_from_json(kind: LineKind, data: dict[str, Any] | None) -> Facts | None:
    if data is None:
        return None
    cls = _FACT_TYPES[kind]
    hints = typing.get_type_hints(cls)
    return cls(**{name: _decode(data.get(name), hints[name]) for name in hints})
