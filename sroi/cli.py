"""The `sroi` command (INTERFACE.md section 6). Options and output only; the work is in
`flows` and `sroi.app`. A user mistake is one line on stderr and a non-zero exit, never a
traceback."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from domain.errors import SroiError
from domain.periods import Quarter
from flows.home import Home

F = TypeVar("F", bound=Callable[..., Any])


def home_option(command: F) -> F:
    """Every command takes --home DIR (default $SROI_HOME, then ./sroi-data)."""
    return click.option(
        "--home",
        "home_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Home folder (default: $SROI_HOME or ./sroi-data).",
    )(command)


def xlsx_output_option(command: F) -> F:
    """-o/--output FILE.xlsx for the commands that write a workbook."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help="Where to write the .xlsx.",
    )(command)


class QuarterType(click.ParamType):
    name = "quarter"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Quarter):
            return value
        try:
            return Quarter.parse(str(value))
        except SroiError as error:
            self.fail(str(error), param, ctx)


class DutchDate(click.ParamType):
    """A date as coordinators write it: 25-11-2026, 25/11/2026, 2026-11-25, 25 november 2026."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from parsers.cells import CellError, parse_date_nl

        if isinstance(value, date):
            return value
        try:
            return parse_date_nl(str(value))
        except CellError:
            self.fail(f"{value!r} is not a date (e.g. 25-11-2026 or 2026-11-25)", param, ctx)


QUARTER = QuarterType()
DATE = DutchDate()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="sroi-pipeline")
def cli() -> None:
    """SROI evidence pipeline: inbox -> checked, valued evidence -> quarterly reports."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: a mistake is one line on stderr (exit 2), never a traceback."""
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
    except OSError as error:
        # The machine, not the user: a full disk, a folder without permission.
        where = f": {error.filename}" if error.filename else ""
        click.echo(f"sroi: error: {error.strerror or error}{where}", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


@cli.command(short_help="Create the home folder (and an empty register).")
@click.option("--demo", is_flag=True, help="Add a realistic register and submissions.")
@home_option
def init(demo: bool, home_dir: Path | None) -> None:
    """Create the home folder layout and an empty contract register."""
    from sroi import app

    home = Home.resolve(home_dir)
    if demo:
        written = app.init_demo_home(home)
        click.echo(f"demo home ready in {home.root} ({len(written)} files in the inbox)")
    else:
        app.init_plain_home(home)
        click.echo(f"home ready in {home.root}; fill in {home.root / 'contracts.xlsx'}")


@cli.command(short_help="Process the inbox once; one line per file.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Run date; default today.")
@click.option("--verbose", is_flag=True, help="Show Prefect's own log lines.")
@home_option
def run(as_of: date | None, verbose: bool, home_dir: Path | None) -> None:
    """Process the inbox once (a Prefect flow run); one line per file."""
    home = Home.resolve(home_dir)
    _run_with_progress(home, as_of or date.today(), verbose=verbose)


def _run_with_progress(home: Home, as_of: date, *, verbose: bool = False) -> None:
    """A run that prints each file as it is done and stops cleanly on Ctrl-C or SIGTERM."""
    from flows.control import listening, stop_when_asked
    from sroi import app
    from sroi.output import describe_file, echo_run_end
    from sroi.progress import RunProgress

    with app.prepared_run(home, verbose=verbose) as waiting:
        with (
            RunProgress(waiting, describe_file) as progress,
            listening(progress.file_done),
            stop_when_asked(progress.say),
        ):
            report = app.run_inbox(home, as_of, started_by=app.started_by_user())
        left = app.waiting_files(home)
    echo_run_end(report, left_in_inbox=left)


def _reported_quarter(quarter: Quarter | None) -> Quarter:
    """The quarter asked for, or the last completed one; a quarter that has not begun is
    refused."""
    today = date.today()
    chosen = quarter or Quarter.last_completed(today)
    if chosen.first_day > today:
        raise click.BadParameter(
            f"{chosen} has not begun yet (today is {today:%d-%m-%Y})", param_hint="--quarter"
        )
    return chosen


@cli.command(short_help="Write the reports of a quarter (HTML and PDF).")
@click.option(
    "--quarter", type=QUARTER, default=None, help="e.g. 2025Q3; default: the last completed one."
)
@home_option
def report(quarter: Quarter | None, home_dir: Path | None) -> None:
    """Write the quarter's reports (HTML and PDF) per contract, municipality and region."""
    from flows.quarter import write_reports

    home = Home.resolve(home_dir)
    chosen = _reported_quarter(quarter)
    written = write_reports(home, chosen, date.today())
    click.echo(f"{len(written)} files written to {home.reports / str(chosen)}")


@cli.command("summary", short_help="Print the summary JSON of a quarter.")
@click.option("--quarter", type=QUARTER, required=True, help="e.g. 2025Q3")
@click.option("--json", "as_json", is_flag=True, help="Compact JSON (the only format).")
@home_option
def summary_command(quarter: Quarter, as_json: bool, home_dir: Path | None) -> None:
    """Print the quarter's summary as JSON on stdout."""
    from flows.quarter import summary

    document = summary(Home.resolve(home_dir), quarter)
    click.echo(json.dumps(document, ensure_ascii=False, indent=None if as_json else 2))


@cli.command("export", short_help="Every evidence line of a quarter as an Excel workbook.")
@click.option(
    "--quarter", type=QUARTER, default=None, help="e.g. 2025Q3; default: the last completed one."
)
@xlsx_output_option
@home_option
def export_command(quarter: Quarter | None, output: Path, home_dir: Path | None) -> None:
    """Every evidence line of the quarter (contract, municipality share, block, category, value
    in the quarter and to date, status, reason, source) and a sheet per summary level, for
    analysts. No BSN, no names; a text cell never starts a formula."""
    from flows.export import export_quarter

    chosen = _reported_quarter(quarter)
    done = export_quarter(Home.resolve(home_dir), chosen, output, date.today())
    click.echo(f"{done.lines} lines of {chosen} ({done.contracts} contracts) in {done.path}")


@cli.command(short_help="List a contract's lines: status, reasons, value, source.")
@click.option("--contract", "contract_id", required=True, help="Contract id, e.g. TW-2024-017.")
@click.option(
    "--quarter",
    type=QUARTER,
    default=None,
    help="Only lines of this quarter, valued as of its end (default: all, last completed quarter).",
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of a table.")
@home_option
def lines(contract_id: str, quarter: Quarter | None, as_csv: bool, home_dir: Path | None) -> None:
    """Every evidence line of a contract: status, reasons, value, source file/sheet/row."""
    from flows.lines import contract_lines
    from sroi.output import echo_lines, write_lines_csv

    valued_at, rows = contract_lines(Home.resolve(home_dir), contract_id, quarter, date.today())
    if as_csv:
        write_lines_csv(rows)
    else:
        echo_lines(contract_id, valued_at, rows, filtered=quarter is not None)


@cli.command("approve", short_help="Approve a pending line (stored with who and when).")
@click.argument("line_id", type=int)
@click.option("--by", "approver", required=True, help="Name of the person who approves.")
@home_option
def approve_command(line_id: int, approver: str, home_dir: Path | None) -> None:
    """Approve a pending line, for instance MVO hours or an invoice of an SW company. The line
    keeps its id; the approval is stored with who and when."""
    from flows.lines import approve

    result = approve(Home.resolve(home_dir), line_id, approver)
    click.echo(
        f"line {line_id} approved by {approver.strip()}: {result.status.label_nl} "
        f"(version {result.version})"
    )
    for reason in result.reasons:
        click.echo(f"  still waiting: {reason}")


@cli.command("retract", short_help="Take a processed file's lines out of the figures.")
@click.argument("file_id", type=int)
@click.option("--by", "by", required=True, help="Who retracts.")
@click.option("--reason", "reason", required=True, help="Why, e.g. 'verkeerde map'.")
@home_option
def retract_command(file_id: int, by: str, reason: str, home_dir: Path | None) -> None:
    """Take a processed file's lines out of the figures, for instance a file dropped in the
    wrong contract folder. The original stays archived and the audit trail keeps who and why;
    the right file can then be dropped again."""
    from flows.lines import retract

    result = retract(Home.resolve(home_dir), file_id, by, reason)
    click.echo(
        f"file {file_id} retracted: {len(result.withdrawn)} lines no longer count"
        + (f", {len(result.reverted)} count as an earlier file said" if result.reverted else "")
    )


@cli.command("audit", short_help="The audit trail: approvals, retractions, re-checks.")
@click.option("--contract", "contract_id", default=None, help="Only this contract.")
@click.option("--since", type=DATE, default=None, help="From this date on.")
@home_option
def audit_command(contract_id: str | None, since: date | None, home_dir: Path | None) -> None:
    """The audit trail: who approved, retracted or re-checked what, and when."""
    from flows.lines import audit
    from sroi.output import echo_audit

    start = datetime(since.year, since.month, since.day) if since else None
    echo_audit(audit(Home.resolve(home_dir), contract_id, start))


@cli.command("mail", short_help="Send the reports, feedback and reminders that are due.")
@click.option(
    "--quarter", type=QUARTER, default=None, help="e.g. 2025Q3; default: the last completed one."
)
@click.option("--dry-run", is_flag=True, help="List what would go to whom; send nothing.")
@click.option(
    "--as-of", "as_of", type=DATE, default=None, help="The day of sending; default today."
)
@home_option
def mail_command(
    quarter: Quarter | None, dry_run: bool, as_of: date | None, home_dir: Path | None
) -> None:
    """Send what is due ([mail] in sroi.toml): each municipality its report and its contracts'
    reports, the region its report (once the quarter has ended; the reports are written first),
    each contractor the feedback workbooks of its files processed since the quarter began, a
    reminder with the blank template to contractors without a submission, and every message
    that failed before. Nothing is sent twice. Exit 1 when a message failed."""
    from flows.mail import MailOutcome, ReportMail, send_due_mail
    from flows.mail_settings import check_mail_settings
    from sroi.mail_output import echo_mail_report

    home = Home.resolve(home_dir)
    home.require_exists()
    today = as_of or date.today()
    chosen = quarter or Quarter.last_completed(today)
    if chosen.first_day > today:
        raise click.BadParameter(
            f"{chosen} has not begun yet (today is {today:%d-%m-%Y})", param_hint="--quarter"
        )
    if not dry_run:
        check_mail_settings(home)
    report = send_due_mail(home, chosen, today, reports=ReportMail.WRITE_FIRST, dry_run=dry_run)
    echo_mail_report(report, dry_run=dry_run)
    if report.count(MailOutcome.FAILED):
        sys.exit(1)


@cli.command("worklist", short_help="What needs a coordinator now, first things first.")
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="The day; default today. The work is about the last completed quarter then.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@home_option
def worklist_command(as_of: date | None, as_json: bool, home_dir: Path | None) -> None:
    """What needs a coordinator now, first things first: files in quarantine, lines pending
    approval (with the id `sroi approve` takes), mail that failed, contracts without a
    submission for the quarter, contracts behind schedule or forecast to end short."""
    from flows.worklist import worklist
    from sroi.worklist_output import echo_worklist

    result = worklist(Home.resolve(home_dir), as_of or date.today())
    if as_json:
        click.echo(json.dumps(result.document(), ensure_ascii=False, indent=2))
    else:
        echo_worklist(result)


@cli.command(short_help="Run by itself: nightly, quarterly and inbox-watch runs (Prefect).")
@click.option("--verbose", is_flag=True, help="Show Prefect's own log lines.")
@home_option
def serve(verbose: bool, home_dir: Path | None) -> None:
    """Long-running: serves the nightly validation run, the quarterly report run and the inbox
    watch as Prefect deployments (settings: [schedule] in sroi.toml), with Prefect's UI. Ctrl-C
    or SIGTERM stops it; runs in progress finish the file at hand."""
    from sroi.serve import serve as serve_home

    serve_home(Home.resolve(home_dir), click.echo, verbose=verbose)


@cli.command("purge", short_help="Retention: remove personal data and originals older than a date.")
@click.option("--before", type=DATE, required=True, help="e.g. 01-01-2019")
@click.option("--by", "by", default=None, help="Who purges (default: your user name).")
@home_option
def purge_command(before: date, by: str | None, home_dir: Path | None) -> None:
    """Retention (AVG): personal fields of people whose placements all ended before DATE are
    replaced by a random stand-in or removed, and stored originals, reason notes and feedback
    copies of files from before DATE that hold nothing still needed are deleted. Euro figures,
    totals and the audit trail stay."""
    from flows.purge import purge
    from sroi import app

    if before > date.today():
        raise click.BadParameter("lies in the future", param_hint="--before")
    report = purge(Home.resolve(home_dir), before, by or app.current_user())
    click.echo(
        f"purged before {before:%d-%m-%Y}: {report.people} people, {report.versions} line "
        f"versions, {report.files} files ({len(report.removed)} stored copies deleted)"
    )


@cli.command("runs", short_help="Recent runs: when, state, files per outcome, started by.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, help="How many (newest first).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@home_option
def runs_command(limit: int, as_json: bool, home_dir: Path | None) -> None:
    """The recent runs, newest first; times in UTC."""
    from flows.history import recent
    from sroi.output import echo_runs

    rows = recent(Home.resolve(home_dir), limit)
    if as_json:
        click.echo(json.dumps([row.document() for row in rows], ensure_ascii=False, indent=2))
    else:
        echo_runs(rows)


@cli.command(short_help="Blank submission workbook for a contractor.")
@click.option("--contract", "contract_id", default=None, help="Fill in this contract's number.")
@click.option("--ruleset", "ruleset_ref", default=None, help="Ruleset id or family, e.g. twente.")
@xlsx_output_option
@home_option
def template(
    contract_id: str | None, ruleset_ref: str | None, output: Path, home_dir: Path | None
) -> None:
    """Blank submission workbook for a contractor, with drop-down lists of target groups."""
    from sroi import app

    path, ruleset_id = app.write_submission_template(
        Home.resolve(home_dir), output, contract_id, ruleset_ref
    )
    click.echo(f"template ({ruleset_id}) written to {path}")


@cli.command(short_help="What the parsers read from one file (no ledger changes).")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@home_option
def inspect(file: Path, as_json: bool, home_dir: Path | None) -> None:
    """What the parsers read from one file, without touching the ledger."""
    from flows.inspection import inspect_file
    from sroi.output import echo_inspection

    home = Home.resolve(home_dir)
    document = inspect_file(file, home if home.root.is_dir() else None)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        echo_inspection(document)
    if "error" in document:
        sys.exit(1)


def _command_hint() -> str:
    """How to call `sroi` in a printed hint: plainly when it is on the PATH."""
    if shutil.which("sroi"):
        return "sroi"
    return str(Path(sys.executable).with_name("sroi"))


@cli.command(short_help="init --demo, run, report, and where the reports are.")
@home_option
def demo(home_dir: Path | None) -> None:
    """init --demo, run, report, and print where the reports are."""
    from flows.quarter import write_reports
    from sroi import app
    from sroi.demo_data import DEMO_AS_OF, DEMO_QUARTER

    home = Home.resolve(home_dir)
    app.reset_demo_home(home)
    written = app.init_demo_home(home)
    click.echo(f"demo home: {home.root} ({len(written)} files in the inbox)")
    _run_with_progress(home, DEMO_AS_OF)
    reports = write_reports(home, DEMO_QUARTER, DEMO_AS_OF)
    folder = home.reports / str(DEMO_QUARTER)
    click.echo(f"{len(reports)} report files in {folder}")
    click.echo(f"  region:    {folder / 'regio.pdf'}")
    hint = f"{_command_hint()} summary --home {home.root} --quarter {DEMO_QUARTER} --json"
    click.echo(f"  summary:   {hint}")


if __name__ == "__main__":
    main()
