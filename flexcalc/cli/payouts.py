"""Tax cards in, payouts out: ``flexcalc tax-cards import FILE.csv`` stores each case's tax card (dated,
append-only); ``flexcalc payout-file MONTH --output FILE`` writes the NemKonto payment file of a month's payment
run after A-skat, and ``flexcalc income-report MONTH --output FILE`` the income report (eIndkomst) of the same
payouts. The files hold CPR numbers: they are written to the file named, never printed (``--json`` prints the
rows without CPR numbers). Nothing is sent anywhere by flexcalc.

Bad input exits 2 naming the field (Danish and English); nothing is stored then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.cli_audit import actor, audit_write
from flexcalc.cli.common import app, fail, input_errors, month, print_json
from flexcalc.errors import InputError

tax_cards_app = typer.Typer(help="Tax cards (skattekort): import each case's card, dated and append-only.",
                            no_args_is_help=True)
app.add_typer(tax_cards_app, name="tax-cards")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "var/flexcalc.sqlite).")]
PaymentDateOption = Annotated[str | None, typer.Option("--payment-date", help="The payment date, YYYY-MM-DD "
                                                                              "(default: the month's last weekday).")]
OutputOption = Annotated[Path, typer.Option("--output", help="Write the file here (it holds CPR numbers).")]


def _ledger(db: str | None) -> Any:
    from flexcalc.ledger.store import open_ledger

    return open_ledger(db)


@tax_cards_app.command("import")
def tax_cards_import(
    file: Annotated[Path, typer.Argument(help="CSV: case_id,card,withholding_rate,monthly_deduction,valid_from"
                                              "[,free_amount].")],
    by: Annotated[str | None, typer.Option("--by", help="Who imports (the audit log).")] = None,
    db: DbOption = None,
) -> None:
    """Store the tax cards of a CSV file (hovedkort, bikort, frikort); a bad row refuses the whole file."""
    from flexcalc.ledger.store import transaction
    from flexcalc.ledger.tax_cards import import_tax_cards

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        fail(InputError("file", f"cannot read {file.name} as UTF-8 text", f"kan ikke læse {file.name} som UTF-8-tekst"))
    with input_errors(), transaction(_ledger(db)) as session:
        stored = import_tax_cards(session, text, file.name, actor(by))
        audit_write(session, "tax-cards import", by=by)
    typer.echo(f"{stored} skattekort gemt / tax cards stored")


def _payouts(db: str | None, month_text: str, payment_date: str | None) -> Any:
    from flexcalc.ledger.payouts import month_payouts
    from flexcalc.parsing.inputs import parse_date

    benefit = month(month_text, "month")
    with input_errors():
        day = parse_date(payment_date, "payment_date") if payment_date else None
        with _ledger(db)() as session:
            return month_payouts(session, benefit, day)


def _sender_cvr(cvr: str | None) -> str | None:
    if cvr is not None:
        return cvr.strip()
    try:
        from flexcalc.letters.profile import municipality

        return municipality().cvr
    except InputError:
        return None


def _write(output: Path, write: Any) -> None:
    """Write through a temporary file and rename: a refused file leaves nothing half-written."""
    partial = output.with_name(output.name + ".partial")
    try:
        with input_errors(), partial.open("w", encoding="utf-8", newline="") as handle:
            write(handle)
        partial.replace(output)
    except OSError:
        fail(InputError("output", f"cannot write {output}", f"kan ikke skrive {output}"))
    finally:
        partial.unlink(missing_ok=True)


@app.command("payout-file")
def payout_file(
    month_: Annotated[str, typer.Argument(metavar="MONTH", help="The paid benefit month, YYYY-MM.")],
    output: OutputOption,
    as_json: Annotated[bool, typer.Option("--json", help="Also print the rows (case_id, gross, a_skat, net) and "
                                                         "totals as JSON (no CPR numbers).")] = False,
    payment_date: PaymentDateOption = None,
    sender_cvr: Annotated[str | None, typer.Option("--sender-cvr", help="The municipality's CVR (default: its "
                                                                        "profile).")] = None,
    db: DbOption = None,
) -> None:
    """The NemKonto payment file of a month's payment run, after A-skat (format flexcalc-udbetaling 2)."""
    from flexcalc.formats.payment_file import write_payment_file

    payouts = _payouts(db, month_, payment_date)
    _write(output, lambda handle: write_payment_file(payouts, handle, _sender_cvr(sender_cvr)))
    if as_json:
        print_json(payouts.to_dict())
        return
    totals = payouts.totals()
    typer.echo(f"{totals['count']} udbetalinger {payouts.month}: brutto {totals['gross']}, A-skat {totals['a_skat']}, "
               f"netto {totals['net']} → {output}")
    if payouts.back_lines:
        typer.echo(f"+ {totals['back_payments']} efterbetalinger: brutto {totals['back_gross']}, "
                   f"A-skat {totals['back_a_skat']}")
    if payouts.employer_lines:
        typer.echo(f"+ {totals['employer_payees']} udbetalinger til arbejdsgivere (fleksjob før 2013): "
                   f"{totals['employer_gross']}, ingen A-skat")


@app.command("income-report")
def income_report(
    month_: Annotated[str, typer.Argument(metavar="MONTH", help="The paid benefit month, YYYY-MM.")],
    output: OutputOption,
    payment_date: PaymentDateOption = None,
    reporter_cvr: Annotated[str | None, typer.Option("--reporter-cvr", help="The municipality's CVR/SE number "
                                                                            "(default: its profile).")] = None,
    db: DbOption = None,
) -> None:
    """The income report (eIndkomst) of a month's payouts (format flexcalc-eindkomst-indberetning 1)."""
    from flexcalc.formats.income_report import write_income_report

    payouts = _payouts(db, month_, payment_date)
    cvr = _sender_cvr(reporter_cvr) or ""
    _write(output, lambda handle: write_income_report(payouts, handle, cvr, dt.date.today()))
    typer.echo(f"{len(payouts.lines) + len(payouts.back_lines)} indberetninger {payouts.month} → {output}")
