"""Messages the pipeline mails, built with the standard library's `email` package: a Dutch
subject and body from a plain-text template of the one Jinja environment (report_templates/
mail_*.txt, overridable per home like the report templates) and the attachments with their
MIME types.

A mail template's first line is `Onderwerp: <subject>`; the rest is the body. Bodies carry
figures, contract numbers and file names only: never a BSN or a person's name (the feedback
workbooks, which do hold them, go as attachments to the contractor's own address only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from jinja2 import Environment, TemplateError

from domain.contracts import Contract
from domain.errors import ConfigError
from domain.periods import Quarter
from ledger.mail import MailKind
from reporting.render import render_html
from reporting.views import Figures, contract_row, conversation_first, shared_figures
from valuation.portfolio import MunicipalValuation
from valuation.progress import ContractStatus

TEMPLATES = {
    MailKind.MUNICIPALITY: "mail_municipality.txt",
    MailKind.REGION: "mail_region.txt",
    MailKind.FEEDBACK: "mail_feedback.txt",
    MailKind.REMINDER: "mail_reminder.txt",
}
SUBJECT_PREFIX = "Onderwerp:"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_SIGNATURE = "Het SROI-team"
_CONVERSATION = (ContractStatus.BEHIND, ContractStatus.ENDED_SHORT, ContractStatus.ATTENTION)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name for the recipient, its bytes and MIME type."""

    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Draft:
    """A message's subject and body as its template rendered them."""

    subject: str
    body: str


def render_draft(environment: Environment, kind: MailKind, context: dict[str, Any]) -> Draft:
    """The subject (the template's `Onderwerp:` line) and the body (the rest). A template
    without that first line is a ConfigError naming it (a home may override the templates)."""
    name = TEMPLATES[kind]
    try:
        text = render_html(environment, name, context)
    except TemplateError as error:
        raise ConfigError(f"mail template {name}: {error}") from error
    first, _, body = text.lstrip("\n").partition("\n")
    if not first.startswith(SUBJECT_PREFIX) or not first.removeprefix(SUBJECT_PREFIX).strip():
        raise ConfigError(f"mail template {name}: the first line must be '{SUBJECT_PREFIX} ...'")
    return Draft(first.removeprefix(SUBJECT_PREFIX).strip(), body.strip("\n") + "\n")


def sender_name(sender: str) -> str:
    """The name in 'SROI-team <sroi@example.nl>', for the signature."""
    name, _ = parseaddr(sender)
    return name or DEFAULT_SIGNATURE


def compose(
    draft: Draft,
    sender: str,
    recipients: Sequence[str],
    attachments: Sequence[Attachment],
    now: datetime,
) -> EmailMessage:
    """The message: text/plain UTF-8 body, each attachment as its own MIME part. Marked as
    sent automatically (RFC 3834), so out-of-office replies stay away."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(now)
    _, address = parseaddr(sender)
    domain = Address(addr_spec=address).domain if "@" in address else None
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "nl"
    message.set_content(draft.body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def _common(
    quarter: Quarter, as_of: date, signature: str, attachments: Sequence[str]
) -> dict[str, Any]:
    return {
        "quarter": str(quarter),
        "quarter_nl": quarter.label_nl,
        "as_of": as_of,
        "sender_name": signature,
        "attachments": list(attachments),
    }


def municipality_context(
    municipal: MunicipalValuation,
    quarter: Quarter,
    as_of: date,
    signature: str,
    attachments: Sequence[str],
) -> dict[str, Any]:
    """The municipality's share of the figures and its contracts that need a conversation."""
    ordered = conversation_first(municipal.contracts)
    return _common(quarter, as_of, signature, attachments) | {
        "municipality": municipal.municipality,
        "figures": shared_figures(municipal),
        "contracts": len(municipal.contracts),
        "conversations": [
            contract_row(valuation, share)
            for valuation, share in ordered
            if valuation.status in _CONVERSATION
        ],
    }


def region_context(
    region: MunicipalValuation,
    quarter: Quarter,
    as_of: date,
    *,
    signature: str,
    attachments: Sequence[str],
    worklist: Sequence[tuple[str, int]],
) -> dict[str, Any]:
    """The region's figures and how much of each kind of work waits (label, count)."""
    figures: Figures = shared_figures(region)
    behind = sum(1 for valuation, _ in region.contracts if valuation.status in _CONVERSATION)
    return _common(quarter, as_of, signature, attachments) | {
        "figures": figures,
        "contracts": len(region.contracts),
        "behind": behind,
        "worklist": [{"label": label, "count": count} for label, count in worklist],
    }


@dataclass(frozen=True)
class FeedbackFile:
    """One processed workbook of a feedback message, by the contractor's own file name."""

    name: str
    accepted: int
    rejected: int
    pending: int
    unchanged: int


def feedback_context(
    contract: Contract,
    quarter: Quarter,
    as_of: date,
    *,
    signature: str,
    attachments: Sequence[str],
    files: Sequence[FeedbackFile],
) -> dict[str, Any]:
    return _common(quarter, as_of, signature, attachments) | {
        "contract": contract,
        "files": list(files),
    }


def reminder_context(
    contract: Contract, quarter: Quarter, as_of: date, signature: str, template_name: str
) -> dict[str, Any]:
    return _common(quarter, as_of, signature, [template_name]) | {
        "contract": contract,
        "quarter_end": quarter.last_day,
        "template_name": template_name,
    }
