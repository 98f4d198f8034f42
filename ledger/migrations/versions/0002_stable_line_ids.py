"""Stable line ids: a line keeps one id for its whole life; what files and approvals said
about it are its versions. Files learn when they arrived, retractions and retries; an audit
table records who did what.

The old table of line versions (`evidence_lines`, one row per version, chained by
supersedes/superseded_by) becomes `line_versions`; every chain becomes one row of `lines`
whose id is the id of the chain's first version, so the ids coordinators saw stay valid.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:02:00
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _invoice_key(facts: Any) -> str | None:
    """As domain.text.alphanumeric_key at the time of this migration (copied: a migration must
    not change when the code does)."""
    data = json.loads(facts) if isinstance(facts, str) else facts
    number = (data or {}).get("invoice_number")
    if not number:
        return None
    decomposed = unicodedata.normalize("NFKD", str(number))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]", "", plain)


def _create_tables() -> None:
    op.create_table(
        "lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("identity", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("invoice_key", sa.String(length=64), nullable=True),
        sa.Column("person_key", sa.String(length=32), nullable=True),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lines") as batch:
        batch.create_index("ix_lines_contract_identity", ["contract_id", "identity"])
        batch.create_index("ix_lines_identity_status", ["identity", "status"])
        batch.create_index("ix_lines_contract_invoice", ["contract_id", "invoice_key"])
        batch.create_index("ix_lines_contract_status", ["contract_id", "status"])
        batch.create_index("ix_lines_person_key", ["person_key"])
        batch.create_index("ix_lines_current_version_id", ["current_version_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["line_id"], ["lines.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.create_index("ix_audit_events_at", ["at"])
        batch.create_index("ix_audit_events_contract_id", ["contract_id"])


def _chains(connection: sa.Connection) -> list[list[Any]]:
    """Every chain of versions, oldest first."""
    versions = sa.table(
        "line_versions",
        sa.column("id", sa.Integer()),
        sa.column("supersedes", sa.Integer()),
        sa.column("superseded_by", sa.Integer()),
        sa.column("contract_id", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("identity", sa.Text()),
        sa.column("status", sa.String()),
        sa.column("person_key", sa.String()),
        sa.column("facts", sa.JSON()),
        sa.column("created_at", sa.DateTime()),
    )
    rows = connection.execute(sa.select(versions).order_by(versions.c.id)).fetchall()
    by_id = {row.id: row for row in rows}
    chains = []
    for row in rows:
        if row.supersedes is not None:
            continue
        chain = [row]
        while chain[-1].superseded_by is not None:
            chain.append(by_id[chain[-1].superseded_by])
        chains.append(chain)
    return chains


def _fill_lines(connection: sa.Connection) -> None:
    lines = sa.table(
        "lines",
        sa.column("id", sa.Integer()),
        sa.column("contract_id", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("identity", sa.Text()),
        sa.column("status", sa.String()),
        sa.column("invoice_key", sa.String()),
        sa.column("person_key", sa.String()),
        sa.column("current_version_id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
    )
    for chain in _chains(connection):
        first, head = chain[0], chain[-1]
        connection.execute(
            lines.insert().values(
                id=first.id,
                contract_id=head.contract_id,
                kind=head.kind,
                identity=head.identity,
                status=head.status,
                invoice_key=_invoice_key(head.facts),
                person_key=head.person_key,
                current_version_id=head.id,
                created_at=first.created_at,
            )
        )
        for number, version in enumerate(chain, start=1):
            connection.execute(
                sa.text(
                    "UPDATE line_versions SET line_id = :line, version = :number, "
                    "match_keys = :keys WHERE id = :id"
                ),
                {"line": first.id, "number": number, "keys": "[]", "id": version.id},
            )
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('lines', 'id'), "
                "COALESCE(MAX(id), 0) + 1, false) FROM lines"
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.add_column(sa.Column("received_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("retracted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_files_resolved_by", "files", ["resolved_by"], ["id"])
    _create_tables()
    with op.batch_alter_table("evidence_lines") as batch:
        batch.drop_index("ix_lines_current")
        batch.drop_index("ix_lines_identity")
        batch.drop_index("ix_evidence_lines_person_key")
    op.rename_table("evidence_lines", "line_versions")
    with op.batch_alter_table("line_versions") as batch:
        batch.add_column(sa.Column("line_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("match_keys", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("retracted_at", sa.DateTime(), nullable=True))
    _fill_lines(op.get_bind())
    with op.batch_alter_table("line_versions") as batch:
        batch.alter_column("line_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("match_keys", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("supersedes")
        batch.drop_column("superseded_by")
        batch.create_foreign_key("fk_line_versions_line", "lines", ["line_id"], ["id"])
        batch.create_index("ix_line_versions_line", ["line_id", "version"], unique=True)
        batch.create_index("ix_line_versions_file_id", ["file_id"])
    with op.batch_alter_table("valuations") as batch:
        batch.drop_index("ix_valuations_line_id")
        batch.alter_column("line_id", new_column_name="version_id", existing_type=sa.Integer())
    op.create_index("ix_valuations_version_id", "valuations", ["version_id"])


def downgrade() -> None:
    raise NotImplementedError("the ledger does not go back to line ids that change")
