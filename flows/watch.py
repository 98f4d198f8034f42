"""The inbox watch of `sroi serve`: a run starts once files dropped in the inbox have been quiet
for a while (a coordinator copying twenty files should get one run, not twenty). It uses
watchfiles (inotify on Linux, FSEvents on macOS; polling where neither works, e.g. some network
shares); files leaving the inbox (a run archiving them) do not count, and neither do hidden
files and Excel's lock files."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from watchfiles import Change, watch

from flows.filing import HIDDEN_PREFIXES, list_inbox

_TICK_MS = 500
"""How often the watch looks whether the quiet period has passed, without new changes."""


def is_arrival(change: Change, path: str) -> bool:
    """A file added to or changed in the inbox (what a coordinator does), not one removed."""
    return change is not Change.deleted and not Path(path).name.startswith(HIDDEN_PREFIXES)


class InboxWatch:
    """Calls `start_run` once arrivals in `inbox` have been quiet for `quiet_seconds`."""

    def __init__(self, inbox: Path, quiet_seconds: float, start_run: Callable[[], None]) -> None:
        self.inbox = inbox
        self.quiet_seconds = quiet_seconds
        self.start_run = start_run
        self._stop = threading.Event()
        self._last_arrival: float | None = None

    def _changes(self) -> Iterator[set[tuple[Change, str]]]:
        return watch(
            self.inbox,
            stop_event=self._stop,
            yield_on_timeout=True,
            rust_timeout=_TICK_MS,
            debounce=_TICK_MS,
            raise_interrupt=False,
        )

    def run(self) -> None:
        """Watches until `stop`; runs in a thread of its own. Files already waiting when the
        watch starts count as just arrived."""
        if list_inbox(self.inbox):
            self._last_arrival = time.monotonic()
        for changes in self._changes():
            if any(is_arrival(change, path) for change, path in changes):
                self._last_arrival = time.monotonic()
            quiet_since = self._last_arrival
            if quiet_since is not None and time.monotonic() - quiet_since >= self.quiet_seconds:
                self._last_arrival = None
                self.start_run()

    def stop(self) -> None:
        self._stop.set()


@contextmanager
def watching(watch_: InboxWatch) -> Iterator[None]:
    """The watch in a thread of its own for the duration."""
    thread = threading.Thread(target=watch_.run, name="sroi-inbox-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        watch_.stop()
        thread.join(timeout=5)
