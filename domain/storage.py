"""Writing files so that a reader (or a crash) never sees half of one: write beside the
destination, fsync, then rename over it in one step."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def write_atomically(destination: Path, produce: Callable[[Path], object]) -> Path:
    """`produce(partial)` writes the content to a temporary file beside `destination`; once it
    is on disk (fsync) it replaces `destination` in one rename. Returns `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        produce(partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(destination.parent)
    return destination


def copy_atomically(source: Path, destination: Path) -> Path:
    """A copy of `source` (bytes and times) that is whole or absent."""
    return write_atomically(destination, lambda partial: shutil.copy2(source, partial))


def write_text_atomically(destination: Path, text: str) -> Path:
    return write_atomically(destination, lambda partial: partial.write_text(text, "utf-8"))


def _sync_folder(folder: Path) -> None:
    """The rename itself is durable only once the folder's entry is on disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
