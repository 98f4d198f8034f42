"""Indexes for what a run asks of the ledger for every file: the versions of a contract's
lines (checking a file against the ledger), whether a stored path is taken (placing the
copy in archive/ or quarantine/) and which quarantined files a file dropped at the same place
replaces. Without them both questions read the whole table, so a run
cost more per file the larger the ledger had grown.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_line_versions_contract", "line_versions", ["contract_id"])
    op.create_index("ix_files_stored_path", "files", ["stored_path"])
    op.create_index("ix_files_inbox_path", "files", ["inbox_path"])


def downgrade() -> None:
    raise NotImplementedError("the ledger does not go back")
