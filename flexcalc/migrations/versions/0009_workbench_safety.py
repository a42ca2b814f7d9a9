"""The workbench made safe: how a hearing was held, exceptions from the hearing, and the decision letter's
reply.

* ``ledger_hearing_event.channel`` (``letter`` or ``oral``) and ``held_by`` (who held an oral hearing);
  rows from before are letters.
* ``ledger_hearing_exception``: why a possible repayment may be decided without a hearing, with its legal
  ground (forvaltningsloven § 19, stk. 1 does not apply, or a ground of § 19, stk. 2). Append-only, as
  0005_hardening protects every history table.
* ``ledger_decision.reply_summary``, ``reply_weighing`` (for the decision letter) and ``internal_note``
  (never in a letter).

Revision ID: 0009_workbench_safety
Revises: 0008_workbench
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_workbench_safety"
down_revision = "0008_workbench"
branch_labels = None
depends_on = None

TABLE = "ledger_hearing_exception"
DECISION_COLUMNS = ("reply_summary", "reply_weighing", "internal_note")


def upgrade() -> None:
    op.add_column("ledger_hearing_event", sa.Column("channel", sa.String(8), nullable=True))
    op.add_column("ledger_hearing_event", sa.Column("held_by", sa.String(200), nullable=True))
    for name in DECISION_COLUMNS:
        op.add_column("ledger_decision", sa.Column(name, sa.Text(), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("correction_id", sa.Integer(),
                  sa.ForeignKey("ledger_correction.id", name="fk_ledger_hearing_exception_correction"),
                  nullable=False),
        sa.Column("case_id", sa.String(64),
                  sa.ForeignKey("ledger_case.id", name="fk_ledger_hearing_exception_case"), nullable=False),
        sa.Column("ground", sa.String(32), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_hearing_exception"),
    )
    op.create_index("ix_ledger_hearing_exception_correction", TABLE, ["correction_id"])
    op.create_index("ix_ledger_hearing_exception_case", TABLE, ["case_id"])
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
    op.drop_index("ix_ledger_hearing_exception_case", TABLE)
    op.drop_index("ix_ledger_hearing_exception_correction", TABLE)
    op.drop_table(TABLE)
    for name in DECISION_COLUMNS:
        op.drop_column("ledger_decision", name)
    op.drop_column("ledger_hearing_event", "held_by")
    op.drop_column("ledger_hearing_event", "channel")
