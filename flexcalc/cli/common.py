"""Shared pieces of the CLI: the Typer app, input errors with exit code 2, JSON output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from flexcalc.errors import InputError
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import Month

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    name="flexcalc",
    help="Fleksløntilskud, exactly: monthly calculation, rates, payment runs and corrections.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2
EXIT_SCHEMA = 3
"""The database is unreachable or not at the newest migration: nothing was read or written."""


def fail(error: InputError) -> NoReturn:
    """Print an input error (field, English and Danish reason) to stderr and exit 2."""
    typer.echo(f"error: {error.field}: {error.reason_en}", err=True)
    typer.echo(f"fejl: {error.field}: {error.reason_da}", err=True)
    raise typer.Exit(EXIT_INPUT)


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn any ``InputError`` raised inside the block into a clear message and exit code 2."""
    try:
        yield
    except InputError as error:
        fail(error)


def amount(value: str | None, field: str, **kwargs: Any) -> Decimal:
    """Parse a CLI amount; on error exit 2 naming the option."""
    try:
        return parse_amount(value, field, **kwargs)
    except InputError as error:
        fail(error)


def month(value: str, field: str = "month") -> Month:
    try:
        return Month.parse(value, field)
    except InputError as error:
        fail(error)


def optional_date(value: str | None, field: str) -> dt.date | None:
    """Parse an optional CLI date (YYYY-MM-DD); ``None`` stays ``None``; on error exit 2 naming the option."""
    if value is None:
        return None
    from flexcalc.parsing.inputs import parse_date

    try:
        return parse_date(value, field)
    except InputError as error:
        fail(error)


def read_text_file(file: Path) -> str:
    """The text of an input file (UTF-8); one that cannot be read exits 2 naming it (field ``FILE``)."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        fail(InputError("FILE", f"cannot read {file}: {reason}", f"kan ikke læse {file}: {reason}",
                        code="file_unreadable"))


def fail_all(errors: Iterable[InputError]) -> NoReturn:
    """Print every input error of a file (field, English and Danish reason) to stderr and exit 2."""
    for error in errors:
        typer.echo(f"error: {error.field}: {error.reason_en}", err=True)
        typer.echo(f"fejl: {error.field}: {error.reason_da}", err=True)
    raise typer.Exit(EXIT_INPUT)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


OptionFactory = Callable[..., Any]


def _schema_problem_da(problem: str) -> str:
    """``flexcalc.ledger.db.schema_problem``'s reason in Danish."""
    if problem.startswith("database unreachable"):
        return "databasen kan ikke nås" + problem.removeprefix("database unreachable")
    if problem.startswith("database at migration "):
        found, _, rest = problem.removeprefix("database at migration ").partition(", the code needs ")
        needed = rest.partition(": run ")[0]
        return f"databasen er på migration {found}, koden kræver {needed}: kør `flexcalc db upgrade`"
    return "databasen er ikke migreret: kør `flexcalc db upgrade`"


def require_schema(db: str | None) -> None:
    """Refuse a database that is unreachable or not at the newest migration (exit 3, English and Danish).
    The command line never migrates: ``flexcalc db upgrade`` is the one step that does, as for the API."""
    from flexcalc.ledger.db import schema_problem

    problem = schema_problem(db)
    if problem is not None:
        typer.echo(f"error: database: {problem}", err=True)
        typer.echo(f"fejl: database: {_schema_problem_da(problem)}", err=True)
        raise typer.Exit(EXIT_SCHEMA)


def ledger_sessions(db: str | None) -> Callable[[], Session]:
    """The ledger at ``db`` (``--db``, else FLEXCALC_DATABASE_URL, else the embedded SQLite file) for a
    command, once ``require_schema`` has found it migrated."""
    from flexcalc.ledger.store import open_ledger

    require_schema(db)
    return open_ledger(db, migrate=False)


def require_at_terminal(option: str, source_en: str, source_da: str) -> None:
    """A write's "as seen" option (``--expect-version``, ``--balance-seen``) may be left out only at a terminal,
    where the command shows the state and asks; elsewhere exit 2 naming the option and where to read it."""
    if sys.stdin.isatty():
        return
    typer.echo(f"error: {option}: is required when not run from a terminal ({source_en})", err=True)
    typer.echo(f"fejl: {option}: skal angives, når kommandoen ikke køres fra en terminal ({source_da})", err=True)
    raise typer.Exit(EXIT_INPUT)
