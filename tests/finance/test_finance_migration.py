"""Migration 0004_finance (the ``finance`` role) on SQLite and PostgreSQL, with keys in the table."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from flexcalc.ledger.db import alembic_config, dispose_all, make_engine, upgrade

INSERT = text("INSERT INTO api_keys (id, role, secret_sha256, created_at) VALUES (:id, :role, :h, :at)")


def test_0004_adds_the_finance_role_and_keeps_the_keys(database_url: str) -> None:
    upgrade(database_url, "0003_merge")
    engine = make_engine(database_url)
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with engine.begin() as c:
        c.execute(INSERT, {"id": "k1", "role": "caseworker", "h": "a" * 64, "at": at})
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(INSERT, {"id": "k2", "role": "finance", "h": "b" * 64, "at": at})
    dispose_all()
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.begin() as c:
        c.execute(INSERT, {"id": "k2", "role": "finance", "h": "b" * 64, "at": at})
        roles = sorted(r for (r,) in c.execute(text("SELECT role FROM api_keys")))
    assert roles == ["caseworker", "finance"]
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(INSERT, {"id": "k3", "role": "nobody", "h": "c" * 64, "at": at})
    dispose_all()
    command.downgrade(alembic_config(database_url), "0003_merge")
    engine = make_engine(database_url)
    with engine.begin() as c:
        assert [r for (r,) in c.execute(text("SELECT role FROM api_keys"))] == ["caseworker"]
    dispose_all()
