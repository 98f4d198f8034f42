"""Mail (`sroi mail`, and the mail step of the nightly and quarterly runs): the messages due
(reporting.mail_plan), built from templates (reporting.mail), recorded in the ledger before
they go out (ledger.mail) and sent over SMTP (flows.smtp).

A message is recorded as being sent before it is handed to the server and as sent or failed
after, so a re-run never sends the same report, feedback or reminder twice and a failed one is
tried again by the next mail step (as the worklist shows until then)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from domain.contracts import Contract
from domain.errors import SroiError
from domain.periods import Quarter
from domain.text import match_key
from flows.feedback import feedback_path
from flows.home import Home
from flows.mail_settings import mail_setting_problems, smtp_account
from flows.quarter import QuarterView, quarter_view, refuse_unbegun, submitted_for, write_reports
from flows.settings import MailSettings
from flows.smtp import MailDeliveryError, SmtpSession
from flows.worklist import current_worklist
from flows.workspace import Workspace, opened
from ledger.lines import now
from ledger.mail import (
    MailCover,
    MailKind,
    cancel_message,
    claim_message,
    fail_stale_sending,
    failed_messages,
    feedback_ready,
    finish_message,
    recorded_keys,
    run_date,
)
from ledger.schema import FileRecord
from reporting.mail import (
    PDF,
    XLSX,
    Attachment,
    Draft,
    FeedbackFile,
    compose,
    feedback_context,
    municipality_context,
    region_context,
    reminder_context,
    render_draft,
    sender_name,
)
from reporting.mail_plan import (
    FeedbackReady,
    MailFacts,
    due_mail,
    municipal_recipients,
    region_recipients,
)
from reporting.render import template_environment
from reporting.template import write_template
from reporting.views import safe_file_name
from validators.register import Register
from valuation.portfolio import MunicipalValuation

REPORT_KINDS = (MailKind.MUNICIPALITY, MailKind.REGION)


class ReportMail(StrEnum):
    """Whether a mail step sends the quarter's reports."""

    WRITE_FIRST = "write_first"
    """`sroi mail`: write the quarter's reports (so they are those of today), then send them."""
    JUST_WRITTEN = "just_written"
    """The quarterly run: it wrote them a moment ago."""
    RETRIES_ONLY = "retries_only"
    """The nightly run: only report messages that failed before (the report run sends them)."""


class MailOutcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    WOULD_SEND = "would send"
    BUSY = "busy"
    """Another mail step is sending it, or just sent it."""
    CANCELLED = "cancelled"
    """A failed reminder no longer needed: the contractor has sent its files meanwhile."""

    @property
    def label_nl(self) -> str:
        return {
            "sent": "verzonden",
            "failed": "mislukt",
            "would send": "zou worden verzonden",
            "busy": "wordt al verzonden",
            "cancelled": "niet meer nodig",
        }[self.value]


@dataclass(frozen=True)
class MailResult:
    """What became of one message."""

    kind: MailKind
    about: str
    recipients: tuple[str, ...]
    subject: str
    attachments: tuple[str, ...]
    outcome: MailOutcome
    retry: bool = False
    error: str | None = None


@dataclass(frozen=True)
class MailReport:
    quarter: Quarter
    results: tuple[MailResult, ...] = ()
    notes: tuple[str, ...] = ()
    off: bool = False
    """No `[mail] host`: mail is off."""
    reports_written: int = 0

    def count(self, outcome: MailOutcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)


class AttachmentMissing(SroiError):
    """A file a message should carry is not there (removed, never written)."""

    def __init__(self, reason_nl: str) -> None:
        self.reason_nl = reason_nl
        super().__init__(reason_nl)


@dataclass(frozen=True)
class _File:
    name: str
    path: Path
    mime_type: str


@dataclass(frozen=True)
class Outgoing:
    """A message prepared: to whom, its text, what it carries; or why it cannot go."""

    cover: MailCover
    about: str
    recipients: tuple[str, ...]
    draft: Draft | None
    files: tuple[_File, ...] = ()
    template_for: Contract | None = None
    """A reminder carries the blank submission workbook of this contract."""
    problem: str | None = None
    no_longer_needed: str | None = None
    retry: bool = False

    @property
    def attachment_names(self) -> tuple[str, ...]:
        names = tuple(item.name for item in self.files)
        if self.template_for is not None:
            names += (template_name(self.template_for),)
        return names

    def result(self, outcome: MailOutcome, error: str | None = None) -> MailResult:
        return MailResult(
            self.cover.kind,
            self.about,
            self.recipients,
            self.draft.subject if self.draft else "",
            self.attachment_names,
            outcome,
            self.retry,
            error,
        )


