"""Every third-party file in ../shared/realdata (see its SOURCES.md) with the outcome expected
for that file: the invoice fields read or the exact Dutch reason it is refused, the sheets a
workbook shows, what `sroi inspect` prints and what a full run does with it (issue 4).

The expected values were checked against SOURCES.md. Where the parser reads something other
than the document says, the table holds the correct value and the test is a strict xfail that
fails on anything but an assertion: it turns red when the parser is fixed (remove the mark then)
and when the file can no longer be read at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.errors import FileRejected, NoEvidenceFound, UnreadableFile
from flows.home import Home
from flows.ingest import FileResult, ingest_inbox
from flows.inspection import inspect_file
from flows.lines import LineRow, contract_lines
from parsers import read_submission
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.workbook import read_workbook
from sroi import app
from tests.builders import contract_row, write_register
from tests.conftest import REALDATA

LIMITS = ReadLimits()
CONTRACT = "TW-2025-001"  # runs 01-01-2025 t/m 31-12-2026 (tests.builders.contract_row)
AS_OF = date(2025, 10, 1)


@dataclass(frozen=True)
class Refused:
    """`read_submission` raises `error` with exactly this Dutch reason."""

    error: type[FileRejected]
    reason: str


@dataclass(frozen=True)
class Quarantined:
    """A full run puts the file in quarantine/ with exactly this reason beside it."""

    reason: str


@dataclass(frozen=True)
class Archived:
    """A full run archives the file; a PDF becomes one purchase line with these reasons."""

    line_reasons: tuple[str, ...]
    accepted: int = 0
    rejected: int = 0
    pending: int = 0
    extra_line_warnings: tuple[str, ...] = ()
    """Warnings of the line on top of the invoice's own."""

    @property
    def line_status(self) -> str:
        counts = {"accepted": self.accepted, "rejected": self.rejected, "pending": self.pending}
        (status,) = [status for status, count in counts.items() if count]
        return status


def outside_period(invoice_date: str) -> str:
    return f"factuurdatum {invoice_date} valt buiten de contractperiode (01-01-2025 t/m 31-12-2026)"


NO_TABLE = (
    "geen blad met plaatsingen, inkoop of MVO-uren gevonden; gebruik de bladen 'Plaatsingen', "
    "'Inkoop' en 'MVO' met de kolomkoppen uit het sjabloon"
)
NOT_A_DUTCH_INVOICE = (
    "er staat geen leesbaar bedrag in de PDF (geen totaalbedrag en geen bedrag exclusief BTW "
    "gevonden); de PDF lijkt geen Nederlandstalige factuur te zijn; lever een Nederlandse "
    "factuur met totaalbedrag aan"
)
NOT_A_DUTCH_INVOICE_IN_USD = (
    "er staat geen leesbaar bedrag in de PDF (geen totaalbedrag en geen bedrag exclusief BTW "
    "gevonden); de PDF lijkt geen Nederlandstalige factuur te zijn; de bedragen lijken in USD te "
    "zijn, niet in euro; lever een Nederlandse factuur met totaalbedrag aan"
)
CSV_NOT_ACCEPTED = (
    "bestandstype '.csv' wordt niet verwerkt; lever Excel (.xlsx, .xlsm, .xls, .ods) of "
    "PDF-facturen aan"
)

SAECO = "invoice2data/saeco.pdf"
# saeco.pdf prints 'Factuur datum', 'Factuur' (the number) and 'Grondslag', 'BTW bedrag' as
# header rows with the values on the row below (8-9-2022, VF1005193039; 41,31, 8,68): read by
# position (parsers/invoice_columns.py).

# --- what the parse stage reads: one row per file ----------------------------------------------

