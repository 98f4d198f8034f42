"""One Jinja environment (autoescaped, overridable templates) and HTML -> PDF with WeasyPrint.

A coordinator can override any template by putting a file with the same name in
<home>/report_templates/; the built-in templates are the fallback.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.dutch import date_nl, euro, number_nl, percent_nl
from domain.storage import write_atomically, write_text_atomically

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "report_templates"


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
    environment.filters["datum"] = date_nl
    environment.filters["getal"] = number_nl
    environment.filters["procent"] = percent_nl
    return environment


def render_html(environment: Environment, template: str, context: dict[str, Any]) -> str:
    return environment.get_template(template).render(**context)


def write_pdf(html: str, destination: Path) -> None:
    # WeasyPrint is imported here: it loads system libraries (Pango) that commands without
    # reports never need.
    from weasyprint import HTML  # noqa: PLC0415

    # fontTools and WeasyPrint log every subset and unknown CSS property at INFO/WARNING.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    HTML(string=html, base_url=str(BUILTIN_TEMPLATES)).write_pdf(destination)


def write_document(html: str, html_path: Path) -> tuple[Path, Path]:
    """The HTML file and a PDF of the same HTML beside it."""
    write_text_atomically(html_path, html)
    pdf_path = html_path.with_suffix(".pdf")
    write_atomically(pdf_path, lambda partial: write_pdf(html, partial))
    return html_path, pdf_path
