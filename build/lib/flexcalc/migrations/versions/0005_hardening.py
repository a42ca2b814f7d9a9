"""Hardening (issue 12): report ids unique per employer, the stated receipt instant beside the server's,
and append-only that cannot be bypassed.

* ``ledger_report``: primary key ``(employer_id, report_id)`` (was ``report_id``); a correction points
  at a report of the same employer (composite foreign key); new column ``stated_received_at`` (the
  instant the sender stated; existing rows: their ``received_at``).
* History tables — the database refuses to change or remove their rows, whatever the SQL:

  ============================  ===========================================================
  table                         protected
  ============================  ===========================================================
  ledger_report, ledger_payment, ledger_correction, ledger_decision, ledger_hold,
  ledger_ceiling, audit_log     no UPDATE, no DELETE, no INSERT OR REPLACE, no TRUNCATE
  ledger_case                   no DELETE/REPLACE/TRUNCATE; UPDATE only of ``revision`` (the
                                row lock) and ``last_month`` (closing the case)
  ledger_employment             no DELETE/REPLACE/TRUNCATE; UPDATE only of ``last_basis_month``
  api_keys                      no DELETE/REPLACE/TRUNCATE; UPDATE only of ``revoked_at``, and
                                only from empty (a revocation is never undone)
  ============================  ===========================================================

  SQLite: ``INSERT OR REPLACE`` deletes the clashing row without firing DELETE triggers (unless
  ``recursive_triggers`` is on, which a client chooses per connection), so every unique key of a
  history table gets a ``BEFORE INSERT`` trigger that refuses an insert whose key exists already.
  PostgreSQL: row triggers for UPDATE/DELETE and a statement trigger ``BEFORE TRUNCATE`` on every table
  (``TRUNCATE ... CASCADE`` fires the trigger of each table it would empty).

Revision ID: 0005_hardening
Revises: 0003_merge
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_hardening"
down_revision = "0004_finance"
branch_labels = None
depends_on = None

FULLY_APPEND_ONLY = ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision", "ledger_hold",
                     "ledger_ceiling", "audit_log")
MUTABLE_COLUMNS = {"ledger_case": ("revision", "last_month"), "ledger_employment": ("last_basis_month",),
                   "api_keys": ("revoked_at",)}
"""History tables with columns that may change (and only those)."""
IMMUTABLE_COLUMNS = {
    "ledger_case": ("id", "cpr", "first_month", "created_at"),
    "ledger_employment": ("id", "case_id", "employer_id", "first_basis_month", "created_at"),
    "api_keys": ("id", "role", "case_id", "employer_cvr", "secret_sha256", "label", "created_at"),
}
UNIQUE_KEYS: dict[str, list[tuple[str, ...]]] = {
    "ledger_report": [("employer_id", "report_id")],
    "ledger_payment": [("id",), ("case_id", "benefit_month")],
    "ledger_correction": [("id",), ("case_id", "benefit_month", "sequence")],
    "ledger_decision": [("id",), ("correction_id",)],
    "ledger_hold": [("id",), ("case_id", "benefit_month")],
    "ledger_ceiling": [("id",)],
    "audit_log": [("id",)],
    "ledger_case": [("id",)],
    "ledger_employment": [("id",), ("case_id", "employer_id")],
    "api_keys": [("id",), ("secret_sha256",)],
}
OLD_SQLITE_TRIGGERS = [f"{t}_no_{a}" for t in ("ledger_report", "ledger_payment", "ledger_correction",
                                                "ledger_decision") for a in ("update", "delete")]
OLD_SQLITE_TRIGGERS += ["audit_log_no_update", "audit_log_no_delete"]
HISTORY = tuple(UNIQUE_KEYS)


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in FULLY_APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            statements.append(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN "
                              f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only (no {action})'); END")
    for table, columns in IMMUTABLE_COLUMNS.items():
        statements.append(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
                          f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only history (no DELETE)'); END")
        statements.append(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                          f"BEGIN SELECT RAISE(ABORT, 'flexcalc: {table}: only "
                          f"{', '.join(MUTABLE_COLUMNS[table])} may change'); END")
    statements.append("CREATE TRIGGER api_keys_no_unrevoke BEFORE UPDATE OF revoked_at ON api_keys "
                      "WHEN OLD.revoked_at IS NOT NULL BEGIN "
                      "SELECT RAISE(ABORT, 'flexcalc: a revoked key stays revoked'); END")
    for table, keys in UNIQUE_KEYS.items():
        for number, key in enumerate(keys):
            clash = " AND ".join(f"{column} = NEW.{column}" for column in key)
            statements.append(f"CREATE TRIGGER {table}_no_replace_{number} BEFORE INSERT ON {table} "
                              f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) BEGIN "
                              f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only history "
                              "(no INSERT OR REPLACE)'); END")
    return statements


def _sqlite_trigger_names() -> list[str]:
    names = [f"{t}_no_{a}" for t in FULLY_APPEND_ONLY for a in ("update", "delete")]
    names += [f"{t}_no_{a}" for t in IMMUTABLE_COLUMNS for a in ("update", "delete")]
    names += ["api_keys_no_unrevoke"]
    names += [f"{t}_no_replace_{n}" for t, keys in UNIQUE_KEYS.items() for n in range(len(keys))]
    return names


PG_FUNCTIONS = """
CREATE FUNCTION flexcalc_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'flexcalc: % is append-only history (no % of stored rows)', TG_TABLE_NAME, TG_OP;
END $$;
CREATE FUNCTION flexcalc_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mutable text[] := TG_ARGV;
  old_rest jsonb := to_jsonb(OLD);
  new_rest jsonb := to_jsonb(NEW);
  col text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'flexcalc: % is append-only history (no DELETE)', TG_TABLE_NAME;
  END IF;
  FOREACH col IN ARRAY mutable LOOP
    old_rest := old_rest - col;
    new_rest := new_rest - col;
  END LOOP;
  IF old_rest IS DISTINCT FROM new_rest THEN
    RAISE EXCEPTION 'flexcalc: % is history (only % may change)', TG_TABLE_NAME, array_to_string(mutable, ', ');
  END IF;
  IF (to_jsonb(OLD) ->> 'revoked_at') IS NOT NULL
     AND (to_jsonb(NEW) ->> 'revoked_at') IS DISTINCT FROM (to_jsonb(OLD) ->> 'revoked_at') THEN
    RAISE EXCEPTION 'flexcalc: a revoked key stays revoked';
  END IF;
  RETURN NEW;
