"""The scaled demo home of the benchmark: a valid description, the same for the same seed, a
register without problems, files the parsers read (but the broken ones), PDFs that match their
purchase rows, and a real `sroi run` that archives and quarantines what it should."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.nl import bsn as bsn_number

from domain.errors import FileRejected, NoEvidenceFound, UnreadableFile
from parsers import read_submission
from parsers.cells import cell_text
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.register import read_register
from parsers.submission import ParsedWorkbook
from rulesets import load_catalog
from sroi.demo.generator import demo_bsns, mistyped, write_demo_home
from sroi.demo.model import INBOX_TOP, DemoHome, inbox_path, reference_problems
from sroi.demo.scaled import AS_OF, PLACEMENTS_PER_WORKBOOK, UNKNOWN_CONTRACT, scaled_home
from tests.cli import sroi
from validators.register import Register, validate_register

CONTRACTS, WORKBOOKS, INVOICES = 5, 12, 4
DEMO = scaled_home(CONTRACTS, WORKBOOKS, INVOICES)
BAD_FILES = {DEMO.mistakes.corrupt.file: UnreadableFile, DEMO.mistakes.empty.file: NoEvidenceFound}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scaled") / "home"
    write_demo_home(root, DEMO)
    return root


@pytest.fixture(scope="module")
def parsed(home: Path) -> dict[str, ParsedWorkbook | InvoiceFields]:
    """Every inbox file but the broken ones, as the parse stage reads it."""
    return {
        relative: read_submission(home / "inbox" / relative, ReadLimits())
        for relative in _inbox_files(home)
        if relative not in BAD_FILES
    }


def _inbox_files(home: Path) -> list[str]:
    inbox = home / "inbox"
    return sorted(path.relative_to(inbox).as_posix() for path in inbox.rglob("*") if path.is_file())


def _register(home: Path) -> Register:
    return validate_register(read_register(home / "contracts.xlsx"), load_catalog())


# --- the description ---------------------------------------------------------------------------


def test_description_is_valid_and_the_same_for_the_same_seed() -> None:
    assert list(reference_problems(DEMO)) == []
    assert scaled_home(CONTRACTS, WORKBOOKS, INVOICES) == DEMO
    assert scaled_home(CONTRACTS, WORKBOOKS, INVOICES, seed=1) != DEMO


def test_it_has_the_asked_number_of_workbooks_placements_and_invoices() -> None:
    workbooks = list(DEMO.workbooks())
    assert len(workbooks) == WORKBOOKS
    assert len(DEMO.invoices) == INVOICES
    for _, _, workbook in workbooks:
        placements = [sheet for sheet in workbook.sheets if sheet.placements]
        assert len(placements) == 1
        assert len(placements[0].rows) == PLACEMENTS_PER_WORKBOOK
    assert len(DEMO.contract_register.contracts) == CONTRACTS
    assert UNKNOWN_CONTRACT in DEMO.submissions
    assert INBOX_TOP in DEMO.submissions


def test_it_holds_the_messiness_of_real_submissions() -> None:
    sheets = [sheet for _, sheet in DEMO.sheets()]
    assert {sheet.kind for sheet in sheets} == {"placements", "purchases", "activities"}
    assert len({sheet.columns for sheet in sheets if sheet.placements}) >= 4
    rows = [row for sheet in sheets for row in sheet.placements or ()]
    assert any(isinstance(row.start, str) for row in rows), "dates typed as text"
    assert any(isinstance(row.hours, str) for row in rows), "hours in Dutch notation"
    assert any(row.mistyped_bsn for row in rows)
    assert any(row.group == "Herintreder" for row in rows)
    workbooks = [workbook for _, _, workbook in DEMO.workbooks()]
    assert any(workbook.hidden_sheet for workbook in workbooks)
    assert any(workbook.contract_below for workbook in workbooks)
    assert any(workbook.dotted_bsn for workbook in workbooks)


def test_invoices_back_purchase_rows_and_sort_after_their_workbook() -> None:
    purchases = {
        row.number: inbox_path(folder, name)
        for folder, name, workbook in DEMO.workbooks()
        for sheet in workbook.sheets
        for row in sheet.purchases or ()
    }
    backed = [path for path, invoice in DEMO.invoices.items() if invoice.number in purchases]
    assert len(backed) == INVOICES - INVOICES // 4
    for path in backed:
        workbook = purchases[DEMO.invoices[path].number]
        assert path.split("/")[0] == workbook.split("/")[0]
        assert sorted([path, workbook]) == [workbook, path]


def test_too_small_a_home_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one contract"):
        scaled_home(0, 10, 1)


# --- the files ---------------------------------------------------------------------------------


def test_register_has_no_problems_and_every_ruleset(home: Path) -> None:
    register = _register(home)
    assert register.problems == ()
    assert {contract.ruleset_id for contract in register.contracts} == {
        "twente-2016",
        "duoplus-2024",
        "oost-nederland-2023",
    }


def test_inbox_holds_workbooks_invoices_and_the_broken_files(home: Path) -> None:
    files = _inbox_files(home)
    assert len(files) == WORKBOOKS + INVOICES + 3
    assert DEMO.mistakes.duplicate.file in files


@pytest.mark.parametrize(("relative", "error"), sorted(BAD_FILES.items()))
def test_the_broken_files_are_rejected_as_meant(
    home: Path, relative: str, error: type[FileRejected]
) -> None:
    with pytest.raises(error):
        read_submission(home / "inbox" / relative, ReadLimits())


def test_every_other_file_is_read_and_names_its_contract(
    parsed: dict[str, ParsedWorkbook | InvoiceFields],
) -> None:
    contracts = {
        inbox_path(folder, name): workbook.contract or folder
        for folder, name, workbook in DEMO.workbooks()
    }
    contracts[DEMO.mistakes.duplicate.file] = contracts[DEMO.mistakes.duplicate.copy_of]
    for relative, result in parsed.items():
        if isinstance(result, ParsedWorkbook):
            assert result.contract_ref == contracts[relative], relative
            assert result.line_count >= PLACEMENTS_PER_WORKBOOK, relative
        else:
            printed = DEMO.invoices[relative]
            assert result.invoice_number == printed.number
            assert result.amount_excl_vat == Decimal(
                printed.excl_vat.replace(".", "").replace(",", ".")
            )
            assert result.warnings == (), relative


def test_every_bsn_but_the_mistyped_ones_passes_the_11_test(
    parsed: dict[str, ParsedWorkbook | InvoiceFields],
) -> None:
    bsns = demo_bsns(DEMO)
    typos = {
        mistyped(bsns[row.person])
        for _, sheet in DEMO.sheets()
        for row in sheet.placements or ()
        if row.mistyped_bsn
    }
    invalid = set()
    for workbook in parsed.values():
        if not isinstance(workbook, ParsedWorkbook):
            continue
        for table in workbook.tables:
            for row in table.rows if "bsn" in table.columns else ():
                number = bsn_number.compact(cell_text(row.cells.get("bsn")))
                if not bsn_number.is_valid(number):
                    invalid.add(number)
    assert typos
    assert invalid == typos


# --- a real run --------------------------------------------------------------------------------


def _expected_archive(demo: DemoHome) -> set[str]:
    archived = {
        f"{workbook.contract or folder}/{name}"
        for folder, name, workbook in demo.workbooks()
        if folder != UNKNOWN_CONTRACT
    }
    archived |= set(demo.invoices)
    duplicate = demo.mistakes.duplicate.file
    folder, name = duplicate.split("/")
    return archived | {f"{folder}/duplicaten/{name}"}


def _expected_quarantine(demo: DemoHome) -> set[str]:
    unknown = [f"{UNKNOWN_CONTRACT}/{name}" for name in demo.submissions[UNKNOWN_CONTRACT]]
    files = [demo.mistakes.corrupt.file, demo.mistakes.empty.file, *unknown]
    return {*files, *(f"{file}.reason.txt" for file in files)}


def _files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_sroi_run_archives_and_quarantines_the_expected_files(
    tmp_path: Path, prefect_api: str
) -> None:
    root = tmp_path / "home"
    write_demo_home(root, DEMO)
    run = sroi(
        "run", "--home", str(root), "--as-of", AS_OF.isoformat(), api=prefect_api, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert _files_under(root / "inbox") == set()
    assert _files_under(root / "archive") == _expected_archive(DEMO)
    assert _files_under(root / "quarantine") == _expected_quarantine(DEMO)
    assert "rejected" in run.stdout
