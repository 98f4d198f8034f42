"""Sending messages over SMTP: one connection for a mail step, encrypted with STARTTLS (the
server's certificate checked against the system's certificate authorities, or those in
$SSL_CERT_FILE), logged in with the password from the environment variable `[mail]
password_env` names. Every failure is a MailDeliveryError with a reason a coordinator can read
in the worklist."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType

from domain.errors import SroiError

TIMEOUT_SECONDS = 60.0


class MailDeliveryError(SroiError):
    """A message was not accepted: the server cannot be reached or refused it. `reason_nl` is
    what the worklist shows; `connection` says whether the whole connection is unusable."""

    def __init__(self, reason_nl: str, *, connection: bool) -> None:
        self.reason_nl = reason_nl
        self.connection = connection
        super().__init__(reason_nl)


@dataclass(frozen=True)
class SmtpAccount:
    """Where and how to send: `[mail]` of sroi.toml with the password read from the
    environment."""

    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        raw = error.smtp_error
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
        return f"{error.smtp_code} {text}".strip()
    return str(error) or type(error).__name__


def _greeting_problem(account: SmtpAccount, error: BaseException) -> str:
    """What went wrong between connecting and being logged in, in Dutch."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"SMTP-server {account.where} biedt geen STARTTLS of inloggen aan"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"inloggen op SMTP-server {account.where} als {account.username} geweigerd"
    if isinstance(error, ssl.SSLError):
        return f"versleutelde verbinding met SMTP-server {account.where} mislukt"
    return f"SMTP-server {account.where}"


class SmtpSession:
    """One SMTP connection, opened at the first message. When it cannot be opened (or breaks),
    every later message of the session fails with the same reason without trying again: a
    server that is down is tried once per mail step."""

    def __init__(self, account: SmtpAccount) -> None:
        self.account = account
        self._client: smtplib.SMTP | None = None
        self._broken: MailDeliveryError | None = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _connect(self) -> smtplib.SMTP:
        account = self.account
        try:
            client = smtplib.SMTP(account.host, account.port, timeout=TIMEOUT_SECONDS)
        except (OSError, smtplib.SMTPException) as error:
            raise MailDeliveryError(
                f"SMTP-server {account.where} niet bereikbaar: {_reason(error)}", connection=True
            ) from error
        try:
            client.ehlo()
            if account.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if account.username:
                client.login(account.username, account.password or "")
        except (OSError, smtplib.SMTPException) as error:
            client.close()
            raise MailDeliveryError(
                f"{_greeting_problem(account, error)}: {_reason(error)}", connection=True
            ) from error
        return client

    def send(self, message: EmailMessage) -> None:
        """Hands the message to the server; raises MailDeliveryError when it is not taken."""
        if self._broken is not None:
            raise self._broken
        if self._client is None:
            try:
                self._client = self._connect()
            except MailDeliveryError as error:
                self._broken = error
                raise
        try:
            self._client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            refused = ", ".join(sorted(error.recipients))
            raise MailDeliveryError(
                f"ontvanger geweigerd door de SMTP-server: {refused}", connection=False
            ) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise MailDeliveryError(
                f"bericht geweigerd door de SMTP-server: {_reason(error)}", connection=False
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            self._client = None
            self._broken = MailDeliveryError(
                f"verbinding met SMTP-server {self.account.where} verbroken: {_reason(error)}",
                connection=True,
            )
            raise self._broken from error
