"""``flexcalc cases import FILE``: a caseload brought in bulk (CSV or Parquet), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flexcalc.cli.common import EXIT_INPUT, app, fail, ledger_sessions, print_json
from flexcalc.errors import InputError

cases_app = typer.Typer(help="Many cases at once: import a caseload from a file.", no_args_is_help=True)
app.add_typer(cases_app, name="cases")


@cases_app.command("import")
def cases_import(
    file: Annotated[Path, typer.Argument(help="CSV or Parquet with the columns case_id, ceiling, first_month, "
                                              "employer_ids (CVR numbers separated by ';') and optionally cpr.")],
    db: Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else the "
                                                        "embedded SQLite file var/flexcalc.sqlite).")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Import cases from a file: every row is checked first, and one bad row (named by its line and
    column; all of them are listed) stores nothing. A case stored already with the same content is
    skipped, so importing the same file again changes nothing and says so."""
    from flexcalc.ledger.case_import import CaseImportError, import_case_file
    try:
        result = import_case_file(ledger_sessions(db), file)
    except CaseImportError as error:
        for item in error.errors:
            typer.echo(f"error: {item.field}: {item.reason_en}", err=True)
        for item in error.errors:
            typer.echo(f"fejl: {item.field}: {item.reason_da}", err=True)
        typer.echo("nothing was stored / intet blev gemt", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except InputError as error:
        fail(error)
    if json_:
        print_json(result.to_dict())
        return
    _en, da = result.message()
    typer.echo(da)
