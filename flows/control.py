"""What a running flow shares with the process that runs it: a request to stop after the file
at hand (Ctrl-C, SIGTERM), and listeners that hear of every file as soon as it is done (the
progress of `sroi run`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_STOP = threading.Event()
_LISTENERS: list[Callable[[Any], None]] = []


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
