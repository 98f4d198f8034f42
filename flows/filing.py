"""Placing inbox files in archive/ and quarantine/ without ever overwriting another file.

Copy first, record in the ledger, then remove from the inbox: a crash at any moment leaves the
original in the inbox or safely recorded, never lost and never counted twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from domain.storage import write_text_atomically

HIDDEN_PREFIXES = (".", "~$")
"""Dot files and Excel's lock files (~$name.xlsx) are not submissions; they stay put."""


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


def list_inbox(inbox: Path) -> list[InboxFile]:
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


def free_destination(folder: Path, name: str, sha256: str, taken: set[str], root: Path) -> Path:
    """`folder/name`, or `name (2)`, `name (3)`...: the first that is free, or that already holds
    these very bytes without being recorded (left behind by an interrupted run)."""
    stem, suffix = Path(name).stem, Path(name).suffix
    counter = 1
    while True:
        candidate = folder / (name if counter == 1 else f"{stem} ({counter}){suffix}")
        recorded = candidate.relative_to(root).as_posix() in taken
        if not candidate.exists() and not recorded:
            return candidate
        if candidate.exists() and not recorded and sha256_of(candidate) == sha256:
            return candidate
        counter += 1


def write_reason(destination: Path, reason_nl: str) -> Path:
    reason_file = destination.with_name(destination.name + ".reason.txt")
    return write_text_atomically(reason_file, reason_nl.rstrip() + "\n")