def template_name(contract: Contract) -> str:
    return f"SROI-formulier {safe_file_name(contract.contract_id)}.xlsx"


@dataclass
class _Mailer:
    """One mail step in one workspace."""

    workspace: Workspace
    settings: MailSettings
    today: date
    views: dict[Quarter, QuarterView] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.environment = template_environment(self.workspace.home.root / "report_templates")
        self.signature = sender_name(self.settings.sender or "")

    def view(self, quarter: Quarter) -> QuarterView:
        if quarter not in self.views:
            self.views[quarter] = quarter_view(self.workspace, quarter)
        return self.views[quarter]

    def plan(
        self, quarter: Quarter, reports: ReportMail
    ) -> tuple[list[MailCover], list[MailCover], list[str]]:
        """The new messages due for the quarter, the failed ones to try again, and notes."""
        with self.workspace.ledger.reading() as session:
            recorded = recorded_keys(session)
            retries = [MailCover.of(record) for record in failed_messages(session)]
            ready = [
                FeedbackReady(record.id, record.contract_id or "", record.run_id)
                for record in feedback_ready(session, quarter.first_day)
            ]
        view = self.view(quarter)
        facts = MailFacts(
            quarter=quarter,
            today=self.today,
            reports=reports is not ReportMail.RETRIES_ONLY,
            remind_after_days=self.settings.remind_after_days,
            recipients=self.settings.municipalities,
            municipalities=[m.municipality for m in view.portfolio.municipalities],
            contracts=view.register.contracts,
            submitted=submitted_for(self.workspace, quarter),
            feedback=ready,
            recorded=recorded,
        )
        plan = due_mail(facts)
        return plan.covers, retries, plan.notes

    def prepare(self, cover: MailCover, *, retry: bool) -> Outgoing:
        if cover.kind is MailKind.MUNICIPALITY:
            return self._municipality(cover, retry)
        if cover.kind is MailKind.REGION:
            return self._region(cover, retry)
        if cover.kind is MailKind.FEEDBACK:
            return self._feedback(cover, retry)
        return self._reminder(cover, retry)

    def _folder(self, cover: MailCover) -> Path:
        return self.workspace.home.reports / str(cover.quarter)

    def _municipality(self, cover: MailCover, retry: bool) -> Outgoing:
        quarter = Quarter.parse(cover.quarter or "")
        name = cover.municipality or ""
        about = f"gemeente {name}"
        key = match_key(name)
        view = self.view(quarter)
        municipal = next(
            (m for m in view.portfolio.municipalities if match_key(m.municipality) == key),
            None,
        )  # fmt: skip
        found, _ = municipal_recipients(
            self.settings.municipalities, [m.municipality for m in view.portfolio.municipalities]
        )
        recipients = found.get(municipal.municipality, ()) if municipal else ()
        if municipal is None:
            gone = f"gemeente {name} staat niet (meer) in het contractregister"
            return Outgoing(cover, about, recipients, None, retry=retry, problem=gone)
        folder = self._folder(cover)
        files = [
            _File(
                f"SROI-rapportage {quarter} gemeente {safe_file_name(municipal.municipality)}.pdf",
                folder / "gemeenten" / f"{safe_file_name(municipal.municipality)}.pdf",
                PDF,
            )
        ]
        for valuation, _ in sorted(municipal.contracts, key=lambda c: c[0].contract.contract_id):
            contract_id = safe_file_name(valuation.contract.contract_id)
            files.append(
                _File(
                    f"SROI-rapportage {quarter} contract {contract_id}.pdf",
                    folder / "contracts" / f"{contract_id}.pdf",
                    PDF,
                )
            )
        context = municipality_context(
            municipal, quarter, view.portfolio.as_of, self.signature, [f.name for f in files]
        )
        draft = render_draft(self.environment, MailKind.MUNICIPALITY, context)
        problem = None if recipients else f"geen adressen voor {name} in [mail.municipalities]"
        return Outgoing(cover, about, recipients, draft, tuple(files), retry=retry, problem=problem)

    def _region(self, cover: MailCover, retry: bool) -> Outgoing:
        quarter = Quarter.parse(cover.quarter or "")
        view = self.view(quarter)
        recipients = region_recipients(self.settings.municipalities)
        files = [_File(f"SROI-rapportage {quarter} regio.pdf", self._folder(cover) / "regio.pdf",
                       PDF)]  # fmt: skip
        region = MunicipalValuation("regio", [(v, Decimal(1)) for v in view.portfolio.contracts])
        work = current_worklist(self.workspace, view, self.today)
        context = region_context(
            region,
            quarter,
            view.portfolio.as_of,
            signature=self.signature,
            attachments=[f.name for f in files],
            worklist=work.counts(),
        )
        draft = render_draft(self.environment, MailKind.REGION, context)
        problem = None if recipients else "geen adressen voor de regio in [mail.municipalities]"
        return Outgoing(cover, "regio", recipients, draft, tuple(files), retry=retry,
                        problem=problem)  # fmt: skip

    @cached_property
    def register(self) -> Register:
        return self.workspace.load_register()

    def _feedback(self, cover: MailCover, retry: bool) -> Outgoing:
        contract_id = cover.contract_id or ""
        contract = self.register.get(contract_id)
        recipients = (contract.email,) if contract is not None and contract.email else ()
        with self.workspace.ledger.reading() as session:
            records = [session.get(FileRecord, file_id) for file_id in cover.file_ids]
            present = [record for record in records if record is not None]
            quarter = Quarter.last_completed(
                min((run_date(record) for record in present), default=self.today)
            )
            files = tuple(
                _File(path.name, path, XLSX)
                for path in (
                    feedback_path(self.workspace, contract_id, Path(record.stored_path).name)
                    for record in present
                )
            )
            described = [
                FeedbackFile(
                    name=record.original_name,
                    accepted=int(record.summary.get("accepted", 0)),
                    rejected=int(record.summary.get("rejected", 0)),
                    pending=int(record.summary.get("pending", 0)),
                    unchanged=int(record.summary.get("unchanged", 0)),
                )
                for record in present
            ]
        if contract is None:
            gone = f"contract {contract_id} staat niet (meer) in het register"
            return Outgoing(cover, contract_id, (), None, files, retry=retry, problem=gone)
        context = feedback_context(
            contract,
            quarter,
            self.today,
            signature=self.signature,
            attachments=[f.name for f in files],
            files=described,
        )
        draft = render_draft(self.environment, MailKind.FEEDBACK, context)
        problem = None if recipients else "geen e-mailadres in het contractregister (E-mail)"
        return Outgoing(cover, contract_id, recipients, draft, files, retry=retry, problem=problem)

    def _reminder(self, cover: MailCover, retry: bool) -> Outgoing:
        quarter = Quarter.parse(cover.quarter or "")
        contract_id = cover.contract_id or ""
        contract = self.register.get(contract_id)
        if contract is None:
            gone = f"contract {contract_id} staat niet (meer) in het register"
            return Outgoing(cover, contract_id, (), None, retry=retry, problem=gone)
        recipients = (contract.email,) if contract.email else ()
        context = reminder_context(
            contract, quarter, self.today, self.signature, template_name(contract)
        )
        draft = render_draft(self.environment, MailKind.REMINDER, context)
        done = contract_id in submitted_for(self.workspace, quarter)
        return Outgoing(
            cover,
            contract_id,
            recipients,
            draft,
            template_for=contract,
            retry=retry,
            problem=None if recipients else "geen e-mailadres in het contractregister (E-mail)",
            no_longer_needed="er is inmiddels aangeleverd" if done else None,
        )

    def attachments(self, outgoing: Outgoing, scratch: Path) -> list[Attachment]:
        """The bytes of each attachment; the reminder's template written for it."""
        loaded = []
        for item in outgoing.files:
            try:
                content = item.path.read_bytes()
            except FileNotFoundError as error:
                where = item.path.relative_to(self.workspace.home.root)
                raise AttachmentMissing(f"bijlage ontbreekt: {where}") from error
            loaded.append(Attachment(item.name, content, item.mime_type))
        contract = outgoing.template_for
        if contract is not None:
            ruleset = self.workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
            path = write_template(
                scratch / f"{safe_file_name(contract.contract_id)}.xlsx",
                ruleset,
                contract,
                self.workspace.vocabulary,
            )
            loaded.append(Attachment(template_name(contract), path.read_bytes(), XLSX))
        return loaded

    def send(self, outgoing: Sequence[Outgoing]) -> list[MailResult]:
        """Each message claimed in the ledger, handed to the server, and recorded as sent or
        failed."""
        problems = mail_setting_problems(self.settings, os.environ)
        blocked = "; ".join(problem.nl for problem in problems) or None
        account = smtp_account(self.settings, os.environ)
        results = []
        ledger = self.workspace.ledger
        with SmtpSession(account) as smtp, tempfile.TemporaryDirectory() as scratch:
            for item in outgoing:
                if item.no_longer_needed is not None:
                    with ledger.transaction() as session:
                        cancel_message(session, item.cover, item.no_longer_needed)
                    results.append(item.result(MailOutcome.CANCELLED, item.no_longer_needed))
                    continue
                subject = item.draft.subject if item.draft else ""
                with ledger.transaction() as session:
                    message_id = claim_message(session, item.cover, item.recipients, subject, now())
                if message_id is None:
                    results.append(item.result(MailOutcome.BUSY))
                    continue
                error = self._deliver(item, smtp, Path(scratch), blocked, message_id)
                outcome = MailOutcome.SENT if error is None else MailOutcome.FAILED
                results.append(item.result(outcome, error))
        return results

    def _deliver(
        self,
        item: Outgoing,
        smtp: SmtpSession,
        scratch: Path,
        blocked: str | None,
        message_id: int,
    ) -> str | None:
        """Sends a claimed message; returns why it failed, or None. The outcome is recorded
        whatever happens (a defect records the message as failed, then goes on up)."""
        error = item.problem or blocked
        try:
            if error is None and item.draft is not None:
                message = compose(
                    item.draft,
                    self.settings.sender or "",
                    item.recipients,
                    self.attachments(item, scratch),
                    datetime.now().astimezone(),
                )
                smtp.send(message)
        except (AttachmentMissing, MailDeliveryError) as failure:
            error = failure.reason_nl
        except Exception as defect:
            with self.workspace.ledger.transaction() as session:
                finish_message(session, message_id, f"interne fout: {defect!r}", now())
            raise
        with self.workspace.ledger.transaction() as session:
            finish_message(session, message_id, error, now())
        return error


