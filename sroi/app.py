"""What the commands do, without the command line: each function takes a home and returns
data; `sroi.cli` only parses options and prints."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from domain.errors import ConfigError, FileRejected, UserError
from domain.periods import Quarter
from flows.home import Home, settings_example
from flows.workspace import Workspace, open_workspace
from ledger.files import FileStatus, file_counts
from ledger.lines import approve_line as ledger_approve_line
from ledger.lines import current_records, stored_lines
from ledger.schema import FileRecord
from parsers import file_kind, read_submission
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from reporting.quarter import ReportInputs, write_quarter_reports
from reporting.render import template_environment
from reporting.summary import money, summary_document
from rulesets import Ruleset
from rulesets.vocabulary import load_vocabulary
from sroi.blank_register import write_blank_register
from sroi.prefect_local import configure_prefect, local_prefect_api
from validators.register import Register
from valuation.accrual import StoredLine
from valuation.portfolio import PortfolioValuation, value_portfolio

DEMO_MARKER = ".sroi-demo"


def init_home(home: Home) -> None:
    """Folders, an example sroi.toml and an empty register; existing files are kept."""
    home.root.mkdir(parents=True, exist_ok=True)
    home.ensure_layout()
    if not home.settings_file.exists():
        home.settings_file.write_text(settings_example(), encoding="utf-8")


def init_demo_home(home: Home) -> list[Path]:
    from sroi.demo_data import write_demo_home  # noqa: PLC0415 - only the demo needs it

    if home.register_file is not None and not (home.root / DEMO_MARKER).exists():
        raise UserError(f"{home.root} already has a contract register; choose another --home")
    init_home(home)
    (home.root / DEMO_MARKER).write_text("demo home, safe to delete\n", encoding="utf-8")
    return write_demo_home(home.root)


def init_plain_home(home: Home) -> None:
    init_home(home)
    if home.register_file is None:
        write_blank_register(home.root / "contracts.xlsx")


def reset_demo_home(home: Home) -> None:
    """`sroi demo` starts from scratch, but only ever deletes a home it created itself."""
    if not home.root.exists():
        return
    if not (home.root / DEMO_MARKER).exists():
        if any(home.root.iterdir()):
            raise UserError(
                f"{home.root} is not empty and not a demo home; use --home with a new folder"
            )
        return
    shutil.rmtree(home.root)


def run_inbox(home: Home, as_of: date, *, verbose: bool = False) -> Any:
    """One Prefect flow run over the inbox; returns flows.ingest.RunReport."""
    # User mistakes (no home, bad settings, rulesets or register) as one clear line, before
    # Prefect starts and would report them as a failed flow run with a traceback.
    workspace = open_workspace(home)
    try:
        workspace.load_register()
    finally:
        workspace.close()
    configure_prefect(home, verbose=verbose)
    from flows.ingest import ingest_inbox  # noqa: PLC0415 - Prefect must be configured first

    with local_prefect_api(home):
        return ingest_inbox(home=str(home.root), as_of=as_of)


@dataclass(frozen=True)
class QuarterView:
    portfolio: PortfolioValuation
    lines: list[StoredLine]
    register: Register
    files: dict[str, int]


def quarter_view(workspace: Workspace, quarter: Quarter) -> QuarterView:
    register = workspace.load_register()
    with workspace.ledger.reading() as session:
        lines = stored_lines(session)
        files = file_counts(session)
    portfolio = value_portfolio(register.contracts, workspace.catalog, lines, quarter)
    return QuarterView(portfolio, lines, register, files)


def summary(home: Home, quarter: Quarter) -> dict[str, Any]:
    workspace = open_workspace(home)
    try:
        view = quarter_view(workspace, quarter)
        return summary_document(view.portfolio, view.files)
    finally:
        workspace.close()


def write_reports(home: Home, quarter: Quarter, generated: date) -> list[Path]:
    workspace = open_workspace(home)
    try:
        view = quarter_view(workspace, quarter)
        with workspace.ledger.reading() as session:
            quarantined = [
                (record.original_name, record.reason or "")
                for record in session.scalars(
                    select(FileRecord)
                    .where(FileRecord.status == FileStatus.QUARANTINED)
                    .order_by(FileRecord.id)
                )
            ]
        inputs = ReportInputs(
            portfolio=view.portfolio,
            lines=view.lines,
            files=view.files,
            quarantined=quarantined,
            register_problems=[p.describe_nl(view.register.file) for p in view.register.problems],
            generated=generated,
        )
        environment = template_environment(home.root / "report_templates")
        return write_quarter_reports(home.reports, inputs, environment)
    finally:
        workspace.close()


def contract_lines(home: Home, contract_id: str, quarter: Quarter) -> list[dict[str, Any]]:
    """Every current line of a contract with its value as of the quarter's last day."""
    workspace = open_workspace(home)
    try:
        view = quarter_view(workspace, quarter)
        valuation = view.portfolio.contract(contract_id)
        if valuation is None:
            known = view.register.get(contract_id)
            raise UserError(
                f"contract {contract_id!r} is not in the register"
                if known is None
                else f"contract {contract_id!r} has no valuation"
            )
        with workspace.ledger.reading() as session:
            records = current_records(session, valuation.contract.contract_id)
        rows = []
        for record in records:
            value = valuation.lines.get(record.id)
            rows.append(
                {
                    "line_id": record.id,
                    "kind": record.kind,
                    "status": record.status,
                    "block": record.block_code or "",
                    "value_quarter": money(
                        value.by_quarter.get(quarter, Decimal(0)) if value else Decimal(0)
                    ),
                    "value_to_date": money(value.to_date if value else Decimal(0)),
                    "reasons": list(record.reasons),
                    "warnings": list(record.warnings) + (list(value.warnings) if value else []),
                    "file": record.source_file,
                    "sheet": record.source_sheet or "",
                    "row": record.source_row,
                    "approved_by": record.approved_by or "",
                    "approved_at": record.approved_at.isoformat(timespec="minutes")
                    if record.approved_at
                    else "",
                    "supersedes": record.supersedes,
                }
            )
        return rows
    finally:
        workspace.close()


