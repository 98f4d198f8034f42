"""Placing inbox files in archive/ and quarantine/ without ever overwriting another file.

Copy first, record in the ledger, then remove from the inbox: a crash at any moment leaves the
original in the inbox or safely recorded, never lost and never counted twice. A quarantined
file keeps its origin: quarantine/<inbox folder>/<name>, with a reason file that names the
original place, the date and the run (INTERFACE.md section 1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from domain.dutch import date_nl
from domain.errors import ConfigError
from domain.storage import write_text_atomically

HIDDEN_PREFIXES = (".", "~$")
"""Dot files and Excel's lock files (~$name.xlsx) are not submissions; they stay put."""
TOP_LEVEL_FOLDER = "inbox"
"""Where a file from the top of inbox/ goes in quarantine/."""
REASON_SUFFIX = ".reason.txt"


@dataclass(frozen=True)
class InboxFile:
    path: Path
    relative: str
    """Path under inbox/, with forward slashes, e.g. 'TW-2024-017/kwartaal3.xlsx'."""
    folder_contract: str | None
    """The first folder under inbox/, which names the contract; None at the top level."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def quarantine_folder(self) -> str:
        return self.folder_contract or TOP_LEVEL_FOLDER

    def received_at(self) -> datetime | None:
        """When the file arrived in the inbox (UTC); None if gone. That is its change time:
        saving, copying or moving a file into the inbox sets it (a copy that keeps the
        modification time of the contractor's laptop, or a file moved back from quarantine,
        still counts as arriving now)."""
        try:
            stamp = self.path.stat().st_ctime
        except FileNotFoundError:
            return None
        return datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)


def list_inbox(inbox: Path) -> list[InboxFile]:
    """The submissions waiting in the inbox. A missing inbox is an error, not a quiet night:
    an unmounted share looks exactly like an empty one."""
    if not inbox.is_dir():
        raise ConfigError(
            f"inbox folder {inbox} does not exist (is the share mounted? `sroi init` creates it)"
        )
    files = []
    for path in sorted(inbox.rglob("*")):
        if not path.is_file() or path.name.startswith(HIDDEN_PREFIXES):
            continue
        relative = path.relative_to(inbox)
        folder = relative.parts[0] if len(relative.parts) > 1 else None
        files.append(InboxFile(path, relative.as_posix(), folder))
    return files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def free_destination(
    folder: Path, name: str, sha256: str, is_recorded: Callable[[Path], bool]
) -> Path:
    """`folder/name`, or `name (2)`, `name (3)`...: the first that is free, or that already holds
    these very bytes without being recorded (left behind by an interrupted run)."""
    stem, suffix = Path(name).stem, Path(name).suffix
    counter = 1
    while True:
        candidate = folder / (name if counter == 1 else f"{stem} ({counter}){suffix}")
        recorded = is_recorded(candidate)
        if not candidate.exists() and not recorded:
            return candidate
        if candidate.exists() and not recorded and sha256_of(candidate) == sha256:
            return candidate
        counter += 1


@dataclass(frozen=True)
class QuarantineNote:
    """What the reason file beside a quarantined copy says."""

    reason_nl: str
    original: str
    """Where the file was: 'inbox/TW-2025-001/SROI.xlsx'."""
    at: datetime
    run_id: int

    def text(self) -> str:
        return (
            f"Reden: {self.reason_nl.strip()}\n"
            f"Oorspronkelijke plaats: {self.original}\n"
            f"Verwerkt op: {date_nl(self.at.date())} {self.at:%H:%M} (UTC)\n"
            f"Verwerking: run {self.run_id}\n"
        )


def reason_file_of(stored: Path) -> Path:
    return stored.with_name(stored.name + REASON_SUFFIX)


def write_reason(stored: Path, note: QuarantineNote) -> Path:
    return write_text_atomically(reason_file_of(stored), note.text())


def remove_quarantined(stored: Path) -> None:
    """A retried file's earlier quarantine copy and its reason go (the ledger keeps both)."""
    stored.unlink(missing_ok=True)
    reason_file_of(stored).unlink(missing_ok=True)
    folder = stored.parent
    if folder.name != "quarantine" and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
