"""Line facts to and from JSON columns: dates as ISO text, decimals as exact text."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from decimal import Decimal
from functools import cache
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


@cache
def _decoders(kind: LineKind) -> dict[str, type | None]:
    """Per field of the kind's facts: Decimal, date, or None (kept as it is). Worked out once:
    type hints are slow to evaluate."""
    hints = typing.get_type_hints(_FACT_TYPES[kind])
    decoders: dict[str, type | None] = {}
    for name, annotation in hints.items():
        options = typing.get_args(annotation) or (annotation,)
        decoders[name] = Decimal if Decimal in options else date if date in options else None
    return decoders


def _decode(value: Any, decoder: type | None) -> Any:
    if value is None or decoder is None:
        return value
    if decoder is Decimal:
        return Decimal(value)
    return date.fromisoformat(value)


def facts_from_json(kind: LineKind, data: dict[str, Any] | None) -> Facts | None:
    if data is None:
        return None
    return _FACT_TYPES[kind](
        **{name: _decode(data.get(name), decoder) for name, decoder in _decoders(kind).items()}
    )
