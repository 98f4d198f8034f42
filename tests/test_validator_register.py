"""The contract register row by row, and which contract an inbox file belongs to: every field
a contract carries, every Dutch problem with its sheet and row (INTERFACE.md sections 2 and 4).

Written against mutation testing (docs/testing.md): a field dropped or a problem worded
differently fails a test here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from domain.contracts import Contract, MunicipalShare
from domain.errors import ContractMismatch, UnknownContract
from parsers.register import read_register
from rulesets import load_catalog
from tests.builders import REGISTER_HEADERS, contract_row, write_register, write_table
from validators.assignment import assign_contract
from validators.register import Register, RegisterProblem, validate_register

CATALOG = load_catalog()


def load(path: Path) -> Register:
    return validate_register(read_register(path), CATALOG)


def register_of(
    tmp_path: Path,
    *rows: dict[str, object],
    participants: Sequence[tuple[str, Any, Any]] = (),
) -> Register:
    return load(write_register(tmp_path / "contracts.xlsx", rows, participants))


def test_a_full_register_row_gives_every_field_of_the_contract(tmp_path: Path) -> None:
    row = contract_row(
        "TW-2025-014",
        Opdrachtsom="2.400.000,00",
        Gunningsdatum=date(2024, 11, 15),
        **{
            "SROI-percentage": "4,5%",
            "PSO-trede": 2,
            "Keurmerk": "Werkpakt",
            "PSO geldig tot": date(2025, 12, 31),
            "Aandeel arbeid": 60,
            "E-mail": " sroi@terhorst.nl ",
        },
    )
    register = register_of(tmp_path, row)
    assert register.file == "contracts.xlsx"
    assert register.problems == ()
    assert register.contracts == (
        Contract(
            contract_id="TW-2025-014",
            title="Onderhoud openbare ruimte",
            contractor="Bouwbedrijf Ter Horst B.V.",
            contractor_kvk="12345678",
            municipality="Enschede",
            contract_value=Decimal("2400000.00"),
            sroi_percentage=Decimal("4.5"),
            capital_intensive=False,
            start_date=date(2025, 1, 1),
            end_date=date(2026, 12, 31),
            award_date=date(2024, 11, 15),
            ruleset_id="twente-2016",
            pso_level=2,
            label="Werkpakt",
            pso_valid_until=date(2025, 12, 31),
            labour_share=Decimal("0.6"),
            shares=(MunicipalShare("Enschede", Decimal(1)),),
            source_row=5,
            email="sroi@terhorst.nl",
        ),
    )


def test_a_bare_register_row_leaves_the_optional_fields_empty(tmp_path: Path) -> None:
    row = contract_row(
        "TW-2025-015",
        Omschrijving=None,
        KvK=None,
        Kapitaalintensief="ja",
        **{"SROI-percentage": None, "PSO-trede": 0},
    )
    (contract,) = register_of(tmp_path, contract_row("TW-2025-001"), row).contracts[1:]
    assert (contract.title, contract.contractor_kvk, contract.sroi_percentage) == ("", None, None)
    assert (contract.pso_level, contract.label, contract.pso_valid_until) == (None, None, None)
    assert (contract.labour_share, contract.award_date) == (None, date(2025, 1, 1))
    assert contract.capital_intensive is True
    assert (contract.source_row, contract.email) == (6, None)


def test_pso_level_one_is_a_level(tmp_path: Path) -> None:
    (contract,) = register_of(tmp_path, contract_row("TW-1", **{"PSO-trede": 1})).contracts
    assert contract.pso_level == 1


def test_a_pso_level_must_be_a_whole_number(tmp_path: Path) -> None:
    register = register_of(tmp_path, contract_row("TW-1", **{"PSO-trede": "1,5"}))
    assert register.contracts == ()
    assert register.problems == (
        RegisterProblem("Contracten", 5, "PSO-trede: '1,5' is geen geheel getal"),
    )
    assert register.problems[0].describe_nl("contracts.xlsx") == (
        "contracts.xlsx, blad Contracten, rij 5: PSO-trede: '1,5' is geen geheel getal"
    )


def test_every_problem_of_a_row_is_reported_together(tmp_path: Path) -> None:
    bad = contract_row("TW-2", Opdrachtnemer=None, Opdrachtsom=0)
    register = register_of(tmp_path, bad, contract_row("TW-3"))
    assert [c.contract_id for c in register.contracts] == ["TW-3"]
    assert register.problems == (
        RegisterProblem(
            "Contracten", 5, "Opdrachtnemer ontbreekt; Opdrachtsom moet groter zijn dan 0"
        ),
    )


def test_a_one_day_contract_is_not_an_end_before_its_start(tmp_path: Path) -> None:
    row = contract_row("TW-1", Einddatum=date(2025, 1, 1))
    register = register_of(tmp_path, row)
    assert (register.problems, len(register.contracts)) == ((), 1)


def test_an_unknown_ruleset_names_the_column(tmp_path: Path) -> None:
    register = register_of(tmp_path, contract_row("TW-1", Regeling="achterhoek"))
    known = sorted({r.id for r in CATALOG.rulesets} | {r.family for r in CATALOG.rulesets})
    assert "twente-2016" in known and "duoplus" in known
    assert register.problems == (
        RegisterProblem(
            "Contracten",
            5,
            f"Regeling: onbekende regeling 'achterhoek' (bekend: {', '.join(known)})",
        ),
    )


# --- joint contracts --------------------------------------------------------------------------


def test_shares_rounded_to_two_decimals_may_add_up_to_a_hundredth_more(tmp_path: Path) -> None:
    participants = [
        ("TW-1", "Enschede", "33,34"),
        ("TW-1", "Hengelo", "33,34"),
        ("TW-1", "Almelo", "33,33"),
    ]
    (contract,) = register_of(tmp_path, contract_row("TW-1"), participants=participants).contracts
    assert contract.shares == (
        MunicipalShare("Enschede", Decimal("0.3334")),
        MunicipalShare("Hengelo", Decimal("0.3334")),
        MunicipalShare("Almelo", Decimal("0.3333")),
    )


def test_shares_two_hundredths_off_are_a_problem(tmp_path: Path) -> None:
    participants = [("TW-1", "Enschede", "50,01"), ("TW-1", "Hengelo", "50,01")]
    register = register_of(tmp_path, contract_row("TW-1"), participants=participants)
    assert register.contracts == ()
    assert register.problems == (
        RegisterProblem(
            "Contracten", 5, "Deelnemers: aandelen tellen op tot 100.02% in plaats van 100%"
        ),
    )


def test_a_bad_share_row_is_reported_and_the_other_rows_still_count(tmp_path: Path) -> None:
    participants = [
        ("TW-1", None, 0),
        ("TW-2", "Enschede", 40),
        ("TW-2", "Oldenzaal", 60),
    ]
    register = register_of(
        tmp_path, contract_row("TW-1"), contract_row("TW-2"), participants=participants
    )
    assert register.problems == (
        RegisterProblem("Deelnemers", 2, "Gemeente ontbreekt; Aandeel moet groter zijn dan 0"),
    )
    first, second = register.contracts
    assert first.shares == (MunicipalShare("Enschede", Decimal(1)),)
    assert second.shares == (
        MunicipalShare("Enschede", Decimal("0.4")),
        MunicipalShare("Oldenzaal", Decimal("0.6")),
    )


def test_shares_of_an_unregistered_contract_are_reported_by_sheet(tmp_path: Path) -> None:
    """The participants sheet may be called 'Participants': the problem names it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Contracten"
    write_table(sheet, REGISTER_HEADERS, [contract_row("TW-1")], first_row=1)
    write_table(
        workbook.create_sheet("Participants"),
        ("Contractnummer", "Gemeente", "Aandeel"),
        [{"Contractnummer": "tw-9", "Gemeente": "Hengelo", "Aandeel": 100}],
        first_row=1,
    )
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register = load(path)
    assert register.file == "register.xlsx"
    assert register.problems == (
        RegisterProblem(
            "Participants",
            None,
            "Deelnemers noemen contract 'TW-9', dat niet (geldig) in het register staat",
        ),
    )
    assert register.problems[0].describe_nl("register.xlsx") == (
        "register.xlsx, blad Participants: Deelnemers noemen contract 'TW-9', dat niet "
        "(geldig) in het register staat"
    )


