"""Evidence lines after validation: facts of one placement, purchase or activity, its status
and the Dutch reasons for it. The unit that the valuation, the ledger and the reports share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from parsers.grid import Provenance


class LineKind(StrEnum):
    PLACEMENT = "placement"
    PURCHASE = "purchase"
    HOURS = "hours"


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"


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
    earlier line a re-submission replaces (INTERFACE.md section 5); `supersedes` is the ledger id
    of the line this one replaces, when known.
    """

    kind: LineKind
    provenance: Provenance
    status: LineStatus
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    block_code: str | None
    identity: str | None
    facts: Facts | None
    supersedes: int | None = None
    fingerprint: str = ""
    raw_summary: dict[str, str] = field(default_factory=dict)
    """A few submitted values (never BSN or name) so a rejected line can still be recognised."""
