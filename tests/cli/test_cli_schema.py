"""The command line never migrates: a database that is not at the newest migration is refused (exit 3, in
English and Danish, naming ``flexcalc db upgrade``) and left exactly as it was; ``flexcalc db upgrade`` is the
one step that migrates (README, "Database")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from flexcalc.cli.common import EXIT_SCHEMA
from flexcalc.ledger.db import dispose_all, make_engine, upgrade
from tests.support.ledger_cli import invoke


def _head_and_the_one_before() -> tuple[str, str]:
    """The newest migration and the one before it, read from the migrations themselves (not typed in)."""
    from alembic.script import ScriptDirectory

    from flexcalc.ledger.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migration found")
    before = script.get_revision(head).down_revision
    return head, str(before)


HEAD, BEFORE_HEAD = _head_and_the_one_before()

# a read, a write, a payment run, a key and a letter: each door of the CLI that reaches the database
COMMANDS = (
    ("case", "show", "C1"),
    ("case", "create", "C1", "--ceiling", "30000", "--from", "2024-03", "--employer", "11111111"),
    ("pay", "2024-03", "--as-of", "2024-03-10"),
    ("keys", "list"),
    ("letters", "list", "C1"),
)


def _state(url: str) -> tuple[list[str], list[str]]:
    """The tables and the recorded migration of the database."""
    engine = make_engine(url)
    tables = sorted(inspect(engine).get_table_names())
    versions: list[str] = []
    if "alembic_version" in tables:
        with engine.connect() as connection:
            versions = [v for (v,) in connection.execute(text("SELECT version_num FROM alembic_version"))]
    dispose_all()
    return tables, versions


def _refused(url: str, args: tuple[str, ...]) -> str:
    result = invoke(*args, "--db", url)
    assert result.exit_code == EXIT_SCHEMA, (args, result.stdout, result.stderr)
    assert "error: database:" in result.stderr and "fejl: database:" in result.stderr, result.stderr
    assert result.stderr.count("flexcalc db upgrade") == 2, result.stderr
    return str(result.stderr)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_missing_sqlite_file_is_refused_and_not_made(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "new.sqlite"
    err = _refused(f"sqlite:///{path}", args)
    assert "database not migrated" in err and "databasen er ikke migreret" in err
    assert not path.exists()


def test_an_empty_sqlite_file_gets_no_table(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:  # someone else's file: one table of its own
        connection.execute("CREATE TABLE notes (line TEXT)")
    url = f"sqlite:///{path}"
    for args in COMMANDS:
        _refused(url, args)
    assert _state(url) == (["notes"], [])


def test_an_outdated_database_is_refused_and_stays_at_its_migration(database_url: str) -> None:
    upgrade(database_url, BEFORE_HEAD)
    before = _state(database_url)
    assert before[1] == [BEFORE_HEAD]
    for args in COMMANDS:
        err = _refused(database_url, args)
        assert f"database at migration {BEFORE_HEAD}, the code needs {HEAD}" in err
        assert f"databasen er på migration {BEFORE_HEAD}, koden kræver {HEAD}: kør `flexcalc db upgrade`" in err
    assert _state(database_url) == before

    # the explicit step, and then the same commands are served
    assert invoke("db", "upgrade", "--db", database_url).exit_code == 0
    assert _state(database_url)[1] == [HEAD]
    created = invoke(*COMMANDS[1], "--db", database_url)
    assert created.exit_code == 0, created.stderr
    assert invoke("case", "show", "C1", "--db", database_url).exit_code == 0


def test_the_demo_loader_refuses_an_unmigrated_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flexcalc.cli import demo

    path = tmp_path / "demo.sqlite"
    assert demo.main(["--db", f"sqlite:///{path}"]) == EXIT_SCHEMA
    assert "flexcalc db upgrade" in capsys.readouterr().err
    assert not path.exists()
