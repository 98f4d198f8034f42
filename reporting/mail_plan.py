"""Which messages are due (INTERFACE.md sections 6 and 8, issue 12): the rules, from facts the
mail flow gathers; nothing here reads the ledger or sends anything.

- Each municipality in `[mail.municipalities]` gets one message with its report and the reports
  of its contracts, and `regio` the region report, once the quarter has ended.
- Each contractor (register column `E-mail`) gets the feedback workbooks of its contract, one
  message per run that produced them.
- A contract running in the quarter without an archived file for it gets one reminder,
  `remind_after_days` after the quarter ended (0: never).
A message already recorded (sent, being sent or failed) is never planned again: a failed one is
retried as recorded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.contracts import Contract
from domain.periods import Quarter
from domain.text import match_key
from ledger.mail import MailCover, MailKind

REGION = "regio"
"""The `[mail.municipalities]` key of the region report's recipients."""


@dataclass(frozen=True)
class FeedbackReady:
    """An archived workbook whose feedback workbook is written and not yet mailed."""

    file_id: int
    contract_id: str
    run_id: int | None


@dataclass(frozen=True)
class MailFacts:
    quarter: Quarter
    today: date
    reports: bool
    """Whether the reports of the quarter go out in this mail step (not in the nightly run:
    the report run sends them)."""
    remind_after_days: int
    recipients: Mapping[str, Sequence[str]]
    """`[mail.municipalities]`: a municipality's name or 'regio' to addresses."""
    municipalities: Sequence[str]
    """The municipalities of the register (every share of every valid contract)."""
    contracts: Sequence[Contract]
    submitted: frozenset[str]
    """Contracts with an archived file for the quarter."""
    feedback: Sequence[FeedbackReady]
    recorded: frozenset[str]
    """Keys of the messages in the ledger."""


@dataclass(frozen=True)
class MailPlan:
    covers: list[MailCover] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a coordinator should know: settings that name no municipality, contracts that
    would get mail but have no address."""


def reminder_day(quarter: Quarter, remind_after_days: int) -> date | None:
    """The day the reminders of a quarter are due; None when reminders are off."""
    if remind_after_days <= 0:
        return None
    return quarter.last_day + timedelta(days=remind_after_days)


def municipal_recipients(
    recipients: Mapping[str, Sequence[str]], municipalities: Sequence[str]
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The addresses per municipality of the register (names compared without case, accents
    or spaces), and the settings' names that match none (a misspelling)."""
    known = {match_key(name): name for name in municipalities}
    found: dict[str, tuple[str, ...]] = {}
    unknown = []
    for name, addresses in recipients.items():
        if match_key(name) == REGION:
            continue
        municipality = known.get(match_key(name))
        if municipality is None:
            unknown.append(name)
        elif addresses:
            found[municipality] = found.get(municipality, ()) + tuple(addresses)
    return found, unknown


def region_recipients(recipients: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    return tuple(
        address
        for name, addresses in recipients.items()
        if match_key(name) == REGION
        for address in addresses
    )


def _reports(facts: MailFacts, plan: MailPlan) -> None:
    if not facts.reports:
        return
    if facts.today <= facts.quarter.last_day:
        plan.notes.append(
            f"{facts.quarter} runs until {facts.quarter.last_day:%d-%m-%Y}; its reports are "
            "mailed once it has ended"
        )
        return
    found, unknown = municipal_recipients(facts.recipients, facts.municipalities)
    for name in unknown:
        plan.notes.append(
            f"[mail.municipalities] {name!r} is not a municipality of the register "
            f"({', '.join(sorted(facts.municipalities))}); no reports go to it"
        )
    quarter = str(facts.quarter)
    for municipality in sorted(found):
        plan.covers.append(MailCover(MailKind.MUNICIPALITY, quarter, municipality=municipality))
    if region_recipients(facts.recipients):
        plan.covers.append(MailCover(MailKind.REGION, quarter))


def _running_in(contract: Contract, quarter: Quarter) -> bool:
    return contract.start_date <= quarter.last_day and contract.end_date >= quarter.first_day


def _feedback(facts: MailFacts, plan: MailPlan) -> None:
    contracts = {contract.contract_id: contract for contract in facts.contracts}
    groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for ready in facts.feedback:
        groups[(ready.contract_id, ready.run_id)].append(ready.file_id)
    without = set()
    for (contract_id, _), file_ids in sorted(groups.items(), key=lambda item: min(item[1])):
        contract = contracts.get(contract_id)
        if contract is None or contract.email is None:
            without.add(contract_id)
            continue
        plan.covers.append(
            MailCover(MailKind.FEEDBACK, contract_id=contract_id, file_ids=tuple(sorted(file_ids)))
        )
    if without:
        plan.notes.append(
            "no E-mail in the register, feedback not mailed: " + ", ".join(sorted(without))
        )


def _reminders(facts: MailFacts, plan: MailPlan) -> None:
    due = reminder_day(facts.quarter, facts.remind_after_days)
    if due is None or facts.today < due:
        return
    without = []
    for contract in sorted(facts.contracts, key=lambda c: c.contract_id):
        if not _running_in(contract, facts.quarter) or contract.contract_id in facts.submitted:
            continue
        if contract.email is None:
            without.append(contract.contract_id)
            continue
        plan.covers.append(
            MailCover(MailKind.REMINDER, str(facts.quarter), contract_id=contract.contract_id)
        )
    if without:
        plan.notes.append(
            f"no E-mail in the register, no reminder for {facts.quarter}: " + ", ".join(without)
        )


def due_mail(facts: MailFacts) -> MailPlan:
    """The messages due and not yet recorded: reports, then feedback, then reminders."""
    plan = MailPlan()
    _reports(facts, plan)
    _feedback(facts, plan)
    _reminders(facts, plan)
    new = [cover for cover in plan.covers if cover.key not in facts.recorded]
    return MailPlan(new, plan.notes)
