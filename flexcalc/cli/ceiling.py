"""``flexcalc ceiling check FILE.json``: the employer's normal-wage ceiling (lønloft), built from its parts and
checked for the usual mistakes, with its effect on the employee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from flexcalc.cli.common import (
    app,
    fail,
    fail_all,
    input_errors,
    ledger_sessions,
    print_json,
    read_text_file,
)
from flexcalc.errors import InputError
from flexcalc.normal_wage import FormError, NormalWageForm, check_form, load_form, parse_date
from flexcalc.text_da.format import date_da, kr, month_name
from flexcalc.text_da.normal_wage import explain_check_da, summary_html, summary_markdown

ceiling_app = typer.Typer(
    help="The employer's normal-wage ceiling (lønloft): build it from the form's parts and check it.",
    no_args_is_help=True,
)
app.add_typer(ceiling_app, name="ceiling")


def _read_form(file: Path) -> NormalWageForm:
    """Read and validate a lønloft form file; on any problem exit 2 naming every bad field."""
    text = read_text_file(file)
    try:
        return load_form(text)
    except FormError as error:
        fail_all(error.errors)


@ceiling_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The lønloft form as JSON (see fixtures/normal_wage/).",
                                         show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date of the check, YYYY-MM-DD (default: the "
                                                              "form's as_of, else today).")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Also write a printable summary with a "
                                                                   "signature line (.html or .md).")] = None,
) -> None:
    """Compute the monthly ceiling with its breakdown, run every check (errors, warnings and information:
    none of them blocks) and show what the ceiling means for the employee. Bad input exits 2."""
    day: dt.date | None = None
    if as_of is not None:
        try:
            day = parse_date(as_of, "as_of")
        except InputError as error:
            fail(error)
    form = _read_form(file)
    with input_errors():
        result = check_form(form, as_of=day)
    if summary is not None:
        content = summary_markdown(result) if summary.suffix.lower() in (".md", ".markdown") else summary_html(result)
        try:
            summary.write_text(content, encoding="utf-8")
        except OSError as error:
            fail(InputError("--summary", f"cannot write {summary}: {error.strerror}",
                            f"kan ikke skrive {summary}: {error.strerror}", code="file_unwritable"))
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo("\n".join(explain_check_da(result)))


@ceiling_app.command("apply")
def apply(
    file: Annotated[Path, typer.Argument(help="The lønloft form as JSON (see fixtures/normal_wage/).",
                                         show_default=False)],
    case: Annotated[str, typer.Option("--case", help="The case whose ceiling history it joins.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reconcile as known at this instant "
                                                              "(default: now).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: FLEXCALC_DATABASE_URL or "
                                                        "the embedded SQLite file).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Add the form's ceiling to a case's ceiling history from the month it takes effect, and reconcile
    the months already paid that it affects (LAB § 123 stk. 3; PM 48-22)."""
    from flexcalc.ledger.ceilings import apply_normal_wage_form
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import now
    from flexcalc.money import amount_str

    form = _read_form(file)
    with input_errors():
        instant = parse_instant(as_of, "as-of", end_of_day=True) if as_of else now()
        applied = apply_normal_wage_form(ledger_sessions(db), case, form, instant)
    corrections = applied.reconciliation.corrections
    if as_json:
        print_json({"case_id": case, "ceiling": amount_str(applied.amount),
                    "effective_date": applied.effective_date.isoformat(), "first_month": str(applied.first_month),
                    "note": applied.note, "corrections": corrections})
        return
    typer.echo(f"sag {case}: lønloft {kr(applied.amount)} fra {month_name(applied.first_month)} "
               f"(lønloftskema pr. {date_da(applied.effective_date)})")
    if not corrections:
        typer.echo("Ingen udbetalte måneder ændres.")
    for correction in corrections:
        typer.echo(f"  {correction['benefit_month']}: {kr(Decimal(correction['difference']), sign=True)} "
                   f"({', '.join(correction['reasons'])}; {correction['status']})")
