"""Dated evidence must lie in the contract period (VALUATION.md section 9)."""

from __future__ import annotations

from datetime import date

from domain.contracts import Contract


def outside_period_reason(contract: Contract, day: date, what: str) -> str | None:
    """The Dutch reason when `day` lies outside the contract period, else None."""
    if contract.start_date <= day <= contract.end_date:
        return None
    return (
        f"{what} {day:%d-%m-%Y} valt buiten de contractperiode "
        f"({contract.start_date:%d-%m-%Y} t/m {contract.end_date:%d-%m-%Y})"
    )
