"""Several workers: claims of inbox files, runs with their state and who started them, the
time each line version's evidence arrived, when a file's feedback was written, and what
retention purged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="completed")
        )
        batch.add_column(sa.Column("started_by", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("outcomes", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("host", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("runs") as batch:
        batch.alter_column("state", server_default=None, existing_type=sa.String(length=16))
        batch.alter_column("started_by", server_default=None, existing_type=sa.Text())
        batch.alter_column("outcomes", server_default=None, existing_type=sa.JSON())
    # A run without an end was killed before this release could say so.
    op.execute("UPDATE runs SET state = 'interrupted' WHERE finished_at IS NULL")
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("inbox_path", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claims_file", "claims", ["sha256", "inbox_path"], unique=True)
    op.create_index("ix_claims_heartbeat_at", "claims", ["heartbeat_at"])
    with op.batch_alter_table("files") as batch:
        batch.add_column(sa.Column("feedback_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("line_versions") as batch:
        batch.add_column(sa.Column("received_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE line_versions SET received_at = (SELECT COALESCE(files.received_at, "
        "files.processed_at) FROM files WHERE files.id = line_versions.file_id)"
    )
    # Feedback of files archived before this release was written at the time.
    op.execute(
        "UPDATE files SET feedback_at = processed_at WHERE status = 'archived' "
        "AND kind = 'workbook'"
    )
    with op.batch_alter_table("line_versions") as batch:
        batch.alter_column("received_at", nullable=False, existing_type=sa.DateTime())


def downgrade() -> None:
    raise NotImplementedError("the ledger does not go back")
