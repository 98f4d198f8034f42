"""What the ledger already holds, as the validator needs it to recognise re-submissions and
duplicates (INTERFACE.md section 5). Built by the ledger, read-only here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.text import alphanumeric_key, company_key
from parsers.grid import Provenance
from validators.lines import Facts, LineKind, LineStatus


def invoice_number_key(number: str) -> str:
    """'F-2025.001' and 'f2025001' are the same invoice number."""
    return alphanumeric_key(number)


def supplier_key(name: str | None, kvk: str | None) -> str:
    """KvK number when known, else the name without legal form and punctuation."""
    if kvk:
        digits = re.sub(r"\D", "", kvk)
        if digits:
            return f"kvk:{digits}"
    return "naam:" + company_key(name or "")


@dataclass(frozen=True)
class KnownLine:
    """A current (not superseded) line in the ledger."""

    line_id: int
    contract_id: str
    kind: LineKind
    identity: str | None
    status: LineStatus
    fingerprint: str
    provenance: Provenance
    block_code: str | None
    facts: Facts | None
    from_pdf: bool


@dataclass(frozen=True)
class KnownEvidence:
    lines: tuple[KnownLine, ...] = ()

    def same_line(self, contract_id: str, identity: str | None) -> KnownLine | None:
        if identity is None:
            return None
        return next(
            (
                line
                for line in self.lines
                if line.contract_id == contract_id and line.identity == identity
            ),
            None,
        )

    def counted_claim(self, identity: str) -> KnownLine | None:
        """An accepted or pending line of this invoice under any contract."""
        return next(
            (
                line
                for line in self.lines
                if line.kind is LineKind.PURCHASE
                and line.identity == identity
                and line.status is not LineStatus.REJECTED
            ),
            None,
        )

    def purchase_by_number(self, contract_id: str, number_key: str) -> KnownLine | None:
        for line in self.lines:
            if line.contract_id != contract_id or line.kind is not LineKind.PURCHASE:
                continue
            facts = line.facts
            if (
                facts is not None
                and invoice_number_key(getattr(facts, "invoice_number", "")) == number_key
            ):
                return line
        return None
