"""Audit: an employer's id is audited whole. The ledger keeps employer ids of up to 16 characters
(``ledger_employment.employer_id``); the audit log cut them to 8, so two employers sharing their first
eight characters could not be told apart in the log. The column is widened to 16.

PostgreSQL enforces a VARCHAR's length, so the column's type is changed there (``ALTER … TYPE`` is not an
UPDATE: the append-only triggers are not involved). SQLite does not enforce the length of a VARCHAR, so
nothing is changed there (no table rebuild, the append-only triggers stay).

Revision ID: 0014_audit_employer_ids
Revises: 0013_refund_history
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0014_audit_employer_ids"
down_revision = "0013_refund_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log ALTER COLUMN employer_cvr TYPE VARCHAR(16)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log ALTER COLUMN employer_cvr TYPE VARCHAR(8) USING left(employer_cvr, 8)")
