"""Alembic environment: runs migrations against the URL set by ``flexcalc.ledger.db.alembic_config``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from flexcalc.ledger.db import Base, database_url

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    url = database_url(config.get_main_option("sqlalchemy.url") or None)
    engine = create_engine(url)
    try:  # a migration that refuses (raises) leaves no open connection behind either
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
