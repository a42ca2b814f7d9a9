"""Letters (issue 15, item 3): every letter drafted for a case is kept, with who approved it and when, and
who marked it sent, when and how. Nothing here sends anything.

* ``ledger_letter``: one row per draft — kind (hearing, decision, specification), case, the corrections or
  the benefit month it is about, the letter's date (and the reply date of a hearing, the complaint deadline
  of a decision), its text and HTML as rendered, who made it and when, and the SHA-256 of text and HTML.
  A new version of a letter is a new draft; no draft is ever changed.
* ``ledger_letter_approval``: at most one per letter (approved_by, approved_at).
* ``ledger_letter_sending``: at most one per letter (sent_by, sent_at, channel): the caseworker's record
  that it went out (the system sends nothing).
* ``ledger_decision.knowledge``: the caseworker's assessment of "knew or should have known" (PM 6-23),
  which the decision letter states; nullable, so the decisions recorded before keep their meaning
  (``ALTER TABLE ... ADD COLUMN``: no table copy, the append-only triggers of 0005 stay).

The three tables are protected as 0005_hardening protects history: no UPDATE, DELETE or TRUNCATE on
PostgreSQL (row and statement triggers), and on SQLite no UPDATE or DELETE and no ``INSERT OR REPLACE``
(a ``BEFORE INSERT`` trigger per unique key refuses an insert whose key exists).

Revision ID: 0007_letters
Revises: 0006_casemonths
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_letters"
down_revision = "0006_casemonths"
branch_labels = None
depends_on = None

LETTER = "ledger_letter"
APPROVAL = "ledger_letter_approval"
SENDING = "ledger_letter_sending"
TABLES = (LETTER, APPROVAL, SENDING)
UNIQUE_KEYS: dict[str, list[tuple[str, ...]]] = {
    LETTER: [("id",)],
    APPROVAL: [("id",), ("letter_id",)],
    SENDING: [("id",), ("letter_id",)],
}


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in TABLES:
        for action in ("UPDATE", "DELETE"):
            statements.append(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN "
                              f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only (no {action})'); END")
    for table, keys in UNIQUE_KEYS.items():
        for number, key in enumerate(keys):
            clash = " AND ".join(f"{column} = NEW.{column}" for column in key)
            statements.append(f"CREATE TRIGGER {table}_no_replace_{number} BEFORE INSERT ON {table} "
                              f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) BEGIN "
                              f"SELECT RAISE(ABORT, 'flexcalc: {table} is append-only history "
                              "(no INSERT OR REPLACE)'); END")
    return statements


def upgrade() -> None:
    op.add_column("ledger_decision", sa.Column("knowledge", sa.String(20), nullable=True))
    op.create_table(
        LETTER,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("ledger_case.id", name="fk_ledger_letter_case"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("correction_ids", sa.Text(), nullable=False),
        sa.Column("benefit_month", sa.String(7), nullable=True),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("reply_by", sa.Date(), nullable=True),
        sa.Column("complaint_deadline", sa.Date(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_letter"),
        sa.CheckConstraint("kind IN ('hearing', 'decision', 'specification')", name="ck_ledger_letter_kind"),
    )
    op.create_index("ix_ledger_letter_case", LETTER, ["case_id", "id"])
    for table, at, by in ((APPROVAL, "approved_at", "approved_by"), (SENDING, "sent_at", "sent_by")):
        columns: list[Any] = [
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("letter_id", sa.Integer(), sa.ForeignKey(f"{LETTER}.id", name=f"fk_{table}_letter"),
                      nullable=False),
            sa.Column(by, sa.String(64), nullable=False),
            sa.Column(at, sa.DateTime(), nullable=False),
        ]
        constraints: list[Any] = [
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.UniqueConstraint("letter_id", name=f"uq_{table}_letter_id"),
        ]
        if table == SENDING:
            columns.append(sa.Column("channel", sa.String(20), nullable=False))
            constraints.append(sa.CheckConstraint("channel IN ('digital_post', 'post', 'in_person')",
                                                  name=f"ck_{table}_channel"))
        op.create_table(table, *columns, *constraints)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # flexcalc_history_append_only() is 0005_hardening's
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION flexcalc_history_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION flexcalc_history_append_only()")
    elif dialect == "sqlite":
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    for table in (SENDING, APPROVAL):
        op.drop_table(table)
    op.drop_index("ix_ledger_letter_case", LETTER)
    op.drop_table(LETTER)
    op.drop_column("ledger_decision", "knowledge")  # ALTER TABLE ... DROP COLUMN: no table copy
