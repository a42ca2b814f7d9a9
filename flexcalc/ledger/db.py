"""The database: SQLAlchemy 2, an embedded SQLite file by default, PostgreSQL by URL.

The URL is, in order: the ``--db`` option, the ``FLEXCALC_DATABASE_URL`` environment variable, or
``sqlite:///<data dir>/flexcalc.sqlite`` (data dir: ``FLEXCALC_DATA_DIR`` or ``./var``). The schema is
made by Alembic migrations (``flexcalc/migrations``); ``upgrade(url)`` brings a database up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from flexcalc.settings import settings

MIGRATIONS = Path(__file__).parents[1] / "migrations"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING)


def default_url() -> str:
    data_dir = settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'flexcalc.sqlite'}"


def database_url(url: str | None = None) -> str:
    """The URL to use: the given one, else FLEXCALC_DATABASE_URL, else the embedded SQLite file."""
    chosen = url or settings().database_url or default_url()
    if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
        chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (cached per URL). SQLite gets foreign keys, WAL and a busy timeout."""
    resolved = database_url(url)
    engine = _ENGINES.get(resolved)
    if engine is None:
        if resolved.startswith("sqlite"):
            engine = create_engine(resolved, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(resolved, pool_pre_ping=True)
        _ENGINES[resolved] = engine
    return engine


def session_factory(url: str | None = None) -> sessionmaker[Any]:
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Bring the database at ``url`` up to the newest schema (Alembic ``upgrade heads``)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def dispose_all() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def schema_problem(url: str | None = None) -> str | None:
    """Why the database at ``url`` cannot serve the ledger yet, or ``None`` when it is reachable and at
    the newest migration. Read only: it never migrates (``flexcalc db upgrade`` does)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    resolved = database_url(url)
    wanted = set(ScriptDirectory.from_config(alembic_config(resolved)).get_heads())
    if _missing_sqlite_file(resolved):  # asking must not make the file
        return "database not migrated: run `flexcalc db upgrade`"
    try:
        with make_engine(resolved).connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return f"database unreachable: {type(getattr(error, 'orig', None) or error).__name__}"
    if not current:
        return "database not migrated: run `flexcalc db upgrade`"
    if current != wanted:
        return (f"database at migration {', '.join(sorted(current))}, the code needs {', '.join(sorted(wanted))}: "
                "run `flexcalc db upgrade`")
    return None


def _missing_sqlite_file(url: str) -> bool:
    """Whether ``url`` names an SQLite file that does not exist (connecting would make it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    path = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and bool(path) and path != ":memory:" and not Path(path).exists()
