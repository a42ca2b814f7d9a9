"""A back payment released at once: ``ledger_settlement`` gets ``released_at`` and ``released_by``.

A settlement line paid by a caseworker's release (not with a month's payment) carries when and by whom it was
released; its ``payment_month`` is the month of the release. Lines of a payment run have both NULL. Both
columns are nullable, so no row is rewritten in the append-only table.

Revision ID: 0015_collection_lines
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_collection_lines"
down_revision = "0014_audit_employer_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger_settlement", sa.Column("released_at", sa.DateTime(), nullable=True))
    op.add_column("ledger_settlement", sa.Column("released_by", sa.String(64), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+, PostgreSQL): the table and its append-only triggers stay
    op.execute("ALTER TABLE ledger_settlement DROP COLUMN released_by")
    op.execute("ALTER TABLE ledger_settlement DROP COLUMN released_at")
