"""The CLI's item actions act on the state the user saw, as the API's do (``If-Match``).

``flexcalc held release``, ``events add``, ``corrections hearing|reply|exception|decide`` take
``--expect-version V``: the version of the worklist item (``flexcalc worklist --json`` gives each item's
``version``; ``flexcalc case show CASE --month YYYY-MM --json`` gives the month's). Without it, an interactive
user is shown the item and asked before the action; in non-interactive use (no terminal on stdin) the version is
required (exit 2). A version that is not the item's version now is refused (exit 2), nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from flexcalc.cli.common import EXIT_INPUT, require_at_terminal
from flexcalc.period import Month
from flexcalc.text_da.format import kr, month_name

ExpectVersionOption = Annotated[str | None, typer.Option(
    "--expect-version", help="The version of the item you act on (`flexcalc worklist --json` or `flexcalc case "
                             "show CASE --month YYYY-MM --json`). Required when not run from a terminal; a "
                             "changed item is refused, nothing stored.")]


def confirm_version(factory: Any, case_id: str, month: Month, expected: str | None) -> str:
    """``expected`` if given; else, at a terminal, show the month's items and ask; else exit 2."""
    if expected:
        return expected.strip().strip('"')
    require_at_terminal("--expect-version", "the item's version from `flexcalc worklist --json`",
                        "opgavens version fra `flexcalc worklist --json`")
    from flexcalc.ledger.hearings import today_local
    from flexcalc.ledger.item_version import month_version
    from flexcalc.ledger.worklist import WorklistFilter, worklist

    day = today_local()
    with factory() as session:
        version = month_version(session, case_id, month)
        items = worklist(session, day, WorklistFilter(case_id=case_id, month=month))
    typer.echo(f"sag {case_id}, {month_name(month)} (version {version}):")
    for i in items:
        amount = "" if i.amount is None else f" {kr(i.amount, sign=True)}"
        typer.echo(f"  [{i.kind}]{amount}: {i.label_da}")
    if not items:
        typer.echo("  ingen opgaver på arbejdslisten for måneden")
    if not typer.confirm("Handle på netop denne sag og måned?", default=False):
        raise typer.Exit(1)
    return version


def checked(session: Any, case_id: str, month: Month, expected: str) -> None:
    """Inside the write's transaction: the case's lock, then the version; a stale one exits 2 (rolled back)."""
    from flexcalc.ledger.caserows import get_case, lock_case
    from flexcalc.ledger.item_version import VersionError, check_version

    get_case(session, case_id)
    lock_case(session, case_id)
    try:
        check_version(session, case_id, month, expected)
    except VersionError as error:
        typer.echo(f"error: --expect-version: case {case_id}, {month} changed since it was shown (version "
                   f"{expected}, now {error.current}); nothing stored", err=True)
        typer.echo(f"fejl: --expect-version: sag {case_id}, {month_name(month)} er ændret, siden den blev vist "
                   f"(version {expected}, nu {error.current}); intet er gemt", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def correction_item(factory: Any, correction_id: int) -> tuple[str, Month]:
    """The case and benefit month of a correction (its item)."""
    from flexcalc.cli.common import input_errors
    from flexcalc.errors import InputError
    from flexcalc.ledger.models import Correction

    with input_errors(), factory() as session:
        correction = session.get(Correction, correction_id)
        if correction is None:
            raise InputError("correction", f"there is no correction {correction_id}",
                             f"der er ingen efterregulering {correction_id}", code="unknown_correction")
        return str(correction.case_id), Month.parse(str(correction.benefit_month))


@contextmanager
def item_write(factory: Any, case_id: str, month: Month, expected: str | None) -> Iterator[Any]:
    """A write on a case's month as the user saw it: ``confirm_version`` first, then one transaction that takes
    the case's lock and checks the version (``checked``); an input error inside exits 2, nothing stored."""
    from flexcalc.cli.common import input_errors
    from flexcalc.ledger.store import transaction

    version = confirm_version(factory, case_id, month, expected)
    with input_errors(), transaction(factory) as session:
        checked(session, case_id, month, version)
        yield session


@contextmanager
def correction_write(factory: Any, correction_id: int, expected: str | None) -> Iterator[tuple[Any, str, Month]]:
    """``item_write`` on the item of a correction: yields the session, the case id and the benefit month."""
    case_id, month = correction_item(factory, correction_id)
    with item_write(factory, case_id, month, expected) as session:
        yield session, case_id, month
