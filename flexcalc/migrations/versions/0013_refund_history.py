"""Refund history: each case's benefit history for the refund ladder (LBK 221/2021 §§ 3, 5, 6, 30).

``ledger_refund_history`` holds, per case, periods with a public benefit (any of § 3) or with subsidised
work, the visitation date (the cohort, § 30), known fleksjob starts, counts of weeks taken over from
another system, and retractions of earlier rows. Append-only and bitemporal: ``start_date``/``end_date``
are when it was true, ``known_at`` when the municipality learned it; a correction is a new row (a
retraction pointing at the row it withdraws, and the right row). Protected like every history table: no
UPDATE, DELETE, TRUNCATE (PostgreSQL) or INSERT OR REPLACE (SQLite) of a stored row.

Revision ID: 0013_refund_history
Revises: 0012_regulation_claims
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_refund_history"
down_revision = "0012_regulation_claims"
branch_labels = None
depends_on = None

TABLE = "ledger_refund_history"
KINDS = "'benefit', 'subsidised_work', 'visitation', 'job_start', 'counted_weeks', 'retraction'"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_refund_history_case"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("benefit", sa.String(64), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("retracts", sa.Integer(), sa.ForeignKey(f"{TABLE}.id", name="fk_ledger_refund_history_retracts"),
                  nullable=True),
        sa.Column("known_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_refund_history"),
        sa.UniqueConstraint("digest", name="uq_ledger_refund_history_digest"),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_ledger_refund_history_kind"),
        sa.CheckConstraint("(kind = 'retraction') = (retracts IS NOT NULL)", name="ck_ledger_refund_history_retracts"),
        sa.CheckConstraint("kind = 'retraction' OR start_date IS NOT NULL", name="ck_ledger_refund_history_start"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                           name="ck_ledger_refund_history_order"),
        sa.CheckConstraint("(kind = 'counted_weeks') = (weeks IS NOT NULL)", name="ck_ledger_refund_history_weeks"),
        sa.CheckConstraint("weeks IS NULL OR weeks >= 0", name="ck_ledger_refund_history_weeks_positive"),
    )
    op.create_index("ix_ledger_refund_history_case", TABLE, ["case_id"])
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
    op.drop_index("ix_ledger_refund_history_case", TABLE)
    op.drop_table(TABLE)
