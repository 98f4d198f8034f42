"""How `sroi mail` prints what it sent (or would send): one line per message, then notes and
one line on the whole."""

from __future__ import annotations

import click

from flows.mail import MailOutcome, MailReport, MailResult


def _line(result: MailResult) -> str:
    to = ", ".join(result.recipients) or "(no address)"
    attachments = len(result.attachments)
    carries = f"{attachments} attachment{'s' if attachments != 1 else ''}"
    retry = " (retry)" if result.retry else ""
    line = (
        f"{result.outcome.value:<11} {result.kind.value:<12} {result.about} -> {to}: "
        f'"{result.subject}" ({carries}){retry}'
    )
    return line + (f"\n{'':<12}{result.error}" if result.error else "")


def echo_mail_report(report: MailReport, *, dry_run: bool) -> None:
    if report.off:
        click.echo("mail is off (no [mail] host in sroi.toml); this is what would be sent:")
    if report.reports_written:
        click.echo(f"reports of {report.quarter} written first ({report.reports_written} files)")
    for result in report.results:
        click.echo(_line(result))
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if not report.results:
        click.echo(f"nothing due for {report.quarter}")
    elif dry_run:
        click.echo(f"{len(report.results)} messages would be sent; nothing was sent")
    else:
        counts = [
            f"{report.count(outcome)} {outcome.value}"
            for outcome in MailOutcome
            if report.count(outcome)
        ]
        again = "; the next mail step tries the failed ones again"
        click.echo(", ".join(counts) + (again if report.count(MailOutcome.FAILED) else ""))
