"""Shared pieces of the CLI: the Typer app, input errors with exit code 2, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NoReturn

import typer

from flexcalc.errors import InputError
from flexcalc.inputs import parse_amount
from flexcalc.period import Month

app = typer.Typer(
    name="flexcalc",
    help="Fleksløntilskud, exactly: monthly calculation, rates, payment runs and corrections.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2


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


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


OptionFactory = Callable[..., Any]
