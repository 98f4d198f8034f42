"""One command measured as a whole process: wall-clock time, CPU time and peak memory.

The command runs in its own session. Its peak memory is given twice:
- `peak_rss`: the largest resident set of any one process, the command or a descendant it waited
  for (`ru_maxrss` from `wait4`, what `/usr/bin/time -v` shows);
- `tree_peak`: the most that all processes of the session held at once (Prefect's server, worker
  processes), sampled from /proc every SAMPLE_SECONDS as the sum of their proportional set sizes
  (PSS: a page shared by forked processes counts once in all). Short spikes between samples are
  missed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
LEFTOVER_GRACE_SECONDS = 3.0
TIMEOUT_SECONDS = 3600.0
"""A command still running after this long is stopped (and counts as failed)."""
_PAGE = os.sysconf("SC_PAGE_SIZE")
_PROC = Path("/proc")


@dataclass(frozen=True)
class Measurement:
    """What one process run cost."""

    label: str
    seconds: float
    cpu_seconds: float
    """User and system time of the process and the descendants it waited for."""
    peak_rss: int
    """Bytes: the largest single process."""
    tree_peak: int
    """Bytes: all processes of the session together (PSS), sampled."""
    returncode: int
    note: str
    """The last line the command printed (its own summary), for the table."""
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def peak_memory(self) -> int:
        """The higher of the two peaks: what a memory target is checked against."""
        return max(self.peak_rss, self.tree_peak)


def _session_of(pid: str) -> int | None:
    """The session id of a process, None when it is gone."""
    try:
        stat = (_PROC / pid / "stat").read_text()
    except OSError:
        return None
    # pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses.
    return int(stat.rsplit(")", 1)[1].split()[3])


def _memory_bytes(pid: str) -> int:
    """The process's proportional set size (PSS: pages shared with other processes, such as a
    forked worker's, counted in part), else its resident set size; 0 when it is gone."""
    try:
        for line in (_PROC / pid / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int((_PROC / pid / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def session_processes(session: int) -> list[str]:
    """The ids of the processes in the session, as /proc names them."""
    return [
        entry.name
        for entry in _PROC.iterdir()
        if entry.name.isdigit() and _session_of(entry.name) == session
    ]


def session_memory_bytes(session: int) -> int:
    """Memory of every process in the session, together (PSS, so shared pages count once)."""
    return sum(_memory_bytes(pid) for pid in session_processes(session))


def _command_line(pid: str) -> str:
    try:
        raw = (_PROC / pid / "cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:80] or "?"


def _stop_leftovers(session: int, grace: float = LEFTOVER_GRACE_SECONDS) -> list[str]:
    """Processes the command left running (a server it did not stop) after `grace` seconds:
    stopped by their id, and named for the note, since they would distort the next
    measurement. Helpers that end by themselves once their parent is gone (multiprocessing's
    resource tracker) get the grace period to do so."""
    deadline = time.monotonic() + grace
    while (leftovers := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(SAMPLE_SECONDS)
    names = [_command_line(pid) for pid in leftovers]
    for pid in leftovers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)
    return names


class _SessionSampler(threading.Thread):
    """Samples the session's memory until stopped; keeps the highest sample."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak = 0
        self._finished = threading.Event()

    def run(self) -> None:
        while not self._finished.is_set():
            self.peak = max(self.peak, session_memory_bytes(self.session))
            self._finished.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self._finished.set()
        self.join()
        return self.peak


def _last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    printed = [line for line in lines if line]
    return printed[-1][:100] if printed else ""


def _stop_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)


def run_measured(
    label: str,
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log: Path,
    timeout: float = TIMEOUT_SECONDS,
) -> Measurement:
    """Runs `command` to its end, its output (stdout and stderr) in `log`, and measures it. After
    `timeout` seconds, or on a KeyboardInterrupt, the command's process group is stopped."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=output,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
        sampler = _SessionSampler(process.pid)
        sampler.start()
        alarm = threading.Timer(timeout, _stop_group, (process.pid,))
        alarm.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:
            _stop_group(process.pid)
            process.wait()
            raise
        finally:
            alarm.cancel()
            tree_peak = sampler.stop()
        seconds = time.perf_counter() - started
    # wait4 reaped the process; tell Popen so that it does not wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    leftovers = _stop_leftovers(process.pid)
    note = _last_line(log)
    if seconds >= timeout:
        note = f"stopped after {timeout:.0f} s. {note}"
    if leftovers:
        note = f"left running, stopped: {'; '.join(leftovers)}. {note}"
    return Measurement(
        label=label,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,  # kilobytes on Linux
        tree_peak=tree_peak,
        returncode=process.returncode,
        note=note,
        log=log,
    )
