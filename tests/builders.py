"""Realistic test inputs, written the way coordinators and contractors make them: title rows
above the table, a Contractnummer cell, Dutch headers, notes under the table."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from stdnum.nl import bsn

from domain.contracts import Contract, MunicipalShare
from rulesets.vocabulary import TableKind, builtin_vocabulary


def _template_headings(kind: TableKind) -> tuple[str, ...]:
    """The headings the contractor template writes (every field the template offers)."""
    table = builtin_vocabulary().table(kind)
    return tuple(field.label for field in table.fields if field.template is not None)


REGISTER_HEADERS = tuple(
    field.label for field in builtin_vocabulary().table(TableKind.CONTRACTS).fields
)
PLACEMENT_HEADERS = _template_headings(TableKind.PLACEMENTS)
PURCHASE_HEADERS = _template_headings(TableKind.PURCHASES)
HOUR_HEADERS = _template_headings(TableKind.HOURS)


def valid_bsns(count: int, start: int = 100_000_000) -> list[str]:
    """Deterministic numbers that pass the 11-test (not real persons' numbers)."""
    found: list[str] = []
    candidate = start
    while len(found) < count:
        text = f"{candidate:09d}"
        if bsn.is_valid(text):
            found.append(text)
        candidate += 1
    return found


def contract_row(contract_id: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Contractnummer": contract_id,
        "Omschrijving": "Onderhoud openbare ruimte",
        "Opdrachtnemer": "Bouwbedrijf Ter Horst B.V.",
        "KvK": "12345678",
        "Gemeente": "Enschede",
        "Opdrachtsom": 1_000_000,
        "SROI-percentage": 5,
        "Kapitaalintensief": "nee",
        "Startdatum": date(2025, 1, 1),
        "Einddatum": date(2026, 12, 31),
        "Regeling": "twente",
    }
    row.update(overrides)
    return row


def write_table(
    sheet: Any, headers: Sequence[str], rows: Iterable[Mapping[str, Any]], first_row: int
) -> None:
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=first_row, column=column, value=header)
    for offset, row in enumerate(rows, start=1):
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=first_row + offset, column=column, value=row.get(header))


def write_register(
    path: Path,
    contracts: Sequence[Mapping[str, Any]],
    participants: Sequence[tuple[str, str, Any]] = (),
    headers: Sequence[str] = REGISTER_HEADERS,
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Contracten"
    sheet["A1"] = "Contractregister SROI"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Bijgewerkt door het team SROI"
    write_table(sheet, headers, contracts, first_row=4)
    if participants:
        shares = workbook.create_sheet("Deelnemers")
        write_table(
            shares,
            ("Contractnummer", "Gemeente", "Aandeel"),
            [{"Contractnummer": c, "Gemeente": g, "Aandeel": a} for c, g, a in participants],
            first_row=1,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_submission(
    path: Path,
    *,
    contract_id: str | None = None,
    placements: Sequence[Mapping[str, Any]] = (),
    purchases: Sequence[Mapping[str, Any]] = (),
    hours: Sequence[Mapping[str, Any]] = (),
    header_row: int = 5,
    placement_headers: Sequence[str] = PLACEMENT_HEADERS,
    note_under_table: bool = True,
) -> Path:
    """A quarterly workbook with a title row, a Contractnummer cell and one sheet per table."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    tables = (
        ("Plaatsingen", placement_headers, placements),
        ("Inkoop", PURCHASE_HEADERS, purchases),
        ("MVO", HOUR_HEADERS, hours),
    )
    for title, headers, rows in tables:
        if not rows:
            continue
        sheet = workbook.create_sheet(title)
        sheet["A1"] = f"SROI-verantwoording {title.lower()}"
        if contract_id is not None:
            sheet["A2"] = "Contractnummer"
            sheet["B2"] = contract_id
        write_table(sheet, headers, rows, first_row=header_row)
        if note_under_table:
            sheet.cell(
                row=header_row + len(rows) + 3, column=1, value="* ingevuld door de opdrachtnemer"
            )
    if not workbook.sheetnames:
        workbook.create_sheet("Plaatsingen")["A1"] = "SROI-verantwoording (leeg)"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def placement(bsn_number: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "BSN": bsn_number,
        "Naam": "Jan de Vries",
        "Geboortedatum": date(1980, 5, 17),
        "Doelgroep": "Participatiewet > 2 jaar",
        "Startdatum": date(2025, 2, 1),
        "Uren per week": 36,
        "Dienstverband": "tijdelijk",
    }
    row.update(overrides)
    return row


def purchase(invoice_number: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Leverancier": "Sociaal Werkbedrijf Twente B.V.",
        "KvK leverancier": "87654321",
        "Factuurnummer": invoice_number,
        "Factuurdatum": date(2025, 5, 12),
        "Bedrag excl. BTW": 1250.50,
    }
    row.update(overrides)
    return row


def make_contract(contract_id: str = "C1", **changes: object) -> Contract:
    """A registered Twente contract: EUR 1,000,000 at 5%, 2025-2026, Enschede."""
    base = Contract(
        contract_id=contract_id,
        title="t",
        contractor="Bouw B.V.",
        contractor_kvk=None,
        municipality="Enschede",
        contract_value=Decimal(1_000_000),
        sroi_percentage=Decimal(5),
        capital_intensive=False,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31),
        award_date=date(2025, 1, 1),
        ruleset_id="twente-2016",
        pso_level=None,
        label=None,
        pso_valid_until=None,
        labour_share=None,
        shares=(MunicipalShare("Enschede", Decimal(1)),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def write_invoice_pdf(
    path: Path,
    *,
    number: str,
    day: str,
    excl: str,
    vat: str,
    total: str,
    supplier: str = "Werkbedrijf Amstelland B.V.",
    number_label: str = "Factuurnummer",
) -> Path:
    """A Dutch invoice from a sheltered company, as a PDF with a text layer."""
    from weasyprint import HTML  # noqa: PLC0415 - only tests with invoices need Pango

    html = f"""<html><body><h1>FACTUUR</h1><p>{supplier}<br>KvK 34567890<br>
    BTW-nummer NL810433941B01<br>IBAN NL50INGB0683251309</p>
    <p>{number_label}: {number}<br>Factuurdatum: {day}</p>
    <table><tr><td>Totaal excl. BTW</td><td>€ {excl}</td></tr>
    <tr><td>BTW 21%</td><td>€ {vat}</td></tr><tr><td>Totaal</td><td>€ {total}</td></tr></table>
    </body></html>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path)
    return path


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        iso = value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
            f"<text:p>{iso}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def write_ods(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    """An OpenDocument spreadsheet (LibreOffice's own format), written by hand: a zip with the
    mimetype first and uncompressed, a manifest and content.xml."""
    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
