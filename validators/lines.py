"""Evidence lines after validation: facts of one placement, purchase or activity, its status
and the Dutch reasons for it. The unit that the valuation, the ledger and the reports share."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from parsers.grid import Provenance

AWAITING_APPROVAL = "wacht op goedkeuring"
"""Start of every pending reason that an approval resolves (and of no other reason)."""


class LineKind(StrEnum):
    PLACEMENT = "placement"
    PURCHASE = "purchase"
    HOURS = "hours"


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"

    @property
    def label_nl(self) -> str:
        """The word coordinators and contractors read in reports and feedback."""
        return {"accepted": "geaccepteerd", "rejected": "afgewezen", "pending": "in behandeling"}[
            self.value
        ]


@dataclass(frozen=True)
class PlacementFacts:
    person_key: str
    initials: str
    start_date: date
    end_date: date | None
    fte: Decimal
    hours_per_week: Decimal | None
    age_at_start: int | None
    permanent: bool
    refugee: bool
    special_group: bool
    evidence_ref: str | None
    benefit_since: date | None
    note: str | None


@dataclass(frozen=True)
class PurchaseFacts:
    supplier: str
    supplier_kvk: str | None
    invoice_number: str
    invoice_date: date
    amount_excl_vat: Decimal
    approved_by: str | None
    invoice_copy: str | None
    """File name of the PDF invoice that backs this line, when one was matched."""


@dataclass(frozen=True)
class HourFacts:
    activity_date: date
    activity: str
    hours: Decimal
    travel_hours: Decimal
    approved_by: str | None


Facts = PlacementFacts | PurchaseFacts | HourFacts


@dataclass(frozen=True)
class CheckedLine:
    """One line as the validator judged it.

    `facts` is None for a rejected line whose fields could not be read; `identity` says which
    earlier line a re-submission updates (INTERFACE.md section 5); `line_id` is the ledger's
    stable id of the line this one is a new version of (None: a new line); `match_keys` let a
    later corrected row find this line when it was rejected (validators.versions).
    """

    kind: LineKind
    provenance: Provenance
    status: LineStatus
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    block_code: str | None
    identity: str | None
    facts: Facts | None
    line_id: int | None = None
    fingerprint: str = ""
    raw_summary: dict[str, str] = field(default_factory=dict)
    """A few submitted values (never BSN or name) so a rejected line can still be recognised."""
    match_keys: tuple[str, ...] = ()


def fingerprint(*parts: object) -> str:
    """Stable digest of a line's content, to tell an unchanged re-submission from an update."""
    text = json.dumps(parts, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def rejected_line(
    kind: LineKind,
    provenance: Provenance,
    reasons: Sequence[str],
    summary: dict[str, str],
    *,
    block_code: str | None = None,
    identity: str | None = None,
    warnings: Sequence[str] = (),
    match_keys: Sequence[str] = (),
) -> CheckedLine:
    """A line whose fields could not be read well enough to value it."""
    return CheckedLine(
        kind=kind,
        provenance=provenance,
        status=LineStatus.REJECTED,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        block_code=block_code,
        identity=identity,
        facts=None,
        fingerprint=fingerprint("rejected", kind, list(reasons), summary, identity),
        raw_summary=summary,
        match_keys=tuple(match_keys),
    )


def reject(line: CheckedLine, reason: str, *, keep_reasons: bool = False) -> CheckedLine:
    """The same line, rejected for `reason` (e.g. a duplicate). It no longer claims its
    identity, so it never replaces the line it duplicates."""
    reasons = (*line.reasons, reason) if keep_reasons else (reason,)
    return replace(
        line,
        status=LineStatus.REJECTED,
        reasons=reasons,
        identity=None,
        fingerprint=fingerprint(line.fingerprint, reason),
    )
