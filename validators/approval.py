"""Approving a pending line (`sroi approve LINE_ID --by NAME`): what its status becomes."""

from __future__ import annotations

from dataclasses import asdict, replace

from domain.errors import UserError
from validators.lines import (
    AWAITING_APPROVAL,
    CheckedLine,
    HourFacts,
    LineStatus,
    PurchaseFacts,
    fingerprint,
)


class NotAwaitingApproval(UserError):
    """The line is not pending, or waits for something an approval does not give."""


def approve(line: CheckedLine, by: str) -> CheckedLine:
    """The line once `by` approved it: the approval reasons go; it is accepted unless it still
    waits for something else (e.g. the invoice copy)."""
    name = by.strip()
    if not name:
        raise NotAwaitingApproval("an approval needs the approver's name (--by)")
    if line.status is not LineStatus.PENDING:
        raise NotAwaitingApproval(f"the line is {line.status.value}, not pending")
    remaining = tuple(r for r in line.reasons if not r.startswith(AWAITING_APPROVAL))
    if len(remaining) == len(line.reasons) or not isinstance(line.facts, PurchaseFacts | HourFacts):
        raise NotAwaitingApproval(
            "the line does not wait for an approval but for: " + "; ".join(line.reasons)
        )
    facts = replace(line.facts, approved_by=name)
    status = LineStatus.PENDING if remaining else LineStatus.ACCEPTED
    return replace(
        line,
        status=status,
        reasons=remaining,
        facts=facts,
        fingerprint=fingerprint(line.block_code, status, list(remaining), asdict(facts)),
    )
