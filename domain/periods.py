"""Dates as the valuation rules use them: inclusive day ranges and calendar quarters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from domain.errors import UserError

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter such as 2025Q3."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if match is None:
            raise UserError(f"not a quarter: {text!r} (expected e.g. 2025Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, day: date) -> Quarter:
        """The quarter being reported on at `day`: submissions for Q3 arrive in October."""
        current = cls.of(day)
        return current if day == current.last_day else current.previous()

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label_nl(self) -> str:
        """'3e kwartaal 2026'."""
        return f"{self.number}e kwartaal {self.year}"


@dataclass(frozen=True)
class DayRange:
    """Days `first`..`last`, both inclusive. Empty when last < first."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return max(0, (self.last - self.first).days + 1)

    @property
    def is_empty(self) -> bool:
        return self.last < self.first

    def clip(self, other: DayRange) -> DayRange:
        return DayRange(max(self.first, other.first), min(self.last, other.last))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def days_inclusive(first: date, last: date) -> int:
    """Number of days from first to last, both counted; 0 when last is before first."""
    return DayRange(first, last).days


def age_on(birth: date, day: date) -> int:
    """Age in whole years on `day`, calendar arithmetic (VALUATION.md section 9): a birthday
    counts from that day on, and someone born on 29 February turns a year older on
    28 February in other years."""
    return relativedelta(day, birth).years


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it does not exist: benefit
    since 31-08-2024 plus 6 months is 28-02-2025 (VALUATION.md section 9)."""
    return day + relativedelta(months=months)