# --- which contract a file belongs to ---------------------------------------------------------


@pytest.fixture
def register(tmp_path: Path) -> Register:
    return register_of(tmp_path, contract_row("TW-1"), contract_row("TW-12"))


def test_the_inbox_folder_names_the_contract_in_any_case(register: Register) -> None:
    assert assign_contract("tw-12", "q3.xlsx", None, register).contract_id == "TW-12"
    assert assign_contract("TW-12", "q3.xlsx", " tw-12 ", register).contract_id == "TW-12"


def test_an_unregistered_inbox_folder(register: Register) -> None:
    with pytest.raises(UnknownContract) as raised:
        assign_contract("TW-99", "q3.xlsx", None, register)
    assert raised.value.reason_nl == (
        "onbekend contract: map 'TW-99' staat niet (geldig) in het contractregister"
    )


def test_a_workbook_naming_another_contract_than_its_folder(register: Register) -> None:
    with pytest.raises(ContractMismatch) as raised:
        assign_contract("TW-12", "q3.xlsx", "TW-1", register)
    assert (raised.value.named_in_file, raised.value.folder_contract) == ("TW-1", "TW-12")


def test_at_the_top_of_the_inbox_the_workbook_names_the_contract(register: Register) -> None:
    assert assign_contract(None, "tw-12 q3.xlsx", "TW-1", register).contract_id == "TW-1"
    with pytest.raises(UnknownContract) as raised:
        assign_contract(None, "q3.xlsx", "TW-77", register)
    assert raised.value.reason_nl == (
        "onbekend contract: 'TW-77' staat niet in het contractregister"
    )


def test_at_the_top_of_the_inbox_the_file_name_names_the_contract(register: Register) -> None:
    assert assign_contract(None, "Verantwoording TW-12 Q3.xlsx", None, register).contract_id == (
        "TW-12"
    )
    assert assign_contract(None, "tw-1_q3.pdf", "", register).contract_id == "TW-1"
    with pytest.raises(UnknownContract) as raised:
        assign_contract(None, "verantwoording.xlsx", None, register)
    assert raised.value.reason_nl == (
        "onbekend contract: zet het bestand in inbox/<contractnummer>/, vul de cel "
        "'Contractnummer' in of noem het contractnummer in de bestandsnaam"
    )
