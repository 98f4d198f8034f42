"""Reading PDF invoices: third-party real PDFs (see /work/shared/realdata/SOURCES.md) and
small PDFs built in the test for the failure modes."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import weasyprint

from domain.errors import UnreadableFile
from parsers.invoice_pdf import InvoiceFields, read_invoice_pdf
from parsers.limits import MEGABYTE, ReadLimits

REALDATA = Path("/work/shared/realdata")
INVOICE2DATA = REALDATA / "invoice2data"
EFACTUUR = REALDATA / "efactuur-pdf-nl"
ALL_PDFS = sorted(REALDATA.glob("**/*.pdf"))
LIMITS = ReadLimits()
DUTCH_WORD = re.compile(r"\b(de|het|een|geen|is|niet)\b")


def read(path: Path, limits: ReadLimits = LIMITS) -> InvoiceFields:
    return read_invoice_pdf(path, limits)


def html_pdf(tmp_path: Path, body: str, name: str = "factuur.pdf") -> Path:
    path = tmp_path / name
    weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf(path)
    return path


def assert_rejected(path: Path, *fragments: str, limits: ReadLimits = LIMITS) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read(path, limits)
    reason = caught.value.reason_nl
    assert DUTCH_WORD.search(reason), reason
    for fragment in fragments:
        assert fragment in reason


# --- ground truth from SOURCES.md ---------------------------------------------------------------


def test_coolblue1_all_fields() -> None:
    fields = read(INVOICE2DATA / "coolblue1.pdf")
    assert fields == InvoiceFields(
        file="coolblue1.pdf",
        pages=1,
        supplier="Coolblue B.V.",
        kvk="24330087",
        vat_number="NL810433941B01",
        iban="NL50INGB0683251309",
        invoice_number="993548900",
        invoice_date=date(2014, 4, 19),
        amount_excl_vat=Decimal("593.36"),
        vat=Decimal("124.61"),
        total=Decimal("717.97"),
        currency="EUR",
        warnings=(),
    )


def test_coolblue2_thousands_separators() -> None:
    fields = read(INVOICE2DATA / "coolblue2.pdf")
    assert fields.invoice_number == "992288600"
    assert fields.invoice_date == date(2014, 3, 29)
    assert fields.total == Decimal("4904.94")
    assert fields.amount_excl_vat == Decimal("4053.67")
    assert fields.vat == Decimal("851.27")
    assert fields.warnings == ()


def test_bol_total_is_not_the_paid_or_outstanding_amount() -> None:
    fields = read(INVOICE2DATA / "camelot-bol100649863.pdf")
    assert fields.invoice_number == "8587333880016"
    assert fields.invoice_date == date(2015, 10, 29)
    assert fields.total == Decimal("189.00")
    assert fields.amount_excl_vat == Decimal("156.20")
    assert fields.vat == Decimal("32.80")
    assert fields.kvk == "32147382"
    assert fields.vat_number == "NL820471616B01"
    assert fields.iban == "NL27INGB0000026500"
    assert fields.supplier == "bol.com b.v."
    assert fields.warnings == ()


def test_payment_overview_with_odd_vat_number() -> None:
    fields = read(INVOICE2DATA / "camelot-example.pdf")
    assert fields.invoice_number == "3906541086000"
    assert fields.invoice_date == date(2022, 4, 20)
    assert fields.total == Decimal("22.50")
    assert fields.amount_excl_vat == Decimal("18.60")
    assert fields.vat == Decimal("3.90")
    assert fields.vat_number == "NL820471616B02"
    assert fields.supplier == "circle.com b.v."


def test_setu_staffing_invoice() -> None:
    fields = read(EFACTUUR / "SETU_1.1.pdf")
    assert fields.pages == 3
    assert fields.supplier == "Staffing Company U"
    assert fields.invoice_number == "1234567F%"
    assert fields.invoice_date == date(2011, 11, 1)
    assert fields.total == Decimal("381.80")
    assert fields.amount_excl_vat == Decimal("330.00")
    assert fields.kvk == "77665544"
    # 330,00 + 39,90 + 12,00 is 381,90, not the 381,80 the invoice asks for.
    assert fields.vat == Decimal("51.90")
    assert any("tellen niet op" in warning for warning in fields.warnings)
    assert "IBAN NL69INGB0001234567 lijkt niet te kloppen (controle mislukt)" in fields.warnings


def test_setu_labels_without_values() -> None:
    fields = read(EFACTUUR / "SETU_1.8.pdf")
    assert fields.total == Decimal("1974.00")
    assert fields.invoice_date == date(2012, 1, 22)
    assert fields.invoice_number == "H5/09876DBF"
    assert fields.kvk is None
    assert fields.vat_number is None
    assert fields.iban is None
    assert fields.amount_excl_vat is None
    assert fields.vat is None


def test_inconsistent_totals_and_conflicting_dates_are_warned() -> None:
    fields = read(EFACTUUR / "UBL_1.1.pdf")
    assert fields.total == Decimal("0.11")
    assert fields.amount_excl_vat == Decimal("30566.25")
    assert fields.invoice_date == date(2009, 8, 12)
    assert any(
        warning.startswith("bedragen op de factuur tellen niet op") for warning in fields.warnings
    )
    assert any("meer dan één factuurdatum" in warning for warning in fields.warnings)


def test_swedish_crowns_are_not_euro() -> None:
    fields = read(EFACTUUR / "UBL_1.6.2.pdf")
    assert fields.currency == "SEK"
    assert fields.total == Decimal("716.88")
    assert fields.invoice_number == "INV12345"


def test_us_dollar_invoice_is_not_read_as_euro() -> None:
    try:
        fields = read(INVOICE2DATA / "AzureInterior.pdf")
    except UnreadableFile as error:
        assert "USD" in error.reason_nl
    else:
        assert fields.currency != "EUR"


@pytest.mark.parametrize("path", ALL_PDFS, ids=[path.name for path in ALL_PDFS])
def test_every_real_pdf_gives_fields_or_a_dutch_reason(path: Path) -> None:
    try:
        fields = read(path)
    except UnreadableFile as error:
        assert error.reason_nl.strip()
        assert DUTCH_WORD.search(error.reason_nl), error.reason_nl
        assert error.path == path
    else:
        assert isinstance(fields, InvoiceFields)
        assert fields.file == path.name
        assert fields.total is not None or fields.amount_excl_vat is not None


def test_realdata_is_present() -> None:
    assert len(ALL_PDFS) >= 13


# --- files that cannot be used ------------------------------------------------------------------


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "factuur.pdf"
    path.write_text("Factuurnummer: 1\nTotaal: € 10,00\n", encoding="utf-8")
    assert_rejected(path, "geen PDF")


def test_empty_pdf(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    path.write_bytes(b"")
    assert_rejected(path, "leeg")


def test_too_big(tmp_path: Path) -> None:
    path = tmp_path / "groot.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 2048)
    assert_rejected(path, "te groot", limits=ReadLimits(max_file_megabytes=1024 / MEGABYTE))


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes((INVOICE2DATA / "coolblue1.pdf").read_bytes()[:400])
    assert_rejected(path, "beschadigd")


def test_scan_without_text_layer(tmp_path: Path) -> None:
    path = html_pdf(tmp_path, '<div style="width:100px;height:100px;background:black"></div>')
    assert_rejected(path, "geen tekstlaag")


def test_too_many_pages() -> None:
    assert_rejected(EFACTUUR / "SETU_1.1.pdf", "3 pagina's", limits=ReadLimits(max_pdf_pages=2))


def test_password_protected(tmp_path: Path) -> None:
    path = tmp_path / "beveiligd.pdf"
    path.write_bytes(_encrypted_pdf())
    assert_rejected(path, "wachtwoord")


def test_no_amount(tmp_path: Path) -> None:
    path = html_pdf(tmp_path, "<p>Factuur</p><p>Factuurnummer: 2025-001</p>")
    assert_rejected(path, "geen leesbaar bedrag")


def test_page_without_media_box(tmp_path: Path) -> None:
    path = tmp_path / "zonder-paginaformaat.pdf"
    path.write_bytes(_minimal_pdf(page=b"<< /Type /Page /Parent 2 0 R >>"))
    assert_rejected(path, "beschadigd")


def _encrypted_pdf() -> bytes:
    """Under the standard security handler with a /U entry that matches no password, so a reader
    must ask for one."""
    handler = b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s> >>" % (b"11" * 32, b"22" * 32)
    return _minimal_pdf(
        extra=[handler], trailer=b"/Encrypt 4 0 R /ID [<%s> <%s>]" % ((b"ab" * 16,) * 2)
    )


def _minimal_pdf(
    page: bytes = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    extra: list[bytes] | None = None,
    trailer: bytes = b"",
) -> bytes:
    """A one-page PDF without content, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        *(extra or []),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- labels, derived amounts and checks on small made-up invoices -------------------------------


