"""Management information and supervision: the roles ``manager`` (figures only) and ``supervisor`` (reads
cases, records supervisions and findings); the complaint register, the supervisions with their results, and
the supervisors' findings with their follow-up. The new tables are history: protected as 0005_hardening
protects every history table (no UPDATE, DELETE or INSERT OR REPLACE).

Revision ID: 0022_insight_supervision
Revises: 0014_audit_employer_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_insight_supervision"
down_revision = "0020_self_employed"
branch_labels = None
depends_on = None

OLD = "role in ('caseworker', 'employer', 'citizen', 'admin', 'finance')"
NEW = "role in ('caseworker', 'employer', 'citizen', 'admin', 'finance', 'manager', 'supervisor')"
NAME = "ck_api_keys_ck_api_keys_role"  # as the naming convention made it in 0002_security
TABLES = ("ledger_complaint", "ledger_complaint_event", "ledger_supervision_run", "ledger_supervision_result",
          "ledger_finding", "ledger_finding_done")


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


def _case_fk(table: str) -> sa.Column:  # type: ignore[type-arg, unused-ignore]
    return sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name=f"fk_{table}_case"),
                     nullable=False)


def _id() -> sa.Column:  # type: ignore[type-arg, unused-ignore]
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


KEY_COLUMNS = ("id", "role", "case_id", "employer_cvr", "secret_sha256", "label", "created_at")
SQLITE_KEY_TRIGGERS = (
    "CREATE TRIGGER api_keys_no_delete BEFORE DELETE ON api_keys BEGIN "
    "SELECT RAISE(ABORT, 'flexcalc: api_keys is append-only history (no DELETE)'); END",
    f"CREATE TRIGGER api_keys_no_update BEFORE UPDATE OF {', '.join(KEY_COLUMNS)} ON api_keys "
    "BEGIN SELECT RAISE(ABORT, 'flexcalc: api_keys: only revoked_at may change'); END",
    "CREATE TRIGGER api_keys_no_unrevoke BEFORE UPDATE OF revoked_at ON api_keys WHEN OLD.revoked_at IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'flexcalc: a revoked key stays revoked'); END",
    "CREATE TRIGGER api_keys_no_replace_0 BEFORE INSERT ON api_keys WHEN EXISTS (SELECT 1 FROM api_keys WHERE "
    "id = NEW.id) BEGIN SELECT RAISE(ABORT, 'flexcalc: api_keys is append-only history (no INSERT OR REPLACE)'); END",
    "CREATE TRIGGER api_keys_no_replace_1 BEFORE INSERT ON api_keys WHEN EXISTS (SELECT 1 FROM api_keys WHERE "
    "secret_sha256 = NEW.secret_sha256) BEGIN SELECT RAISE(ABORT, 'flexcalc: api_keys is append-only history "
    "(no INSERT OR REPLACE)'); END",
)
"""The guards 0005_hardening put on ``api_keys``: SQLite changes a CHECK constraint only by copying the table,
which drops its triggers, so they are made again after the copy (PostgreSQL alters the table in place)."""


def _role_check(check: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in ("api_keys_no_delete", "api_keys_no_update", "api_keys_no_unrevoke", "api_keys_no_replace_0",
                     "api_keys_no_replace_1"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("api_keys", recreate="auto") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), check)
    if sqlite:
        for statement in SQLITE_KEY_TRIGGERS:
            op.execute(statement)


def upgrade() -> None:
    _role_check(NEW)
    op.create_table(
        "ledger_complaint", _id(), _case_fk("ledger_complaint"),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_complaint"),
    )
    op.create_index("ix_ledger_complaint_case", "ledger_complaint", ["case_id"])
    op.create_table(
        "ledger_complaint_event", _id(),
        sa.Column("complaint_id", sa.Integer(),
                  sa.ForeignKey("ledger_complaint.id", name="fk_ledger_complaint_event_complaint"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("result", sa.String(24), nullable=True),
        sa.Column("effect", sa.String(24), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_complaint_event"),
        sa.CheckConstraint("kind IN ('reconsidered', 'sent_to_ankestyrelsen', 'outcome')",
                           name="ck_ledger_complaint_event_kind"),
        sa.UniqueConstraint("complaint_id", "sequence", name="uq_ledger_complaint_event_seq"),
    )
    op.create_index("ix_ledger_complaint_event_complaint", "ledger_complaint_event", ["complaint_id"])
    op.create_table(
        "ledger_supervision_run", _id(),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("reconcile_days", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.String(32), nullable=False),
        sa.Column("drawn_by", sa.String(64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_supervision_run"),
    )
    op.create_table(
        "ledger_supervision_result", _id(),
        sa.Column("run_id", sa.Integer(),
                  sa.ForeignKey("ledger_supervision_run.id", name="fk_ledger_supervision_result_run"),
                  nullable=False),
        _case_fk("ledger_supervision_result"),
        sa.Column("check_id", sa.String(40), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_supervision_result"),
        sa.CheckConstraint("result IN ('pass', 'fail', 'not_applicable')", name="ck_ledger_supervision_result_result"),
        sa.UniqueConstraint("run_id", "case_id", "check_id", name="uq_ledger_supervision_result"),
    )
    op.create_index("ix_ledger_supervision_result_case", "ledger_supervision_result", ["case_id"])
    op.create_table(
        "ledger_finding", _id(), _case_fk("ledger_finding"),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("ledger_supervision_run.id", name="fk_ledger_finding_run"),
                  nullable=True),
        sa.Column("check_id", sa.String(40), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_finding"),
    )
    op.create_index("ix_ledger_finding_case", "ledger_finding", ["case_id"])
    op.create_table(
        "ledger_finding_done", _id(),
        sa.Column("finding_id", sa.Integer(), sa.ForeignKey("ledger_finding.id", name="fk_ledger_finding_done_finding"),
                  nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_by", sa.String(64), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_finding_done"),
        sa.UniqueConstraint("finding_id", name="uq_ledger_finding_done_finding"),
    )
    for table in TABLES:
        _protect(table)


def downgrade() -> None:
    import sqlalchemy as sa

    dialect = op.get_bind().dialect.name
    keys = op.get_bind().execute(sa.text("SELECT count(*) FROM api_keys WHERE role IN ('manager', 'supervisor')"))
    if keys.scalar_one():
        raise RuntimeError("keys of the roles manager or supervisor exist: keys are history and are never deleted, "
                           "so this database cannot go back before 0022_insight_supervision")
    for table in reversed(TABLES):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            for name in ("no_update", "no_delete", "no_replace_0"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
        op.drop_table(table)
    _role_check(OLD)
