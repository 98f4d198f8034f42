"""How the commands print their results: readable tables and lines for a coordinator, CSV for
a spreadsheet. Amounts in Dutch notation, statuses in the words of the reports."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from domain.dutch import date_nl, euro
from domain.periods import Quarter
from flows.history import RunRow
from flows.lines import LineRow
from ledger.audit import AuditEntry
from ledger.files import FileStatus
from ledger.runs import RunState

if TYPE_CHECKING:
    from flows.ingest import RunReport


def _file_detail(result: Any) -> str:
    if result.status is FileStatus.ARCHIVED:
        counts = (
            f"{result.accepted} accepted, {result.rejected} rejected, {result.pending} pending"
            + (f", {result.unchanged} unchanged" if result.unchanged else "")
        )
        return f"{result.contract_id}: {counts}"
    if result.status is FileStatus.DUPLICATE:
        return "same bytes as an earlier file of this contract, no effect"
    return result.reason or ""


def describe_file(result: Any) -> str:
    """A file's line; the file id is what `sroi retract` takes."""
    status = result.status.value if result.status is not None else "skipped"
    number = f"  (file {result.file_id})" if result.file_id is not None else ""
    return f"{status:<12} {result.inbox_path}  {_file_detail(result)}{number}"


def echo_run_end(report: RunReport, *, left_in_inbox: int) -> None:
    """After the file lines: register changes and problems, feedback problems, and one line
    on the whole run."""
    for recheck in report.rechecks:
        click.echo(
            f"register changed for {recheck.contract_id}: {recheck.lines} lines checked again "
            f"({recheck.files} files), {recheck.changed} changed"
        )
    for problem in report.register_problems:
        click.echo(f"warning: contract register: {problem}", err=True)
    for problem in report.feedback_problems:
        click.echo(f"warning: feedback workbook not written: {problem}", err=True)
    click.echo(_run_line(report, left_in_inbox))


def _run_line(report: RunReport, left_in_inbox: int) -> str:
    done = [result for result in report.files if result.status is not None]
    counts = ", ".join(f"{count} {outcome}" for outcome, count in report.outcomes().items())
    if report.state is RunState.STOPPED:
        return (
            f"stopped (run {report.run_id}): {len(done)} files finished; "
            f"{left_in_inbox} stay in the inbox for the next run"
        )
    if not report.files and report.taken_by_others:
        return (
            f"nothing to claim: the {report.taken_by_others} files in the inbox are being "
            "processed by another run"
        )
    if not report.files:
        return "nothing in the inbox"
    others = (
        f"; {report.taken_by_others} files processed by another run"
        if report.taken_by_others
        else ""
    )
    return f"run {report.run_id}: {counts}{others}"


def echo_runs(rows: Sequence[RunRow]) -> None:
    if not rows:
        click.echo("no runs yet")
        return
    click.echo(f"{'run':>5}  {'started (UTC)':<19}  {'ended':<8}  {'state':<11}  files  started by")
    for row in rows:
        ended = f"{row.finished_at:%H:%M:%S}" if row.finished_at else "-"
        files = ", ".join(f"{count} {outcome}" for outcome, count in row.outcomes.items())
        click.echo(
            f"{row.run_id:>5}  {row.started_at:%Y-%m-%d %H:%M:%S}  {ended:<8}  "
            f"{row.state.value:<11}  {files or 'none'}  {row.started_by}"
        )


_LINE_HEADINGS = ("line", "status", "block", "subject", "quarter", "to date", "source")


def _source(row: LineRow) -> str:
    where = f" [{row.sheet}] row {row.row}" if row.sheet else ""
    return f"{row.file}{where} (file {row.file_id})"


def echo_lines(
    contract_id: str, valued_at: Quarter, rows: Sequence[LineRow], *, filtered: bool
) -> None:
    """A table with headings; reasons, warnings and approvals under each line."""
    scope = f"lines of {valued_at}" if filtered else "all lines"
    click.echo(f"{contract_id}: {scope}, valued as of {date_nl(valued_at.last_day)}")
    if not rows:
        click.echo("no lines")
        return
    width = max(len(row.subject) for row in rows)
    subject_width = min(max(width, len("subject")), 40)
    line_format = f"{{:>6}}  {{:<15}} {{:<5}} {{:<{subject_width}}} {{:>13}} {{:>13}}  {{}}"
    click.echo(line_format.format(*_LINE_HEADINGS))
    for row in rows:
        click.echo(
            line_format.format(
                row.line_id,
                row.status.label_nl,
                row.block or "-",
                row.subject[:subject_width],
                euro(row.value_quarter),
                euro(row.value_to_date),
                _source(row),
            )
        )
        for reason in row.reasons:
            click.echo(f"{'':>8}reden: {reason}")
        for warning in row.warnings:
            click.echo(f"{'':>8}let op: {warning}")
        if row.approved_by:
            when = f" op {date_nl(row.approved_at.date())}" if row.approved_at else ""
            click.echo(f"{'':>8}goedgekeurd door {row.approved_by}{when}")


