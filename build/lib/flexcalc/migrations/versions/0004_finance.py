"""Finance: the ``finance`` role for API keys (finance staff read the month's finance report and the refund
of a subsidy; they read no case).

Revision ID: 0004_finance
Revises: 0003_merge
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004_finance"
down_revision = "0003_merge"
branch_labels = None
depends_on = None

OLD = "role in ('caseworker', 'employer', 'citizen', 'admin')"
NEW = "role in ('caseworker', 'employer', 'citizen', 'admin', 'finance')"
NAME = "ck_api_keys_ck_api_keys_role"  # as the naming convention made it in 0002_security


def upgrade() -> None:
    with op.batch_alter_table("api_keys", recreate="auto") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), NEW)


def downgrade() -> None:
    op.execute("DELETE FROM api_keys WHERE role = 'finance'")
    with op.batch_alter_table("api_keys", recreate="auto") as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
        batch.create_check_constraint(op.f(NAME), OLD)
