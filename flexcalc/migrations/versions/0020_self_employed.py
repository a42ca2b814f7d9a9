"""The self-employed (LAB § 126; BEK 233/2024 § 8): their cases, the bases of a year (expected and assessed
profit, bitemporal), payments, settlements after the tax assessment and the decisions on overpayments, in tables
of their own (``flexcalc.ledger.self_employed``). The four history tables are protected as 0005_hardening protects every
history table (no UPDATE, DELETE or TRUNCATE; on SQLite no INSERT OR REPLACE either).

Revision ID: 0020_self_employed
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_self_employed"
down_revision = "0019_schemes"
branch_labels = None
depends_on = None

HISTORY = ("self_employed_basis", "self_employed_settlement", "self_employed_payment", "self_employed_decision")


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


def _unprotect(table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    elif dialect == "sqlite":
        for name in ("no_update", "no_delete", "no_replace_0"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")


def upgrade() -> None:
    op.create_table(
        "self_employed_case",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("cpr", sa.String(10), nullable=True),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_self_employed_case"),
    )
    op.create_table(
        "self_employed_basis",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("self_employed_case.id",
                                                          name="fk_self_employed_basis_case_id_self_employed_case"),
                  nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("profit", sa.BigInteger(), nullable=False),
        sa.Column("other_income", sa.BigInteger(), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('expected', 'assessed')", name="ck_self_employed_basis_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_self_employed_basis"),
    )
    op.create_index("ix_self_employed_basis_case_id", "self_employed_basis", ["case_id"])
    op.create_table(
        "self_employed_settlement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64),
                  sa.ForeignKey("self_employed_case.id", name="fk_self_employed_settlement_case_id_self_employed_case"),
                  nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("basis_id", sa.Integer(),
                  sa.ForeignKey("self_employed_basis.id",
                                name="fk_self_employed_settlement_basis_id_self_employed_basis"), nullable=False),
        sa.Column("cause", sa.String(20), nullable=False),
        sa.Column("months_paid", sa.String(40), nullable=False),
        sa.Column("entitled", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("settled_before", sa.BigInteger(), nullable=False),
        sa.Column("difference", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("treatment", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.CheckConstraint("outcome IN ('underpayment', 'overpayment', 'none')",
                           name="ck_self_employed_settlement_outcome"),
        sa.CheckConstraint("treatment IN ('back_payment', 'repayment_review', 'none')",
                           name="ck_self_employed_settlement_treatment"),
        sa.PrimaryKeyConstraint("id", name="pk_self_employed_settlement"),
    )
    op.create_index("ix_self_employed_settlement_case_id", "self_employed_settlement", ["case_id"])
    op.create_table(
        "self_employed_payment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64),
                  sa.ForeignKey("self_employed_case.id", name="fk_self_employed_payment_case_id_self_employed_case"),
                  nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("annual", sa.BigInteger(), nullable=True),
        sa.Column("basis_id", sa.Integer(),
                  sa.ForeignKey("self_employed_basis.id", name="fk_self_employed_payment_basis_id_self_employed_basis"),
                  nullable=True),
        sa.Column("settlement_ref", sa.Integer(), nullable=False),
        sa.Column("basic_status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('monthly', 'back_payment')", name="ck_self_employed_payment_kind"),
        sa.UniqueConstraint("case_id", "kind", "month", "settlement_ref", name="uq_self_employed_payment_once"),
        sa.PrimaryKeyConstraint("id", name="pk_self_employed_payment"),
    )
    op.create_index("ix_self_employed_payment_case_id", "self_employed_payment", ["case_id"])
    op.create_table(
        "self_employed_decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("settlement_id", sa.Integer(),
                  sa.ForeignKey("self_employed_settlement.id",
                                name="fk_self_employed_decision_settlement"),
                  nullable=False),
        sa.Column("case_id", sa.String(64),
                  sa.ForeignKey("self_employed_case.id", name="fk_self_employed_decision_case_id_self_employed_case"),
                  nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("outcome IN ('collect', 'waive')", name="ck_self_employed_decision_outcome"),
        sa.UniqueConstraint("settlement_id", name="uq_self_employed_decision_settlement_id"),
        sa.PrimaryKeyConstraint("id", name="pk_self_employed_decision"),
    )
    op.create_index("ix_self_employed_decision_case_id", "self_employed_decision", ["case_id"])
    for table in HISTORY:
        _protect(table)


def downgrade() -> None:
    for table in HISTORY:
        _unprotect(table)
    for table in ("self_employed_decision", "self_employed_payment", "self_employed_settlement", "self_employed_basis",
                  "self_employed_case"):
        op.drop_table(table)
