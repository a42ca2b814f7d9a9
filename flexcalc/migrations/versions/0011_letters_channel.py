"""Letters: the channel a letter is drafted for (``digital_post`` or ``paper``), chosen when it is drafted,
because the complaint deadline the letter states depends on it (docs/decisions.md, "Letters").

A nullable column added to ``ledger_letter`` (drafts stored before this revision have none and keep none:
the table is append-only, nothing is back-filled). ``ADD COLUMN`` keeps the table and its append-only
triggers on SQLite and PostgreSQL alike (no table rebuild).

Revision ID: 0011_letters_channel
Revises: 0010_rates_confirmations
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_letters_channel"
down_revision = "0010_rates_confirmations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger_letter", sa.Column("channel", sa.String(16), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE ledger_letter DROP COLUMN channel")  # SQLite >= 3.35 and PostgreSQL; no rebuild
