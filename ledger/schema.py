"""Ledger tables. Changes go through an Alembic migration in ledger/migrations/versions.

No clear BSN or name is ever stored: persons appear as keyed pseudonyms and initials.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Dialect, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator[Decimal]):
    """Decimals stored as text: SQLite would round NUMERIC through a float, and an FTE of
    20/36 must give the same euros after a reload as before."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[str]: JSON, Decimal: ExactDecimal}


class ContractRecord(Base):
    """The register as last synchronised; the register file stays the source of truth."""

    __tablename__ = "contracts"

    contract_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    contractor: Mapped[str] = mapped_column(Text)
    contractor_kvk: Mapped[str | None] = mapped_column(String(16))
    municipality: Mapped[str] = mapped_column(Text)
    contract_value: Mapped[Decimal] = mapped_column(ExactDecimal())
    sroi_percentage: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    capital_intensive: Mapped[bool]
    start_date: Mapped[date]
    end_date: Mapped[date]
    award_date: Mapped[date]
    ruleset_id: Mapped[str] = mapped_column(String(64))
    pso_level: Mapped[int | None]
    label: Mapped[str | None] = mapped_column(Text)
    pso_valid_until: Mapped[date | None]
    labour_share: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    shares: Mapped[dict[str, Any]]
    """municipality -> share as a decimal string."""
    synced_at: Mapped[datetime]


class RunRecord(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    as_of: Mapped[date]
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    files_seen: Mapped[int] = mapped_column(default=0)


class FileRecord(Base):
    __tablename__ = "files"
    __table_args__ = (Index("ix_files_sha256_status", "sha256", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(Text)
    inbox_path: Mapped[str] = mapped_column(Text)
    contract_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    """archived, duplicate or quarantined."""
    reason: Mapped[str | None] = mapped_column(Text)
    stored_path: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    processed_at: Mapped[datetime]
    summary: Mapped[dict[str, Any]]

    lines: Mapped[list[LineRecord]] = relationship(back_populates="file")


class LineRecord(Base):
    """One version of an evidence line. A re-submission adds a version and points the earlier
    one at it (`superseded_by`); only lines without `superseded_by` count."""

    __tablename__ = "evidence_lines"
    __table_args__ = (
        Index("ix_lines_current", "contract_id", "superseded_by"),
        Index("ix_lines_identity", "identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    contract_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]]
    warnings: Mapped[list[str]]
    block_code: Mapped[str | None] = mapped_column(String(16))
    ruleset_id: Mapped[str] = mapped_column(String(64))
    identity: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str] = mapped_column(Text)
    source_sheet: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None]
    person_key: Mapped[str | None] = mapped_column(String(32), index=True)
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    raw_summary: Mapped[dict[str, Any]]
    from_pdf: Mapped[bool] = mapped_column(default=False)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("evidence_lines.id"))
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("evidence_lines.id"))
    approved_by: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    file: Mapped[FileRecord] = relationship(back_populates="lines")
    valuations: Mapped[list[ValuationRecord]] = relationship(
        back_populates="line", order_by="ValuationRecord.id"
    )


class ValuationRecord(Base):
    """The value stage's euro terms of a line under its ruleset (see valuation.components)."""

    __tablename__ = "valuations"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("evidence_lines.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    block_code: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    fte: Mapped[Decimal] = mapped_column(ExactDecimal())
    count_days: Mapped[int | None]

    line: Mapped[LineRecord] = relationship(back_populates="valuations")
