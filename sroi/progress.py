"""What `sroi run` shows while it works: each file's line as soon as that file is done, with a
progress bar on a terminal (plain lines when the output is a file or a pipe)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    """Prints file lines as they come; on a terminal, under them a bar of the inbox."""

    def __init__(self, waiting: int, describe: Callable[[Any], str]) -> None:
        self._describe = describe
        self._bar: Progress | None = None
        if sys.stdout.isatty() and waiting:
            self._bar = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(highlight=False),
                transient=True,
            )
            self._task = self._bar.add_task("inbox", total=waiting)

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def file_done(self, result: Any) -> None:
        line = self._describe(result)
        if self._bar is None:
            click.echo(line)
            return
        self._bar.console.print(line, markup=False)
        self._bar.advance(self._task)

    def say(self, message: str) -> None:
        if self._bar is None:
            click.echo(message, err=True)
        else:
            self._bar.console.print(message, markup=False, style="yellow")
