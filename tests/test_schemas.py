"""Every check of every pandera model, and its Dutch message, on a row that breaks it.

The table below lists each check once with a row that breaks only that check and the exact
message the contractor reads. It is compared with the checks the models really have, so a
check removed from a model, or added without a case here, fails this file; and a check that
stopped firing fails its case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from parsers.grid import Provenance, RawRow, RawTable
from rulesets.vocabulary import FieldType, TableKind, builtin_vocabulary
from tests.builders import valid_bsns
from validators.messages import ROW_CHECK_MESSAGES
from validators.rows import read_rows, read_tables
from validators.schemas import MODELS

BSN = valid_bsns(1)[0]
GOOD_ROWS: dict[TableKind, dict[str, Any]] = {
    TableKind.PLACEMENTS: {
        "bsn": BSN,
        "birth_date": date(1980, 5, 17),
        "target_group": "WW",
        "start_date": date(2025, 2, 1),
        "hours_per_week": 36,
        "benefit_since": date(2024, 6, 1),
    },
    TableKind.PURCHASES: {
        "supplier": "Werkbedrijf B.V.",
        "supplier_kvk": "12345678",
        "invoice_number": "F-1",
        "invoice_date": date(2025, 5, 1),
        "amount_excl_vat": 100,
    },
    TableKind.HOURS: {"activity_date": date(2025, 5, 1), "activity": "Gastles", "hours": 4},
    TableKind.CONTRACTS: {
        "contract_id": "TW-1",
        "contractor": "Bouw B.V.",
        "contractor_kvk": "12345678",
        "municipality": "Enschede",
        "contract_value": 1_000_000,
        "sroi_percentage": 5,
        "start_date": date(2025, 1, 1),
        "end_date": date(2026, 12, 31),
        "ruleset": "twente",
        "pso_level": 1,
        "labour_share": 60,
        "email": "sroi@bouw.example",
    },
    TableKind.PARTICIPANTS: {"contract_id": "TW-1", "municipality": "Enschede", "share": 50},
}

P, B, M, C, D = (  # B: bought (inkoop)
    TableKind.PLACEMENTS,
    TableKind.PURCHASES,
    TableKind.HOURS,
    TableKind.CONTRACTS,
    TableKind.PARTICIPANTS,
)
# (table, column or None for a row check, check name, cells that break it, Dutch message)
CASES: list[tuple[TableKind, str | None, str, dict[str, Any], str]] = [
    (P, "bsn", "elfproef", {"bsn": "123456789"}, "BSN is ongeldig (elfproef mislukt)"),
    (P, "birth_date", "not_nullable", {"birth_date": None}, "Geboortedatum ontbreekt"),
    (P, "target_group", "not_nullable", {"target_group": None}, "Doelgroep ontbreekt"),
    (P, "start_date", "not_nullable", {"start_date": None}, "Startdatum ontbreekt"),
    (P, "hours_per_week", "greater_than(0)", {"hours_per_week": 0},
     "Uren per week moet groter zijn dan 0"),
    (P, "hours_per_week", "less_than_or_equal_to(168)", {"hours_per_week": 169},
     "Uren per week mag niet groter zijn dan 168"),
    (P, "fte", "greater_than(0)", {"hours_per_week": None, "fte": 0},
     "FTE moet groter zijn dan 0"),
    (P, None, "person_identified", {"bsn": None}, "BSN of personeelsnummer ontbreekt"),
    (P, None, "working_time_given", {"hours_per_week": None}, "uren per week of FTE ontbreekt"),
    (P, None, "end_not_before_start", {"end_date": date(2025, 1, 31)},
     "einddatum ligt voor de startdatum"),
    (P, None, "born_before_start", {"birth_date": date(2025, 2, 1)},
     "geboortedatum ligt niet voor de startdatum"),
    (P, None, "benefit_not_after_start", {"benefit_since": date(2025, 2, 2)},
     "'Uitkering sinds' ligt na de startdatum"),
    (B, "supplier_kvk", "kvk_format", {"supplier_kvk": "1234567"},
     "KvK leverancier moet uit 8 cijfers bestaan"),
    (B, "invoice_number", "not_nullable", {"invoice_number": None}, "Factuurnummer ontbreekt"),
    (B, "invoice_date", "not_nullable", {"invoice_date": None}, "Factuurdatum ontbreekt"),
    (B, "amount_excl_vat", "not_nullable", {"amount_excl_vat": None},
     "Bedrag excl. BTW ontbreekt"),
    (B, "amount_excl_vat", "greater_than(0)", {"amount_excl_vat": "0,00"},
     "Bedrag excl. BTW moet groter zijn dan 0"),
    (B, None, "supplier_identified", {"supplier": None, "supplier_kvk": None},
     "leverancier of KvK-nummer leverancier ontbreekt"),
    (M, "activity_date", "not_nullable", {"activity_date": None}, "Datum ontbreekt"),
    (M, "activity", "not_nullable", {"activity": None}, "Activiteit ontbreekt"),
    (M, "hours", "not_nullable", {"hours": None}, "Uren ontbreekt"),
    (M, "hours", "greater_than(0)", {"hours": -1}, "Uren moet groter zijn dan 0"),
    (M, "hours", "less_than_or_equal_to(8784)", {"hours": 9000},
     "Uren mag niet groter zijn dan 8784"),
    (M, "travel_hours", "greater_than_or_equal_to(0)", {"travel_hours": -1},
     "Reisuren mag niet kleiner zijn dan 0"),
    (C, "contract_id", "not_nullable", {"contract_id": None}, "Contractnummer ontbreekt"),
    (C, "contractor", "not_nullable", {"contractor": None}, "Opdrachtnemer ontbreekt"),
    (C, "contractor_kvk", "kvk_format", {"contractor_kvk": "KvK 123"},
     "KvK moet uit 8 cijfers bestaan"),
    (C, "municipality", "not_nullable", {"municipality": None}, "Gemeente ontbreekt"),
    (C, "contract_value", "not_nullable", {"contract_value": None}, "Opdrachtsom ontbreekt"),
    (C, "contract_value", "greater_than(0)", {"contract_value": 0},
     "Opdrachtsom moet groter zijn dan 0"),
    (C, "sroi_percentage", "greater_than(0)", {"sroi_percentage": "0%"},
     "SROI-percentage moet groter zijn dan 0"),
    (C, "sroi_percentage", "less_than_or_equal_to(100)", {"sroi_percentage": "120%"},
     "SROI-percentage mag niet groter zijn dan 100"),
    (C, "start_date", "not_nullable", {"start_date": None}, "Startdatum ontbreekt"),
    (C, "end_date", "not_nullable", {"end_date": None}, "Einddatum ontbreekt"),
    (C, "ruleset", "not_nullable", {"ruleset": None}, "Regeling ontbreekt"),
    (C, "pso_level", "greater_than_or_equal_to(0)", {"pso_level": -1},
     "PSO-trede mag niet kleiner zijn dan 0"),
    (C, "pso_level", "less_than_or_equal_to(3)", {"pso_level": 4},
     "PSO-trede mag niet groter zijn dan 3"),
    (C, "labour_share", "greater_than(0)", {"labour_share": 0},
     "Aandeel arbeid moet groter zijn dan 0"),
    (C, "labour_share", "less_than_or_equal_to(100)", {"labour_share": 150},
     "Aandeel arbeid mag niet groter zijn dan 100"),
    (C, "email", "email_address", {"email": "info at bouw.nl"},
     "E-mail is geen e-mailadres (bijvoorbeeld naam@bedrijf.nl)"),
    (C, None, "end_not_before_start", {"end_date": date(2024, 12, 31)},
     "einddatum ligt voor de startdatum"),
    (C, None, "contract_id_unique", {}, "contractnummer komt twee keer voor in het register"),
    (D, "contract_id", "not_nullable", {"contract_id": None}, "Contractnummer ontbreekt"),
    (D, "municipality", "not_nullable", {"municipality": None}, "Gemeente ontbreekt"),
    (D, "share", "not_nullable", {"share": None}, "Aandeel ontbreekt"),
    (D, "share", "greater_than(0)", {"share": 0}, "Aandeel moet groter zijn dan 0"),
    (D, "share", "less_than_or_equal_to(100)", {"share": 101},
     "Aandeel mag niet groter zijn dan 100"),
]  # fmt: skip


def _table(kind: TableKind, rows: list[dict[str, Any]]) -> RawTable:
    definition = builtin_vocabulary().table(kind)
    return RawTable(
        definition=definition,
        sheet="Blad1",
        header_row=1,
        columns={field.name: field.label for field in definition.fields},
        rows=[
            RawRow(Provenance("test.xlsx", "Blad1", number), cells)
            for number, cells in enumerate(rows, start=2)
        ],
    )


def _checks_of_the_models() -> set[tuple[TableKind, str | None, str]]:
    """(table, column, check) for every check of every model; None for row checks."""
    found: set[tuple[TableKind, str | None, str]] = set()
    for kind, model in MODELS.items():
        schema = model.to_schema()
        flags = {
            f.name for f in builtin_vocabulary().table(kind).fields if f.type is FieldType.FLAG
        }
        for name, column in schema.columns.items():
            if name == "row":
                continue  # the Excel row number, always filled in by the parser
            found |= {(kind, name, check.error or check.name) for check in column.checks}
            # A flag is never empty: a blank cell means "nee".
            if not column.nullable and name not in flags:
                found.add((kind, name, "not_nullable"))
        found |= {(kind, None, check.name) for check in schema.checks}
    return found


def test_every_check_of_every_model_has_a_case_here() -> None:
    listed = {(kind, column, check) for kind, column, check, _, _ in CASES}
    assert listed == _checks_of_the_models()


def test_every_row_check_message_is_used() -> None:
    row_checks = {check for _, column, check, _, _ in CASES if column is None}
    assert row_checks == set(ROW_CHECK_MESSAGES)


@pytest.mark.parametrize("kind", list(GOOD_ROWS))
def test_the_good_rows_pass_every_check(kind: TableKind) -> None:
    (reading,) = read_rows(_table(kind, [GOOD_ROWS[kind]]))
    assert reading.problems == ()


@pytest.mark.parametrize(
    ("kind", "column", "check", "cells", "message"),
    CASES,
    ids=[f"{kind.value}-{column or 'row'}-{check}" for kind, column, check, _, _ in CASES],
)
def test_a_row_that_breaks_a_check_gets_its_dutch_message(
    kind: TableKind, column: str | None, check: str, cells: dict[str, Any], message: str
) -> None:
    broken = GOOD_ROWS[kind] | cells
    rows = [GOOD_ROWS[kind], broken] if check == "contract_id_unique" else [broken]
    readings = read_rows(_table(kind, rows))
    assert readings[-1].problems == (message,)


def test_tables_read_together_read_as_each_on_its_own() -> None:
    """read_tables checks the tables of a kind in one pandera call; every row keeps exactly
    the messages it gets when its table is read alone (at its own position), and the
    register's uniqueness is never judged across tables."""
    by_kind: dict[TableKind, list[dict[str, Any]]] = {}
    for kind, _, check, cells, _ in CASES:
        if check != "contract_id_unique":
            by_kind.setdefault(kind, []).append(GOOD_ROWS[kind] | cells)
    tables = [
        _table(kind, [GOOD_ROWS[kind], *rows[start::3]])
        for start in range(3)
        for kind, rows in by_kind.items()
    ]
    tables += [_table(TableKind.CONTRACTS, [GOOD_ROWS[TableKind.CONTRACTS]])] * 2
    together = read_tables(tables)
    assert together == [tuple(read_rows(table)) for table in tables]
    assert sum(1 for readings in together for reading in readings if reading.problems) == len(
        [case for case in CASES if case[2] != "contract_id_unique"]
    )
