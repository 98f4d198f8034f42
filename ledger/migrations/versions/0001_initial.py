"""Initial ledger: contracts, runs, files, evidence lines (with history) and valuations.

Decimals are stored as text (see ledger.schema.ExactDecimal).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 10:14:22.946682
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "contracts",
        sa.Column("contract_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("contractor", sa.Text(), nullable=False),
        sa.Column("contractor_kvk", sa.String(length=16), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("contract_value", sa.String(length=64), nullable=False),
        sa.Column("sroi_percentage", sa.String(length=64), nullable=True),
        sa.Column("capital_intensive", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("award_date", sa.Date(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=64), nullable=False),
        sa.Column("pso_level", sa.Integer(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("pso_valid_until", sa.Date(), nullable=True),
        sa.Column("labour_share", sa.String(length=64), nullable=True),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("flow_run_id", sa.String(length=64), nullable=True),
        sa.Column("files_seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("inbox_path", sa.Text(), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("stored_path", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["files.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.create_index("ix_files_sha256_status", ["sha256", "status"], unique=False)

    op.create_table(
        "evidence_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("block_code", sa.String(length=16), nullable=True),
        sa.Column("ruleset_id", sa.String(length=64), nullable=False),
        sa.Column("identity", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("source_sheet", sa.Text(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("person_key", sa.String(length=32), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=True),
        sa.Column("raw_summary", sa.JSON(), nullable=False),
        sa.Column("from_pdf", sa.Boolean(), nullable=False),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.Text(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["evidence_lines.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supersedes"],
            ["evidence_lines.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_lines_person_key"), ["person_key"], unique=False
        )
        batch_op.create_index("ix_lines_current", ["contract_id", "superseded_by"], unique=False)
        batch_op.create_index("ix_lines_identity", ["identity"], unique=False)

    op.create_table(
        "valuations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("block_code", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.String(length=64), nullable=False),
        sa.Column("fte", sa.String(length=64), nullable=False),
        sa.Column("count_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["evidence_lines.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("valuations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_valuations_line_id"), ["line_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("valuations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_valuations_line_id"))

    op.drop_table("valuations")
    with op.batch_alter_table("evidence_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_lines_identity")
        batch_op.drop_index("ix_lines_current")
        batch_op.drop_index(batch_op.f("ix_evidence_lines_person_key"))

    op.drop_table("evidence_lines")
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_index("ix_files_sha256_status")

    op.drop_table("files")
    op.drop_table("runs")
    op.drop_table("contracts")