READ: dict[str, InvoiceFields | Refused] = {
    # Workbooks: none has a sheet named or headed like the template's Plaatsingen/Inkoop/MVO.
    "calamine/any_sheets.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/date_1904.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/issue_174.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/issue_530.xlsx": Refused(NoEvidenceFound, NO_TABLE),  # opened, not 'beschadigd'
    "calamine/merge_cells.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/merged_range.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/no-header.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "calamine/pivots.xlsx": Refused(NoEvidenceFound, NO_TABLE),  # opened, not 'beschadigd'
    "calamine/temperature-in-middle.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "efactuur-pdf-nl/voorbeeldberichten.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "messytables/large.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/clippy.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/currency-formats-xlsx.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/deaths.xls": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/deaths.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/geometry.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/skipping.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/texty-dates-xlsx.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "readxl/whitespace-xlsx.xlsx": Refused(NoEvidenceFound, NO_TABLE),
    "messytables/begrotingsanalyse-2011.csv": Refused(UnreadableFile, CSV_NOT_ACCEPTED),
    # Foreign invoices have none of the Dutch amount labels.
    "invoice2data/AzureInterior.pdf": Refused(UnreadableFile, NOT_A_DUTCH_INVOICE_IN_USD),
    "invoice2data/NetpresseInvoice.pdf": Refused(UnreadableFile, NOT_A_DUTCH_INVOICE),
    "invoice2data/QualityHosting.pdf": Refused(UnreadableFile, NOT_A_DUTCH_INVOICE),
    "invoice2data/free_fiber.pdf": Refused(UnreadableFile, NOT_A_DUTCH_INVOICE),
    # Dutch invoices: the values as printed (SOURCES.md).
    "invoice2data/coolblue1.pdf": InvoiceFields(
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
        total=Decimal("717.97"),  # not the payment line of € -9,32
        currency="EUR",
        warnings=(),
    ),
    "invoice2data/coolblue2.pdf": InvoiceFields(
        file="coolblue2.pdf",
        pages=1,
        supplier="Coolblue B.V.",
        kvk="24330087",
        vat_number="NL810433941B01",
        iban="NL50INGB0683251309",
        invoice_number="992288600",
        invoice_date=date(2014, 3, 29),
        amount_excl_vat=Decimal("4053.67"),
        vat=Decimal("851.27"),
        total=Decimal("4904.94"),
        currency="EUR",
        warnings=(),
    ),
    "invoice2data/camelot-bol100649863.pdf": InvoiceFields(
        file="camelot-bol100649863.pdf",
        pages=1,
        supplier="bol.com b.v.",
        kvk="32147382",
        vat_number="NL820471616B01",
        iban="NL27INGB0000026500",
        invoice_number="8587333880016",
        invoice_date=date(2015, 10, 29),  # 'Datum', not the Vervaldatum
        amount_excl_vat=Decimal("156.20"),
        vat=Decimal("32.80"),
        total=Decimal("189.00"),  # not 'Te betalen € 0,00' nor the trailing-minus '189,00-'
        currency="EUR",
        warnings=(),
    ),
    "invoice2data/camelot-example.pdf": InvoiceFields(
        file="camelot-example.pdf",
        pages=1,
        supplier="circle.com b.v.",
        kvk="32147380",
        vat_number="NL820471616B02",  # printed 'NL8204.71.616.B.02'
        iban="NL27INGB0000026501",
        invoice_number="3906541086000",
        invoice_date=date(2022, 4, 20),
        amount_excl_vat=Decimal("18.60"),
        vat=Decimal("3.90"),
        total=Decimal("22.50"),
        currency="EUR",
        # The fictitious IBAN's check digits are wrong (mod 97 gives 60, not 1).
        warnings=("IBAN NL27INGB0000026501 lijkt niet te kloppen (controle mislukt)",),
    ),
    SAECO: InvoiceFields(
        file="saeco.pdf",
        pages=1,
        supplier=None,  # name, KvK and IBAN are only in an embedded image (needs OCR)
        kvk=None,
        vat_number=None,  # 'Uw BTW nummer' is the customer's
        iban=None,
        invoice_number="VF1005193039",
        invoice_date=date(2022, 9, 8),  # not the vervaldatum 22-9-2022
        amount_excl_vat=Decimal("41.31"),
        vat=Decimal("8.68"),
        total=Decimal("49.99"),
        currency="EUR",
        warnings=(),
    ),
    "efactuur-pdf-nl/SETU_1.1.pdf": InvoiceFields(
        file="SETU_1.1.pdf",
        pages=3,
        supplier="Staffing Company U",
        kvk="77665544",
        vat_number=None,  # 'BTW Nummer: (Tax number)'
        iban="NL69INGB0001234567",
        invoice_number="1234567F%",
        invoice_date=date(2011, 11, 1),
        amount_excl_vat=Decimal("330.00"),
        vat=Decimal("51.90"),  # BTW 19% 39,90 + BTW 10% 12,00
        total=Decimal("381.80"),
        currency="EUR",
        warnings=(
            # As printed: 330,00 + 39,90 + 12,00 is 381,90, the document says 381,80.
            "bedragen op de factuur tellen niet op: € 330,00 exclusief BTW plus € 51,90 BTW is "
            "€ 381,90, maar het totaal is € 381,80",
            "IBAN NL69INGB0001234567 lijkt niet te kloppen (controle mislukt)",
        ),
    ),
    "efactuur-pdf-nl/SETU_1.8.pdf": InvoiceFields(
        file="SETU_1.8.pdf",
        pages=2,
        supplier="Inleenlev BV",
        kvk=None,  # the labels BTW-nummer, IBAN, KvK and Totaal ex BTW have no values
        vat_number=None,
        iban=None,
        invoice_number="H5/09876DBF",
        invoice_date=date(2012, 1, 22),
        amount_excl_vat=None,
        vat=None,
        total=Decimal("1974.00"),
        currency="EUR",
        warnings=(),
    ),
    "efactuur-pdf-nl/UBL_1.1.pdf": InvoiceFields(
        file="UBL_1.1.pdf",
        pages=1,
        supplier="DIT IS EEN TEST Electronica B.V.",  # printed so, on one line
        kvk=None,
        vat_number="BE1707723123B01",
        iban="BE61310126985517",
        invoice_number="1587968432",
        invoice_date=date(2009, 8, 12),
        amount_excl_vat=Decimal("30566.25"),
        vat=Decimal("4252.77"),
        total=Decimal("0.11"),
        currency="EUR",
        warnings=(
            "bedragen op de factuur tellen niet op: € 30.566,25 exclusief BTW plus € 4.252,77 "
            "BTW is € 34.819,02, maar het totaal is € 0,11",
            "de factuur noemt meer dan één factuurdatum (12-08-2009, 09-04-2009); 12-08-2009 is "
            "gebruikt",
            "BTW-nummer BE1707723123B01 lijkt niet te kloppen (controle mislukt)",
        ),
    ),
    "efactuur-pdf-nl/UBL_1.6.2.pdf": InvoiceFields(
        file="UBL_1.6.2.pdf",
        pages=1,
        supplier="Lev Erancier Inc",
        kvk=None,
        vat_number=None,
        iban=None,  # 'IBAN: 888999' is no IBAN
        invoice_number="INV12345",
        invoice_date=date(2011, 1, 1),
        amount_excl_vat=Decimal("533.06"),
        vat=Decimal("209.25"),  # 102,00 + 18,75 + 51,00 + 37,50 as printed
        total=Decimal("716.88"),
        currency="SEK",
        warnings=(
            "bedragen op de factuur tellen niet op: SEK 533,06 exclusief BTW plus SEK 209,25 BTW "
            "is SEK 742,31, maar het totaal is SEK 716,88",
            "de bedragen op de factuur zijn in SEK, niet in euro",
        ),
    ),
}

