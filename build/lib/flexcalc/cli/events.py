"""A case's month events on the command line: ``flexcalc events add|list`` (issue 13).

``events add CASE --month YYYY-MM --events FILE.json`` registers the events of one benefit month (the
file holds the same ``events`` object as ``POST /v1/calculations``); a later registration for the same
month restates its events. The next payment run or reconciliation computes the month with them.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.common import app, fail, input_errors, month, print_json
from flexcalc.cli.ledger import DbOption, JsonOption, _ledger
from flexcalc.errors import InputError
from flexcalc.format import month_name

events_app = typer.Typer(help="A case's month events: sickness, holiday, other incomes … (registered, "
                              "append-only).", no_args_is_help=True)
app.add_typer(events_app, name="events")


def _read_events(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        fail(InputError("events", f"the file cannot be read: {type(error).__name__}",
                        f"filen kan ikke læses: {type(error).__name__}", code="file"))
    if isinstance(data, dict) and set(data) == {"events"}:
        data = data["events"]  # a file holding {"events": {...}} as in a calculation request
    return data


@events_app.command("add")
def events_add(
    case: Annotated[str, typer.Argument(help="The case id.")],
    month_: Annotated[str, typer.Option("--month", help="The benefit month the events belong to, YYYY-MM.")],
    events_file: Annotated[Path, typer.Option("--events", help="A JSON (or YAML) file with the month's events: "
                                                               "the same object as the calculation's events.")],
    received_at: Annotated[str | None, typer.Option("--received-at", help="When the municipality learned of the "
                                                                           "events (ISO 8601; default now).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who registers them (default: the user).")] = None,
    document: Annotated[str | None, typer.Option("--document", help="The document they rest on (e.g. "
                                                                     "'lægeerklæring 18.03.2024').")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Register the events of one benefit month of a case (restating any earlier registration)."""
    from flexcalc.ledger.registrations import register_events
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import transaction

    benefit_month = month(month_, "month")
    data = _read_events(events_file)
    with input_errors():
        instant = parse_instant(received_at, "received_at") if received_at else None
        with transaction(_ledger(db)) as session:
            out = register_events(session, case, benefit_month, data, received_at=instant,
                                  registered_by=by or getpass.getuser(), document=document).to_dict()
    if as_json:
        print_json(out)
        return
    if out["already_registered"]:
        typer.echo(f"sag {case}, {month_name(benefit_month)}: de samme hændelser er allerede registreret "
                   f"(registrering {out['id']}); intet ændret")
        return
    typer.echo(f"sag {case}, {month_name(benefit_month)}: {out['description_da']} (registrering {out['id']})")


@events_app.command("list")
def events_list(
    case: Annotated[str, typer.Argument(help="The case id.")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Every event registration of a case, oldest first (the history; the newest of a month is in force)."""
    from flexcalc.ledger.registrations import load_registrations
    from flexcalc.ledger.store import get_case

    with input_errors(), _ledger(db)() as session:
        get_case(session, case)
        rows = [r.to_dict() for r in sorted(load_registrations(session, case),
                                            key=lambda r: (r.benefit_month, r.received_at, r.digest))]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(f"sag {case}: ingen registrerede hændelser")
    for r in rows:
        document = f"; {r['document']}" if r["document"] else ""
        typer.echo(f"{r['benefit_month']}  #{r['id']}  {r['description_da']} af {r['registered_by']}{document}")
