"""The ledger: migrations, exact decimals, and the same figures on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from ledger.contracts import sync_contracts
from ledger.database import open_ledger
from ledger.schema import ContractRecord
from ledger.serialize import facts_from_json, facts_to_json
from sroi import app
from tests.builders import (
    contract_row,
    make_contract,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
)
from tests.postgres import temporary_cluster, unavailable_reason
from validators.lines import LineKind, PlacementFacts

BSN = valid_bsns(4)


def test_migrations_create_every_table_on_a_fresh_database(tmp_path: Path) -> None:
    ledger = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")
    tables = set(inspect(ledger.engine).get_table_names())
    assert tables >= {
        "alembic_version",
        "contracts",
        "runs",
        "files",
        "evidence_lines",
        "valuations",
    }
    ledger.close()
    again = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")  # idempotent
    again.close()


def test_decimals_survive_storage_exactly(tmp_path: Path) -> None:
    ledger = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")
    share = Decimal(20) / Decimal(36)
    contract = replace(
        make_contract("EXACT-1"), labour_share=share, contract_value=Decimal("1234567.89")
    )
    with ledger.transaction() as session:
        sync_contracts(session, [contract])
    with ledger.reading() as session:
        stored = session.get(ContractRecord, "EXACT-1")
        assert stored is not None
        assert stored.labour_share == share  # 28 significant digits, not a float's 17
        assert stored.contract_value == Decimal("1234567.89")
    ledger.close()


def test_facts_round_trip_through_json() -> None:
    facts = PlacementFacts(
        person_key="Babc",
        initials="J.d.V.",
        start_date=date(2025, 2, 1),
        end_date=None,
        fte=Decimal(20) / Decimal(36),
        hours_per_week=Decimal(20),
        age_at_start=52,
        permanent=True,
        refugee=False,
        special_group=False,
        evidence_ref=None,
        benefit_since=date(2022, 1, 1),
        note="x",
    )
    assert facts_from_json(LineKind.PLACEMENT, facts_to_json(facts)) == facts


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with temporary_cluster() as url:
        yield url


def _submissions(inbox: Path) -> None:
    write_submission(
        inbox / "TW-2025-001" / "q2.xlsx",
        contract_id="TW-2025-001",
        placements=[
            placement(BSN[0], **{"Uren per week": 20}),
            placement(BSN[1], Geboortedatum=date(1970, 1, 1)),
            placement("123456789"),
        ],
        purchases=[purchase("F-1", **{"Bedrag excl. BTW": "3.450,00"})],
    )
    write_submission(
        inbox / "TW-2025-001" / "q3.xlsx",
        placements=[placement(BSN[0], Einddatum=date(2025, 8, 31))],
    )


@pytest.mark.slow
def test_postgresql_ledger_gives_the_same_figures_as_sqlite(
    tmp_path: Path, prefect_api: str, postgres_url: str
) -> None:
    summaries = []
    for name, url in (("sqlite", None), ("postgres", postgres_url)):
        home = Home(tmp_path / name)
        app.init_home(home)
        if url:
            home.settings_file.write_text(f'[ledger]\nurl = "{url}"\n', encoding="utf-8")
        write_register(home.root / "contracts.xlsx", [contract_row("TW-2025-001")])
        _submissions(home.inbox)
        ingest_inbox(home=str(home.root), as_of=date(2025, 10, 1))
        summaries.append(app.summary(home, Quarter(2025, 3)))
        shutil.rmtree(home.inbox)
    sqlite, postgres = summaries
    assert not (tmp_path / "postgres" / "sroi.db").exists()
    assert postgres == sqlite
    assert sqlite["contracts"][0]["lines"] == {"accepted": 3, "rejected": 1, "pending": 0}