def write_submission_template(
    home: Home, output: Path, contract_id: str | None, ruleset_ref: str | None
) -> tuple[Path, str]:
    """The blank workbook for a contractor: for a registered contract (its ruleset, its number
    filled in), or for a ruleset. Without either, the one ruleset all contracts use."""
    from sroi.template import write_template  # noqa: PLC0415 - only this command needs it

    if output.suffix.lower() != ".xlsx":
        raise UserError(f"{output}: the template is an .xlsx file")
    home.require_exists()
    workspace = open_workspace(home)
    try:
        contract = None
        if contract_id is not None:
            contract = workspace.load_register().get(contract_id)
            if contract is None:
                raise UserError(f"contract {contract_id!r} is not (validly) in the register")
            ruleset = workspace.catalog.by_id(contract.ruleset_id)
        elif ruleset_ref is not None:
            ruleset = workspace.catalog.resolve(ruleset_ref, date.today())
        else:
            ruleset = _the_only_ruleset(workspace)
        if ruleset is None:
            raise UserError("no ruleset for this template")
        return write_template(output, ruleset, contract), ruleset.id
    finally:
        workspace.close()


def _the_only_ruleset(workspace: Workspace) -> Ruleset | None:
    in_use = {contract.ruleset_id for contract in workspace.load_register().contracts}
    if len(in_use) != 1:
        known = ", ".join(ruleset.id for ruleset in workspace.catalog.rulesets)
        raise UserError(f"choose --contract ID or --ruleset ({known})")
    return workspace.catalog.by_id(in_use.pop())


@dataclass(frozen=True)
class Approval:
    line_id: int
    approved_line_id: int
    status: str
    reasons: tuple[str, ...]


def approve_line(home: Home, line_id: int, by: str) -> Approval:
    """Approve a pending line: a new version with who and when; the old one stays in history."""
    workspace = open_workspace(home)
    try:
        with workspace.ledger.transaction() as session:
            try:
                record = ledger_approve_line(session, line_id, by)
            except LookupError as error:
                raise UserError(str(error.args[0])) from error
            return Approval(line_id, record.id, record.status, tuple(record.reasons))
    finally:
        workspace.close()


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
        workspace = open_workspace(home)
    except ConfigError:
        return contract_ref
    register = workspace.load_register()
    workspace.close()
    for candidate in (contract_ref, path.parent.name):
        if candidate and (contract := register.get(candidate)) is not None:
            return contract.contract_id
    contract = register.find_in_name(path.name)
    return contract.contract_id if contract else contract_ref
