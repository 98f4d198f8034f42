"""Checking purchase rows (INTERFACE.md sections 3 and 5): block, contract period, approval,
the invoice copy, and invoices claimed again: unchanged in a cumulative list, a new version
when amount or date changed, a double row within one file, a duplicate under another
contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain.contracts import Contract
from parsers.grid import RawTable
from rulesets.catalog import find_block
from rulesets.model import InvoiceBlock, Ruleset
from validators.claims import (
    amount_mismatch,
    claimed_elsewhere_reason,
    invoice_identity,
    invoice_match_keys,
    judge_claim,
    keep_what_the_ledger_knows,
)
from validators.conversion import (
    TypedRow,
    optional_text,
    required_date,
    required_decimal,
    required_text,
    summarise,
)
from validators.known import EvidenceLookup, KnownLine, invoice_number_key
from validators.lines import CheckedLine, LineKind, PurchaseFacts, reject, rejected_line
from validators.rows import RowReading, read_rows
from validators.versions import FileVersions, Unchanged, previous_of


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


def _row_facts(row: TypedRow) -> PurchaseFacts:
    return PurchaseFacts(
        supplier=optional_text(row, "supplier") or "",
        supplier_kvk=optional_text(row, "supplier_kvk"),
        invoice_number=required_text(row, "invoice_number"),
        invoice_date=required_date(row, "invoice_date"),
        amount_excl_vat=required_decimal(row, "amount_excl_vat"),
        approved_by=optional_text(row, "approved_by"),
        invoice_copy=None,
    )


def _rejected_row(row: TypedRow, reasons: list[str], table: RawTable) -> CheckedLine:
    fields = ("supplier", "invoice_number", "invoice_date", "amount_excl_vat", "block")
    summary = summarise(row, table.definition.label_of, fields)
    number = row.values.get("invoice_number")
    return rejected_line(
        LineKind.PURCHASE,
        row.provenance,
        reasons,
        summary,
        match_keys=invoice_match_keys(number if isinstance(number, str) else None),
    )


def _earlier_of(facts: PurchaseFacts, contract_id: str, known: EvidenceLookup) -> KnownLine | None:
    """The ledger line this invoice row is a version of: the same invoice on this contract, or
    its PDF received before the row."""
    identity = invoice_identity(facts.supplier, facts.supplier_kvk, facts.invoice_number)
    same = known.same_line(contract_id, identity)
    if same is not None:
        return same
    pdf = known.purchase_by_number(contract_id, invoice_number_key(facts.invoice_number))
    return pdf if pdf is not None and pdf.from_pdf else None


def _check_row(
    row: TypedRow,
    messages: list[str],
    table: RawTable,
    *,
    contract: Contract,
    ruleset: Ruleset,
    known: EvidenceLookup,
) -> tuple[CheckedLine, KnownLine | None]:
    """The row's verdict and the ledger line it is a version of, if any."""
    block = _row_block(row, ruleset)
    if isinstance(block, str):
        messages = [*messages, block]
    if messages or isinstance(block, str):
        line = _rejected_row(row, messages, table)
        return line, previous_of(line, known, contract.contract_id)
    facts = _row_facts(row)
    earlier = _earlier_of(facts, contract.contract_id, known)
    pdf = earlier if earlier is not None and earlier.from_pdf else None
    facts = keep_what_the_ledger_knows(facts, earlier)
    mismatch = []
    if pdf is not None and isinstance(pdf.facts, PurchaseFacts):
        facts = replace(facts, invoice_copy=pdf.provenance.file)
        mismatch = amount_mismatch(facts.amount_excl_vat, pdf.facts.amount_excl_vat)
    line = judge_claim(row.provenance, facts, block, contract, pending=mismatch)
    if earlier is not None:
        return line, earlier
    elsewhere = known.counted_claim(line.identity or "", contract.contract_id)
    if elsewhere is not None:
        line = reject(line, claimed_elsewhere_reason(facts, elsewhere))
    return line, previous_of(line, known, contract.contract_id)


def check_purchases(
    table: RawTable,
    contract: Contract,
    ruleset: Ruleset,
    known: EvidenceLookup,
    readings: Sequence[RowReading] | None = None,
) -> tuple[list[CheckedLine], list[Unchanged]]:
    """Checked purchase lines, and the rows that repeat a ledger line."""
    lines: list[CheckedLine] = []
    unchanged: list[Unchanged] = []
    first_row: dict[str, int] = {}
    versions = FileVersions(set())
    for reading in read_rows(table) if readings is None else readings:
        row = reading.row
        line, earlier = _check_row(
            row, list(reading.problems), table, contract=contract, ruleset=ruleset, known=known
        )
        if line.identity is not None and line.identity in first_row:
            line = reject(line, f"dubbele factuur: staat ook op rij {first_row[line.identity]}")
            earlier = previous_of(line, known, contract.contract_id)
        elif line.identity is not None:
            first_row[line.identity] = row.provenance.row or 0
        placed = versions.place(line, earlier)
        if isinstance(placed, Unchanged):
            unchanged.append(placed)
        else:
            lines.append(placed)
    return lines, unchanged
