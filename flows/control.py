"""What a running flow shares with the process that runs it: a request to stop after the file
at hand (Ctrl-C, SIGTERM, or the process that started this one going away), and listeners that
hear of every file as soon as it is done (the progress of `sroi run`)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_STOP = threading.Event()
_LISTENERS: list[Callable[[Any], None]] = []
_HANDLING = threading.Event()
"""Set while `stop_when_asked` has the signals (the command's, or the flow's own)."""
STOPPING = "stopping after the file at hand; the files not reached stay in the inbox"


def request_stop() -> None:
    """Finish the file at hand, then stop; the files not reached stay in the inbox."""
    _STOP.set()


def stop_requested() -> bool:
    return _STOP.is_set()


def reset_stop() -> None:
    _STOP.clear()


@contextmanager
def listening(listener: Callable[[Any], None]) -> Iterator[None]:
    """Calls `listener` with every file result of the runs in this process meanwhile."""
    _LISTENERS.append(listener)
    try:
        yield
    finally:
        _LISTENERS.remove(listener)


def announce(result: Any) -> None:
    for listener in list(_LISTENERS):
        listener(result)


def _watch_parent(parent: int, done: threading.Event, on_stop: Callable[[str], None]) -> None:
    """A run started by `sroi serve` stops after the file at hand when `sroi serve` ends."""

    def watch() -> None:
        while not done.wait(1):
            if os.getppid() != parent:
                if not stop_requested():
                    request_stop()
                    on_stop("the process that started this run ended; " + STOPPING)
                return

    threading.Thread(target=watch, name="sroi-parent-watch", daemon=True).start()


@contextmanager
def stop_when_asked(
    on_stop: Callable[[str], None] = lambda _message: None, *, watch_parent: bool = False
) -> Iterator[None]:
    """Ctrl-C or SIGTERM asks the run to stop after the file at hand (`on_stop` says so); a
    second Ctrl-C stops at once (the ledger stays consistent: nothing is half-stored). With
    `watch_parent`, the end of the process that started this one asks the same. Only in the
    main thread; inside another `stop_when_asked` (the command's around the flow's) it leaves
    the signals to the outer one."""
    if _HANDLING.is_set() or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        if stop_requested() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if not stop_requested():
            request_stop()
            on_stop(STOPPING)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    _HANDLING.set()
    done = threading.Event()
    if watch_parent:
        _watch_parent(os.getppid(), done, on_stop)
    try:
        yield
    finally:
        done.set()
        for number, handler in previous.items():
            signal.signal(number, handler)
        _HANDLING.clear()
        reset_stop()
