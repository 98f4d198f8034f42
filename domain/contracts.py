"""A registered contract: what was agreed, for whom, under which ruleset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.periods import DayRange


@dataclass(frozen=True)
class MunicipalShare:
    municipality: str
    share: Decimal
    """Fraction of the contract (0..1)."""


@dataclass(frozen=True)
class Contract:
    contract_id: str
    title: str
    contractor: str
    contractor_kvk: str | None
    municipality: str
    contract_value: Decimal
    sroi_percentage: Decimal | None
    """As registered (5 means 5%); None means the ruleset's default."""
    capital_intensive: bool
    start_date: date
    end_date: date
    award_date: date
    ruleset_id: str
    pso_level: int | None
    label: str | None
    pso_valid_until: date | None
    labour_share: Decimal | None
    """Fraction of the obligation that is labour component; None when not registered."""
    shares: tuple[MunicipalShare, ...]
    source_row: int | None = None
    email: str | None = None
    """Where the contractor receives feedback and reminders (register column E-mail)."""

    @property
    def period(self) -> DayRange:
        return DayRange(self.start_date, self.end_date)
