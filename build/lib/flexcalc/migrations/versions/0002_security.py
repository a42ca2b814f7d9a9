"""Security: API keys (hashed), the append-only audit log, idempotency keys.

Revision ID: 0002_security
Revises: 0001_base
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_security"
down_revision = "0001_base"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("employer_cvr", sa.String(8), nullable=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("secret_sha256", name="uq_api_keys_secret_sha256"),
        sa.CheckConstraint("role in ('caseworker', 'employer', 'citizen', 'admin')", name="ck_api_keys_role"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("employer_cvr", sa.String(8), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(32), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("lease_token", sa.String(32), nullable=False),
        sa.Column("locked_at", TS, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("content_type", sa.String(100), nullable=True),
        sa.Column("response_body", sa.LargeBinary, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("completed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
    )
    # The audit log is append-only: the database itself refuses to change or remove an entry.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
        """)
        op.execute("""
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
        """)
    else:
        op.execute("""
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
        """)
        op.execute("""
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_audit_log_at", "audit_log")
    op.drop_index("ix_audit_log_case_id", "audit_log")
    op.drop_table("audit_log")
    op.drop_table("api_keys")
