"""Tax cards and Digital Post: each case's tax card (``ledger_tax_card``, dated, append-only) for the A-skat
withheld from the payout, and the MeMo message id on the record that a letter was sent by Digital Post
(``ledger_letter_sending.message_id``, nullable: letters recorded before have none, nothing is back-filled).

The tax card table is protected like every history table: no UPDATE, DELETE, TRUNCATE (PostgreSQL) or
INSERT OR REPLACE (SQLite) of a stored row. ``ADD COLUMN`` keeps the sending table and its triggers.

Revision ID: 0018_tax_cards_payouts
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_tax_cards_payouts"
down_revision = "0017_register_reports"
branch_labels = None
depends_on = None

TABLE = "ledger_tax_card"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_tax_card_case"),
                  nullable=False),
        sa.Column("card", sa.String(10), nullable=False),
        sa.Column("withholding_rate", sa.String(8), nullable=False),
        sa.Column("monthly_deduction", sa.BigInteger(), nullable=False),
        sa.Column("free_amount", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_tax_card"),
        sa.CheckConstraint("card IN ('hovedkort', 'bikort', 'frikort')", name="ck_ledger_tax_card_card"),
        sa.CheckConstraint("monthly_deduction >= 0 AND free_amount >= 0", name="ck_ledger_tax_card_amounts"),
    )
    op.create_index("ix_ledger_tax_card_case", TABLE, ["case_id", "valid_from"])
    op.add_column("ledger_letter_sending", sa.Column("message_id", sa.String(64), nullable=True))
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
        op.execute(f"CREATE TRIGGER {TABLE}_no_replace_0 BEFORE INSERT ON {TABLE} "
                   f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) BEGIN "
                   f"SELECT RAISE(ABORT, 'flexcalc: {TABLE} is append-only history (no INSERT OR REPLACE)'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    elif dialect == "sqlite":
        for name in ("no_update", "no_delete", "no_replace_0"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
    op.execute("ALTER TABLE ledger_letter_sending DROP COLUMN message_id")
    op.drop_index("ix_ledger_tax_card_case", TABLE)
    op.drop_table(TABLE)
