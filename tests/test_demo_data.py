"""The demo home: a register without problems, submissions the parsers read, bad files that fail
the way they are meant to, valid BSNs but one, and the same bytes on every call."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.nl import bsn as bsn_number

from domain.contracts import Contract
from domain.errors import NoEvidenceFound, UnreadableFile
from domain.pseudonym import Pseudonymizer
from parsers.cells import cell_text
from parsers.invoice_pdf import read_invoice_pdf
from parsers.limits import ReadLimits
from parsers.register import read_register
from parsers.submission import ParsedWorkbook, parse_submission_workbook
from rulesets import load_catalog
from sroi import demo_data
from sroi.demo.generator import demo_bsns, mistyped
from sroi.demo.model import (
    DESCRIPTION_FILE,
    DemoDataError,
    DemoHome,
    load_demo_home,
)
from validators.known import KnownEvidence
from validators.lines import LineStatus
from validators.register import Register, validate_register
from validators.submission import validate_submission

CATALOG = load_catalog()
DEMO = load_demo_home()
MISTAKES = DEMO.mistakes
BAD_FILES = {MISTAKES.corrupt.file: UnreadableFile, MISTAKES.empty.file: NoEvidenceFound}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "home"
    written = demo_data.write_demo_home(root)
    assert written == sorted(path for path in (root / "inbox").rglob("*") if path.is_file())
    return root


@pytest.fixture(scope="module")
def register(home: Path) -> Register:
    return validate_register(read_register(home / "contracts.xlsx"), CATALOG)


def _inbox_files(home: Path) -> dict[str, Path]:
    inbox = home / "inbox"
    return {
        path.relative_to(inbox).as_posix(): path
        for path in sorted(inbox.rglob("*"))
        if path.is_file()
    }


def _good_workbooks(home: Path) -> dict[str, ParsedWorkbook]:
    return {
        relative: parse_submission_workbook(path, ReadLimits())
        for relative, path in _inbox_files(home).items()
        if path.suffix == ".xlsx" and relative not in BAD_FILES
    }


def _contract(register: Register, contract_id: str) -> Contract:
    contract = register.get(contract_id)
    assert contract is not None, contract_id
    return contract


def _mistyped_bsn(demo: DemoHome) -> str:
    """The BSN of the one placement marked mistyped_bsn, as written in the workbook."""
    rows = [
        row
        for _, _, workbook in demo.workbooks()
        for sheet in workbook.sheets
        for row in sheet.placements or ()
        if row.mistyped_bsn
    ]
    assert len(rows) == 1
    return mistyped(demo_bsns(demo)[rows[0].person])


# --- the description ---------------------------------------------------------------------------


def test_description_holds_the_demo_and_hands_out_valid_bsns() -> None:
    assert len(DEMO.contract_register.contracts) == 8
    assert "XX-2026-999" in DEMO.submissions
    bsns = demo_bsns(DEMO)
    assert list(bsns) == list(DEMO.people)
    assert len(set(bsns.values())) == len(bsns)
    assert all(
        number.startswith("9999") and bsn_number.is_valid(number) for number in bsns.values()
    )


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = DESCRIPTION_FILE.read_text(encoding="utf-8")
    assert old in text, old
    broken = tmp_path / "home.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


_WORKBOOK = "submissions.DUO-2025-003.SROI 2026-Q2.xlsx"
_BROKEN = [
    # A misspelt key, an unquoted KvK number (read as a number), a key left out.
    ("      pso_level: 2\n", "      pso_leve: 2\n", "register.contracts[2].pso_leve", "Extra"),
    ('kvk: "67254193"', "kvk: 67254193", "register.contracts[0].kvk", "valid string"),
    ("    file: TW-2025-030/kapot.xlsx\n", "", "mistakes.corrupt.file", "required"),
    # A value of a type the cell cannot have: every allowed type says what it wants.
    ("      value: 650_000\n", "      value: 650000.5\n", "register.contracts[6].value",
     "valid integer / Input should be a valid string"),
    # Names that point at nothing.
    ("      - person: Noor Visser\n", "      - person: Noor Vissr\n",
     f"{_WORKBOOK}.sheets[0].placements[0].person", "'Noor Vissr' is not in people"),
    ("columns: diemerzee\n", "columns: diemen\n", f"{_WORKBOOK}.sheets[0].columns",
     "no placements layout 'diemen'"),
    ("      Bewijs: evidence\n", "      Bewijs: proof\n",
     "column_layouts.placements.standard.Bewijs", "Input should be"),
    ("      contract: TW-2025-021\n", "",
     'submissions.".".Groenwerk Lonneker SROI 1e kwartaal 2026.xlsx.contract', "top folder"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key", "problem"), _BROKEN)
def test_a_broken_description_is_an_error_naming_the_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    with pytest.raises(DemoDataError) as raised:
        load_demo_home(_broken_copy(tmp_path, old, new))
    assert raised.value.key == key
    assert problem in raised.value.problem
    assert key in str(raised.value)


def test_a_file_that_is_not_yaml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DemoDataError, match="cannot be read as YAML"):
        load_demo_home(_broken_copy(tmp_path, "register:\n", "register: [\n"))


# --- the register ------------------------------------------------------------------------------


def test_register_validates_without_problems(register: Register) -> None:
    assert register.problems == ()
    assert len(register.contracts) == len(DEMO.contract_register.contracts)
    assert {c.municipality for c in register.contracts} == {
        "Enschede",
        "Hengelo",
        "Almelo",
        "Diemen",
        "Uithoorn",
        "Ouder-Amstel",
    }
    assert {c.ruleset_id for c in register.contracts} == {"twente-2016", "duoplus-2024"}


def test_register_holds_every_kind_of_contract(register: Register) -> None:
    joint = _contract(register, "TW-2025-014")
    assert {(s.municipality, s.share) for s in joint.shares} == {
        ("Enschede", Decimal("0.5")),
        ("Hengelo", Decimal("0.3")),
        ("Almelo", Decimal("0.2")),
    }

    assert any(c.pso_level == 2 and c.ruleset_id == "twente-2016" for c in register.contracts)

    werkpakt = next(c for c in register.contracts if c.label == "Werkpakt")
    assert werkpakt.pso_valid_until is not None
    assert werkpakt.start_date < werkpakt.pso_valid_until < werkpakt.end_date

    duoplus = next(c for c in register.contracts if c.pso_level == 3)
    assert duoplus.ruleset_id == "duoplus-2024"
    assert duoplus.labour_share == Decimal("0.6")

    capital = next(c for c in register.contracts if c.capital_intensive)
    assert capital.sroi_percentage is None

    below = [
        c
        for c in register.contracts
        if (ruleset := CATALOG.by_id(c.ruleset_id)) is not None
        and c.contract_value < ruleset.obligation.threshold
    ]
    assert [c.contract_id for c in below] == ["TW-2026-003"]

    not_started = [c for c in register.contracts if c.start_date > demo_data.DEMO_QUARTER.last_day]
    assert [(c.contract_id, c.start_date) for c in not_started] == [
        ("DUO-2026-011", date(2027, 1, 1))
    ]


def test_register_reads_dutch_text_amount_and_date(register: Register) -> None:
    typed_as_text = _contract(register, "TW-2025-021")
    assert typed_as_text.contract_value == Decimal("2750000")
    assert typed_as_text.start_date == date(2025, 3, 1)
    assert typed_as_text.sroi_percentage == Decimal(5)


# --- the inbox ---------------------------------------------------------------------------------


def test_inbox_has_a_realistic_number_of_files_and_lines(home: Path) -> None:
    files = _inbox_files(home)
    assert 12 <= len(files) <= 16
    parsed = _good_workbooks(home)
    lines = sum(
        workbook.line_count
        for relative, workbook in parsed.items()
        if relative != MISTAKES.duplicate.file
    )
    assert 40 <= lines <= 60


def test_workbooks_parse_and_name_their_contract(home: Path, register: Register) -> None:
    for relative, workbook in _good_workbooks(home).items():
        folder = relative.split("/")[0] if "/" in relative else None
        if folder is None:
            assert workbook.contract_ref is not None
            assert register.get(workbook.contract_ref) is not None
            assert register.find_in_name(relative) is None, "identified only by its cell"
        else:
            assert workbook.contract_ref == folder, relative
        assert workbook.line_count > 0


def test_unknown_contract_folder_is_not_registered(home: Path, register: Register) -> None:
    folders = {relative.split("/")[0] for relative in _inbox_files(home) if "/" in relative}
    assert [f for f in sorted(folders) if register.get(f) is None] == ["XX-2026-999"]


@pytest.mark.parametrize(("relative", "error"), sorted(BAD_FILES.items()))
def test_bad_files_raise_the_expected_error(
    home: Path, relative: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        parse_submission_workbook(home / "inbox" / relative, ReadLimits())


def test_every_bsn_but_the_deliberate_typo_passes_the_11_test(home: Path) -> None:
    invalid: list[str] = []
    seen = 0
    for workbook in _good_workbooks(home).values():
        for table in workbook.tables:
            if "bsn" not in table.columns:  # only placement lists have one
                continue
            for row in table.rows:
                number = bsn_number.compact(cell_text(row.cells.get("bsn")))
                seen += 1
                if not bsn_number.is_valid(number):
                    invalid.append(number)
    assert seen >= 40
    typo = _mistyped_bsn(DEMO)
    assert not bsn_number.is_valid(typo)
    # In the Q2 list of TW-2025-014 and in its byte copy.
    assert invalid == [typo, typo]


def test_duplicate_is_a_byte_copy_sorted_after_its_original(home: Path) -> None:
    files = _inbox_files(home)
    original, copy = files[MISTAKES.duplicate.copy_of], files[MISTAKES.duplicate.file]
    assert original.read_bytes() == copy.read_bytes()
    assert sorted([copy, original]) == [original, copy]


def test_invoice_pdf_matches_its_purchase_row_and_sorts_after_it(home: Path) -> None:
    files = _inbox_files(home)
    [(relative, printed)] = DEMO.invoices.items()
    pdf = files[relative]
    workbook = files["DUO-2025-003/SROI 2026-Q2.xlsx"]
    assert sorted([pdf, workbook]) == [workbook, pdf]
    invoice = read_invoice_pdf(pdf, ReadLimits())
    assert invoice.supplier == "Werkbedrijf Amstelland B.V."
    assert invoice.invoice_number == "WA-2026-0412"
    assert invoice.invoice_date == date(2026, 5, 12)
    assert invoice.kvk == printed.kvk
    assert (invoice.amount_excl_vat, invoice.vat, invoice.total) == (
        Decimal("12400.00"),
        Decimal("2604.00"),
        Decimal("15004.00"),
    )
    assert invoice.warnings == ()
    submission = DEMO.submissions["DUO-2025-003"]["SROI 2026-Q2.xlsx"]
    [row] = next(sheet.purchases for sheet in submission.sheets if sheet.purchases)
    assert (row.supplier, row.kvk, row.number) == (
        invoice.supplier,
        invoice.kvk,
        invoice.invoice_number,
    )
    assert row.amount == 12400


# --- what the validators make of it (each file on its own, with an empty ledger) ----------------

EXPECTED_OUTCOMES: dict[str, tuple[int, int, int, tuple[str, ...]]] = {
    # file: (accepted, rejected, pending, a fragment of each reason)
    "TW-2025-014/Noordhorst SROI 2026-Q1.xlsx": (6, 0, 0, ()),
    "TW-2025-014/Noordhorst SROI 2026-Q2.xlsx": (9, 2, 0, ("bewijs ontbreekt", "elfproef")),
    "TW-2025-017/Plaatsingen Q2 2026 Almelo-Noord.xlsx": (3, 0, 0, ()),
    "TW-2025-021/verantwoording Q3 2026 Groenwerk.xlsx": (2, 1, 0, ("'Herintreder'",)),
    "TW-2025-030/Kattenbelt SROI Q3-2026.xlsx": (3, 0, 0, ()),
    "TW-2026-003/Veldkamp Q2 2026 plaatsingen en MVO.xlsx": (
        1,
        0,
        3,
        ("wacht op goedkeuring: blok 15",) * 3,
    ),
    "DUO-2025-003/SROI 2026-Q2.xlsx": (5, 0, 1, ("kopie factuur ontbreekt: blok 11",)),
    "DUO-2025-008/Amstelvliet Q3 2026.xlsx": (6, 1, 0, ("leeftijd bij start (25 jaar)",)),
    "Groenwerk Lonneker SROI 1e kwartaal 2026.xlsx": (3, 0, 0, ()),
}


def test_deliberate_mistakes_are_rejected_or_pending(home: Path, register: Register) -> None:
    pseudonymizer = Pseudonymizer(b"demo" * 8)
    parsed = _good_workbooks(home)
    for relative, (accepted, rejected, pending, fragments) in EXPECTED_OUTCOMES.items():
        workbook = parsed[relative]
        contract = _contract(register, workbook.contract_ref or "")
        ruleset = CATALOG.by_id(contract.ruleset_id)
        assert ruleset is not None
        checked = validate_submission(workbook, contract, ruleset, KnownEvidence(), pseudonymizer)
        counts = tuple(checked.count(status) for status in LineStatus)
        expected = {
            LineStatus.ACCEPTED: accepted,
            LineStatus.REJECTED: rejected,
            LineStatus.PENDING: pending,
        }
        assert counts == tuple(expected[status] for status in LineStatus), relative
        reasons = [
            "; ".join(line.reasons)
            for line in checked.lines
            if line.status is not LineStatus.ACCEPTED
        ]
        assert len(reasons) == len(fragments), relative
        for reason, fragment in zip(reasons, fragments, strict=True):
            assert fragment in reason, (relative, reason)


# --- determinism -------------------------------------------------------------------------------


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_bytes_on_every_call(tmp_path: Path) -> None:
    first = demo_data.write_demo_home(tmp_path / "a")
    second = demo_data.write_demo_home(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    digests_a, digests_b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert "contracts.xlsx" in digests_a
    assert digests_a == digests_b
