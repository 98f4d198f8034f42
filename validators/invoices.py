"""Checking a PDF invoice (INTERFACE.md section 4): the evidence of a purchase row with its
number, or else a purchase line of the ruleset's invoice block itself."""

from __future__ import annotations

from dataclasses import replace

from domain.contracts import Contract
from domain.dutch import short_number_nl
from parsers.grid import Provenance
from parsers.invoice_pdf import InvoiceFields
from rulesets.model import InvoiceBlock, Ruleset
from validators.claims import (
    amount_mismatch,
    claimed_elsewhere_reason,
    invoice_match_keys,
    judge_claim,
)
from validators.known import EvidenceLookup, KnownLine, invoice_number_key
from validators.lines import CheckedLine, LineKind, PurchaseFacts, reject, rejected_line
from validators.versions import Unchanged, as_version, previous_of


def _problems(invoice: InvoiceFields) -> list[str]:
    problems = []
    if invoice.currency != "EUR":
        problems.append(f"factuur is niet in euro's ({invoice.currency})")
    if not invoice.invoice_number:
        problems.append("factuurnummer niet gevonden op de factuur")
    if invoice.invoice_date is None:
        problems.append("factuurdatum niet gevonden op de factuur")
    return problems


def _block(ruleset: Ruleset, code: str | None) -> InvoiceBlock:
    block = ruleset.block(code or ruleset.invoice_block)
    if isinstance(block, InvoiceBlock):
        return block
    fallback = ruleset.block(ruleset.invoice_block)
    if not isinstance(fallback, InvoiceBlock):  # the ruleset model guarantees it is
        raise TypeError(f"{ruleset.id}: invoice_block is not an invoice block")
    return fallback


def _attach_copy(
    invoice: InvoiceFields, row_line: KnownLine, contract: Contract, ruleset: Ruleset
) -> CheckedLine:
    """The PDF is the evidence of an earlier purchase row: a new version of that line."""
    if not isinstance(row_line.facts, PurchaseFacts):
        raise TypeError(f"line {row_line.line_id} is not a purchase")
    facts = replace(row_line.facts, invoice_copy=invoice.file)
    mismatch = amount_mismatch(facts.amount_excl_vat, invoice.amount_excl_vat)
    block = _block(ruleset, row_line.block_code)
    checked = judge_claim(row_line.provenance, facts, block, contract, pending=mismatch)
    return replace(checked, warnings=invoice.warnings)


def _rejected(invoice: InvoiceFields, reasons: list[str]) -> CheckedLine:
    summary = {
        "Factuurnummer": invoice.invoice_number or "",
        "Totaal": short_number_nl(invoice.total) if invoice.total is not None else "",
    }
    return rejected_line(
        LineKind.PURCHASE,
        Provenance(invoice.file),
        reasons,
        summary,
        warnings=invoice.warnings,
        match_keys=invoice_match_keys(invoice.invoice_number),
    )


def _as_line(
    invoice: InvoiceFields, contract: Contract, ruleset: Ruleset, known: EvidenceLookup
) -> CheckedLine:
    """A PDF without a purchase row becomes a purchase line of the ruleset's invoice block."""
    problems = _problems(invoice)
    amount = invoice.amount_excl_vat if invoice.amount_excl_vat is not None else invoice.total
    if amount is None:
        problems.append("geen bedrag gevonden op de factuur")
    if problems or amount is None or invoice.invoice_date is None or not invoice.invoice_number:
        return _rejected(invoice, problems)
    warnings = list(invoice.warnings)
    if invoice.amount_excl_vat is None:
        warnings.append("bedrag excl. BTW niet gevonden op de factuur; totaalbedrag gebruikt")
    facts = PurchaseFacts(
        supplier=invoice.supplier or "onbekende leverancier",
        supplier_kvk=invoice.kvk,
        invoice_number=invoice.invoice_number,
        invoice_date=invoice.invoice_date,
        amount_excl_vat=amount,
        approved_by=None,
        invoice_copy=invoice.file,
    )
    line = judge_claim(Provenance(invoice.file), facts, _block(ruleset, None), contract, pending=[])
    line = replace(line, warnings=tuple(warnings))
    if known.same_line(contract.contract_id, line.identity) is not None:
        return line
    earlier = known.counted_claim(line.identity or "", contract.contract_id)
    return line if earlier is None else reject(line, claimed_elsewhere_reason(facts, earlier))


def check_invoice(
    invoice: InvoiceFields, contract: Contract, ruleset: Ruleset, known: EvidenceLookup
) -> tuple[list[CheckedLine], list[Unchanged]]:
    """The invoice's line (or nothing new when the ledger holds it already as it is)."""
    if invoice.invoice_number:
        row_line = known.purchase_by_number(
            contract.contract_id, invoice_number_key(invoice.invoice_number)
        )
        if row_line is not None and not row_line.from_pdf:
            placed = as_version(_attach_copy(invoice, row_line, contract, ruleset), row_line)
            return ([], [placed]) if isinstance(placed, Unchanged) else ([placed], [])
    line = _as_line(invoice, contract, ruleset, known)
    placed = as_version(line, previous_of(line, known, contract.contract_id))
    return ([], [placed]) if isinstance(placed, Unchanged) else ([placed], [])