# --- the visible worksheets a workbook shows: (name, rows read) --------------------------------

SHEETS: dict[str, tuple[tuple[str, int], ...]] = {
    "calamine/any_sheets.xlsx": (("Visible", 5),),  # Hidden, VeryHidden and Chart left out
    "calamine/date_1904.xlsx": (("Sheet1", 3),),
    "calamine/issue_174.xlsx": (("Sheet1", 2),),  # the used range claims A1:XFD1048576
    "calamine/issue_530.xlsx": (("出勤分类组织汇总表", 5),),  # openpyxl cannot open it
    "calamine/merge_cells.xlsx": (("Sheet1", 2),),
    "calamine/merged_range.xlsx": (("Sheet1", 4), ("Sheet2", 4)),
    "calamine/no-header.xlsx": (("Feuille 1", 4),),
    "calamine/pivots.xlsx": (
        ("PivotSheet1", 5),
        ("PivotSheet2", 11),
        ("PivotSheet3", 7),
        ("PivotSheet4", 9),
        ("DataSheet", 11),
        ("DataSheet2", 11),
    ),
    "calamine/temperature-in-middle.xlsx": (("Sheet1", 6),),  # table at B4:C6
    "efactuur-pdf-nl/voorbeeldberichten.xlsx": (
        ("verplichting", 43),
        ("verplichtingantwoord", 14),
        ("offerteaanvraag", 52),
        ("offerte", 81),
        ("offerteafwijzing", 21),
        ("bestelling", 84),
        ("bestellingbevestiging", 23),
        ("timecard", 21),
        ("ASN", 33),
        ("factuur", 67),
    ),
    "messytables/large.xlsx": (("Report", 52),),  # 'data' and 'criteria' are hidden sheets
    "readxl/clippy.xlsx": (("list-column", 5), ("two-row-header", 3)),
    "readxl/currency-formats-xlsx.xlsx": (("Tabelle1", 3),),
    "readxl/deaths.xls": (("arts", 19), ("other", 19)),  # notes, header on 5, footnotes 16-19
    "readxl/deaths.xlsx": (("arts", 19), ("other", 19)),
    "readxl/geometry.xlsx": (
        ("Sheet1", 6),
        ("warning_B6", 6),
        ("warning_AT6", 6),
        ("warning_AKE6", 6),
    ),
    "readxl/skipping.xlsx": (
        ("two_blank_rows", 7),
        ("occupied_row_and_blank_row", 7),
        ("two_occupied_rows", 7),
    ),
    "readxl/texty-dates-xlsx.xlsx": (("Sheet1", 3),),
    "readxl/whitespace-xlsx.xlsx": (("whitespace", 7), ("logical_and_NA", 3)),
}
DATES_FROM_1904 = {"calamine/date_1904.xlsx"}