_CSV_FIELDS = (
    "line_id",
    "version",
    "kind",
    "status",
    "status_nl",
    "block",
    "subject",
    "value_quarter",
    "value_to_date",
    "reasons",
    "warnings",
    "file_id",
    "file",
    "sheet",
    "row",
    "approved_by",
    "approved_at",
)


def write_lines_csv(rows: Sequence[LineRow]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(_CSV_FIELDS)
    for row in rows:
        writer.writerow(
            (
                row.line_id,
                row.version,
                row.kind.value,
                row.status.value,
                row.status.label_nl,
                row.block,
                row.subject,
                f"{row.value_quarter:.2f}",
                f"{row.value_to_date:.2f}",
                " | ".join(row.reasons),
                " | ".join(row.warnings),
                row.file_id,
                row.file,
                row.sheet,
                row.row if row.row is not None else "",
                row.approved_by,
                row.approved_at.isoformat(timespec="minutes") if row.approved_at else "",
            )
        )


def echo_audit(entries: Sequence[AuditEntry]) -> None:
    if not entries:
        click.echo("no audit entries")
        return
    for entry in entries:
        subject = " ".join(
            part
            for part in (
                f"contract {entry.contract_id}" if entry.contract_id else "",
                f"file {entry.file_id}" if entry.file_id is not None else "",
                f"line {entry.line_id}" if entry.line_id is not None else "",
            )
            if part
        )
        details = ", ".join(f"{key}: {value}" for key, value in entry.detail.items())
        click.echo(
            f"{entry.at:%d-%m-%Y %H:%M}  {entry.action.value:<10} {entry.actor}  {subject}"
            + (f"  ({details})" if details else "")
        )


_INVOICE_FIELDS = (
    ("supplier", "supplier"),
    ("kvk", "KvK"),
    ("vat_number", "VAT number"),
    ("iban", "IBAN"),
    ("invoice_number", "invoice number"),
)
_AMOUNTS = (("amount_excl_vat", "amount excl. VAT"), ("vat", "VAT"), ("total", "total"))


def _invoice_lines(document: dict[str, Any]) -> list[tuple[str, str]]:
    lines = [(label, document.get(key) or "-") for key, label in _INVOICE_FIELDS]
    day = document.get("invoice_date")
    lines.append(("invoice date", date_nl(date.fromisoformat(day)) if day else "-"))
    for key, label in _AMOUNTS:
        amount = document.get(key)
        lines.append((label, euro(amount) if amount is not None else "-"))
    if document.get("currency") != "EUR":
        lines.append(("currency", str(document.get("currency"))))
    return lines


def _workbook_lines(document: dict[str, Any]) -> list[tuple[str, str]]:
    lines = []
    for sheet in document["sheets"]:
        if sheet["table"] is None:
            lines.append((f"sheet '{sheet['name']}'", sheet["note"] or "not read"))
            continue
        found = f"{sheet['table']}, header row {sheet['header_row']}, {sheet['rows']} rows"
        lines.append((f"sheet '{sheet['name']}'", found if sheet["header_row"] else sheet["note"]))
        for field, header in sheet["columns"].items():
            lines.append(("", f"  {header} -> {field}"))
    return lines


def echo_inspection(document: dict[str, Any]) -> None:
    """`sroi inspect` for people: what was read, one fact per line."""
    lines: list[tuple[str, str]] = [("file", document["file"]), ("kind", document["kind"])]
    if "error" in document:
        lines.append(("cannot be used", document["error"]))
    elif document["kind"] == "invoice":
        lines += [("pages", str(document["pages"])), *_invoice_lines(document)]
    else:
        lines += _workbook_lines(document)
    if "contract" in document:
        lines.append(("contract", document["contract"] or "unknown"))
    for warning in document.get("warnings", []):
        lines.append(("warning", warning))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        click.echo(f"{label + ':' if label else '':<{width + 1}} {value}")
