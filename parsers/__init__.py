"""The parse stage: a submitted file in, its tables (or invoice fields) with provenance out."""

from __future__ import annotations

from pathlib import Path

from parsers.invoice_pdf import InvoiceFields, read_invoice_pdf
from parsers.submission import ParsedWorkbook, parse_submission_workbook
from parsers.workbook import WORKBOOK_SUFFIXES, ReadLimits
from sroi.errors import UnreadableFile

Parsed = ParsedWorkbook | InvoiceFields


def read_submission(path: Path, limits: ReadLimits) -> Parsed:
    """Entry of the parse stage. Raises FileRejected with a Dutch reason for a file that cannot
    be used (wrong type, corrupt, empty, over a limit, no recognisable table or amount)."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return parse_submission_workbook(path, limits)
    if suffix == ".pdf":
        return read_invoice_pdf(path, limits)
    raise UnreadableFile(
        f"bestandstype '{suffix or '(geen)'}' wordt niet verwerkt; lever Excel (.xlsx, .xlsm, "
        ".xls, .ods) of PDF-facturen aan",
        path=path,
    )