# --- what a full run does with each file -------------------------------------------------------

RUN: dict[str, Quarantined | Archived] = {
    "calamine/any_sheets.xlsx": Quarantined(NO_TABLE),
    "calamine/date_1904.xlsx": Quarantined(NO_TABLE),
    "calamine/issue_174.xlsx": Quarantined(NO_TABLE),
    "calamine/issue_530.xlsx": Quarantined(NO_TABLE),
    "calamine/merge_cells.xlsx": Quarantined(NO_TABLE),
    "calamine/merged_range.xlsx": Quarantined(NO_TABLE),
    "calamine/no-header.xlsx": Quarantined(NO_TABLE),
    "calamine/pivots.xlsx": Quarantined(NO_TABLE),
    "calamine/temperature-in-middle.xlsx": Quarantined(NO_TABLE),
    "efactuur-pdf-nl/voorbeeldberichten.xlsx": Quarantined(NO_TABLE),
    "messytables/large.xlsx": Quarantined(NO_TABLE),
    "readxl/clippy.xlsx": Quarantined(NO_TABLE),
    "readxl/currency-formats-xlsx.xlsx": Quarantined(NO_TABLE),
    "readxl/deaths.xls": Quarantined(NO_TABLE),
    "readxl/deaths.xlsx": Quarantined(NO_TABLE),
    "readxl/geometry.xlsx": Quarantined(NO_TABLE),
    "readxl/skipping.xlsx": Quarantined(NO_TABLE),
    "readxl/texty-dates-xlsx.xlsx": Quarantined(NO_TABLE),
    "readxl/whitespace-xlsx.xlsx": Quarantined(NO_TABLE),
    "messytables/begrotingsanalyse-2011.csv": Quarantined(CSV_NOT_ACCEPTED),
    "invoice2data/AzureInterior.pdf": Quarantined(NOT_A_DUTCH_INVOICE_IN_USD),
    "invoice2data/NetpresseInvoice.pdf": Quarantined(NOT_A_DUTCH_INVOICE),
    "invoice2data/QualityHosting.pdf": Quarantined(NOT_A_DUTCH_INVOICE),
    "invoice2data/free_fiber.pdf": Quarantined(NOT_A_DUTCH_INVOICE),
    # Every Dutch invoice predates the contract (or is in SEK): archived, its line rejected.
    "invoice2data/coolblue1.pdf": Archived((outside_period("19-04-2014"),), rejected=1),
    "invoice2data/coolblue2.pdf": Archived((outside_period("29-03-2014"),), rejected=1),
    "invoice2data/camelot-bol100649863.pdf": Archived((outside_period("29-10-2015"),), rejected=1),
    "invoice2data/camelot-example.pdf": Archived((outside_period("20-04-2022"),), rejected=1),
    SAECO: Archived((outside_period("08-09-2022"),), rejected=1),
    "efactuur-pdf-nl/SETU_1.1.pdf": Archived((outside_period("01-11-2011"),), rejected=1),
    "efactuur-pdf-nl/SETU_1.8.pdf": Archived(
        (outside_period("22-01-2012"),),
        rejected=1,
        extra_line_warnings=(
            "bedrag excl. BTW niet gevonden op de factuur; totaalbedrag gebruikt",
        ),
    ),
    "efactuur-pdf-nl/UBL_1.1.pdf": Archived((outside_period("12-08-2009"),), rejected=1),
    "efactuur-pdf-nl/UBL_1.6.2.pdf": Archived(("factuur is niet in euro's (SEK)",), rejected=1),
}


