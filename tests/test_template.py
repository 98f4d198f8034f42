"""The blank submission workbook (`sroi template`): its structure, that the parser reads it as
intended, and the done-when of issue 4 item 6: filled in the way a contractor would, it goes
through a run with zero rejected rows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.errors import NoEvidenceFound
from domain.periods import Quarter
from flows.home import Home
from flows.ingest import FileResult, ingest_inbox
from flows.quarter import summary
from ledger.files import FileStatus
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from reporting.template import write_template
from rulesets.catalog import load_catalog
from rulesets.model import FixedBlock, HoursBlock, InvoiceBlock, PlacementBlock, Ruleset
from rulesets.vocabulary import TableDefinition, builtin_vocabulary
from sroi import app
from tests.builders import contract_row, make_contract, valid_bsns, write_register

CATALOG = load_catalog()
LIMITS = ReadLimits()
RULESET_IDS = ("twente-2016", "duoplus-2024")
TABLES: tuple[tuple[str, TableDefinition], ...] = tuple(
    (table.title, table) for table in builtin_vocabulary().submission_tables
)
HEADER_ROW = 5
DATE_HEADERS = (
    "Geboortedatum",
    "Startdatum",
    "Einddatum",
    "Uitkering sinds",
    "Factuurdatum",
    "Datum",
)
BSN = valid_bsns(6, start=200_000_000)


def ruleset_of(ruleset_id: str) -> Ruleset:
    ruleset = CATALOG.by_id(ruleset_id)
    assert ruleset is not None
    return ruleset


def canonical_headers(table: TableDefinition) -> list[str]:
    # `initials` is left out of the template: `Naam` covers it.
    return [field.label for field in table.fields if field.name != "initials"]


def header_cells(sheet: Any) -> dict[str, Any]:
    """Header text -> its cell, for the header row under the title and contract rows."""
    return {cell.value: cell for cell in sheet[HEADER_ROW] if cell.value is not None}


def validation_of(sheet: Any, header: str) -> Any:
    """The data validation that covers the data cells of the column headed `header`."""
    letter = header_cells(sheet)[header].column_letter
    found = [
        validation
        for validation in sheet.data_validations.dataValidation
        if f"{letter}{HEADER_ROW + 1}" in validation.sqref
    ]
    assert len(found) == 1, header
    return found[0]


def dropdown(workbook: Any, sheet_name: str, header: str) -> list[str]:
    """The values a contractor can pick in a column: what its list formula points at."""
    validation = validation_of(workbook[sheet_name], header)
    assert validation.type == "list"
    sheet_name, cells = validation.formula1.split("!")
    assert sheet_name == "Lijsten"
    return [row[0].value for row in workbook[sheet_name][cells.replace("$", "")]]


def guide_examples(workbook: Any) -> dict[str, dict[str, Any]]:
    """The example of the Uitleg sheet: sheet -> header -> example value."""
    examples: dict[str, dict[str, Any]] = {}
    in_table = False
    for sheet, column, _required, _explanation, example in workbook["Uitleg"].iter_rows(
        max_col=5, values_only=True
    ):
        if (sheet, column) == ("Blad", "Kolom"):
            in_table = True
        elif in_table and sheet is None:
            break
        elif in_table:
            examples.setdefault(sheet, {})[column] = example
    return examples


def fill(sheet: Any, rows: list[dict[str, Any]]) -> None:
    """Types rows under the headers, from the first empty row, as a contractor would."""
    columns = {header: cell.column for header, cell in header_cells(sheet).items()}
    assert set().union(*rows) <= set(columns)
    row_number = HEADER_ROW + 1
    while any(sheet.cell(row_number, column).value is not None for column in columns.values()):
        row_number += 1
    for offset, row in enumerate(rows):
        for header, value in row.items():
            sheet.cell(row=row_number + offset, column=columns[header], value=value)


def as_date(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def without_hours_block(ruleset: Ruleset) -> Ruleset:
    blocks = tuple(block for block in ruleset.blocks if not isinstance(block, HoursBlock))
    return ruleset.model_copy(update={"blocks": blocks})


# --- structure ---------------------------------------------------------------------------


@pytest.mark.parametrize("ruleset_id", RULESET_IDS)
def test_sheets_headers_and_lists_follow_the_parser_and_the_ruleset(
    tmp_path: Path, ruleset_id: str
) -> None:
    ruleset = ruleset_of(ruleset_id)
    path = write_template(tmp_path / "sjabloon.xlsx", ruleset)
    assert path == tmp_path / "sjabloon.xlsx"
    workbook = load_workbook(path)

    assert workbook.sheetnames == ["Plaatsingen", "Inkoop", "MVO", "Uitleg", "Lijsten"]
    states = {name: workbook[name].sheet_state for name in workbook.sheetnames}
    assert states == {"Plaatsingen": "visible", "Inkoop": "visible", "MVO": "visible",
                      "Uitleg": "visible", "Lijsten": "hidden"}  # fmt: skip
    for name, spec in TABLES:
        sheet = workbook[name]
        assert sheet["A1"].value == f"SROI-verantwoording {ruleset.title}"
        assert (sheet["A2"].value, sheet["B2"].value, sheet["A3"].value) == (
            "Contractnummer", None, None)  # fmt: skip
        assert list(header_cells(sheet)) == canonical_headers(spec)
        assert all(cell.font.bold for cell in header_cells(sheet).values())
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert all(sheet.column_dimensions[c.column_letter].width >= 8
                   for c in header_cells(sheet).values())  # fmt: skip

    placement_labels = [block.label for block in ruleset.blocks_of(PlacementBlock, FixedBlock)]
    invoice_labels = [block.label for block in ruleset.blocks_of(InvoiceBlock)]
    assert dropdown(workbook, "Plaatsingen", "Doelgroep") == placement_labels
    assert dropdown(workbook, "Inkoop", "Soort") == invoice_labels
    assert dropdown(workbook, "Plaatsingen", "Dienstverband") == ["vast", "tijdelijk"]
    assert dropdown(workbook, "Plaatsingen", "Statushouder") == ["ja", "nee"]
    assert dropdown(workbook, "Plaatsingen", "Bijzondere doelgroep") == ["ja", "nee"]
    doelgroep = validation_of(workbook["Plaatsingen"], "Doelgroep")
    assert doelgroep.formula1 == f"Lijsten!$A$2:$A${1 + len(placement_labels)}"
    assert str(doelgroep.sqref) == f"E{HEADER_ROW + 1}:E{HEADER_ROW + 500}"


def test_dates_and_numbers_are_validated_with_dutch_messages(tmp_path: Path) -> None:
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", ruleset_of("twente-2016")))
    sheets = [workbook[name] for name, _ in TABLES]
    for sheet in sheets:
        for header in set(DATE_HEADERS) & set(header_cells(sheet)):
            validation = validation_of(sheet, header)
            assert (validation.type, validation.operator) == ("date", "between")
            assert (validation.formula1, validation.formula2) == ("1", "73415")  # 1900..2100
            assert "dd-mm-jjjj" in validation.error
            cell = header_cells(sheet)[header]
            assert sheet.cell(HEADER_ROW + 1, cell.column).number_format == "DD-MM-YYYY"
            assert sheet.cell(HEADER_ROW + 500, cell.column).number_format == "DD-MM-YYYY"
    # The same bounds as the validators' schema: both come from the field definitions.
    numbers = {
        ("Plaatsingen", "Uren per week"): (
            "between",
            "0",
            "168",
            "groter dan 0 en ten hoogste 168",
        ),
        ("Plaatsingen", "FTE"): ("greaterThan", "0", None, "groter dan 0"),
        ("Inkoop", "Bedrag excl. BTW"): ("greaterThan", "0", None, "groter dan 0"),
        ("MVO", "Uren"): ("between", "0", "8784", "groter dan 0 en ten hoogste 8784"),
        ("MVO", "Reisuren"): ("greaterThanOrEqual", "0", None, "minstens 0"),
    }
    for (sheet_name, header), (operator, low, high, words) in numbers.items():
        validation = validation_of(workbook[sheet_name], header)
        assert validation.type == "decimal"
        assert (validation.operator, validation.formula1, validation.formula2) == (
            operator,
            low,
            high,
        )
        assert validation.error == f"Vul bij '{header}' een getal in, {words}."
    for sheet in sheets:
        for validation in sheet.data_validations.dataValidation:
            # Dutch, shown on entry and on error, within Excel's length limits
            assert validation.showErrorMessage and validation.showInputMessage
            assert validation.allow_blank
            assert validation.errorTitle == "Ongeldige waarde"
            assert 0 < len(validation.error) <= 225 and 0 < len(validation.prompt) <= 255
            assert len(validation.promptTitle) <= 32
    bsn_column = header_cells(workbook["Plaatsingen"])["BSN"].column
    assert workbook["Plaatsingen"].cell(HEADER_ROW + 1, bsn_column).number_format == "@"


def test_contract_number_and_contractor_are_filled_in_when_a_contract_is_given(
    tmp_path: Path,
) -> None:
    contract = make_contract("TW-2025-001", contractor="Bouwbedrijf Ter Horst B.V.")
    path = write_template(tmp_path / "t.xlsx", ruleset_of("twente-2016"), contract)
    workbook = load_workbook(path)
    for name, _ in TABLES:
        sheet = workbook[name]
        assert [[cell.value for cell in row] for row in sheet["A2:B3"]] == [
            ["Contractnummer", "TW-2025-001"],
            ["Opdrachtnemer", "Bouwbedrijf Ter Horst B.V."],
        ]
    with pytest.raises(ValueError, match="duoplus-2024"):
        write_template(tmp_path / "x.xlsx", ruleset_of("duoplus-2024"), contract)


def test_table_sheets_only_for_blocks_the_ruleset_has(tmp_path: Path) -> None:
    ruleset = without_hours_block(ruleset_of("twente-2016"))
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", ruleset))
    assert workbook.sheetnames == ["Plaatsingen", "Inkoop", "Uitleg", "Lijsten"]
    assert "MVO" not in guide_examples(workbook)


@pytest.mark.parametrize("ruleset_id", RULESET_IDS)
def test_the_guide_explains_every_column_with_an_example_and_the_approvals(
    tmp_path: Path, ruleset_id: str
) -> None:
    ruleset = ruleset_of(ruleset_id)
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", ruleset))
    examples = guide_examples(workbook)
    for name, spec in TABLES:
        assert list(examples[name]) == canonical_headers(spec)
    placement = examples["Plaatsingen"]
    assert placement["Doelgroep"] in dropdown(workbook, "Plaatsingen", "Doelgroep")
    assert isinstance(placement["Startdatum"], datetime)
    assert examples["Inkoop"]["Soort"] in dropdown(workbook, "Inkoop", "Soort")
    text = "\n".join(
        str(value) for row in workbook["Uitleg"].iter_rows(values_only=True) for value in row
    )
    assert "gepseudonimiseerd" in text
    for block in ruleset.blocks:
        needs = (
            (isinstance(block, PlacementBlock | FixedBlock) and block.eligibility.requires_evidence)
            or (isinstance(block, InvoiceBlock | HoursBlock) and block.requires_approval)
        )  # fmt: skip
        assert (f"'{block.label}' (blok {block.code})" in text) == needs, block.code


# --- what the parser reads ---------------------------------------------------------------


def test_the_blank_template_has_tables_but_no_lines(tmp_path: Path) -> None:
    for ruleset_id in RULESET_IDS:
        path = write_template(tmp_path / f"{ruleset_id}.xlsx", ruleset_of(ruleset_id))
        with pytest.raises(NoEvidenceFound) as raised:
            parse_submission_workbook(path, LIMITS)
        # not "geen blad ... gevonden": the headers were found, nothing under them was a line
        assert raised.value.reason_nl == "het bestand bevat geen ingevulde regels"


@pytest.mark.parametrize("with_contract", [True, False])
def test_the_parser_finds_the_header_row_that_was_written(
    tmp_path: Path, with_contract: bool
) -> None:
    contract = make_contract("TW-2025-001") if with_contract else None
    path = write_template(tmp_path / "t.xlsx", ruleset_of("twente-2016"), contract)
    workbook = load_workbook(path)
    examples = guide_examples(workbook)
    for name, _ in TABLES:
        fill(workbook[name], [examples[name]])
    workbook.save(path)

    parsed = parse_submission_workbook(path, LIMITS)

    # With the contract number left empty, the cell below the label must not be taken for it.
    assert parsed.contract_ref == ("TW-2025-001" if with_contract else None)
    reports = {report.name: report for report in parsed.sheets}
    assert list(reports) == ["Plaatsingen", "Inkoop", "MVO", "Uitleg"]  # Lijsten is hidden
    assert reports["Uitleg"].kind is None  # its example is not read as a line
    for name, spec in TABLES:
        table = next(table for table in parsed.tables if table.sheet == name)
        assert table.definition == spec
        assert table.header_row == HEADER_ROW
        assert table.columns == {
            field.name: field.label for field in spec.fields if field.name != "initials"
        }
        assert [row.provenance.row for row in table.rows] == [HEADER_ROW + 1]
        assert table.skipped_rows == []
    placement = next(t for t in parsed.tables if t.sheet == "Plaatsingen").rows[0].cells
    assert placement["bsn"] == examples["Plaatsingen"]["BSN"]
    assert as_date(placement["start_date"]) == as_date(examples["Plaatsingen"]["Startdatum"])


# --- the done-when: filled in, it goes through a run with zero rejected rows ----------------


def run_inbox(root: Path) -> list[FileResult]:
    report = ingest_inbox(home=str(root), as_of=date(2025, 10, 1))
    return list(report.files)


def contract_figures(root: Path, contract_id: str) -> dict[str, Any]:
    document = summary(Home(root), Quarter(2025, 3))
    return next(c for c in document["contracts"] if c["contract_id"] == contract_id)


def new_home(root: Path, *contracts: dict[str, Any]) -> Path:
    app.init_home(Home(root))
    write_register(root / "contracts.xlsx", list(contracts))
    return root


@pytest.mark.slow
def test_a_filled_twente_template_is_accepted_without_rejections(
    tmp_path: Path, prefect_api: str
) -> None:
    root = new_home(tmp_path / "home", contract_row("TW-2025-001"))
    contract = make_contract("TW-2025-001", contractor="Bouwbedrijf Ter Horst B.V.")
    blank = write_template(tmp_path / "sjabloon TW-2025-001.xlsx", ruleset_of("twente-2016"),
                           contract)  # fmt: skip

    workbook = load_workbook(blank)
    groups = dropdown(workbook, "Plaatsingen", "Doelgroep")
    examples = guide_examples(workbook)
    fill(workbook["Plaatsingen"], [
        examples["Plaatsingen"],
        {"BSN": BSN[0], "Naam": "B. Bakker", "Geboortedatum": date(1968, 3, 2),
         "Doelgroep": groups[1], "Startdatum": date(2025, 4, 1), "Uren per week": 36,
         "Dienstverband": "vast", "Uitkering sinds": date(2021, 9, 1), "Statushouder": "nee"},
        {"BSN": BSN[1], "Naam": "C. Yilmaz", "Geboortedatum": date(2006, 8, 20),
         "Doelgroep": next(g for g in groups if "BBL" in g), "Startdatum": date(2025, 2, 1),
         "Einddatum": date(2026, 1, 31), "FTE": 0.8, "Dienstverband": "tijdelijk"},
        {"BSN": BSN[2], "Naam": "D. Haddad", "Geboortedatum": date(1990, 1, 15),
         "Doelgroep": next(g for g in groups if g.startswith("WW > 1")),
         "Startdatum": date(2025, 7, 1), "Uren per week": 24,
         "Uitkering sinds": date(2024, 1, 10), "Statushouder": "ja"},
    ])  # fmt: skip
    fill(workbook["Inkoop"], [
        examples["Inkoop"],
        {"Leverancier": "Sociaal Werkbedrijf Twente B.V.", "KvK leverancier": "87654321",
         "Factuurnummer": "SWT-2025-0311", "Factuurdatum": date(2025, 8, 29),
         "Bedrag excl. BTW": 3150.75, "Soort": dropdown(workbook, "Inkoop", "Soort")[0],
         "Goedgekeurd door": "M. de Boer"},
    ])  # fmt: skip
    fill(workbook["MVO"], [
        examples["MVO"],
        {"Datum": date(2025, 9, 12), "Activiteit": "Open dag bouwplaats voor statushouders",
         "Uren": 6, "Reisuren": 1.5, "Goedgekeurd door": "M. de Boer"},
    ])  # fmt: skip
    folder = root / "inbox" / "TW-2025-001"
    folder.mkdir(parents=True)
    workbook.save(folder / "SROI 2025Q3 Ter Horst.xlsx")

    results = run_inbox(root)

    assert [(r.status, r.contract_id, r.rejected, r.pending, r.accepted) for r in results] == [
        (FileStatus.ARCHIVED, "TW-2025-001", 0, 0, 8)
    ]
    figures = contract_figures(root, "TW-2025-001")
    assert figures["lines"] == {"accepted": 8, "rejected": 0, "pending": 0}
    assert figures["realized_quarter"] > 0
    assert figures["realized_to_date"] > figures["realized_quarter"]
    assert set(figures["by_block"]) >= {"1", "2", "6", "9", "10", "15"}


@pytest.mark.slow
def test_a_filled_duoplus_template_without_contract_is_accepted_without_rejections(
    tmp_path: Path, prefect_api: str
) -> None:
    root = new_home(
        tmp_path / "home",
        contract_row("DUO-2025-002", Gemeente="Diemen", Opdrachtsom=400_000, Regeling="duoplus"),
    )
    blank = write_template(tmp_path / "sjabloon DUOplus.xlsx", ruleset_of("duoplus-2024"))

    workbook = load_workbook(blank)
    groups = dropdown(workbook, "Plaatsingen", "Doelgroep")
    workbook["Plaatsingen"]["B2"] = "DUO-2025-002"  # the contractor types the contract number
    fill(workbook["Plaatsingen"], [
        {"BSN": BSN[3], "Naam": "E. Jansen", "Geboortedatum": date(1980, 2, 2),
         "Doelgroep": next(g for g in groups if g.startswith("Participatiewet <")),
         "Startdatum": date(2025, 3, 1), "Uren per week": 32, "Dienstverband": "tijdelijk",
         "Uitkering sinds": date(2024, 5, 1)},
        {"BSN": BSN[4], "Naam": "F. Öztürk", "Geboortedatum": date(2006, 6, 6),
         "Doelgroep": next(g for g in groups if g.startswith("BOL")),
         "Startdatum": date(2025, 2, 3), "Einddatum": date(2025, 7, 4), "Uren per week": 24},
        {"BSN": BSN[5], "Naam": "G. Visser", "Geboortedatum": date(1965, 11, 11),
         "Doelgroep": "Banenafspraak", "Startdatum": date(2025, 5, 1), "FTE": 0.5,
         "Dienstverband": "vast", "Bijzondere doelgroep": "ja"},
    ])  # fmt: skip
    # DUOplus invoices need approval and the invoice as PDF: without the PDF this row waits.
    fill(workbook["Inkoop"], [
        {"Leverancier": "Werkbedrijf Amstelland B.V.", "KvK leverancier": "34567890",
         "Factuurnummer": "WA-2025-077", "Factuurdatum": date(2025, 8, 5),
         "Bedrag excl. BTW": 1800, "Soort": dropdown(workbook, "Inkoop", "Soort")[-1],
         "Goedgekeurd door": "M. de Boer"},
    ])  # fmt: skip
    fill(workbook["MVO"], [
        {"Datum": date(2025, 6, 18), "Activiteit": "Gastles op het Amstelland College",
         "Uren": 3, "Reisuren": 0.5},
    ])  # fmt: skip
    # At the top of the inbox, with no contract in the file name: the Contractnummer cell
    # assigns it.
    workbook.save(root / "inbox" / "kwartaalrapportage Q3.xlsx")

    results = run_inbox(root)

    assert [(r.status, r.contract_id, r.rejected, r.pending, r.accepted) for r in results] == [
        (FileStatus.ARCHIVED, "DUO-2025-002", 0, 1, 4)
    ]
    figures = contract_figures(root, "DUO-2025-002")
    assert figures["lines"] == {"accepted": 4, "rejected": 0, "pending": 1}
    assert figures["realized_quarter"] > 0
    assert set(figures["by_block"]) >= {"2", "4", "7", "10"}
