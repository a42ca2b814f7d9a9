from __future__ import annotations

from sqlalchemy import inspect

from flexcalc.ledger.db import database_url, make_engine, upgrade


def test_upgrade_creates_the_alembic_version_on_both_databases(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)  # idempotent
    assert "alembic_version" in inspect(make_engine(database_url)).get_table_names()


def test_url_resolution(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", "postgresql://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
    monkeypatch.delenv("FLEXCALC_DATABASE_URL")
    monkeypatch.setenv("FLEXCALC_DATA_DIR", "/tmp/flexcalc-test-data")
    assert database_url() == "sqlite:////tmp/flexcalc-test-data/flexcalc.sqlite"
