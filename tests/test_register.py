"""The contract register: title rows, Dutch and English headers, every bad row reported by row
and column while the other contracts keep working."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domain.errors import RegisterError
from parsers.register import read_register
from rulesets import load_catalog
from tests.builders import contract_row, write_register
from validators.register import Register, validate_register

CATALOG = load_catalog()


def load(path: Path) -> Register:
    return validate_register(read_register(path), CATALOG)


def test_register_with_title_rows_and_text_notation(tmp_path: Path) -> None:
    path = write_register(
        tmp_path / "contracts.xlsx",
        [
            contract_row("TW-2025-001"),
            contract_row(
                "DUO-2025-002",
                Gemeente="Diemen",
                Opdrachtsom="400.000,00",
                **{
                    "SROI-percentage": "5%",
                    "Startdatum": "01-03-2025",
                    "Einddatum": "28 februari 2027",
                    "Regeling": "duoplus",
                    "PSO-trede": 3,
                    "Aandeel arbeid": 60,
                },
            ),
            contract_row("TW-2025-003", **{"SROI-percentage": None, "Kapitaalintensief": "ja"}),
        ],
    )
    register = load(path)
    assert register.problems == ()
    duo = register.get("duo-2025-002")
    assert duo is not None
    assert duo.contract_value == Decimal("400000.00")
    assert duo.start_date == date(2025, 3, 1) and duo.end_date == date(2027, 2, 28)
    assert duo.ruleset_id == "duoplus-2024"
    assert duo.pso_level == 3 and duo.labour_share == Decimal("0.6")
    assert duo.award_date == duo.start_date
    capital = register.get("TW-2025-003")
    assert capital is not None and capital.sroi_percentage is None and capital.capital_intensive


def test_english_headers_are_accepted(tmp_path: Path) -> None:
    headers = (
        "contract_id",
        "title",
        "contractor",
        "municipality",
        "contract_value",
        "start_date",
        "end_date",
        "ruleset",
    )
    row = {
        "contract_id": "X-1",
        "title": "t",
        "contractor": "c",
        "municipality": "Almelo",
        "contract_value": 250000,
        "start_date": date(2025, 1, 1),
        "end_date": date(2025, 12, 31),
        "ruleset": "twente-2016",
    }
    register = load(write_register(tmp_path / "contracts.xlsx", [row], headers=headers))
    assert [c.contract_id for c in register.contracts] == ["X-1"]


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_works(tmp_path: Path) -> None:
    path = write_register(
        tmp_path / "contracts.xlsx",
        [
            contract_row("OK-1"),
            contract_row("BAD-VALUE", Opdrachtsom=None),
            contract_row("BAD-RULES", Regeling="utrecht"),
            contract_row("BAD-DATES", Einddatum=date(2024, 1, 1)),
            contract_row("BAD-DATE-TEXT", Startdatum="1 smarch 2025"),
            contract_row("OK-1"),
        ],
    )
    register = load(path)
    assert [c.contract_id for c in register.contracts] == ["OK-1"]
    by_row = {problem.row: problem.message for problem in register.problems}
    assert by_row[6] == "Opdrachtsom ontbreekt"
    assert "onbekende regeling 'utrecht'" in by_row[7]
    assert by_row[8] == "einddatum ligt voor de startdatum"
    assert "Startdatum: '1 smarch 2025' is geen geldige datum" in by_row[9]
    assert by_row[10] == "contractnummer komt twee keer voor in het register"
    assert (
        register.problems[0]
        .describe_nl("contracts.xlsx")
        .startswith("contracts.xlsx, blad Contracten, rij 6")
    )


def test_joint_contract_shares_must_add_up_to_100(tmp_path: Path) -> None:
    path = write_register(
        tmp_path / "contracts.xlsx",
        [contract_row("JOINT-1"), contract_row("JOINT-2"), contract_row("SOLO-3")],
        participants=[
            ("JOINT-1", "Enschede", 50),
            ("JOINT-1", "Hengelo", "30%"),
            ("JOINT-1", "Almelo", 20),
            ("JOINT-2", "Enschede", 50),
            ("JOINT-2", "Hengelo", 40),
            ("GHOST-9", "Almelo", 100),
        ],
    )
    register = load(path)
    joint = register.get("JOINT-1")
    assert joint is not None
    assert [(s.municipality, s.share) for s in joint.shares] == [
        ("Enschede", Decimal("0.5")),
        ("Hengelo", Decimal("0.3")),
        ("Almelo", Decimal("0.2")),
    ]
    solo = register.get("SOLO-3")
    assert solo is not None and [s.municipality for s in solo.shares] == ["Enschede"]
    assert register.get("JOINT-2") is None
    messages = [problem.message for problem in register.problems]
    assert "Deelnemers: aandelen tellen op tot 90% in plaats van 100%" in messages
    assert any("GHOST-9" in message for message in messages)


def test_csv_register_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text(
        "Contractnummer;Opdrachtnemer;Gemeente;Opdrachtsom;Startdatum;Einddatum;Regeling\n"
        "CSV-1;Groen B.V.;Hengelo;250.000,00;01-01-2025;31-12-2025;twente\n",
        encoding="cp1252",
    )
    register = load(path)
    assert register.problems == ()
    contract = register.get("CSV-1")
    assert contract is not None and contract.contract_value == Decimal("250000.00")


def test_a_register_without_a_table_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text("dit is geen register\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="Contractnummer and Opdrachtsom"):
        read_register(path)


def test_file_name_lookup_prefers_the_longest_id(tmp_path: Path) -> None:
    register = load(
        write_register(tmp_path / "c.xlsx", [contract_row("TW-1"), contract_row("TW-12")])
    )
    found = register.find_in_name("verantwoording TW-12 q3.xlsx")
    assert found is not None and found.contract_id == "TW-12"
