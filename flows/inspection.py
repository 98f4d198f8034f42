"""`sroi inspect`: what the parsers read from one file, without touching the ledger (the
contract it would go to, when a home with a register is at hand)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.errors import ConfigError, FileRejected, UserError
from flows.home import Home
from flows.workspace import opened
from parsers import file_kind, read_submission
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from rulesets.vocabulary import load_vocabulary


def _invoice_document(fields: InvoiceFields) -> dict[str, Any]:
    def amount(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "kind": "invoice",
        "supplier": fields.supplier,
        "kvk": fields.kvk,
        "vat_number": fields.vat_number,
        "iban": fields.iban,
        "invoice_number": fields.invoice_number,
        "invoice_date": fields.invoice_date.isoformat() if fields.invoice_date else None,
        "amount_excl_vat": amount(fields.amount_excl_vat),
        "vat": amount(fields.vat),
        "total": amount(fields.total),
        "currency": fields.currency,
        "pages": fields.pages,
        "warnings": list(fields.warnings),
    }


def _workbook_document(parsed: ParsedWorkbook) -> dict[str, Any]:
    return {
        "kind": "workbook",
        "sheets": [
            {
                "name": sheet.name,
                "table": sheet.kind.value if sheet.kind else None,
                "header_row": sheet.header_row,
                "columns": sheet.columns,
                "rows": sheet.rows,
                "note": sheet.note,
            }
            for sheet in parsed.sheets
        ],
    }


def inspect_file(path: Path, home: Home | None) -> dict[str, Any]:
    """What the parsers read from one file, without touching the ledger."""
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    document: dict[str, Any] = {"file": path.name}
    try:
        vocabulary = load_vocabulary(home.root if home is not None else None)
        parsed = read_submission(path, ReadLimits(), vocabulary)
    except FileRejected as rejected:
        return document | {"kind": file_kind(path), "error": rejected.reason_nl}
    if isinstance(parsed, ParsedWorkbook):
        document |= _workbook_document(parsed)
        contract_ref = parsed.contract_ref
    else:
        document |= _invoice_document(parsed)
        contract_ref = None
    document["contract"] = _registered_contract(home, path, contract_ref)
    return document


def _registered_contract(home: Home | None, path: Path, contract_ref: str | None) -> str | None:
    if home is None or home.register_file is None:
        return contract_ref
    try:
        with opened(home) as workspace:
            register = workspace.load_register()
    except ConfigError:
        return contract_ref
    for candidate in (contract_ref, path.parent.name):
        if candidate and (contract := register.get(candidate)) is not None:
            return contract.contract_id
    contract = register.find_in_name(path.name)
    return contract.contract_id if contract else contract_ref
