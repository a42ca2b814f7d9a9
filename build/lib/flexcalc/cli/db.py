"""``flexcalc db upgrade``: create or update the database schema (Alembic)."""

from __future__ import annotations

from typing import Annotated

import typer

from flexcalc.cli.common import app
from flexcalc.db import database_url, upgrade

db_app = typer.Typer(help="The database (SQLite by default, PostgreSQL by URL).", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or update the schema to the newest version."""
    upgrade(db)
    url = database_url(db)
    shown = url.split("@")[-1] if "@" in url else url
    typer.echo(f"database up to date: {shown}")