END $$;
"""


def _rebuild_report_table_sqlite() -> None:
    for name in OLD_SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("ledger_report", recreate="always") as batch:
        batch.drop_constraint("fk_ledger_report_corrects_ledger_report", type_="foreignkey")
        batch.drop_constraint("pk_ledger_report", type_="primary")
        batch.create_primary_key("pk_ledger_report", ["employer_id", "report_id"])
        batch.create_foreign_key("fk_ledger_report_corrects_ledger_report", "ledger_report",
                                 ["employer_id", "corrects"], ["employer_id", "report_id"])
        batch.add_column(sa.Column("stated_received_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE ledger_report SET stated_received_at = received_at")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_report_append_only ON ledger_report")
        op.drop_constraint("fk_ledger_report_corrects_ledger_report", "ledger_report", type_="foreignkey")
        op.drop_constraint("pk_ledger_report", "ledger_report", type_="primary")
        op.create_primary_key("pk_ledger_report", "ledger_report", ["employer_id", "report_id"])
        op.create_foreign_key("fk_ledger_report_corrects_ledger_report", "ledger_report", "ledger_report",
                              ["employer_id", "corrects"], ["employer_id", "report_id"])
        op.add_column("ledger_report", sa.Column("stated_received_at", sa.DateTime(), nullable=True))
        op.execute("UPDATE ledger_report SET stated_received_at = received_at")
        for table in ("ledger_payment", "ledger_correction", "ledger_decision"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute(PG_FUNCTIONS)
        for table in FULLY_APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_append_only()")
        for table, columns in MUTABLE_COLUMNS.items():
            arguments = ", ".join(f"'{c}'" for c in columns)
            op.execute(f"CREATE TRIGGER {table}_history BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION flexcalc_history_guard({arguments})")
        for table in HISTORY:
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION flexcalc_history_append_only()")
    elif dialect == "sqlite":
        _rebuild_report_table_sqlite()
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in HISTORY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        for table in MUTABLE_COLUMNS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_history ON {table}")
        for table in FULLY_APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS flexcalc_history_guard()")
        op.execute("DROP FUNCTION IF EXISTS flexcalc_history_append_only()")
        op.drop_constraint("fk_ledger_report_corrects_ledger_report", "ledger_report", type_="foreignkey")
        op.drop_column("ledger_report", "stated_received_at")
        op.drop_constraint("pk_ledger_report", "ledger_report", type_="primary")
        op.create_primary_key("pk_ledger_report", "ledger_report", ["report_id"])
        op.create_foreign_key("fk_ledger_report_corrects_ledger_report", "ledger_report", "ledger_report",
                              ["corrects"], ["report_id"])
        for table in ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision"):
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")
    elif dialect == "sqlite":
        for name in _sqlite_trigger_names():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        with op.batch_alter_table("ledger_report", recreate="always") as batch:
            batch.drop_constraint("fk_ledger_report_corrects_ledger_report", type_="foreignkey")
            batch.drop_column("stated_received_at")
            batch.drop_constraint("pk_ledger_report", type_="primary")
            batch.create_primary_key("pk_ledger_report", ["report_id"])
            batch.create_foreign_key("fk_ledger_report_corrects_ledger_report", "ledger_report",
                                     ["corrects"], ["report_id"])
        for table in ("ledger_report", "ledger_payment", "ledger_correction", "ledger_decision"):
            for action in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, 'flexcalc ledger: {table} is append-only'); END")
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
