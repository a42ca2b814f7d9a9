"""Migration 0022_insight_supervision on SQLite and PostgreSQL: the new tables refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL) in the database itself; the roles manager and supervisor are accepted and an unknown
role is not; the keys keep their guards (on SQLite the table is copied to change its CHECK: the triggers are
made again); the downgrade is refused while keys of the new roles exist (keys are never deleted), and without
them removes the tables."""

from __future__ import annotations

import pytest

from tests.insight.caseload import build


def test_0022_append_only_roles_and_downgrade(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    from flexcalc.ledger.db import alembic_config, dispose_all, make_engine, session_factory
    from flexcalc.security.keys import create_key

    build(database_url)
    engine = make_engine(database_url)
    for table in ("ledger_complaint", "ledger_complaint_event"):
        for statement in (f"UPDATE {table} SET recorded_by = 'x'", f"DELETE FROM {table}"):
            with pytest.raises(Exception, match="append-only"), engine.begin() as c:
                c.execute(text(statement))
    if database_url.startswith("postgresql"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("TRUNCATE ledger_complaint_event"))
    with pytest.raises(Exception, match="role"), engine.begin() as c:
        c.execute(text("INSERT INTO api_keys (id, role, secret_sha256, created_at) "
                       "VALUES ('kx', 'boss', 'x', '2024-01-01')"))
    with engine.begin() as c:
        assert c.execute(text("SELECT count(*) FROM ledger_complaint")).scalar_one() == 2
    dispose_all()
    command.downgrade(alembic_config(database_url), "0014_audit_employer_ids")  # no key of the new roles yet
    engine = make_engine(database_url)
    assert "ledger_complaint" not in inspect(engine).get_table_names()
    dispose_all()
    command.upgrade(alembic_config(database_url), "heads")
    engine = make_engine(database_url)
    with session_factory(database_url).begin() as session:
        create_key(session, "manager")
        create_key(session, "supervisor")
    for statement in ("DELETE FROM api_keys", "UPDATE api_keys SET role = 'admin'"):
        with pytest.raises(Exception, match="api_keys"), engine.begin() as c:
            c.execute(text(statement))
    dispose_all()
    with pytest.raises(Exception, match="never deleted"):
        command.downgrade(alembic_config(database_url), "0014_audit_employer_ids")
    dispose_all()
