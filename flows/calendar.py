"""When the scheduled runs happen (INTERFACE.md section 8): the nightly validation run by cron,
and the quarterly report run on the first working day after a quarter ends, weekends and Dutch
public holidays skipped (the `holidays` package keeps the Dutch calendar: New Year's Day,
Easter and Whit Monday, King's Day, Liberation Day in lustrum years, Ascension Day, Christmas).

Prefect schedules the quarterly run from an explicit list of dates (an RRULE set of RDATEs),
so the Prefect UI shows the coming report days as they really are."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from domain.periods import Quarter

QUARTERS_AHEAD = 12
"""The quarterly schedule lists the next three years of report days; `sroi serve` renews it
every time it starts."""


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays.country_holidays("NL", years=day.year)


def first_working_day_after(quarter: Quarter) -> date:
    """The report day of a quarter: the first working day after its last day."""
    day = quarter.last_day + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def report_days(after: date, count: int = QUARTERS_AHEAD) -> list[date]:
    """The next `count` report days on or after `after`."""
    quarter = Quarter.of(after).previous()
    days: list[date] = []
    while len(days) < count:
        day = first_working_day_after(quarter)
        if day >= after:
            days.append(day)
        quarter = quarter.next()
    return days


def quarterly_rrule(days: list[date], at: time, timezone: str) -> str:
    """An RRULE set of the report days at `at` local time (for Prefect's RRule schedule): a
    DTSTART and one RDATE per day, in the zone's local time."""
    zone = ZoneInfo(timezone)
    moments = [datetime.combine(day, at, tzinfo=zone) for day in days]
    stamp = "%Y%m%dT%H%M%S"
    return (
        f"DTSTART:{moments[0].strftime(stamp)}\n"
        f"RDATE:{','.join(moment.strftime(stamp) for moment in moments)}"
    )
