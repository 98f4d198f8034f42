"""Checking purchase rows and PDF invoices: block, contract period, duplicates, approval and
the invoice copy (INTERFACE.md sections 3-5)."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

from domain.contracts import Contract
from domain.dutch import euro, short_number_nl
from parsers.grid import Provenance, RawTable
from parsers.invoice_pdf import InvoiceFields
from rulesets.catalog import find_block
from rulesets.model import InvoiceBlock, Ruleset
from validators.conversion import (
    TypedRow,
    optional_text,
    required_date,
    required_decimal,
    required_text,
    summarise,
)
from validators.known import KnownEvidence, KnownLine, invoice_number_key, supplier_key
from validators.lines import (
    AWAITING_APPROVAL,
    CheckedLine,
    LineKind,
    LineStatus,
    PurchaseFacts,
    fingerprint,
    reject,
    rejected_line,
)
from validators.rows import read_rows

_CENT = Decimal("0.01")


def invoice_identity(supplier: str | None, kvk: str | None, number: str) -> str:
    return f"invoice|{supplier_key(supplier, kvk)}|{invoice_number_key(number)}"


def outside_period_reason(contract: Contract, day: date, what: str) -> str | None:
    if contract.start_date <= day <= contract.end_date:
        return None
    return (
        f"{what} {day:%d-%m-%Y} valt buiten de contractperiode "
        f"({contract.start_date:%d-%m-%Y} t/m {contract.end_date:%d-%m-%Y})"
    )


def _duplicate_reason(facts: PurchaseFacts, earlier: KnownLine) -> str:
    return (
        f"factuur {facts.invoice_number} van {facts.supplier} is al ingediend "
        f"({earlier.provenance.describe_nl()}, contract {earlier.contract_id}) en telt één keer"
    )


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


def _judge(
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
    )


def _amount_mismatch(claimed: Decimal, on_invoice: Decimal | None) -> list[str]:
    if on_invoice is None or abs(claimed - on_invoice) <= _CENT:
        return []
    return [
        f"bedrag excl. BTW op de factuur ({euro(on_invoice)}) wijkt af van het opgegeven "
        f"bedrag ({euro(claimed)})"
    ]


def _row_block(row: TypedRow, ruleset: Ruleset) -> InvoiceBlock | str:
    named = optional_text(row, "block")
    if named is None:
        block = ruleset.block(ruleset.invoice_block)
        if isinstance(block, InvoiceBlock):
            return block
    found = find_block(ruleset, named or "", (InvoiceBlock,))
    if isinstance(found, InvoiceBlock):
        return found
    return f"soort '{named}' is geen inkoopblok van regeling {ruleset.id}"


def _row_facts(row: TypedRow, pdf_copy: KnownLine | None) -> PurchaseFacts:
    return PurchaseFacts(
        supplier=optional_text(row, "supplier") or "",
        supplier_kvk=optional_text(row, "supplier_kvk"),
        invoice_number=required_text(row, "invoice_number"),
        invoice_date=required_date(row, "invoice_date"),
        amount_excl_vat=required_decimal(row, "amount_excl_vat"),
        approved_by=optional_text(row, "approved_by"),
        invoice_copy=pdf_copy.provenance.file if pdf_copy is not None else None,
    )


def _rejected_row(row: TypedRow, reasons: list[str], table: RawTable) -> CheckedLine:
    fields = ("supplier", "invoice_number", "invoice_date", "amount_excl_vat", "block")
    summary = summarise(row, table.definition.label_of, fields)
    return rejected_line(LineKind.PURCHASE, row.provenance, reasons, summary)


def _check_row(
    row: TypedRow,
    messages: list[str],
    table: RawTable,
    *,
    contract: Contract,
    ruleset: Ruleset,
    known: KnownEvidence,
) -> CheckedLine:
    block = _row_block(row, ruleset)
    if isinstance(block, str):
        messages = [*messages, block]
    if messages or isinstance(block, str):
        return _rejected_row(row, messages, table)
    number_key = invoice_number_key(required_text(row, "invoice_number"))
    pdf_line = known.purchase_by_number(contract.contract_id, number_key)
    pdf_copy = pdf_line if pdf_line is not None and pdf_line.from_pdf else None
    facts = _row_facts(row, pdf_copy)
    pending: list[str] = []
    if pdf_copy is not None and isinstance(pdf_copy.facts, PurchaseFacts):
        pending = _amount_mismatch(facts.amount_excl_vat, pdf_copy.facts.amount_excl_vat)
    line = _judge(row.provenance, facts, block, contract, pending=pending)
    if pdf_copy is not None:
        return replace(line, supersedes=pdf_copy.line_id)
    earlier = known.counted_claim(line.identity or "")
    if earlier is not None:
        return reject(line, _duplicate_reason(facts, earlier))
    previous = known.same_line(contract.contract_id, line.identity)
    return replace(line, supersedes=previous.line_id) if previous is not None else line


def check_purchases(
    table: RawTable, contract: Contract, ruleset: Ruleset, known: KnownEvidence
) -> list[CheckedLine]:
    lines: list[CheckedLine] = []
    first_row: dict[str, int] = {}
    for reading in read_rows(table):
        row = reading.row
        line = _check_row(
            row, list(reading.problems), table, contract=contract, ruleset=ruleset, known=known
        )
        if line.identity is not None and line.identity in first_row:
            line = reject(line, f"dubbele factuur: staat ook op rij {first_row[line.identity]}")
        elif line.identity is not None:
            first_row[line.identity] = row.provenance.row or 0
        lines.append(line)
    return lines


def _invoice_problems(invoice: InvoiceFields) -> list[str]:
    problems = []
    if invoice.currency != "EUR":
        problems.append(f"factuur is niet in euro's ({invoice.currency})")
    if not invoice.invoice_number:
        problems.append("factuurnummer niet gevonden op de factuur")
    if invoice.invoice_date is None:
        problems.append("factuurdatum niet gevonden op de factuur")
    return problems


def _invoice_block(ruleset: Ruleset, code: str | None) -> InvoiceBlock:
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
    mismatch = _amount_mismatch(facts.amount_excl_vat, invoice.amount_excl_vat)
    block = _invoice_block(ruleset, row_line.block_code)
    checked = _judge(row_line.provenance, facts, block, contract, pending=mismatch)
    return replace(checked, supersedes=row_line.line_id, warnings=invoice.warnings)


def _rejected_invoice(invoice: InvoiceFields, reasons: list[str]) -> CheckedLine:
    summary = {
        "Factuurnummer": invoice.invoice_number or "",
        "Totaal": short_number_nl(invoice.total) if invoice.total is not None else "",
    }
    return rejected_line(
        LineKind.PURCHASE, Provenance(invoice.file), reasons, summary, warnings=invoice.warnings
    )


def _invoice_as_line(
    invoice: InvoiceFields, contract: Contract, ruleset: Ruleset, known: KnownEvidence
) -> CheckedLine:
    """A PDF without a purchase row becomes a purchase line of the ruleset's invoice block."""
    problems = _invoice_problems(invoice)
    amount = invoice.amount_excl_vat if invoice.amount_excl_vat is not None else invoice.total
    if amount is None:
        problems.append("geen bedrag gevonden op de factuur")
    if problems or amount is None or invoice.invoice_date is None or not invoice.invoice_number:
        return _rejected_invoice(invoice, problems)
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
    block = _invoice_block(ruleset, None)
    line = _judge(Provenance(invoice.file), facts, block, contract, pending=[])
    line = replace(line, warnings=tuple(warnings))
    earlier = known.counted_claim(line.identity or "")
    return line if earlier is None else reject(line, _duplicate_reason(facts, earlier))


def check_invoice(
    invoice: InvoiceFields, contract: Contract, ruleset: Ruleset, known: KnownEvidence
) -> list[CheckedLine]:
    """A PDF invoice: evidence for a purchase row with its number, else a purchase line itself."""
    if invoice.invoice_number:
        row_line = known.purchase_by_number(
            contract.contract_id, invoice_number_key(invoice.invoice_number)
        )
        if row_line is not None and not row_line.from_pdf:
            return [_attach_copy(invoice, row_line, contract, ruleset)]
    return [_invoice_as_line(invoice, contract, ruleset, known)]
