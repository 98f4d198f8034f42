"""The parse stage: a submitted file in, its tables (or invoice fields) with provenance out."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from domain.errors import UnreadableFile
from parsers.invoice_pdf import InvoiceFields, read_invoice_pdf
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook, parse_submission_workbook
from parsers.workbook import WORKBOOK_SUFFIXES
from rulesets.vocabulary import Vocabulary, builtin_vocabulary

Parsed = ParsedWorkbook | InvoiceFields


class _TimeUp(BaseException):
    """Raised inside the reader by the alarm; turned into a Dutch reason below. A
    BaseException, like KeyboardInterrupt, so that no library's `except Exception` (pdfplumber
    wraps every error as a damaged PDF) can swallow it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """An alarm that interrupts reading after `seconds`. Signals reach only the main thread of
    a Unix process; elsewhere the size, row and page limits are the bound."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(_signal: int, _frame: FrameType | None) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def file_kind(path: Path) -> str:
    """What a file is taken for by its name: 'invoice', 'workbook' or 'other'."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "invoice"
    return "workbook" if suffix in WORKBOOK_SUFFIXES else "other"


def read_submission(path: Path, limits: ReadLimits, vocabulary: Vocabulary | None = None) -> Parsed:
    """Entry of the parse stage. Raises FileRejected with a Dutch reason for a file that cannot
    be used (wrong type, corrupt, empty, over a limit, no recognisable table or amount)."""
    try:
        with _time_limit(limits.max_seconds_per_file):
            return _read(path, limits, vocabulary or builtin_vocabulary())
    except _TimeUp as error:
        raise UnreadableFile(
            "het lezen van het bestand duurde langer dan "
            f"{limits.max_seconds_per_file:g} seconden; "
            "het is te groot of te ingewikkeld",
            path=path,
        ) from error


def _read(path: Path, limits: ReadLimits, vocabulary: Vocabulary) -> Parsed:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return parse_submission_workbook(path, limits, vocabulary)
    if suffix == ".pdf":
        return read_invoice_pdf(path, limits, vocabulary.invoice_labels)
    raise UnreadableFile(
        f"bestandstype '{suffix or '(geen)'}' wordt niet verwerkt; lever Excel (.xlsx, .xlsm, "
        ".xls, .ods) of PDF-facturen aan",
        path=path,
    )
