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
    """One processing run (`sroi run`, the nightly schedule, the inbox watch)."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    as_of: Mapped[date]
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    files_seen: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16), default="running")
    """running, completed, stopped (asked to stop; the rest stays in the inbox) or failed."""
    started_by: Mapped[str] = mapped_column(Text, default="")
    """Who or what started it: 'sroi run (user@host)', 'nightly schedule', 'inbox watch'."""
    outcomes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Files per outcome: archived, duplicate, quarantined, skipped."""
    host: Mapped[str | None] = mapped_column(Text)
    pid: Mapped[int | None]
    heartbeat_at: Mapped[datetime | None]
    """Renewed every few seconds while the run works: a running run without a recent heartbeat
    (or whose process on its host is gone) was killed."""


class Claim(Base):
    """An inbox file a run is working on: several runs (on one machine or several) split the
    inbox between them by claiming a file in the ledger before they start on it. A claim whose
    run stopped sending heartbeats (or whose process is gone) is taken over."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_file", "sha256", "inbox_path", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    inbox_path: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    host: Mapped[str] = mapped_column(Text)
    pid: Mapped[int]
    claimed_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime] = mapped_column(index=True)


class FileRecord(Base):
    """One inbox file as it was handled; the original is kept in archive/ or quarantine/."""

    __tablename__ = "files"
    __table_args__ = (
        Index("ix_files_sha256_status", "sha256", "status"),
        Index("ix_files_stored_path", "stored_path"),
        Index("ix_files_inbox_path", "inbox_path"),
    )

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
    received_at: Mapped[datetime | None]
    """When the file arrived in the inbox (its modification time there)."""
    processed_at: Mapped[datetime]
    summary: Mapped[dict[str, Any]]
    retracted_at: Mapped[datetime | None]
    """Set by `sroi retract`: the file's lines no longer count; the original stays archived."""
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    """For a quarantined file: the later file that was processed in its place (a retry)."""
    feedback_at: Mapped[datetime | None]
    """When the contractor's feedback workbook of this (archived) workbook was written."""
    purged_at: Mapped[datetime | None]
    """When retention removed the stored original and its feedback copy (the record stays)."""

    versions: Mapped[list[LineVersion]] = relationship(back_populates="file")
    run: Mapped[RunRecord | None] = relationship()


class LineRecord(Base):
    """An evidence line: one placement, invoice or activity, with the id a coordinator sees
    for its whole life. What it says is in its versions; `current_version_id` is the one that
    counts (None when every version was retracted). The columns after `kind` repeat the current
    version's keys, so re-submissions and duplicates are found with an index."""

    __tablename__ = "lines"
    __table_args__ = (
        Index("ix_lines_contract_identity", "contract_id", "identity"),
        Index("ix_lines_identity_status", "identity", "status"),
        Index("ix_lines_contract_invoice", "contract_id", "invoice_key"),
        Index("ix_lines_contract_status", "contract_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    identity: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    """The current version's status; None when the line was retracted."""
    invoice_key: Mapped[str | None] = mapped_column(String(64))
    person_key: Mapped[str | None] = mapped_column(String(32), index=True)
    current_version_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime]

    versions: Mapped[list[LineVersion]] = relationship(
        back_populates="line", order_by="LineVersion.version"
    )


class LineVersion(Base):
    """One version of an evidence line: what a file (or an approval) said about it."""

    __tablename__ = "line_versions"
    __table_args__ = (
        Index("ix_line_versions_line", "line_id", "version", unique=True),
        Index("ix_line_versions_contract", "contract_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"))
    version: Mapped[int]
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    contract_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]]
    warnings: Mapped[list[str]]
    block_code: Mapped[str | None] = mapped_column(String(16))
    ruleset_id: Mapped[str] = mapped_column(String(64))
    identity: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    match_keys: Mapped[list[str]]
    """Keyed digests a corrected row is recognised by (see validators.corrections)."""
    source_file: Mapped[str] = mapped_column(Text)
    source_sheet: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None]
    person_key: Mapped[str | None] = mapped_column(String(32))
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    raw_summary: Mapped[dict[str, Any]]
    from_pdf: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    retracted_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
    """When the evidence arrived (its file's time in the inbox): of a line's versions, the one
    received last counts, whatever the order in which workers processed the files."""
    purged_at: Mapped[datetime | None]
    """When retention replaced the person's pseudonym and removed initials, notes and match
    keys (the euro terms stay)."""

    line: Mapped[LineRecord] = relationship(back_populates="versions")
    file: Mapped[FileRecord] = relationship(back_populates="versions")
    valuations: Mapped[list[ValuationRecord]] = relationship(
        back_populates="version", order_by="ValuationRecord.id"
    )


class ValuationRecord(Base):
    """The value stage's euro terms of a line version under its ruleset (valuation.components)."""

    __tablename__ = "valuations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("line_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    block_code: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    fte: Mapped[Decimal] = mapped_column(ExactDecimal())
    count_days: Mapped[int | None]

    version: Mapped[LineVersion] = relationship(back_populates="valuations")


class AuditEvent(Base):
    """Who did what to which file or line, and when (approvals, retractions, re-checks)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
    contract_id: Mapped[str | None] = mapped_column(String(64), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("lines.id"))
    detail: Mapped[dict[str, Any]]


class MailRecord(Base):
    """A message the pipeline sends (`sroi mail`, the scheduled runs): what it covers, to whom,
    and how it went. Its key names what it covers, so the same report, feedback or reminder is
    never sent twice; a failed one is tried again by the next mail step."""

    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_key", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255))
    """What the message covers, e.g. 'report:2026Q3:gemeente:enschede', 'feedback:file:12'."""
    kind: Mapped[str] = mapped_column(String(16))
    """municipality, region, feedback or reminder."""
    quarter: Mapped[str | None] = mapped_column(String(8))
    contract_id: Mapped[str | None] = mapped_column(String(64))
    municipality: Mapped[str | None] = mapped_column(Text)
    file_ids: Mapped[list[int]] = mapped_column(JSON)
    """The archived workbooks whose feedback it carries."""
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    """sending, sent, failed or cancelled."""
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    attempted_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
