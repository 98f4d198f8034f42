"""One Jinja environment (autoescaped, strict, overridable templates) and HTML -> PDF with
WeasyPrint, which never fetches anything from the network.

A coordinator can override any template by putting a file with the same name in
<home>/report_templates/; the built-in templates are the fallback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.dutch import date_nl, euro, number_nl, percent_nl
from domain.storage import write_atomically

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "report_templates"


def euro_whole(value: Any) -> str:
    """1234.56 -> '€ 1.235': amounts in running text."""
    return f"€ {number_nl(value, 0)}"


def template_environment(override_dir: Path | None = None) -> Environment:
    folders = [str(override_dir)] if override_dir is not None and override_dir.is_dir() else []
    folders.append(str(BUILTIN_TEMPLATES))
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["euro"] = euro
    environment.filters["euro0"] = euro_whole
    environment.filters["datum"] = date_nl
    environment.filters["getal"] = number_nl
    environment.filters["procent"] = percent_nl
    return environment


def render_html(environment: Environment, template: str, context: dict[str, Any]) -> str:
    return environment.get_template(template).render(**context)


def local_resource(url: str) -> bool:
    """What the PDF renderer may load: data URIs and files of the built-in templates folder.
    Anything else (http, https, ftp, other files) is refused."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_relative_to(BUILTIN_TEMPLATES)


def _local_fetcher() -> Any:
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - see write_pdf

    class LocalOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, for local resources only."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not local_resource(url):
                raise ValueError(f"not loaded (reports use local resources only): {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(timeout=1, allow_redirects=False)


def write_pdf(html: str, destination: Path) -> None:
    # WeasyPrint is imported here: it loads system libraries (Pango) that commands without
    # reports never need.
    from weasyprint import HTML  # noqa: PLC0415

    # fontTools and WeasyPrint log every subset, unknown CSS property and refused resource.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    HTML(string=html, base_url=str(BUILTIN_TEMPLATES), url_fetcher=_local_fetcher()).write_pdf(
        destination, font_config=_font_configuration()
    )


@functools.cache
def _font_configuration() -> Any:
    """One font configuration per process, shared by its PDFs (the reports use system fonts,
    no @font-face): about 6 % less time per PDF than a new one for each."""
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 - see write_pdf

    return FontConfiguration()


MAX_PDF_WORKERS = 3
"""PDFs are rendered in up to this many worker processes (never more than the machine's cores);
each holds its own WeasyPrint (about 100 MB), so a report run stays well under 1 GiB."""
PARALLEL_FROM = 24
"""Fewer documents are rendered in this process: starting workers would cost more than it saves."""


def write_pdf_file(html: str, destination: Path) -> Path:
    """The PDF of `html` at `destination`, whole or not at all."""
    return write_atomically(destination, lambda partial: write_pdf(html, partial))


def pdf_workers(documents: int) -> int:
    if documents < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_PDF_WORKERS, os.cpu_count() or 1))


WAITING_PER_WORKER = 2
"""PDFs a worker process is given before it finished the ones it has: the rest wait here and
go to whichever worker is free first (PDFs differ in length: the region's is the longest)."""


class _Worker:
    """One `python -m reporting.pdfworker` process and a thread reading its answers; after
    each answer it asks `next_job` for more work."""

    def __init__(self, next_job: Callable[[_Worker], None]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reporting.pdfworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        if self.process.stdin is None or self.process.stdout is None:
            raise RuntimeError("PDF worker started without pipes")
        self._stdin = self.process.stdin
        self._stdout = self.process.stdout
        self._next_job = next_job
        self.sent = 0
        self.answers: list[dict[str, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stdout:
            self.answers.append(json.loads(line))
            self._next_job(self)

    @property
    def outstanding(self) -> int:
        return self.sent - len(self.answers)

    def send(self, html: str, destination: Path) -> None:
        self._stdin.write(json.dumps({"html": html, "pdf": str(destination)}) + "\n")
        self._stdin.flush()
        self.sent += 1

    def finish(self) -> list[dict[str, str]]:
        """Waits for the last answer; a worker that died is an error for each missing PDF."""
        if not self._stdin.closed:
            self._stdin.close()
        self._reader.join()
        code = self.process.wait()
        missing = self.sent - len(self.answers)
        if missing:
            lost = {"pdf": "", "error": f"PDF worker stopped (exit {code}), {missing} PDF(s) lost"}
            return [*self.answers, lost]
        return self.answers


class PdfWriter:
    """Renders PDFs while the caller prepares the next report: in worker processes when there
    are enough documents (each takes the next waiting PDF when it is free), else right away.
    Leaving the `with` block waits for every PDF and raises on the first failure."""

    def __init__(self, documents: int) -> None:
        self.workers = pdf_workers(documents)
        self._pool: list[_Worker] = []
        self._waiting: deque[tuple[str, Path]] = deque()
        self._changed = threading.Condition()
        self.written: list[Path] = []

    def __enter__(self) -> PdfWriter:
        if self.workers > 1:
            self._pool = [_Worker(self._give_next) for _ in range(self.workers)]
        return self

    def add(self, print_html: str, destination: Path) -> None:
        if not self._pool:
            self.written.append(write_pdf_file(print_html, destination))
            return
        with self._changed:
            free = min(self._pool, key=lambda worker: worker.outstanding)
            if free.outstanding < WAITING_PER_WORKER and not self._waiting:
                free.send(print_html, destination)
            else:
                self._waiting.append((print_html, destination))

    def _give_next(self, worker: _Worker) -> None:
        """A worker answered: it gets the next waiting PDF, if any."""
        with self._changed:
            if self._waiting and worker.process.poll() is None:
                worker.send(*self._waiting.popleft())
            self._changed.notify_all()

    def _drain(self) -> None:
        """Waits until every PDF went to a worker (or no worker is left to take them)."""
        with self._changed:
            while self._waiting and any(w.process.poll() is None for w in self._pool):
                self._changed.wait(timeout=1)

    def __exit__(self, *exc: object) -> None:
        self._drain()
        answers = [answer for worker in self._pool for answer in worker.finish()]
        if self._waiting:
            lost = len(self._waiting)
            answers.append({"pdf": "", "error": f"no PDF worker left, {lost} PDF(s) not written"})
        failed = [answer for answer in answers if "error" in answer]
        self.written.extend(Path(answer["pdf"]) for answer in answers if "error" not in answer)
        if failed and exc[0] is None:
            raise RuntimeError(f"PDF not written: {failed[0]['pdf']}: {failed[0]['error']}")
