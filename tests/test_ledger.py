"""The ledger: migrations, exact decimals, and the same figures on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import summary
from ledger.contracts import sync_contracts
from ledger.database import Ledger, alembic_config, open_ledger
from ledger.schema import Base, ContractRecord, LineRecord
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
from tests.postgres import skip_or_fail, temporary_cluster, unavailable_reason
from validators.lines import LineKind, PlacementFacts

BSN = valid_bsns(4)


def schema_differences(ledger: Ledger) -> list[object]:
    """What the database lacks or has beyond the models (Alembic's autogenerate compare)."""
    with ledger.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrations_create_every_table_on_a_fresh_database(tmp_path: Path) -> None:
    ledger = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")
    tables = set(inspect(ledger.engine).get_table_names())
    assert tables == {
        "alembic_version",
        "contracts",
        "runs",
        "files",
        "lines",
        "line_versions",
        "valuations",
        "audit_events",
        "claims",
        "mail_messages",
    }
    assert schema_differences(ledger) == []
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
        skip_or_fail(reason)
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
        summaries.append(summary(home, Quarter(2025, 3)))
        shutil.rmtree(home.inbox)
    sqlite, postgres = summaries
    assert not (tmp_path / "postgres" / "sroi.db").exists()
    assert postgres == sqlite
    assert sqlite["contracts"][0]["lines"] == {"accepted": 3, "rejected": 1, "pending": 0}


def _ledger_at_0001_with_a_chain(url: str) -> None:
    """A ledger as the first release left it: one line with two versions, one line with one."""
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        at = "2025-07-15 10:00:00"
        connection.execute(
            text("INSERT INTO runs (id, started_at, as_of, files_seen) VALUES (1, :at, :d, 2)"),
            {"at": at, "d": "2025-07-15"},
        )
        for file_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO files (id, sha256, original_name, inbox_path, contract_id, kind, "
                    "status, stored_path, size_bytes, run_id, processed_at, summary) VALUES "
                    "(:id, :sha, :name, :name, 'TW-1', 'workbook', 'archived', :name, 1, 1, :at, "
                    "'{}')"
                ),
                {"id": file_id, "sha": f"{file_id:064d}", "name": f"q{file_id}.xlsx", "at": at},
            )
        versions = [  # (id, file, status, supersedes, superseded_by, facts)
            (10, 1, "pending", None, 12, '{"invoice_number": "F-2025.001"}'),
            (11, 1, "accepted", None, None, None),
            (12, 2, "accepted", 10, None, '{"invoice_number": "F-2025.001"}'),
        ]
        for version_id, file_id, status, before, _, facts in versions:
            connection.execute(
                text(
                    "INSERT INTO evidence_lines (id, file_id, contract_id, kind, status, reasons, "
                    "warnings, ruleset_id, fingerprint, source_file, raw_summary, from_pdf, "
                    "supersedes, superseded_by, facts, created_at) VALUES (:id, :file, 'TW-1', "
                    "'purchase', :status, '[]', '[]', 'twente-2016', 'f', 'q.xlsx', '{}', :no, "
                    ":before, :after, :facts, :at)"
                ),
                {
                    "id": version_id,
                    "file": file_id,
                    "status": status,
                    "no": False,
                    "before": before,
                    "after": None,
                    "facts": facts,
                    "at": at,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO valuations (line_id, kind, block_code, amount, fte) "
                    "VALUES (:id, 'invoice', '9', '100', '1')"
                ),
                {"id": version_id},
            )
        for version_id, _, _, _, after, _ in versions:
            connection.execute(
                text("UPDATE evidence_lines SET superseded_by = :after WHERE id = :id"),
                {"after": after, "id": version_id},
            )
    engine.dispose()


def _migrated_lines(url: str) -> tuple[list[tuple[object, ...]], list[object]]:
    _ledger_at_0001_with_a_chain(url)
    ledger = open_ledger(url)  # migrates to the newest revision
    with ledger.reading() as session:
        lines = [
            tuple(row)
            for row in session.execute(
                text(
                    "SELECT l.id, l.status, l.current_version_id, l.invoice_key, v.id, v.version "
                    "FROM lines l JOIN line_versions v ON v.line_id = l.id ORDER BY v.id"
                )
            )
        ]
        # a new line after the migration gets an id after the old ones
        record = LineRecord(contract_id="TW-1", kind="purchase", created_at=datetime(2025, 8, 1))
        session.add(record)
        session.flush()
        lines.append((record.id,))
        session.rollback()
    differences = schema_differences(ledger)
    ledger.close()
    return lines, differences


MIGRATED = [  # (line, status, current version, invoice key, version id, version number)
    (10, "accepted", 12, "f2025001", 10, 1),
    (11, "accepted", 11, None, 11, 1),
    (10, "accepted", 12, "f2025001", 12, 2),
    (12,),  # the next line
]


def test_a_ledger_of_the_first_release_keeps_its_line_ids(tmp_path: Path) -> None:
    lines, differences = _migrated_lines(f"sqlite:///{tmp_path / 'old.db'}")
    assert lines == MIGRATED
    assert differences == []


@pytest.mark.slow
def test_a_postgresql_ledger_of_the_first_release_keeps_its_line_ids(postgres_url: str) -> None:
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS old_release"))
        connection.execute(text("CREATE DATABASE old_release"))
    engine.dispose()
    lines, differences = _migrated_lines(postgres_url.replace("/sroi?", "/old_release?"))
    assert lines == MIGRATED
    assert differences == []
