"""The coordinator's worklist (`sroi worklist`, and a section of the region report): what needs
a person now, what needs one first on top.

The order, and why: files in quarantine (a contractor's evidence counts for nothing until the
file is fixed), lines pending approval (only the coordinator can let them count), mail that
failed (a manager or contractor is waiting for it), contracts without a submission for the
quarter (the contractor must be chased), then contracts behind schedule (a conversation) and
contracts on schedule that are forecast to end short (to watch). Within a kind the oldest or the
largest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.dutch import date_nl, euro
from domain.periods import Quarter
from reporting.subjects import subject_of
from reporting.views import CONVERSATION_ORDER
from validators.lines import LineStatus
from valuation.accrual import StoredLine
from valuation.portfolio import ContractValuation, PortfolioValuation
from valuation.progress import ContractStatus

_BEHIND = (ContractStatus.BEHIND, ContractStatus.ENDED_SHORT, ContractStatus.ATTENTION)
_ZERO = Decimal(0)


class WorkKind(StrEnum):
    """A kind of work, in the order a person should take them."""

    QUARANTINED_FILE = "quarantined_file"
    PENDING_LINE = "pending_line"
    FAILED_MAIL = "failed_mail"
    NO_SUBMISSION = "no_submission"
    BEHIND_SCHEDULE = "behind_schedule"
    FORECAST_SHORTFALL = "forecast_shortfall"

    @property
    def label_nl(self) -> str:
        return {
            "quarantined_file": "bestand in quarantaine",
            "pending_line": "regel wacht op goedkeuring",
            "failed_mail": "mail niet verzonden",
            "no_submission": "geen aanlevering",
            "behind_schedule": "vraagt een gesprek",
            "forecast_shortfall": "prognose tekort",
        }[self.value]

    @property
    def label(self) -> str:
        """The command line's word for it."""
        return {
            "quarantined_file": "quarantined",
            "pending_line": "pending line",
            "failed_mail": "mail failed",
            "no_submission": "no submission",
            "behind_schedule": "behind",
            "forecast_shortfall": "shortfall",
        }[self.value]


@dataclass(frozen=True)
class QuarantinedFile:
    """A file in quarantine now, as the ledger recorded it."""

    file_id: int
    name: str
    inbox_path: str
    contract_id: str | None
    reason: str
    processed_at: datetime


@dataclass(frozen=True)
class FailedMail:
    """A message that could not be sent yet (the next mail step tries it again)."""

    message_id: int
    kind_nl: str
    subject: str
    recipients: tuple[str, ...]
    contract_id: str | None
    attempts: int
    error: str
    attempted_at: datetime | None


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. `line_id`, `file_id` and `message_id` are the ids the commands take
    (`sroi approve LINE_ID`, `sroi retract FILE_ID`); `what` and `reason` are Dutch."""

    kind: WorkKind
    contract_id: str | None
    what: str
    reason: str
    line_id: int | None = None
    file_id: int | None = None
    message_id: int | None = None
    amount: Decimal | None = None

    @property
    def reference(self) -> str:
        """'line 38', 'file 12', 'mail 3' or '' (a contract)."""
        for label, number in (
            ("line", self.line_id),
            ("file", self.file_id),
            ("mail", self.message_id),
        ):
            if number is not None:
                return f"{label} {number}"
        return ""

    @property
    def reference_nl(self) -> str:
        """'regel 38', 'bestand 12', 'mail 3' or '' (a contract)."""
        for label, number in (
            ("regel", self.line_id),
            ("bestand", self.file_id),
            ("mail", self.message_id),
        ):
            if number is not None:
                return f"{label} {number}"
        return ""

    def document(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "kind_nl": self.kind.label_nl,
            "contract_id": self.contract_id,
            "line_id": self.line_id,
            "file_id": self.file_id,
            "message_id": self.message_id,
            "what": self.what,
            "reason": self.reason,
            "amount": float(round(self.amount, 2)) if self.amount is not None else None,
        }


@dataclass(frozen=True)
class Worklist:
    quarter: Quarter
    as_of: date
    items: tuple[WorkItem, ...]

    def counts(self) -> list[tuple[str, int]]:
        """(Dutch label, number) per kind that has work, in the worklist's order."""
        return [
            (kind.label_nl, number)
            for kind in WorkKind
            if (number := sum(1 for item in self.items if item.kind is kind))
        ]

    def document(self) -> dict[str, Any]:
        return {
            "quarter": str(self.quarter),
            "as_of": self.as_of.isoformat(),
            "items": [item.document() for item in self.items],
        }


def _quarantined(files: Sequence[QuarantinedFile]) -> list[WorkItem]:
    return [
        WorkItem(
            WorkKind.QUARANTINED_FILE,
            file.contract_id,
            f"{file.inbox_path} (in quarantaine sinds {date_nl(file.processed_at.date())})",
            file.reason,
            file_id=file.file_id,
        )
        for file in sorted(files, key=lambda file: (file.processed_at, file.file_id))
    ]


