"""`sroi.toml` (INTERFACE.md section 8): every key optional, unknown keys an error naming the
key. One model per section; `sroi init` writes them all, commented, with their defaults."""

from __future__ import annotations

import re
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from parsers.limits import ReadLimits

_CRON_FIELD = re.compile(r"^[\d*/,\-]+$|^[A-Za-z]{3}$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LedgerSettings(_Section):
    url: str | None = Field(
        default=None,
        description="several machines share one ledger (default: sqlite in the home folder; "
        "$SROI_DATABASE_URL wins)",
        examples=["postgresql+psycopg://sroi@dbserver/sroi"],
    )


class ScheduleSettings(_Section):
    timezone: str = Field(default="Europe/Amsterdam", description="time zone of the schedules")
    nightly: str = Field(default="0 2 * * *", description="cron: the nightly validation run")
    quarterly_at: str = Field(
        default="07:00",
        description="the report run, on the first working day after a quarter (weekends and "
        "Dutch public holidays skipped)",
    )
    watch_quiet_minutes: float = Field(
        default=10,
        ge=0,
        description="inbox watch: a run starts once new files were quiet this long; 0 = off",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Amsterdam)") from error
        return value

    @field_validator("nightly")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        fields = value.split()
        if len(fields) != 5 or not all(_CRON_FIELD.match(field) for field in fields):
            raise ValueError(f"{value!r} is not a cron expression (e.g. '0 2 * * *')")
        return value

    @field_validator("quarterly_at")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value!r} is not a time of day (e.g. '07:00')") from error
        return value

    @property
    def quarterly_time(self) -> time:
        return time.fromisoformat(self.quarterly_at)


class MailSettings(_Section):
    host: str | None = Field(
        default=None,
        description="SMTP server; without it no mail is sent",
        examples=["smtp.example.nl"],
    )
    port: int = Field(default=587, gt=0, lt=65536, description="SMTP port")
    starttls: bool = Field(default=True, description="encrypt the connection with STARTTLS")
    username: str | None = Field(default=None, description="SMTP login", examples=["sroi"])
    password_env: str = Field(
        default="SROI_SMTP_PASSWORD",
        description="the environment variable that holds the password (never this file)",
    )
    sender: str | None = Field(
        default=None, description="From: of every message", examples=["SROI-team <sroi@example.nl>"]
    )
    remind_after_days: int = Field(
        default=15,
        ge=0,
        description="remind contractors without a submission this many days after a quarter; "
        "0 = never",
    )
    municipalities: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="who receives which reports: a municipality's name, or 'regio' for the "
        "region report, to a list of addresses",
    )


class RetentionSettings(_Section):
    years: int | None = Field(
        default=None,
        gt=0,
        description="what `sroi purge` and the quarterly run remove when older; none: keep all",
        examples=[7],
    )


class Settings(_Section):
    ledger: LedgerSettings = LedgerSettings()
    limits: ReadLimits = ReadLimits()
    schedule: ScheduleSettings = ScheduleSettings()
    mail: MailSettings = MailSettings()
    retention: RetentionSettings = RetentionSettings()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    return f'"{value}"'


def settings_example() -> str:
    """The commented sroi.toml that `sroi init` writes: every setting with its default (or an
    example) and its meaning, taken from the settings models themselves."""
    lines = [
        "# SROI pipeline settings. Every setting is optional; the defaults work on one laptop."
    ]
    for section, info in Settings.model_fields.items():
        lines += ["#", f"# [{section}]"]
        model = info.annotation
        if not isinstance(model, type) or not issubclass(model, BaseModel):
            continue
        for name, field in model.model_fields.items():
            if name == "municipalities":
                continue
            value = field.default if field.default is not None else (field.examples or [""])[0]
            lines.append(f"# {name} = {_toml_value(value)}   # {field.description}")
    lines += [
        "#",
        "# [mail.municipalities]            # who receives which reports",
        '# Enschede = ["manager.sroi@enschede.example"]',
        '# regio = ["regio@twente.example"]   # the region report',
    ]
    return "\n".join(lines) + "\n"