def cases(names: Iterable[str], xfail: dict[str, str] | None = None) -> list[Any]:
    """One pytest case per file, named after the file; `xfail` maps a file to a known misread.
    `raises=AssertionError`: a file that cannot be read at all still fails the test."""
    known = xfail or {}
    return [
        pytest.param(
            name,
            id=Path(name).name,
            marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=known[name])]
            if name in known
            else [],
        )
        for name in names
    ]


def kind_of(path: Path) -> str:
    return {".pdf": "invoice", ".csv": "other"}.get(path.suffix.lower(), "workbook")


def test_every_real_file_has_an_expected_outcome() -> None:
    on_disk = {
        path.relative_to(REALDATA).as_posix()
        for path in REALDATA.rglob("*")
        if path.is_file() and path.name != "SOURCES.md"
    }
    assert len(on_disk) == 33, f"expected the third-party files in {REALDATA}"
    assert set(READ) == on_disk
    assert set(RUN) == on_disk
    assert set(SHEETS) == {name for name in on_disk if kind_of(Path(name)) == "workbook"}


# --- the parse stage ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", cases(READ))
def test_read_submission_gives_the_fields_or_the_exact_reason(name: str) -> None:
    expected = READ[name]
    if isinstance(expected, Refused):
        with pytest.raises(FileRejected) as refused:
            read_submission(REALDATA / name, LIMITS)
        assert (type(refused.value), refused.value.reason_nl) == (expected.error, expected.reason)
    else:
        assert read_submission(REALDATA / name, LIMITS) == expected


def test_saeco_total_is_read_and_fields_only_in_the_image_are_not_invented() -> None:
    """saeco.pdf's issuer data is only in an embedded image: nothing is invented for it."""
    fields = read_submission(REALDATA / SAECO, LIMITS)
    assert isinstance(fields, InvoiceFields)
    assert (fields.pages, fields.total, fields.currency) == (1, Decimal("49.99"), "EUR")
    assert (fields.supplier, fields.kvk, fields.vat_number, fields.iban) == (None, None, None, None)


@pytest.mark.parametrize("name", cases(SHEETS))
def test_a_workbook_shows_its_visible_sheets(name: str) -> None:
    """What is read from the workbooks refused above (no sheet holds a recognised table, see
    READ): each visible worksheet, hidden and chart sheets left out, read to its real size."""
    grids = read_workbook(REALDATA / name, LIMITS)
    assert tuple((grid.name, len(grid.rows)) for grid in grids) == SHEETS[name]
    assert {grid.date1904 for grid in grids} == {name in DATES_FROM_1904}


def test_dates_in_a_1904_workbook() -> None:
    (grid,) = read_workbook(REALDATA / "calamine/date_1904.xlsx", LIMITS)
    assert [row[0] for row in grid.rows[:2]] == [date(2021, 1, 1), date(2021, 1, 2)]


