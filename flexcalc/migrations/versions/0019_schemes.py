"""Schemes: a case's scheme (new_2013, old, self_employed), dated and bitemporal; the old scheme's employer
claims and their settlements (payments and corrections). All three tables are append-only history: no UPDATE,
DELETE, TRUNCATE (PostgreSQL) or INSERT OR REPLACE (SQLite) of a stored row.

Revision ID: 0019_schemes
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_schemes"
down_revision = "0018_tax_cards_payouts"
branch_labels = None
depends_on = None

TABLES = ("ledger_case_scheme", "ledger_old_scheme_claim", "ledger_old_scheme_settlement")


def _case_fk(table: str) -> sa.Column[str]:
    return sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name=f"fk_{table}_case"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_case_scheme",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _case_fk("ledger_case_scheme"),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("employer_id", sa.String(16), nullable=True),
        sa.Column("fraction", sa.String(3), nullable=True),
        sa.Column("job_start", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_case_scheme"),
        sa.CheckConstraint("scheme IN ('new_2013', 'old', 'self_employed')", name="ck_ledger_case_scheme_scheme"),
        sa.CheckConstraint("scheme <> 'old' OR (employer_id IS NOT NULL AND fraction IS NOT NULL)",
                           name="ck_ledger_case_scheme_old_payee"),
        sa.CheckConstraint("fraction IS NULL OR fraction IN ('1/2', '2/3')", name="ck_ledger_case_scheme_fraction"),
    )
    op.create_index("ix_ledger_case_scheme_case", "ledger_case_scheme", ["case_id"])
    op.create_table(
        "ledger_old_scheme_claim",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _case_fk("ledger_old_scheme_claim"),
        sa.Column("employer_id", sa.String(16), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("agreement_wage", sa.BigInteger(), nullable=False),
        sa.Column("employer_contributions", sa.BigInteger(), nullable=False),
        sa.Column("hours", sa.BigInteger(), nullable=True),
        sa.Column("sick_refund_days", sa.Integer(), nullable=False),
        sa.Column("sick_refund_amount", sa.BigInteger(), nullable=False),
        sa.Column("replaces", sa.Integer(),
                  sa.ForeignKey("ledger_old_scheme_claim.id", name="fk_ledger_old_scheme_claim_replaces"),
                  nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_old_scheme_claim"),
    )
    op.create_index("ix_ledger_old_scheme_claim_case_period", "ledger_old_scheme_claim", ["case_id", "period"])
    op.create_table(
        "ledger_old_scheme_settlement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _case_fk("ledger_old_scheme_settlement"),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("employer_id", sa.String(16), nullable=False),
        sa.Column("claim_id", sa.Integer(),
                  sa.ForeignKey("ledger_old_scheme_claim.id", name="fk_ledger_old_scheme_settlement_claim"),
                  nullable=True),
        sa.Column("fraction", sa.String(3), nullable=True),
        sa.Column("basis", sa.BigInteger(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("due", sa.BigInteger(), nullable=False),
        sa.Column("previous", sa.BigInteger(), nullable=False),
        sa.Column("difference", sa.BigInteger(), nullable=False),
        sa.Column("causes", sa.Text(), nullable=False),
        sa.Column("explanation_da", sa.Text(), nullable=False),
        sa.Column("rule_version", sa.String(32), nullable=False),
        sa.Column("rates_fingerprint", sa.String(16), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_old_scheme_settlement"),
        sa.UniqueConstraint("case_id", "period", "sequence", name="uq_ledger_old_scheme_settlement_case_period_seq"),
        sa.CheckConstraint("kind IN ('payment', 'correction')", name="ck_ledger_old_scheme_settlement_kind"),
    )
    op.create_index("ix_ledger_old_scheme_settlement_period", "ledger_old_scheme_settlement", ["period"])
    dialect = op.get_bind().dialect.name
    for table in TABLES:
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


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in reversed(TABLES):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            for name in ("no_update", "no_delete", "no_replace_0"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
    op.drop_index("ix_ledger_old_scheme_settlement_period", "ledger_old_scheme_settlement")
    op.drop_table("ledger_old_scheme_settlement")
    op.drop_index("ix_ledger_old_scheme_claim_case_period", "ledger_old_scheme_claim")
    op.drop_table("ledger_old_scheme_claim")
    op.drop_index("ix_ledger_case_scheme_case", "ledger_case_scheme")
    op.drop_table("ledger_case_scheme")
