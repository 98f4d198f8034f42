"""Entry of the validate stage: a parsed submission in, checked lines out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.contracts import Contract
from domain.pseudonym import Pseudonymizer
from parsers.invoice_pdf import InvoiceFields
from parsers.submission import ParsedWorkbook
from rulesets.model import Ruleset
from rulesets.vocabulary import TableKind
from validators.hours import check_hours
from validators.invoices import check_invoice
from validators.known import EvidenceLookup
from validators.lines import CheckedLine, LineStatus
from validators.placements import PlacementContext, check_placements
from validators.purchases import check_purchases
from validators.rows import TableReadings
from validators.versions import Unchanged


@dataclass(frozen=True)
class CheckedSubmission:
    file: str
    contract_id: str
    lines: tuple[CheckedLine, ...]
    """New lines and new versions of ledger lines."""
    unchanged: tuple[Unchanged, ...]
    """Rows that repeat a line the ledger already has (cumulative lists)."""

    def count(self, status: LineStatus) -> int:
        return sum(1 for line in self.lines if line.status is status)


def validate_submission(
    parsed: ParsedWorkbook | InvoiceFields,
    contract: Contract,
    ruleset: Ruleset,
    known: EvidenceLookup,
    pseudonymizer: Pseudonymizer,
    *,
    readings: Sequence[TableReadings] | None = None,
    judged: Sequence[Sequence[CheckedLine] | None] | None = None,
) -> CheckedSubmission:
    """The lines of a submission checked against the contract, its ruleset and the ledger.
    `readings` are the workbook's rows read before (validators.rows.read_tables, one per
    table, e.g. by a worker process), `judged` its placement tables' rows judged before for
    this contract (validators.placements.judge_placements; None for other tables); without
    them that is done here."""
    if isinstance(parsed, InvoiceFields):
        lines, repeated = check_invoice(parsed, contract, ruleset, known)
        return CheckedSubmission(parsed.file, contract.contract_id, tuple(lines), tuple(repeated))
    checked: list[CheckedLine] = []
    unchanged: list[Unchanged] = []
    for index, table in enumerate(parsed.tables):
        kind = table.definition.kind
        rows = readings[index] if readings is not None else None
        if kind is TableKind.PLACEMENTS:
            context = PlacementContext(contract, ruleset, pseudonymizer, table.definition)
            ready = judged[index] if judged is not None else None
            lines, repeated = check_placements(table, context, known, rows, ready)
        elif kind is TableKind.PURCHASES:
            lines, repeated = check_purchases(table, contract, ruleset, known, rows)
        else:
            lines, repeated = check_hours(table, contract, ruleset, known, rows)
        checked.extend(lines)
        unchanged.extend(repeated)
    return CheckedSubmission(parsed.file, contract.contract_id, tuple(checked), tuple(unchanged))
