"""Writes the demo home described in home.yaml: contracts.xlsx and the files of inbox/.

`sroi demo` calls `write_demo_home`, then runs the pipeline on it as of `DEMO_AS_OF` and writes
the reports of `DEMO_QUARTER`. The output is deterministic: the same bytes on every call
(workbook timestamps, zip entry times and PDF font timestamps are fixed).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import count, islice
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring
from stdnum.nl import bsn as bsn_number

from domain.periods import Quarter
from reporting.render import render_html, template_environment
from sroi.demo.model import (
    Cell,
    DemoContract,
    DemoHome,
    EmptyWorkbook,
    Invoice,
    Placement,
    Sheet,
    SubmissionWorkbook,
    inbox_path,
    load_demo_home,
)

DEMO_QUARTER = Quarter(2026, 3)
DEMO_AS_OF = date(2026, 10, 15)

FILE_TIMESTAMP = datetime(2026, 10, 15, 8, 30, 0)
"""Creation and modification time written into every demo file."""
_ZIP_TIME = (2026, 10, 15, 8, 30, 0)
_DATE_FORMAT = "DD-MM-YYYY"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
INVOICE_TEMPLATE = "demo_invoice.html"

REGISTER_COLUMNS = (
    ("Contractnummer", "id"), ("Omschrijving", "title"), ("Opdrachtnemer", "contractor"),
    ("KvK", "kvk"), ("Gemeente", "municipality"), ("Opdrachtsom", "value"),
    ("SROI-percentage", "sroi_percentage"), ("Kapitaalintensief", "capital_intensive"),
    ("Startdatum", "start"), ("Einddatum", "end"), ("Gunningsdatum", "award"),
    ("Regeling", "ruleset"), ("PSO-trede", "pso_level"), ("Keurmerk", "label"),
    ("PSO geldig tot", "label_valid_until"), ("Aandeel arbeid", "labour_share"),
)  # fmt: skip
_SHARE_HEADERS = ("Contractnummer", "Gemeente", "Aandeel")


# --- people ------------------------------------------------------------------------------------


def _valid_bsns(first: int, step: int, amount: int) -> tuple[str, ...]:
    """The first `amount` numbers passing the 11-test in first, first + step, ..."""
    candidates = (f"{number:09d}" for number in count(first, step))
    return tuple(islice((c for c in candidates if bsn_number.is_valid(c)), amount))


def demo_bsns(demo: DemoHome) -> dict[str, str]:
    """Person name: the (fictitious, 11-test-valid) BSN handed out to them."""
    counter = demo.bsn_counter
    numbers = _valid_bsns(counter.first, counter.step, len(demo.people))
    return dict(zip(demo.people, numbers, strict=True))


def mistyped(bsn: str) -> str:
    """One digit off: changing the last digit always breaks the 11-test."""
    return bsn[:-1] + str((int(bsn[-1]) + 1) % 10)


def _placement_bsn(row: Placement, bsns: dict[str, str]) -> str:
    bsn = bsns[row.person]
    return mistyped(bsn) if row.mistyped_bsn else bsn


# --- writing workbooks -------------------------------------------------------------------------


def _rezip(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The same zip with fixed entry times (zipfile stamps the current time on each entry)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, replacements.get(info.filename, source.read(info)))
    return output.getvalue()


def _workbook_bytes(workbook: Workbook, author: str) -> bytes:
    properties = workbook.properties
    properties.creator = author
    properties.lastModifiedBy = author
    properties.created = FILE_TIMESTAMP
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl sets `modified` to now while saving; write core.xml again with the fixed time.
    properties.modified = FILE_TIMESTAMP
    return _rezip(buffer.getvalue(), {"docProps/core.xml": tostring(properties.to_tree())})


def _put(sheet: Worksheet, row: int, values: tuple[Cell | None, ...], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, date):
            cell.number_format = _DATE_FORMAT
        if bold:
            cell.font = _BOLD


def _widen(sheet: Worksheet, headers: tuple[str, ...]) -> None:
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(header) + 4)


def _preamble(sheet: Worksheet, contract_id: str, workbook: SubmissionWorkbook, first: bool) -> int:
    """Title rows as contractors fill them in; returns the header row."""
    title = f"SROI-verantwoording {workbook.period} – {sheet.title}"
    sheet.cell(row=1, column=1, value=title).font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    row = 2
    if first:
        sheet.cell(row=row, column=1, value="Contractnummer").font = _BOLD
        if workbook.contract_below:
            sheet.cell(row=row + 1, column=1, value=contract_id)
            row += 1
        else:
            sheet.cell(row=row, column=2, value=contract_id)
        row += 1
    _put(sheet, row, ("Opdrachtnemer", workbook.contractor))
    return row + 2


class _RowCells:
    """The cells of one table row, in the order of a column layout."""

    def __init__(self, demo: DemoHome, bsns: dict[str, str], dotted_bsn: bool) -> None:
        self.demo = demo
        self.bsns = bsns
        self.dotted_bsn = dotted_bsn

    def cells(self, row: object, fields: tuple[str, ...]) -> tuple[Cell | None, ...]:
        return tuple(self._value(row, field) for field in fields)

    def _value(self, row: object, field: str) -> Cell | None:
        if isinstance(row, Placement):
            if field == "name":
                return row.person
            if field == "birth":
                return self.demo.people[row.person]
            if field == "bsn":
                return self._bsn_cell(_placement_bsn(row, self.bsns))
        value: Cell | None = getattr(row, field)
        return value

    def _bsn_cell(self, bsn: str) -> Cell:
        return f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}" if self.dotted_bsn else int(bsn)


def _write_table(sheet: Worksheet, table: Sheet, header_row: int, cells: _RowCells) -> None:
    layout = cells.demo.column_layouts.get(table.kind, table.columns) or {}
    headers, fields = tuple(layout), tuple(layout.values())
    _put(sheet, header_row, headers, bold=True)
    _widen(sheet, headers)
    for offset, row in enumerate(table.rows, start=1):
        _put(sheet, header_row + offset, cells.cells(row, fields))
    if table.footer:
        _put(sheet, header_row + len(table.rows) + 2, table.footer)


def _submission_workbook(
    demo: DemoHome, contract_id: str, submission: SubmissionWorkbook, bsns: dict[str, str]
) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    cells = _RowCells(demo, bsns, submission.dotted_bsn)
    for index, table in enumerate(submission.sheets):
        sheet = workbook.create_sheet(table.name)
        header_row = _preamble(sheet, contract_id, submission, first=index == 0)
        _write_table(sheet, table, header_row, cells)
    if submission.hidden_sheet is not None:
        lists = workbook.create_sheet(submission.hidden_sheet.name)
        lists.sheet_state = "hidden"
        for row, label in enumerate(submission.hidden_sheet.values, 1):
            lists.cell(row=row, column=1, value=label)
    return workbook


def _empty_workbook(empty: EmptyWorkbook) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = empty.sheet
    sheet.cell(row=1, column=1, value=empty.title).font = _TITLE
    return workbook


def _register_row(sheet: Worksheet, row: int, contract: DemoContract) -> None:
    _put(sheet, row, tuple(getattr(contract, field) for _, field in REGISTER_COLUMNS))
    if isinstance(contract.sroi_percentage, float):
        sheet.cell(row=row, column=7).number_format = "0%"
    if isinstance(contract.value, int):
        sheet.cell(row=row, column=6).number_format = "#,##0.00"


def _register_workbook(demo: DemoHome) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Contracten"
    sheet.cell(row=1, column=1, value="Contractregister SROI").font = _TITLE
    sheet.cell(row=2, column=1, value=f"Peildatum: {DEMO_AS_OF:%d-%m-%Y}")
    headers = tuple(header for header, _ in REGISTER_COLUMNS)
    _put(sheet, 4, headers, bold=True)
    _widen(sheet, headers)
    for row, contract in enumerate(demo.contract_register.contracts, start=5):
        _register_row(sheet, row, contract)
    participants = workbook.create_sheet("Deelnemers")
    _put(participants, 1, _SHARE_HEADERS, bold=True)
    shares = [
        (contract.id, municipality, share)
        for contract in demo.contract_register.contracts
        for municipality, share in contract.shares.items()
    ]
    for row, values in enumerate(shares, start=2):
        _put(participants, row, values)
    return workbook


# --- the PDF invoice ---------------------------------------------------------------------------


def invoice_html(invoice: Invoice) -> str:
    return render_html(template_environment(), INVOICE_TEMPLATE, {"invoice": invoice})


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """fontTools stamps the current time into subset fonts unless SOURCE_DATE_EPOCH is set."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FILE_TIMESTAMP.replace(tzinfo=UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def invoice_pdf_bytes(invoice: Invoice) -> bytes:
    # WeasyPrint is imported here: it loads system libraries (Pango) only the PDF needs.
    from weasyprint import HTML  # noqa: PLC0415

    with _fixed_font_timestamps():
        data: bytes = HTML(string=invoice_html(invoice)).write_pdf()
    return data


