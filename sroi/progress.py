"""What `sroi run` shows while it works: each file's line as soon as that file is done, with a
progress bar on a terminal (plain lines when the output is a file or a pipe), and what Ctrl-C
or SIGTERM does: the run stops after the file at hand and the rest stays in the inbox."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.control import request_stop, reset_stop, stop_requested

STOPPING = "stopping after the file at hand; the files not reached stay in the inbox"


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


@contextmanager
def stop_on_signals(on_stop: Callable[[str], None]) -> Iterator[None]:
    """Ctrl-C or SIGTERM asks the run to stop after the file at hand (one line says so); a
    second Ctrl-C stops at once (the ledger stays consistent: nothing is half-stored)."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        if stop_requested() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if not stop_requested():
            request_stop()
            on_stop(STOPPING)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        reset_stop()
