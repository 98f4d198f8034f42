"""Writing files so that a reader (or a crash) never sees half of one: write beside the
destination, fsync, then rename over it in one step."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import cast


def write_atomically(
    destination: Path, produce: Callable[[Path], object], *, durable: bool = True
) -> Path:
    """`produce(partial)` writes the content to a temporary file beside `destination`; once it
    is on disk (fsync) it replaces `destination` in one rename. Returns `destination`. With
    `durable=False` the caller makes it durable later (`make_durable`), for many files at once."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        produce(partial)
        if durable:
            _sync_file(partial)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    if durable:
        _sync_folder(destination.parent)
    return destination


def copy_atomically(source: Path, destination: Path, *, durable: bool = True) -> Path:
    """A copy of `source` (bytes and times) that is whole or absent."""
    return write_atomically(
        destination, lambda partial: shutil.copy2(source, partial), durable=durable
    )


def make_durable(paths: Iterable[Path]) -> None:
    """Files written with `durable=False`, and their folders, on disk: on Linux with one
    syncfs of their file system (one flush for a whole batch), elsewhere file by file."""
    paths = list(paths)
    if not paths:
        return
    if _sync_file_system(paths[0].parent):
        return
    folders = set()
    for path in paths:
        _sync_file(path)
        folders.add(path.parent)
    for folder in folders:
        _sync_folder(folder)


def _sync_file_system(folder: Path) -> bool:
    """syncfs(2) of the file system holding `folder`; False where there is none."""
    syncfs = _libc_syncfs()
    if syncfs is None:
        return False
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        return bool(syncfs(descriptor) == 0)
    finally:
        os.close(descriptor)


@cache
def _libc_syncfs() -> Callable[[int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        return cast("Callable[[int], int]", ctypes.CDLL("libc.so.6", use_errno=True).syncfs)
    except (OSError, AttributeError):
        return None


def _sync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def write_text_atomically(destination: Path, text: str) -> Path:
    return write_atomically(destination, lambda partial: partial.write_text(text, "utf-8"))


def _sync_folder(folder: Path) -> None:
    """The rename itself is durable only once the folder's entry is on disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
