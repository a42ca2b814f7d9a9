"""Confirmations of assumed rates: a payment run holds a benefit month whose rates are assumed (not
published, not computed from published inputs) until a finance or admin user has recorded who confirmed
them, when, and on which source or decision. ``ledger_rates_confirmation`` is history: no UPDATE, DELETE,
TRUNCATE (PostgreSQL) of a stored row, as 0005_hardening protects every history table.

Revision ID: 0010_rates_confirmations
Revises: 0009_workbench_safety
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_rates_confirmations"
down_revision = "0009_workbench_safety"
branch_labels = None
depends_on = None

TABLE = "ledger_rates_confirmation"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("benefit_month", sa.String(7), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_rates_confirmation"),
    )
    op.create_index("ix_ledger_rates_confirmation_month", TABLE, ["benefit_month"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_append_only()")
        op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION flexcalc_history_append_only()")
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                       f"BEGIN SELECT RAISE(ABORT, 'flexcalc: {TABLE} is append-only (no {action})'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    op.drop_index("ix_ledger_rates_confirmation_month", table_name=TABLE)
    op.drop_table(TABLE)
