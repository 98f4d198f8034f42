"""Places where the crash tests kill a run, as a power cut or `kill -9` would.

With SROI_CRASH_AT=<point>[:<n>] in the environment the process kills itself (SIGKILL) the n-th
time (default 1) it reaches <point>. Without it, `crash_point` does nothing. The points are
the moments a crash is most harmful: while files are being read, after a chunk is stored but
before its files leave the inbox, and while feedback workbooks are being written."""

from __future__ import annotations

import os
import signal
from collections import Counter
from enum import StrEnum

ENVIRONMENT = "SROI_CRASH_AT"
_REACHED: Counter[str] = Counter()


class CrashPoint(StrEnum):
    READING = "reading"
    """The workers are reading a chunk; nothing of it is stored."""
    STORED = "stored"
    """A chunk's records are committed; its files are still in the inbox."""
    FEEDBACK = "feedback"
    """The files are stored and gone from the inbox; feedback workbooks are being written."""


def crash_point(point: CrashPoint) -> None:
    wanted = os.environ.get(ENVIRONMENT)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point.value:
        return
    _REACHED[name] += 1
    if _REACHED[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