def _pending(lines: Sequence[StoredLine]) -> list[WorkItem]:
    pending = [stored for stored in lines if stored.valued.line.status is LineStatus.PENDING]
    return [
        WorkItem(
            WorkKind.PENDING_LINE,
            stored.contract_id,
            f"{subject_of(stored.valued.line)}; {stored.valued.line.provenance.describe_nl()}",
            "; ".join(stored.valued.line.reasons) or "wacht op goedkeuring",
            line_id=stored.line_id,
        )
        for stored in sorted(pending, key=lambda stored: stored.line_id)
    ]


def _failed(messages: Sequence[FailedMail]) -> list[WorkItem]:
    return [
        WorkItem(
            WorkKind.FAILED_MAIL,
            message.contract_id,
            f"{message.kind_nl} aan {', '.join(message.recipients) or '(geen adres)'}: "
            f"{message.subject}",
            f"{message.error} ({message.attempts} "
            f"{'poging' if message.attempts == 1 else 'pogingen'}; de volgende mailronde "
            "probeert het opnieuw)",
            message_id=message.message_id,
        )
        for message in messages
    ]


def _running_in(valuation: ContractValuation, quarter: Quarter) -> bool:
    contract = valuation.contract
    return contract.start_date <= quarter.last_day and contract.end_date >= quarter.first_day


def _silent(
    portfolio: PortfolioValuation,
    submitted: frozenset[str],
    reminded: Mapping[str, date],
    as_of: date,
) -> list[WorkItem]:
    """Contracts running in the quarter without an archived file for it, once it has ended."""
    quarter = portfolio.quarter
    if as_of <= quarter.last_day:
        return []
    items = []
    for valuation in sorted(portfolio.contracts, key=lambda v: v.contract.contract_id):
        contract = valuation.contract
        if not _running_in(valuation, quarter) or contract.contract_id in submitted:
            continue
        reason = f"geen aanlevering ontvangen voor het {quarter.label_nl}"
        sent = reminded.get(contract.contract_id)
        if sent is not None:
            reason += f"; herinnering verstuurd op {date_nl(sent)}"
        elif contract.email is None:
            reason += "; geen e-mailadres in het contractregister voor een herinnering"
        items.append(WorkItem(WorkKind.NO_SUBMISSION, contract.contract_id, contract.contractor,
                              reason))  # fmt: skip
    return items


def _progress(portfolio: PortfolioValuation) -> list[WorkItem]:
    """Contracts behind schedule (a conversation), then running contracts forecast to end
    short (to watch); the largest shortfall first within a status."""
    quarter = portfolio.quarter
    behind = [
        v
        for v in portfolio.contracts
        if v.status in _BEHIND
        # A contract that ended short is work once: in the quarter it ended.
        and (v.status is not ContractStatus.ENDED_SHORT or v.contract.end_date >= quarter.first_day)
    ]
    watch = [
        v
        for v in portfolio.contracts
        if v.status is ContractStatus.ON_SCHEDULE
        and v.forecast_shortfall > 0
        and v.contract.end_date > portfolio.as_of
    ]

    def order(valuation: ContractValuation) -> tuple[int, Decimal, str]:
        return (
            CONVERSATION_ORDER.index(valuation.status),
            -valuation.forecast_shortfall,
            valuation.contract.contract_id,
        )

    items = []
    for valuation in sorted(behind, key=order):
        reason = f"{valuation.status.label_nl}: {euro(valuation.realized_to_date)} gerealiseerd"
        reason += f", {euro(valuation.expected_to_date)} verwacht"
        if valuation.status is ContractStatus.ENDED_SHORT:
            reason += f"; boete {euro(valuation.fine)}"
        elif valuation.forecast_shortfall > 0:
            reason += f"; naar verwachting nog {euro(valuation.forecast_shortfall)} te vinden"
        items.append(
            WorkItem(
                WorkKind.BEHIND_SCHEDULE,
                valuation.contract.contract_id,
                valuation.contract.contractor,
                reason,
                amount=valuation.forecast_shortfall,
            )
        )
    for valuation in sorted(watch, key=order):
        items.append(
            WorkItem(
                WorkKind.FORECAST_SHORTFALL,
                valuation.contract.contract_id,
                valuation.contract.contractor,
                f"{valuation.status.label_nl}, maar met de lopende plaatsingen naar verwachting "
                f"{euro(valuation.forecast_at_end)} van {euro(valuation.obligation.net_obligation)}"
                f": nog {euro(valuation.forecast_shortfall)} te vinden",
                amount=valuation.forecast_shortfall,
            )
        )
    return items


def build_worklist(
    portfolio: PortfolioValuation,
    lines: Sequence[StoredLine],
    *,
    quarantined: Sequence[QuarantinedFile],
    failed_mail: Sequence[FailedMail],
    submitted: frozenset[str],
    reminded: Mapping[str, date],
    as_of: date,
) -> Worklist:
    """Everything that needs a person, in the order of WorkKind. `portfolio` is valued as of
    the end of the quarter the work is about; `submitted` are the contracts with an archived
    file for that quarter; `reminded` when each contract got its reminder for it."""
    items = (
        _quarantined(quarantined)
        + _pending(lines)
        + _failed(failed_mail)
        + _silent(portfolio, submitted, reminded, as_of)
        + _progress(portfolio)
    )
    return Worklist(portfolio.quarter, as_of, tuple(items))
