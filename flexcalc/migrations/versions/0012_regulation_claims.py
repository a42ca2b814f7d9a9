"""Regulation and collection: a correction's track, the lines settled in a payment (efterbetaling,
regulation, set-off), repayment claims and their events.

``ledger_correction.track`` is a new nullable column (a row stored before it is read by
``flexcalc.ledger.tracks.track_of``: the table is append-only, so nothing is back-filled). The three new
tables are history: protected as 0005_hardening protects every history table.

Revision ID: 0012_regulation_claims
Revises: 0011_letters_channel
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_regulation_claims"
down_revision = "0011_letters_channel"
branch_labels = None
depends_on = None

TABLES = ("ledger_settlement", "ledger_claim", "ledger_claim_event")


def _protect(table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION flexcalc_history_append_only()")
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'flexcalc: {table} is append-only (no {action})'); END")
        op.execute(f"CREATE TRIGGER {table}_no_replace_0 BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) BEGIN "
                   f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only history (no INSERT OR REPLACE)'); END")


def upgrade() -> None:
    op.add_column("ledger_correction", sa.Column("track", sa.String(20), nullable=True))
    op.create_table(
        "ledger_claim",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_claim_case"),
                  nullable=False),
        sa.Column("correction_id", sa.Integer(),
                  sa.ForeignKey("ledger_correction.id", name="fk_ledger_claim_correction"), nullable=False),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("ledger_decision.id", name="fk_ledger_claim_decision"),
                  nullable=False),
        sa.Column("concerns_month", sa.String(7), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("known_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("limitation_date", sa.Date(), nullable=False),
        sa.Column("claim_type", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_claim"),
        sa.UniqueConstraint("decision_id", name="uq_ledger_claim_decision"),
        sa.CheckConstraint("amount > 0", name="ck_ledger_claim_amount_positive"),
    )
    op.create_index("ix_ledger_claim_case", "ledger_claim", ["case_id"])
    op.create_table(
        "ledger_claim_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("ledger_claim.id", name="fk_ledger_claim_event_claim"),
                  nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_claim_event_case"),
                  nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("method", sa.String(12), nullable=True),
        sa.Column("monthly_amount", sa.BigInteger(), nullable=True),
        sa.Column("first_month", sa.String(7), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_claim_event"),
        sa.CheckConstraint("kind IN ('plan', 'payment', 'setoff', 'handover', 'written_off')",
                           name="ck_ledger_claim_event_kind"),
        sa.CheckConstraint("(kind = 'plan') = (method IS NOT NULL)", name="ck_ledger_claim_event_plan_has_method"),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="ck_ledger_claim_event_amount_positive"),
    )
    op.create_index("ix_ledger_claim_event_claim", "ledger_claim_event", ["claim_id", "id"])
    op.create_table(
        "ledger_settlement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_settlement_case"),
                  nullable=False),
        sa.Column("payment_month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("concerns_month", sa.String(7), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("correction_id", sa.Integer(),
                  sa.ForeignKey("ledger_correction.id", name="fk_ledger_settlement_correction"), nullable=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("ledger_claim.id", name="fk_ledger_settlement_claim"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_settlement"),
        sa.CheckConstraint("kind IN ('efterbetaling', 'regulation', 'setoff')", name="ck_ledger_settlement_kind"),
        sa.CheckConstraint("amount > 0", name="ck_ledger_settlement_amount_positive"),
        sa.CheckConstraint("(kind = 'setoff') = (claim_id IS NOT NULL)", name="ck_ledger_settlement_setoff_has_claim"),
        sa.UniqueConstraint("case_id", "payment_month", "kind", "correction_id", "claim_id",
                            name="uq_ledger_settlement_line"),
    )
    op.create_index("ix_ledger_settlement_case", "ledger_settlement", ["case_id", "payment_month"])
    for table in TABLES:
        _protect(table)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            for name in ("no_update", "no_delete", "no_replace_0"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
    op.drop_index("ix_ledger_settlement_case", "ledger_settlement")
    op.drop_table("ledger_settlement")
    op.drop_index("ix_ledger_claim_event_claim", "ledger_claim_event")
    op.drop_table("ledger_claim_event")
    op.drop_index("ix_ledger_claim_case", "ledger_claim")
    op.drop_table("ledger_claim")
    with op.batch_alter_table("ledger_correction") as batch:
        batch.drop_column("track")