# --- the home ----------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _inbox_files(demo: DemoHome) -> Iterator[tuple[str, bytes]]:
    """(path relative to inbox/, bytes) of every file the description puts in the inbox."""
    bsns = demo_bsns(demo)
    written: dict[str, bytes] = {}
    for folder, file_name, submission in demo.workbooks():
        contract_id = submission.contract or folder
        workbook = _submission_workbook(demo, contract_id, submission, bsns)
        written[inbox_path(folder, file_name)] = _workbook_bytes(workbook, submission.contractor)
    yield from written.items()
    for relative, invoice in demo.invoices.items():
        yield relative, invoice_pdf_bytes(invoice)
    mistakes = demo.mistakes
    yield mistakes.duplicate.file, written[mistakes.duplicate.copy_of]
    yield mistakes.corrupt.file, mistakes.corrupt.content.encode("utf-8")
    empty = _workbook_bytes(_empty_workbook(mistakes.empty), mistakes.empty.author)
    yield mistakes.empty.file, empty


def write_demo_home(root: Path, demo: DemoHome | None = None) -> list[Path]:
    """Writes root/contracts.xlsx and files under root/inbox/; returns the inbox files written.
    Creates root/inbox (and root) if missing. Deterministic: the same bytes every time.
    `demo` defaults to the built-in description (home.yaml)."""
    demo = demo or load_demo_home()
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    register = _workbook_bytes(_register_workbook(demo), demo.contract_register.author)
    _write(root / "contracts.xlsx", register)
    return sorted(_write(inbox / relative, data) for relative, data in _inbox_files(demo))
