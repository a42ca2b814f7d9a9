"""Municipal finance on the command line: the state refund of one subsidy (``flexcalc refund``) and the
month's finance report after a payment run (``flexcalc finance``), with booking per account and the
reconciliation against the state's refund statement. Bad input exits 2 naming the field (en + da)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from flexcalc.cli.common import amount, app, fail, input_errors, month, print_json
from flexcalc.errors import InputError


def _date(value: str | None, field: str):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    from flexcalc.parsing.inputs import parse_date

    try:
        return parse_date(value, field)
    except InputError as error:
        fail(error)


@app.command()
def refund(
    month_: Annotated[str, typer.Option("--month", metavar="YYYY-MM", help="The benefit month.")],
    subsidy: Annotated[str, typer.Option(help="The subsidy paid for the month, kr. (≥ 0).")],
    weeks_before: Annotated[str | None, typer.Option("--weeks-before", help="The person's weeks with benefits "
                                                     "counted before the month's first calendar week (a whole "
                                                     "number ≥ 0).")] = None,
    history: Annotated[Path | None, typer.Option(help="Instead of --weeks-before: the person's benefit history, "
                                                 "CSV kind,start,end,benefit (kind benefit or subsidised_work); "
                                                 "the weeks are counted with the restart of § 6.")] = None,
    visitation_date: Annotated[str | None, typer.Option(
        help="Date visiteret to fleksjob (YYYY-MM-DD), for § 30.")] = None,
    job_start: Annotated[str | None, typer.Option(help="Start of the current fleksjob (YYYY-MM-DD); never "
                                                  "replaces the visitation date.")] = None,
    wage: Annotated[str | None, typer.Option(help="Wage income of the basis month without pension, kr., for "
                                             "the særligt fleksbidrag (§ 7 stk. 3).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """The state refund of a month's subsidy on the refund ladder (80/40/30/20 %), split by days when
    the month straddles two steps, with the særligt fleksbidrag and the OP contribution."""
    from flexcalc.finance.history import read_history_text
    from flexcalc.finance.history import weeks_before as count_weeks
    from flexcalc.finance.refund import refund_month_dict

    benefit_month = month(month_)
    with input_errors():
        if (weeks_before is None) == (history is None):
            raise InputError("weeks-before", "give either --weeks-before or --history",
                             "angiv enten --weeks-before eller --history")
        weeks: object = weeks_before if history is None else count_weeks(
            read_history_text(history.read_text(encoding="utf-8")), benefit_month.first_day())
    value = amount(subsidy, "subsidy", allow_negative=True)
    wage_value = amount(wage, "wage", allow_negative=True) if wage is not None else None
    visited, started = _date(visitation_date, "visitation-date"), _date(job_start, "job-start")
    with input_errors():
        data = refund_month_dict(benefit_month, value, weeks, visitation_date=visited, job_start=started,
                                 wage=wage_value, weeks_field="weeks-before")
    if as_json:
        print_json(data)
        return
    for part in data["steps"]:
        typer.echo(f"step {part['step']} ({part['label_da']}): {part['days']} days, weeks {part['weeks'][0]}–"
                   f"{part['weeks'][1]}, {part['subsidy']} × {part['refund_rate']} = {part['refund']}  "
                   f"[{part['provision']}]")
    typer.echo(f"refund_rate {data['refund_rate']}  refund {data['refund']}  ({data['cohort']})")
    if data["op"] is not None:
        typer.echo(f"OP (obligatorisk pension, paid by the state on top): {data['op']['op']}  "
                   f"[{data['op']['provision']}]")
    if data["fleksbidrag"] is not None:
        typer.echo(f"særligt fleksbidrag: {data['fleksbidrag']['fleksbidrag']}  [{data['fleksbidrag']['provision']}]")


@app.command()
def finance(
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The benefit month (after its payment run).")],
    profiles: Annotated[Path | None, typer.Option(help="Refund profiles CSV: case_id,visitation_date,job_start,"
                                                  "month,weeks_before (docs/finance.md).")] = None,
    statement: Annotated[Path | None, typer.Option(help="The state's refund statement CSV to reconcile: person,"
                                                   "period_start,period_end,benefit,amount,refund.")] = None,
    account: Annotated[str | None, typer.Option(help="Show only this account of the chart (e.g. 8.51.52.124).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per payment and a total row.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write an Excel workbook to this file.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                           "var/flexcalc.sqlite).")] = None,
) -> None:
    """The month's finance report: subsidy, own and municipal ATP, OP, refund by step, særligt fleksbidrag,
    net municipal cost, per account; and the differences from the state's refund statement."""
    from flexcalc.finance.accounts import account as find_account
    from flexcalc.finance.export import report_csv, report_xlsx
    from flexcalc.finance.profiles import read_profiles
    from flexcalc.finance.report import finance_report
    from flexcalc.finance.statement import cases_by_cpr, match_cpr_at_the_door, read_statement, reconcile_statement
    from flexcalc.ledger.store import open_ledger

    benefit_month = month(month_)
    with input_errors():
        if account is not None:
            find_account(account)
        found = read_profiles(profiles) if profiles else {}
        lines = read_statement(statement) if statement else None
        factory = open_ledger(db)
        report = finance_report(factory, benefit_month, found)
        reconciliation = None
        if lines is not None:  # CPR-keyed lines become case ids here, a CPR number no case has is counted
            lines, unmatched = match_cpr_at_the_door(lines, cases_by_cpr(factory))
            reconciliation = reconcile_statement(report, lines)
            reconciliation.unmatched_cpr = unmatched
    data = report.to_dict()
    if account is not None:
        data["accounts"] = [a for a in data["accounts"] if a["id"] == account]
    if reconciliation is not None:
        data["reconciliation"] = reconciliation.to_dict()
    if xlsx is not None:
        report_xlsx(report, xlsx, reconciliation)
    if as_json:
        print_json(data)
        return
    if as_csv:
        sys.stdout.write(report_csv(report))
        return
    t = data["totals"]
    typer.echo(f"{benefit_month}: {data['payments']} payments")
    for key, value in t.items():
        typer.echo(f"  {key:<22} {value:>16}")
    typer.echo("refund by step:")
    for key, values in data["refund_by_step"].items():
        typer.echo(f"  {key:<14} subsidy {values['subsidy']:>14}  refund {values['refund']:>14}")
    typer.echo("accounts:")
    for row in data["accounts"]:
        typer.echo(f"  {row['id']:<12} {row['amount']:>16}  {row['label_da']}")
    if reconciliation is not None:
        typer.echo(f"statement: {reconciliation.matched} lines match, {len(reconciliation.differences)} differences")
        for d in reconciliation.to_dict()["differences"]:
            typer.echo(f"  {d['person']} {d['period']}: {d['cause']} ({d['cause_da']}) "
                       f"refund {d['ours_refund']} vs {d['statement_refund']} {d['detail']}")
    if xlsx is not None:
        typer.echo(f"wrote {xlsx}")
