"""The `sroi` command (INTERFACE.md section 6). Options and output only; the work is in
`sroi.app`. A user mistake is one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from domain.dutch import euro
from domain.errors import SroiError
from domain.periods import Quarter
from flows.home import Home
from ledger.files import FileStatus
from sroi import app

F = TypeVar("F", bound=Callable[..., Any])


def home_option(command: F) -> F:
    """Every command takes --home DIR (default $SROI_HOME, then ./sroi-data)."""
    return click.option(
        "--home",
        "home_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Home folder (default: $SROI_HOME or ./sroi-data).",
    )(command)


def _quarter(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Quarter | None:
    if value is None:
        return None
    try:
        return Quarter.parse(value)
    except SroiError as error:
        raise click.BadParameter(str(error)) from error


def _current_quarter() -> Quarter:
    return Quarter.of(date.today())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sroi-pipeline")
def cli() -> None:
    """SROI evidence pipeline: inbox -> checked, valued evidence -> quarterly reports."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: a user mistake is one line on stderr (exit 2), never a traceback."""
    try:
        result = cli.main(args=argv, prog_name="sroi", standalone_mode=False)
    except click.ClickException as error:
        click.echo(f"sroi: error: {error.format_message()}", err=True)
        sys.exit(2 if isinstance(error, click.UsageError) else error.exit_code)
    except click.Abort:
        click.echo("sroi: aborted", err=True)
        sys.exit(1)
    except SroiError as error:
        click.echo(f"sroi: error: {error}", err=True)
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)


@cli.command()
@click.option("--demo", is_flag=True, help="Add a realistic register and submissions.")
@home_option
def init(demo: bool, home_dir: Path | None) -> None:
    """Create the home folder layout (and an empty contract register)."""
    home = Home.resolve(home_dir)
    if demo:
        written = app.init_demo_home(home)
        click.echo(f"demo home ready in {home.root} ({len(written)} files in the inbox)")
    else:
        app.init_plain_home(home)
        click.echo(f"home ready in {home.root}; fill in {home.root / 'contracts.xlsx'}")


def _echo_run(report: Any) -> None:
    for result in report.files:
        if result.status is FileStatus.ARCHIVED:
            detail = (
                f"{result.contract_id}: {result.accepted} accepted, {result.rejected} rejected, "
                f"{result.pending} pending"
                + (f", {result.unchanged} unchanged" if result.unchanged else "")
            )
        elif result.status is FileStatus.DUPLICATE:
            detail = "same bytes as an earlier file, no effect"
        else:
            detail = result.reason or ""
        click.echo(f"{result.status.value:<12} {result.inbox_path}  {detail}")
    for problem in report.register_problems:
        click.echo(f"warning: contract register: {problem}", err=True)
    if not report.files:
        click.echo("inbox is empty")


@cli.command()
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Run date (YYYY-MM-DD); default today.",
)
@click.option("--verbose", is_flag=True, help="Show Prefect's own log lines.")
@home_option
def run(as_of: Any, verbose: bool, home_dir: Path | None) -> None:
    """Process the inbox once (a Prefect flow run); one line per file."""
    home = Home.resolve(home_dir)
    day = as_of.date() if as_of else date.today()
    _echo_run(app.run_inbox(home, day, verbose=verbose))


@cli.command()
@click.option("--quarter", required=True, callback=_quarter, help="e.g. 2025Q3")
@home_option
def report(quarter: Quarter, home_dir: Path | None) -> None:
    """Write the quarter's reports (HTML and PDF) per contract, municipality and region."""
    home = Home.resolve(home_dir)
    written = app.write_reports(home, quarter, date.today())
    click.echo(f"{len(written)} files written to {home.reports / str(quarter)}")


@cli.command()
@click.option("--quarter", required=True, callback=_quarter, help="e.g. 2025Q3")
@click.option("--json", "as_json", is_flag=True, help="Print the summary JSON (the only format).")
@home_option
def summary(quarter: Quarter, as_json: bool, home_dir: Path | None) -> None:
    """Print the quarter's summary as JSON on stdout."""
    document = app.summary(Home.resolve(home_dir), quarter)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2 if not as_json else None))