def inspect_document(path: Path, expected: InvoiceFields | Refused) -> dict[str, Any]:
    """What `sroi inspect` prints for a file, without a home (so no contract)."""
    if isinstance(expected, Refused):
        return {"file": path.name, "kind": kind_of(path), "error": expected.reason}

    def amount(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "file": path.name,
        "kind": "invoice",
        "supplier": expected.supplier,
        "kvk": expected.kvk,
        "vat_number": expected.vat_number,
        "iban": expected.iban,
        "invoice_number": expected.invoice_number,
        "invoice_date": expected.invoice_date.isoformat() if expected.invoice_date else None,
        "amount_excl_vat": amount(expected.amount_excl_vat),
        "vat": amount(expected.vat),
        "total": amount(expected.total),
        "currency": expected.currency,
        "pages": expected.pages,
        "warnings": list(expected.warnings),
        "contract": None,
    }


@pytest.mark.parametrize("name", cases(READ))
def test_inspect_prints_the_fields_or_the_exact_reason(name: str) -> None:
    path = REALDATA / name
    assert inspect_file(path, None) == inspect_document(path, READ[name])


# --- a full run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FullRun:
    home: Home
    results: dict[str, FileResult]
    """By file name."""
    lines: dict[str, list[LineRow]]
    """The contract's ledger lines by source file name."""


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> FullRun:
    home = Home(tmp_path_factory.mktemp("realdata") / "home")
    app.init_home(home)
    write_register(home.root / "contracts.xlsx", [contract_row(CONTRACT)])
    folder = home.inbox / CONTRACT
    folder.mkdir(parents=True)
    for name in RUN:
        (folder / Path(name).name).write_bytes((REALDATA / name).read_bytes())
    report = ingest_inbox(home=str(home.root), as_of=AS_OF)
    lines: dict[str, list[LineRow]] = {}
    for line in contract_lines(home, CONTRACT, None, AS_OF)[1]:
        lines.setdefault(line.file, []).append(line)
    results = {Path(result.inbox_path).name: result for result in report.files}
    return FullRun(home, results, lines)


@pytest.mark.slow
@pytest.mark.parametrize("name", cases(RUN))
def test_a_full_run_archives_or_quarantines_with_the_exact_reason(
    name: str, full_run: FullRun
) -> None:
    source = REALDATA / name
    expected = RUN[name]
    result = full_run.results[source.name]
    stored = full_run.home.root / result.stored_path
    assert stored.read_bytes() == source.read_bytes()
    assert not (full_run.home.inbox / CONTRACT / source.name).exists()
    counts = (result.accepted, result.rejected, result.pending, result.unchanged)
    if isinstance(expected, Quarantined):
        assert (result.status, result.contract_id, result.reason) == (
            "quarantined",
            CONTRACT,
            expected.reason,
        )
        assert result.stored_path == f"quarantine/{CONTRACT}/{source.name}"
        note = Path(f"{stored}.reason.txt").read_text(encoding="utf-8").splitlines()
        assert note[:2] == [
            f"Reden: {expected.reason}",
            f"Oorspronkelijke plaats: inbox/{CONTRACT}/{source.name}",
        ]
        assert counts == (0, 0, 0, 0)
        assert source.name not in full_run.lines
    else:
        assert (result.status, result.contract_id, result.reason) == ("archived", CONTRACT, None)
        assert result.stored_path == f"archive/{CONTRACT}/{source.name}"
        assert counts == (expected.accepted, expected.rejected, expected.pending, 0)


ARCHIVED = [name for name, outcome in RUN.items() if isinstance(outcome, Archived)]


@pytest.mark.slow
@pytest.mark.parametrize("name", cases(ARCHIVED))
def test_a_full_run_records_the_invoice_as_one_purchase_line(name: str, full_run: FullRun) -> None:
    expected, invoice = RUN[name], READ[name]
    assert isinstance(expected, Archived) and isinstance(invoice, InvoiceFields)
    lines = full_run.lines.get(Path(name).name, [])
    assert [(line.kind.value, line.status.value) for line in lines] == [
        ("purchase", expected.line_status)
    ]
    (line,) = lines
    assert line.reasons == tuple(expected.line_reasons)
    assert line.warnings == (*invoice.warnings, *expected.extra_line_warnings)
