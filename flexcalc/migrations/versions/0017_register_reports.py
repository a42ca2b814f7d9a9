"""The income register's reports: the register's identifiers and the parts of each wage report made from
an eIndkomst answer (``ledger_register_report``), and the records the mapping could not place, with the
reason (``ledger_register_held``). Both append-only like every history table: no UPDATE, DELETE, TRUNCATE
(PostgreSQL) or INSERT OR REPLACE (SQLite) of a stored row. No CPR number is stored in either.

Revision ID: 0017_register_reports
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_register_reports"
down_revision = "0015_collection_lines"
branch_labels = None
depends_on = None

REPORTS = "ledger_register_report"
HELD = "ledger_register_held"


def upgrade() -> None:
    op.create_table(
        REPORTS,
        sa.Column("employer_id", sa.String(16), nullable=False),
        sa.Column("report_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("root_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("register_id", sa.String(40), nullable=True),
        sa.Column("own_id", sa.String(80), nullable=True),
        sa.Column("reverses_own_id", sa.String(80), nullable=True),
        sa.Column("reversed_later", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("employer_id", "report_id", name="pk_ledger_register_report"),
        sa.ForeignKeyConstraint(["employer_id", "report_id"], ["ledger_report.employer_id", "ledger_report.report_id"],
                                name="fk_ledger_register_report_report"),
    )
    op.create_index("ix_ledger_register_report_root_id", REPORTS, ["root_id"])
    op.create_index("ix_ledger_register_report_case_id", REPORTS, ["case_id"])
    op.create_table(
        HELD,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_register_held_case"),
                  nullable=False),
        sa.Column("employer_id", sa.String(16), nullable=True),
        sa.Column("register_key", sa.String(100), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("reason_en", sa.String(300), nullable=False),
        sa.Column("reason_da", sa.String(300), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_register_held"),
        sa.UniqueConstraint("digest", name="uq_ledger_register_held_digest"),
    )
    op.create_index("ix_ledger_register_held_case_id", HELD, ["case_id"])
    dialect = op.get_bind().dialect.name
    for table, key in ((REPORTS, "employer_id = NEW.employer_id AND report_id = NEW.report_id"), (HELD, "id = NEW.id")):
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
                       f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key}) BEGIN "
                       f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only history (no INSERT OR REPLACE)'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in (HELD, REPORTS):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            for name in ("no_update", "no_delete", "no_replace_0"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
    op.drop_index("ix_ledger_register_held_case_id", HELD)
    op.drop_table(HELD)
    op.drop_index("ix_ledger_register_report_case_id", REPORTS)
    op.drop_index("ix_ledger_register_report_root_id", REPORTS)
    op.drop_table(REPORTS)
