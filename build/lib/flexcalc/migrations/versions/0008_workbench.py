"""The caseworker's workbench (issue 15): the hearing (partshøring) of a possible repayment.

``ledger_hearing_event`` holds the events of a correction's hearing — a hearing letter sent (its date,
the reply date, who, the letter's id) and the reply received (its date, a summary, who). History:
protected as 0005_hardening protects every history table — no UPDATE, DELETE, TRUNCATE (PostgreSQL) or
INSERT OR REPLACE (SQLite) of a stored row.

Revision ID: 0008_workbench
Revises: 0007_letters
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_workbench"
down_revision = "0007_letters"
branch_labels = None
depends_on = None

TABLE = "ledger_hearing_event"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("correction_id", sa.Integer(),
                  sa.ForeignKey("ledger_correction.id", name="fk_ledger_hearing_event_correction"), nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_hearing_event_case"),
                  nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("reply_by", sa.Date(), nullable=True),
        sa.Column("letter_id", sa.String(64), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_hearing_event"),
        sa.CheckConstraint("kind IN ('sent', 'reply')", name="ck_ledger_hearing_event_kind"),
        sa.CheckConstraint("(kind = 'sent') = (sent_on IS NOT NULL AND reply_by IS NOT NULL)",
                           name="ck_ledger_hearing_event_sent_dates"),
        sa.CheckConstraint("(kind = 'reply') = (received_on IS NOT NULL)", name="ck_ledger_hearing_event_reply_date"),
        sa.CheckConstraint("kind <> 'sent' OR reply_by > sent_on", name="ck_ledger_hearing_event_reply_after_sent"),
    )
    op.create_index("ix_ledger_hearing_event_correction", TABLE, ["correction_id"])
    op.create_index("ix_ledger_hearing_event_case", TABLE, ["case_id"])
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
    op.drop_index("ix_ledger_hearing_event_case", TABLE)
    op.drop_index("ix_ledger_hearing_event_correction", TABLE)
    op.drop_table(TABLE)