def send_due_mail(
    home: Home,
    quarter: Quarter,
    today: date,
    *,
    reports: ReportMail,
    dry_run: bool = False,
) -> MailReport:
    """Everything due for `quarter` on `today`, and every message that failed before: sent, or
    with `dry_run` only listed (nothing sent, written or recorded). Without `[mail] host` mail
    is off and nothing happens (a dry run still lists). Setting problems and refusals are
    recorded as failures of the messages, which the worklist shows."""
    settings = home.load_settings().mail
    if settings.host is None and not dry_run:
        return MailReport(quarter, off=True)
    refuse_unbegun(quarter, today)
    with opened(home) as workspace:
        mailer = _Mailer(workspace, settings, today)
        if not dry_run:
            with workspace.ledger.transaction() as session:
                fail_stale_sending(session, now())
        new, retries, notes = mailer.plan(quarter, reports)
        written = 0
        reports_due = any(
            cover.kind in REPORT_KINDS and cover.quarter == str(quarter) for cover in new + retries
        )
        if reports is ReportMail.WRITE_FIRST and reports_due and not dry_run:
            written = len(write_reports(home, quarter, today))
        outgoing = [mailer.prepare(cover, retry=False) for cover in new]
        outgoing += [mailer.prepare(cover, retry=True) for cover in retries]
        if dry_run:
            results = [item.result(MailOutcome.WOULD_SEND, item.problem) for item in outgoing]
        else:
            results = mailer.send(outgoing)
    return MailReport(quarter, tuple(results), tuple(notes), settings.host is None, written)


def describe_nl(result: MailResult) -> str:
    """One log line for the scheduled runs."""
    to = ", ".join(result.recipients) or "niemand"
    line = f"{result.outcome.label_nl}: {result.kind.label_nl} {result.about} aan {to}"
    return line + (f" ({result.error})" if result.error else "")


@task(cache_policy=NO_CACHE)
def mail_step(home: str, today: date, reports: ReportMail) -> MailReport:
    """The mail step of a scheduled run: what is due for the last completed quarter, and the
    retries. Mail off is one log line; a message that fails is logged and recorded (the next
    mail step tries it again), it does not fail the run."""
    logger = get_run_logger()
    quarter = Quarter.last_completed(today)
    report = send_due_mail(Home(Path(home)), quarter, today, reports=reports)
    if report.off:
        logger.info("mail staat uit (geen [mail] host in sroi.toml)")
        return report
    for note in report.notes:
        logger.warning("mail: %s", note)
    for result in report.results:
        if result.outcome is MailOutcome.FAILED:
            logger.warning("mail %s", describe_nl(result))
        else:
            logger.info("mail %s", describe_nl(result))
    return report
