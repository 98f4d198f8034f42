"""How `sroi worklist` prints the work: one item per line with its id, the reason under it."""

from __future__ import annotations

import click

from domain.dutch import date_nl
from reporting.worklist import Worklist


def echo_worklist(worklist: Worklist) -> None:
    items = worklist.items
    click.echo(
        f"worklist of {worklist.quarter} as of {date_nl(worklist.as_of)}: "
        f"{len(items)} item{'s' if len(items) != 1 else ''}"
    )
    for item in items:
        click.echo(
            f"{item.kind.label:<14} {item.reference:<10} {item.contract_id or '-':<14} {item.what}"
        )
        click.echo(f"{'':<15}{item.reason}")
