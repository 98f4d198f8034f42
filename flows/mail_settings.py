"""The `[mail]` settings checked for sending: what is missing or wrong, said in English on the
command line (one line, exit 2) and in Dutch where the worklist shows it (a scheduled mail step
records it as the reason its messages failed). No `[mail] host` means mail is off."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr

from domain.errors import ConfigError
from flows.home import Home
from flows.settings import MailSettings
from flows.smtp import SmtpAccount

_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


@dataclass(frozen=True)
class SettingProblem:
    """A `[mail]` setting that keeps mail from going out: in English for the command line, in
    Dutch for the worklist."""

    en: str
    nl: str


def mail_setting_problems(
    settings: MailSettings, environ: Mapping[str, str]
) -> list[SettingProblem]:
    """What is missing or wrong in `[mail]` for sending (mail is on: a host is set)."""
    problems = []
    _, sender = parseaddr(settings.sender or "")
    if not settings.sender:
        problems.append(
            SettingProblem(
                '[mail] sender is missing (e.g. sender = "SROI-team <sroi@example.nl>")',
                "afzender ontbreekt in sroi.toml ([mail] sender)",
            )
        )
    elif not _ADDRESS.fullmatch(sender):
        problems.append(
            SettingProblem(
                f"[mail] sender {settings.sender!r} has no e-mail address",
                f"afzender {settings.sender!r} in sroi.toml is geen e-mailadres",
            )
        )
    if settings.username and not settings.starttls:
        problems.append(
            SettingProblem(
                "[mail] username without starttls would send the password unencrypted; "
                "set starttls = true",
                "inloggen zonder STARTTLS zou het wachtwoord onversleuteld versturen "
                "(sroi.toml [mail] starttls)",
            )
        )
    if settings.username and not environ.get(settings.password_env):
        problems.append(
            SettingProblem(
                f"[mail] username is set but the environment variable {settings.password_env} "
                "(the SMTP password) is empty",
                f"wachtwoord ontbreekt: omgevingsvariabele {settings.password_env} is leeg",
            )
        )
    for name, addresses in settings.municipalities.items():
        for address in addresses:
            if not _ADDRESS.fullmatch(address.strip()):
                problems.append(
                    SettingProblem(
                        f"[mail.municipalities] {name}: {address!r} is not an e-mail address",
                        f"[mail.municipalities] {name}: {address!r} is geen e-mailadres",
                    )
                )
    return problems


def check_mail_settings(home: Home) -> MailSettings:
    """The `[mail]` settings, ready to send: a ConfigError (one line) when mail is off or a
    setting is missing."""
    settings = home.load_settings().mail
    if settings.host is None:
        raise ConfigError(f"mail is off: no [mail] host in {home.settings_file}")
    problems = mail_setting_problems(settings, os.environ)
    if problems:
        raise ConfigError("; ".join(problem.en for problem in problems))
    return settings


def smtp_account(settings: MailSettings, environ: Mapping[str, str]) -> SmtpAccount:
    """Where and how to send, with the password from the environment variable named in
    `password_env` (never from sroi.toml)."""
    return SmtpAccount(
        host=settings.host or "",
        port=settings.port,
        starttls=settings.starttls,
        username=settings.username,
        password=environ.get(settings.password_env),
    )
