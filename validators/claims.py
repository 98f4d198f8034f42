"""What purchase rows and PDF invoices share: an invoice's identity, its verdict (contract
period, approval, the invoice copy, amounts that must agree) and how a re-listed invoice keeps
what the ledger already knows about it (INTERFACE.md section 5, VALUATION.md section 9)."""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal

from domain.contracts import Contract
from domain.dutch import euro
from parsers.grid import Provenance
from rulesets.model import InvoiceBlock
from validators.known import KnownLine, invoice_number_key, supplier_key
from validators.lines import (
    AWAITING_APPROVAL,
    CheckedLine,
    LineKind,
    LineStatus,
    PurchaseFacts,
    fingerprint,
)
from validators.period import outside_period_reason

CENT = Decimal("0.01")


def invoice_identity(supplier: str | None, kvk: str | None, number: str) -> str:
    return f"invoice|{supplier_key(supplier, kvk)}|{invoice_number_key(number)}"


def invoice_match_keys(number: str | None) -> tuple[str, ...]:
    """A corrected row of the same invoice number finds a rejected one."""
    return (f"invoice|{invoice_number_key(number)}",) if number else ()


def claimed_elsewhere_reason(facts: PurchaseFacts, earlier: KnownLine) -> str:
    return (
        f"factuur {facts.invoice_number} van {facts.supplier} is al ingediend "
        f"({earlier.provenance.describe_nl()}, contract {earlier.contract_id}) en telt één keer"
    )


def amount_mismatch(claimed: Decimal, on_invoice: Decimal | None) -> list[str]:
    if on_invoice is None or abs(claimed - on_invoice) <= CENT:
        return []
    return [
        f"bedrag excl. BTW op de factuur ({euro(on_invoice)}) wijkt af van het opgegeven "
        f"bedrag ({euro(claimed)})"
    ]


def keep_what_the_ledger_knows(facts: PurchaseFacts, previous: KnownLine | None) -> PurchaseFacts:
    """A re-listed invoice keeps the PDF already received as its copy, and an approval given
    meanwhile (`sroi approve`) as long as amount and date are the same; a row that brings an
    approval itself approves the line."""
    earlier = previous.facts if previous is not None else None
    if not isinstance(earlier, PurchaseFacts):
        return facts
    if facts.invoice_copy is None and earlier.invoice_copy is not None:
        facts = replace(facts, invoice_copy=earlier.invoice_copy)
    same_claim = (earlier.amount_excl_vat, earlier.invoice_date) == (
        facts.amount_excl_vat,
        facts.invoice_date,
    )
    if facts.approved_by is None and earlier.approved_by and same_claim:
        facts = replace(facts, approved_by=earlier.approved_by)
    return facts


def _pending_reasons(facts: PurchaseFacts, block: InvoiceBlock) -> list[str]:
    reasons = []
    if block.requires_approval and not facts.approved_by:
        reasons.append(
            f"{AWAITING_APPROVAL}: blok {block.code} ({block.label}) vereist goedkeuring door "
            "de contactpersoon social return (kolom 'Goedgekeurd door' of sroi approve)"
        )
    if block.requires_invoice_copy and not facts.invoice_copy:
        reasons.append(
            f"kopie factuur ontbreekt: blok {block.code} vereist de factuur als PDF in de "
            "inbox van dit contract"
        )
    return reasons


def judge_claim(
    provenance: Provenance,
    facts: PurchaseFacts,
    block: InvoiceBlock,
    contract: Contract,
    *,
    pending: list[str],
) -> CheckedLine:
    """A line's status: rejected when anything is wrong, pending while waiting, else accepted."""
    period = outside_period_reason(contract, facts.invoice_date, "factuurdatum")
    rejected = [period] if period else []
    waiting = [*pending, *_pending_reasons(facts, block)]
    if rejected:
        status, reasons = LineStatus.REJECTED, rejected
    elif waiting:
        status, reasons = LineStatus.PENDING, waiting
    else:
        status, reasons = LineStatus.ACCEPTED, []
    return CheckedLine(
        kind=LineKind.PURCHASE,
        provenance=provenance,
        status=status,
        reasons=tuple(reasons),
        warnings=(),
        block_code=block.code,
        identity=invoice_identity(facts.supplier, facts.supplier_kvk, facts.invoice_number),
        facts=facts,
        fingerprint=fingerprint(block.code, status, reasons, asdict(facts)),
        match_keys=invoice_match_keys(facts.invoice_number),
    )