def test_total_derived_and_check_digits_warned(tmp_path: Path) -> None:
    path = html_pdf(
        tmp_path,
        "<p>Werkbedrijf Noord B.V.</p><p>KvK: 1234567</p><p>BTW-nummer: NL123456789B02</p>"
        "<p>IBAN: NL00 INGB 0000 0000 01</p><p>Factuurnummer: F-2025-17</p>"
        "<p>Factuurdatum: 3 maart 2025</p><p>Totaal ex BTW: € 1.250,-</p><p>BTW 21%: € 262,50</p>",
    )
    fields = read(path)
    assert fields.supplier == "Werkbedrijf Noord B.V."
    assert fields.invoice_number == "F-2025-17"
    assert fields.invoice_date == date(2025, 3, 3)
    assert fields.amount_excl_vat == Decimal("1250.00")
    assert fields.vat == Decimal("262.50")
    assert fields.total == Decimal("1512.50")
    assert fields.kvk is None
    assert fields.vat_number == "NL123456789B02"
    assert fields.iban == "NL00INGB0000000001"
    assert fields.warnings == (
        "totaalbedrag niet gevonden; berekend als bedrag exclusief BTW plus BTW",
        "KvK-nummer 1234567 lijkt niet te kloppen (een KvK-nummer heeft 8 cijfers)",
        "BTW-nummer NL123456789B02 lijkt niet te kloppen (controle mislukt)",
        "IBAN NL00INGB0000000001 lijkt niet te kloppen (controle mislukt)",
    )


def test_excl_derived_from_total_and_vat(tmp_path: Path) -> None:
    path = html_pdf(
        tmp_path,
        "<p>Factuurnummer: 77</p><p>Datum: 01-02-2025</p>"
        "<p>BTW 9% € 9,00</p><p>Totaalbedrag € 109,00</p>",
    )
    fields = read(path)
    assert fields.total == Decimal("109.00")
    assert fields.amount_excl_vat == Decimal("100.00")
    assert fields.invoice_date == date(2025, 2, 1)
    assert fields.supplier is None
    assert "bedrag exclusief BTW niet gevonden; berekend als totaal min BTW" in fields.warnings


def test_customer_vat_number_is_not_the_suppliers(tmp_path: Path) -> None:
    path = html_pdf(
        tmp_path,
        "<p>Factuurnummer: 5</p><p>Uw BTW-nummer: NL810433941B01</p><p>Totaal: € 10,00</p>",
    )
    assert read(path).vat_number is None
