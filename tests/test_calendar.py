"""The report day after a quarter (INTERFACE.md section 8): the first working day, weekends and
Dutch public holidays skipped; and the schedule Prefect gets for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from prefect.server.schemas.schedules import RRuleSchedule

from domain.periods import Quarter
from flows.calendar import first_working_day_after, quarterly_rrule, report_days


@pytest.mark.parametrize(
    ("quarter", "report_day", "why"),
    [
        (Quarter(2026, 4), date(2027, 1, 4), "1 January a holiday, 2-3 January a weekend"),
        (Quarter(2024, 1), date(2024, 4, 2), "1 April 2024 was Easter Monday"),
        (Quarter(2026, 3), date(2026, 10, 1), "a Thursday"),
        (Quarter(2025, 2), date(2025, 7, 1), "a Tuesday"),
        (Quarter(2027, 4), date(2028, 1, 3), "1 January 2028 a Saturday"),
        (Quarter(2028, 1), date(2028, 4, 3), "1 April 2028 a Saturday"),
        (Quarter(2029, 1), date(2029, 4, 3), "Easter Monday 2 April 2029"),
        (Quarter(2026, 1), date(2026, 4, 1), "Easter falls later in 2026"),
    ],
)
def test_the_report_day_is_the_first_working_day_after_the_quarter(
    quarter: Quarter, report_day: date, why: str
) -> None:
    assert first_working_day_after(quarter) == report_day, why


def test_report_days_start_at_the_next_one_and_follow_each_quarter() -> None:
    assert report_days(date(2026, 11, 25), 3) == [
        date(2027, 1, 4),
        date(2027, 4, 1),
        date(2027, 7, 1),
    ]
    assert report_days(date(2027, 1, 4), 1) == [date(2027, 1, 4)]
    assert report_days(date(2027, 1, 5), 1) == [date(2027, 4, 1)]


def test_prefect_reads_the_quarterly_schedule_as_those_days_at_the_set_time() -> None:
    days = report_days(date(2026, 11, 25), 4)
    rule = quarterly_rrule(days, time(7, 0), "Europe/Amsterdam")
    schedule = RRuleSchedule(rrule=rule, timezone="Europe/Amsterdam")
    dates = schedule.get_dates(n=10, start=datetime(2026, 11, 25, tzinfo=UTC))
    upcoming = asyncio.run(dates) if asyncio.iscoroutine(dates) else dates
    zone = ZoneInfo("Europe/Amsterdam")
    assert [moment.astimezone(zone) for moment in upcoming] == [
        datetime.combine(day, time(7, 0), tzinfo=zone) for day in days
    ]
