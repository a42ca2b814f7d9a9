"""Real case months: event registrations, the ceiling's history made bitemporal, employments with
their start and end dates, and what a payment or correction was computed with (the event
registration, the reason for a 0, the previous rule version).

Only columns and a table are added (all new columns nullable: rows from before keep their meaning,
e.g. a ceiling without ``known_at`` became known when it was recorded), so no stored row is rewritten
and the append-only triggers stay as they are. ``ledger_event_registration`` is append-only like the
reports (triggers on both databases).

Revision ID: 0006_casemonths
Revises: 0005_hardening
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_casemonths"
down_revision = "0005_hardening"
branch_labels = None
depends_on = None

TABLE = "ledger_event_registration"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_event_registration_case"),
                  nullable=False),
        sa.Column("benefit_month", sa.String(7), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_event_registration"),
    )
    op.create_index("ix_ledger_event_registration_case_month", TABLE, ["case_id", "benefit_month"])
    # ALTER TABLE … ADD COLUMN (no table copy: the append-only triggers stay)
    op.add_column("ledger_ceiling", sa.Column("known_at", sa.DateTime(), nullable=True))
    op.add_column("ledger_employment", sa.Column("start_date", sa.Date(), nullable=True))
    op.add_column("ledger_employment", sa.Column("end_date", sa.Date(), nullable=True))
    op.add_column("ledger_payment", sa.Column("event_registration", sa.Integer(), nullable=True))
    op.add_column("ledger_payment", sa.Column("reason", sa.String(32), nullable=True))
    op.add_column("ledger_correction", sa.Column("event_registration", sa.Integer(), nullable=True))
    op.add_column("ledger_correction", sa.Column("previous_rule_version", sa.String(32), nullable=True))
    op.add_column("ledger_correction", sa.Column("event_cause", sa.Text(), nullable=True))
    dialect = op.get_bind().dialect.name
    # Protected as 0005_hardening protects every history table: no UPDATE, DELETE, TRUNCATE or INSERT OR
    # REPLACE; an employment's job dates join the columns that may be set after it was created.
    if dialect == "postgresql":
        op.execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_append_only()")
        op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION flexcalc_history_append_only()")
        op.execute("DROP TRIGGER IF EXISTS ledger_employment_history ON ledger_employment")
        op.execute("CREATE TRIGGER ledger_employment_history BEFORE UPDATE OR DELETE ON ledger_employment "
                   "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_guard('last_basis_month', 'start_date', "
                   "'end_date')")
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                       f"BEGIN SELECT RAISE(ABORT, 'flexcalc ledger: {TABLE} is append-only'); END")
        op.execute(f"CREATE TRIGGER {TABLE}_no_replace_0 BEFORE INSERT ON {TABLE} "
                   f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) BEGIN "
                   f"SELECT RAISE(ABORT, 'flexcalc: {TABLE} is append-only history (no INSERT OR REPLACE)'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        op.execute("DROP TRIGGER IF EXISTS ledger_employment_history ON ledger_employment")
        op.execute("CREATE TRIGGER ledger_employment_history BEFORE UPDATE OR DELETE ON ledger_employment "
                   "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_guard('last_basis_month')")
    op.drop_column("ledger_correction", "event_cause")
    op.drop_column("ledger_correction", "previous_rule_version")
    op.drop_column("ledger_correction", "event_registration")
    op.drop_column("ledger_payment", "reason")
    op.drop_column("ledger_payment", "event_registration")
    with op.batch_alter_table("ledger_employment") as batch:
        batch.drop_column("end_date")
        batch.drop_column("start_date")
    with op.batch_alter_table("ledger_ceiling") as batch:
        batch.drop_column("known_at")
    op.drop_index("ix_ledger_event_registration_case_month", TABLE)
    op.drop_table(TABLE)