@cli.command()
@click.option("--contract", "contract_id", required=True, help="Contract id, e.g. TW-2024-017.")
@click.option("--quarter", callback=_quarter, default=None, help="Value as of this quarter's end.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of a table.")
@home_option
def lines(contract_id: str, quarter: Quarter | None, as_csv: bool, home_dir: Path | None) -> None:
    """Every evidence line of a contract: status, reasons, value, source file/sheet/row."""
    rows = app.contract_lines(Home.resolve(home_dir), contract_id, quarter or _current_quarter())
    if as_csv:
        _write_csv(rows)
        return
    for row in rows:
        source = f"{row['file']}" + (f" [{row['sheet']}] rij {row['row']}" if row["sheet"] else "")
        click.echo(
            f"{row['line_id']:>5}  {row['status']:<8}  blok {row['block'] or '-':<3}  "
            f"{euro(row['value_to_date']):>14}  {source}"
        )
        for reason in row["reasons"]:
            click.echo(f"{'':>7}reden: {reason}")
        for warning in row["warnings"]:
            click.echo(f"{'':>7}let op: {warning}")
        if row["approved_by"]:
            when = f" op {row['approved_at']}" if row["approved_at"] else ""
            click.echo(f"{'':>7}goedgekeurd door {row['approved_by']}{when}")
    if not rows:
        click.echo(f"no lines for {contract_id}")


def _write_csv(rows: list[dict[str, Any]]) -> None:
    fields = [
        "line_id",
        "kind",
        "status",
        "block",
        "value_quarter",
        "value_to_date",
        "reasons",
        "warnings",
        "file",
        "sheet",
        "row",
        "approved_by",
        "approved_at",
        "supersedes",
    ]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            row | {"reasons": " | ".join(row["reasons"]), "warnings": " | ".join(row["warnings"])}
        )


@cli.command()
@click.argument("line_id", type=int)
@click.option("--by", "approver", required=True, help="Name of the person who approves.")
@home_option
def approve(line_id: int, approver: str, home_dir: Path | None) -> None:
    """Approve a pending line (e.g. MVO hours, an SW invoice); stored with who and when."""
    result = app.approve_line(Home.resolve(home_dir), line_id, approver)
    click.echo(
        f"line {line_id} approved by {approver.strip()}: now line {result.approved_line_id}, "
        f"{result.status}"
    )
    for reason in result.reasons:
        click.echo(f"  still waiting: {reason}")


@cli.command()
@click.option("--contract", "contract_id", default=None, help="Fill in this contract's number.")
@click.option("--ruleset", "ruleset_ref", default=None, help="Ruleset id or family, e.g. twente.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the .xlsx.",
)
@home_option
def template(
    contract_id: str | None, ruleset_ref: str | None, output: Path, home_dir: Path | None
) -> None:
    """Blank submission workbook for a contractor, with drop-down lists of target groups."""
    path, ruleset_id = app.write_submission_template(
        Home.resolve(home_dir), output, contract_id, ruleset_ref
    )
    click.echo(f"template ({ruleset_id}) written to {path}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@home_option
def inspect(file: Path, as_json: bool, home_dir: Path | None) -> None:
    """What the parsers read from one file (no ledger changes)."""
    home = Home.resolve(home_dir)
    document = app.inspect_file(file, home if home.root.is_dir() else None)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for key, value in document.items():
            click.echo(f"{key}: {value}")
    if "error" in document:
        sys.exit(1)


@cli.command()
@home_option
def demo(home_dir: Path | None) -> None:
    """init --demo, run, report, and print where the reports are."""
    from sroi.demo_data import DEMO_AS_OF, DEMO_QUARTER  # noqa: PLC0415

    home = Home.resolve(home_dir)
    app.reset_demo_home(home)
    written = app.init_demo_home(home)
    click.echo(f"demo home: {home.root} ({len(written)} files in the inbox)")
    _echo_run(app.run_inbox(home, DEMO_AS_OF))
    reports = app.write_reports(home, DEMO_QUARTER, DEMO_AS_OF)
    folder = home.reports / str(DEMO_QUARTER)
    click.echo(f"{len(reports)} report files in {folder}")
    click.echo(f"  region:    {folder / 'regio.pdf'}")
    click.echo(f"  summary:   sroi summary --home {home.root} --quarter {DEMO_QUARTER} --json")


if __name__ == "__main__":
    main()
