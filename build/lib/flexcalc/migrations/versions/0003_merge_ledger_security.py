"""Merge the ledger and security branches of the schema (both built on 0001_base).

Revision ID: 0003_merge
Revises: 0002_ledger, 0002_security
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0003_merge"
down_revision = ("0002_ledger", "0002_security")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
