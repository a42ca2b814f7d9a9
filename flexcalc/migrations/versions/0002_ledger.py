"""The case ledger: cases, employments, ceiling history, wage reports, payments, holds, corrections,
decisions. Reports, payments, corrections and decisions are append-only: the database refuses an
UPDATE or DELETE of them (triggers), besides the ORM check in ``flexcalc.ledger.models``.

Revision ID: 0002_ledger
Revises: 0001_base
Create Date: 2026-11-23
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001_base"
branch_labels = None
depends_on = None

APPEND_ONLY = ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision")


def _ore(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def _instant(name: str, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _case_fk(name: str) -> sa.Column[str]:
    return sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name=name), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_case",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("cpr", sa.String(10), nullable=True),
        sa.Column("first_month", sa.String(7), nullable=False),
        sa.Column("last_month", sa.String(7), nullable=True),
        _instant("created_at"),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_case"),
    )
    op.create_table(
        "ledger_employment",
        sa.Column("id", sa.Integer(), autoincrement=True),
        _case_fk("fk_ledger_employment_case_id_ledger_case"),
        sa.Column("employer_id", sa.String(16), nullable=False),
        sa.Column("first_basis_month", sa.String(7), nullable=False),
        sa.Column("last_basis_month", sa.String(7), nullable=True),
        _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_employment"),
        sa.UniqueConstraint("case_id", "employer_id", name="uq_ledger_employment_case_employer"),
    )
    op.create_index("ix_ledger_employment_case_id", "ledger_employment", ["case_id"])
    op.create_table(
        "ledger_ceiling",
        sa.Column("id", sa.Integer(), autoincrement=True),
        _case_fk("fk_ledger_ceiling_case_id_ledger_case"),
        sa.Column("effective_month", sa.String(7), nullable=False),
        _ore("amount"),
        _instant("recorded_at"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_ceiling"),
    )
    op.create_index("ix_ledger_ceiling_case_id", "ledger_ceiling", ["case_id"])
    op.create_table(
        "ledger_report",
        sa.Column("report_id", sa.String(64)),
        _case_fk("fk_ledger_report_case_id_ledger_case"),
        sa.Column("employer_id", sa.String(16), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("basis_month", sa.String(7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        _ore("wage"), _ore("pension_own"), _ore("pension_employer"), _ore("hours"),
        _instant("received_at"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("corrects", sa.String(64),
                  sa.ForeignKey("ledger_report.report_id", name="fk_ledger_report_corrects_ledger_report"),
                  nullable=True),
        sa.Column("root_id", sa.String(64), nullable=False),
        _instant("ingested_at"),
        sa.PrimaryKeyConstraint("report_id", name="pk_ledger_report"),
        sa.CheckConstraint("kind IN ('original', 'correction', 'reversal')", name="ck_ledger_report_kind"),
        sa.CheckConstraint("(kind = 'original') = (corrects IS NULL)",
                           name="ck_ledger_report_corrects_iff_not_original"),
    )
    op.create_index("ix_ledger_report_case_basis", "ledger_report", ["case_id", "basis_month"])
    op.create_index("ix_ledger_report_basis_month", "ledger_report", ["basis_month"])
    op.create_index("ix_ledger_report_root", "ledger_report", ["root_id"])
    op.create_table(
        "ledger_payment",
        sa.Column("id", sa.Integer(), autoincrement=True),
        _case_fk("fk_ledger_payment_case_id_ledger_case"),
        sa.Column("benefit_month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        _ore("basis_wage"), _ore("ceiling"), _ore("subsidy"), _ore("atp_own"), _ore("payout"),
        sa.Column("report_ids", sa.Text(), nullable=False),
        sa.Column("rule_version", sa.String(32), nullable=False),
        _instant("as_of"), _instant("created_at"),
        sa.Column("documentation", sa.Text(), nullable=True),
        sa.Column("released_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_payment"),
        sa.UniqueConstraint("case_id", "benefit_month", name="uq_ledger_payment_case_month"),
        sa.CheckConstraint("kind IN ('regular', 'provisional')", name="ck_ledger_payment_kind"),
    )
    op.create_index("ix_ledger_payment_month", "ledger_payment", ["benefit_month"])
    op.create_table(
        "ledger_hold",
        sa.Column("id", sa.Integer(), autoincrement=True),
        _case_fk("fk_ledger_hold_case_id_ledger_case"),
        sa.Column("benefit_month", sa.String(7), nullable=False),
        sa.Column("missing_employers", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _instant("as_of"), _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_hold"),
        sa.UniqueConstraint("case_id", "benefit_month", name="uq_ledger_hold_case_month"),
    )
    op.create_table(
        "ledger_correction",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("case_id", sa.String(64),
                  sa.ForeignKey("ledger_case.id", name="fk_ledger_correction_case_id_ledger_case"), nullable=False),
        sa.Column("benefit_month", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _ore("previous_subsidy"), _ore("due_subsidy"), _ore("difference"), _ore("previous_payout"),
        _ore("due_payout"), _ore("basis_wage"), _ore("ceiling"),
        sa.Column("report_ids", sa.Text(), nullable=False),
        sa.Column("caused_by", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("explanation_da", sa.Text(), nullable=False),
        sa.Column("explanation_en", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("earliest_affected_month", sa.String(7), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rule_version", sa.String(32), nullable=False),
        _instant("as_of"), _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_correction"),
        sa.UniqueConstraint("case_id", "benefit_month", "sequence", name="uq_ledger_correction_case_month_seq"),
        sa.CheckConstraint("status IN ('payable', 'repayment_review')", name="ck_ledger_correction_status"),
    )
    op.create_table(
        "ledger_decision",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("correction_id", sa.Integer(),
                  sa.ForeignKey("ledger_correction.id", name="fk_ledger_decision_correction_id_ledger_correction"),
                  nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        _instant("decided_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_decision"),
        sa.UniqueConstraint("correction_id", name="uq_ledger_decision_correction_id"),
        sa.CheckConstraint("outcome IN ('collect', 'waive')", name="ck_ledger_decision_outcome"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'flexcalc ledger: % is append-only (no % of a stored row)', TG_TABLE_NAME, TG_OP;
            END $$""")
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, 'flexcalc ledger: {table} is append-only'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
    for table in ("ledger_decision", "ledger_correction", "ledger_hold", "ledger_payment", "ledger_report",
                  "ledger_ceiling", "ledger_employment", "ledger_case"):
        op.drop_table(table)
