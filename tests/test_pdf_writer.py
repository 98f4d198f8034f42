"""The report's PDF writer (reporting.render.PdfWriter): with enough documents it renders them
in worker processes, each taking the next waiting PDF when it is free, and it reports a PDF it
could not write instead of losing it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from reporting.render import PARALLEL_FROM, PdfWriter, pdf_workers


def _page(number: int, rows: int) -> str:
    cells = "".join(f"<tr><td>rij {row}</td><td>{row * number}</td></tr>" for row in range(rows))
    return f"<html><body><h1>Rapport {number}</h1><table>{cells}</table></body></html>"


def test_every_pdf_is_written_by_the_workers_long_ones_and_short_ones(tmp_path: Path) -> None:
    documents = PARALLEL_FROM + 6
    assert pdf_workers(documents) > 1, "this machine has more than one core"
    with PdfWriter(documents) as writer:
        for number in range(documents):
            rows = 400 if number == 0 else 3  # the first one is far longer than the rest
            writer.add(_page(number, rows), tmp_path / f"rapport {number:02}.pdf")
    assert sorted(writer.written) == sorted(tmp_path.glob("*.pdf"))
    assert len(writer.written) == documents
    with pdfplumber.open(tmp_path / "rapport 07.pdf") as pdf:
        assert "Rapport 7" in (pdf.pages[0].extract_text() or "")
    with pdfplumber.open(tmp_path / "rapport 00.pdf") as pdf:
        assert len(pdf.pages) > 5


def test_a_pdf_that_cannot_be_written_is_an_error_not_a_loss(tmp_path: Path) -> None:
    documents = PARALLEL_FROM
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    with (
        pytest.raises(RuntimeError, match=r"PDF not written: .*bestand/kapot\.pdf"),
        PdfWriter(documents) as writer,
    ):
        for number in range(documents - 1):
            writer.add(_page(number, 2), tmp_path / f"rapport {number:02}.pdf")
        writer.add(_page(99, 2), blocked / "kapot.pdf")
    assert len(list(tmp_path.glob("rapport *.pdf"))) == documents - 1
