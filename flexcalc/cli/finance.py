"""Municipal finance on the command line: the state refund of one subsidy (``flexcalc refund``) and the
month's finance report after a payment run (``flexcalc finance``), with booking per account and the
reconciliation against the state's refund statement. Bad input exits 2 naming the field (en + da)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from flexcalc.cli.common import amount, app, fail, input_errors, ledger_sessions, month, optional_date, print_json
from flexcalc.errors import InputError
from flexcalc.period import Month

if TYPE_CHECKING:
    from flexcalc.finance.report import FinanceReport
    from flexcalc.finance.statement import Reconciliation


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
    visited, started = optional_date(visitation_date, "visitation-date"), optional_date(job_start, "job-start")
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


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def finance(
    ctx: typer.Context,
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM | history", help="The benefit month (after its payment "
                                          "run); or 'history import FILE.csv [--source NAME] [--by NAME]' to import "
                                          "earlier benefit history, 'history show CASE' to list a case's history.")],
    profiles: Annotated[Path | None, typer.Option(help="Refund profiles CSV given by hand (case_id,visitation_date,"
                                                  "job_start,month,weeks_before); normally the ledger's refund "
                                                  "history is used (docs/finance.md).")] = None,
    statement: Annotated[Path | None, typer.Option(help="The state's refund statement CSV to reconcile, keyed by "
                                                   "cpr (or case_id): columns in docs/finance.md.")] = None,
    account: Annotated[str | None, typer.Option(help="Show only this account of the chart (e.g. 8.51.52.124).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per payment (no total row among them).")
                      ] = False,
    totals_csv_path: Annotated[Path | None, typer.Option("--totals-csv", help="Write the totals (the month's, and "
                                                         "with --year each month's and the year's) to this CSV file.")
                               ] = None,
    lines_csv_path: Annotated[Path | None, typer.Option("--lines-csv", help="Write the month's money lines "
                                                        "(efterbetaling, regulation, repayment, set-off, "
                                                        "collected) to this CSV file, one row each.")] = None,
    year: Annotated[bool, typer.Option("--year", help="Add the year's figures from January to the month (a month "
                                       "without payments or rates is marked, not counted as 0).")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write an Excel workbook to this file.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                           "var/flexcalc.sqlite).")] = None,
    by_scheme: Annotated[bool, typer.Option("--by-scheme", help="The month by scheme instead: the new scheme, "
                                            "the old scheme and the self-employed, each with its refund rule, and "
                                            "the total that reconciles with the payment run.")] = False,
) -> None:
    """The month's finance report: subsidy, own and municipal ATP, OP, refund by step, særligt fleksbidrag,
    net municipal cost, per account; and the state's refund statement against it (statement_total,
    expected_total, difference and the differences per case with their cause)."""
    if month_ == "history":
        _history(list(ctx.args), db, as_json)
        return
    if ctx.args:
        fail(InputError("arguments", f"unexpected: {' '.join(ctx.args)[:80]}", f"uventet: {' '.join(ctx.args)[:80]}"))
    if by_scheme:
        _by_scheme(month(month_), db, as_json)
        return
    from flexcalc.finance.accounts import account as find_account
    from flexcalc.finance.export import report_csv, report_xlsx, totals_csv
    from flexcalc.finance.profiles import read_profiles
    from flexcalc.finance.report import finance_report, year_figures
    from flexcalc.finance.statement import match_statement, read_statement, reconcile_statement

    benefit_month = month(month_)
    with input_errors():
        if account is not None:
            find_account(account)
        found = read_profiles(profiles) if profiles else {}
        lines = read_statement(statement) if statement else None
        factory = ledger_sessions(db)
        report = finance_report(factory, benefit_month, found)
        reconciliation = None
        if lines is not None:
            with factory() as session:  # CPR numbers become case ids here, before anything else sees them
                reconciliation = reconcile_statement(report, match_statement(session, lines))
        year_data = year_figures(factory, benefit_month) if year else None
    data = _report_data(report, year_data, account, reconciliation)
    if totals_csv_path is not None:
        totals_csv_path.write_text(totals_csv(report, year_data), encoding="utf-8")
    if lines_csv_path is not None:
        from flexcalc.finance.export import lines_csv

        lines_csv_path.write_text(lines_csv(report), encoding="utf-8")
    if xlsx is not None:
        report_xlsx(report, xlsx, reconciliation)
    if as_json:
        print_json(data)
        return
    if as_csv:
        sys.stdout.write(report_csv(report))
        return
    _print_report(benefit_month, data, reconciliation)
    if xlsx is not None:
        typer.echo(f"wrote {xlsx}")


def _report_data(report: FinanceReport, year_data: dict[str, Any] | None, account: str | None,
                 reconciliation: Reconciliation | None) -> dict[str, Any]:
    """The report as JSON data: with the year's figures, only ``account`` if given, and the statement's
    reconciliation with its three totals at the top."""
    data = report.to_dict()
    if year_data is not None:
        data["year"] = year_data
    if account is not None:
        data["accounts"] = [a for a in data["accounts"] if a["id"] == account]
    if reconciliation is not None:
        data["reconciliation"] = reconciliation.to_dict()
        for key in ("statement_total", "expected_total", "difference"):
            data[key] = data["reconciliation"][key]
    return data


def _print_report(benefit_month: Month, data: dict[str, Any], reconciliation: Reconciliation | None) -> None:
    """The report for the terminal: totals, refund by step, accounts, the statement's differences."""
    typer.echo(f"{benefit_month}: {data['payments']} payments")
    for key, value in data["totals"].items():
        typer.echo(f"  {key:<22} {value:>16}")
    typer.echo("refund by step:")
    for key, values in data["refund_by_step"].items():
        typer.echo(f"  {key:<14} subsidy {values['subsidy']:>14}  refund {values['refund']:>14}")
    typer.echo("accounts:")
    for row in data["accounts"]:
        typer.echo(f"  {row['id']:<12} {row['amount']:>16}  {row['label_da']}")
    if data["money_lines"]:
        typer.echo("money lines (booked this month, refunded at the step of the month they concern):")
        for m in data["money_lines"]:
            typer.echo(f"  {m['case_id']:<10} {m['kind']:<16} {m['concerns_month']} subsidy {m['subsidy']:>12}  "
                       f"refund {m['refund']:>12}")
        both = data["totals_with_lines"]
        typer.echo(f"with money lines: subsidy {both['subsidy']}, refund {both['refund']}, net municipal cost "
                   f"{both['net_municipal_cost']}")
    if reconciliation is not None:
        typer.echo(f"statement: the state refunds {data['statement_total']}, flexcalc expects "
                   f"{data['expected_total']}, "
                   f"difference {data['difference']}; {reconciliation.matched} lines match, "
                   f"{len(reconciliation.differences)} differences, {reconciliation.unmatched_cpr} CPR numbers with "
                   f"no case (refund {reconciliation.to_dict()['unmatched_refund']})")
        for d in reconciliation.to_dict()["differences"]:
            typer.echo(f"  {d['person']} {d['period']}: {d['cause']} ({d['cause_da']}) "
                       f"refund {d['ours_refund']} vs {d['statement_refund']} {d['detail']}")


def _by_scheme(benefit_month: Month, db: str | None, as_json: bool) -> None:
    """``flexcalc finance YYYY-MM --by-scheme``: ``flexcalc.finance.old_scheme.finance_by_scheme``."""
    from flexcalc.finance.old_scheme import finance_by_scheme
    from flexcalc.ledger.store import open_ledger

    with input_errors():
        data = finance_by_scheme(open_ledger(db), benefit_month)
    if as_json:
        print_json(data)
        return
    new, old, self_employed = (data["schemes"][k] for k in ("new_2013", "old", "self_employed"))
    rows = (("new_2013", new["totals"]["subsidy"], new["totals"]["refund"], "refusionstrappen"),
            ("old", old["subsidy"], old["refund"], f"fast {old['refund_rule']['rate']}"),
            ("self_employed", self_employed["subsidy"], self_employed["refund"], "refusionstrappen"))
    typer.echo(f"{benefit_month} by scheme:")
    for scheme, subsidy, refund, rule in rows:
        typer.echo(f"  {scheme:<14} subsidy {subsidy:>14}  refund {refund:>14}  ({rule})")
    total = data["total"]
    typer.echo(f"  {'total':<14} subsidy {total['subsidy']:>14}  refund {total['refund']:>14}  "
               f"net {total['net_expense']}")


def _history(args: list[str], db: str | None, as_json: bool) -> None:
    """``flexcalc finance history import FILE.csv [--source NAME] [--by NAME]`` and ``history show CASE``."""
    from flexcalc.finance.history_import import import_history
    from flexcalc.ledger.store import transaction

    def option(name: str, default: str) -> str:
        if name in args:
            at = args.index(name)
            if at + 1 >= len(args):
                fail(InputError(name, "needs a value", "mangler en værdi"))
            value = args[at + 1]
            del args[at:at + 2]
            return value
        return default

    source, by = option("--source", ""), option("--by", "cli")
    if len(args) != 2 or args[0] not in ("import", "show"):
        fail(InputError("history", "use: history import FILE.csv | history show CASE",
                        "brug: history import FIL.csv | history show SAG"))
    factory = ledger_sessions(db)
    if args[0] == "show":
        from flexcalc.finance.history_view import case_history

        with input_errors(), factory() as session:
            data = case_history(session, args[1])
        print_json(data)
        return
    path = Path(args[1])
    if not path.is_file():
        fail(InputError("file", "not found", "findes ikke"))
    with input_errors(), transaction(factory) as session:
        result = import_history(session, path.read_text(encoding="utf-8"), by, source or path.name)
        _audit_cli(session, "finance history import")
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    typer.echo(f"{data['rows']} rows: {data['stored']} stored, {data['already_stored']} already stored, "
               f"{data['unknown_cpr']} CPR numbers with no case (not stored); cases: {', '.join(data['cases'])}")


def _audit_cli(session: object, route: str) -> None:
    """The CLI's write is audited in its own transaction, like the API's (no key: the operator's shell)."""
    from flexcalc.security.audit import AuditEvent, record

    record(session, [AuditEvent(action="write")], method="CLI", route=route, status=200)  # type: ignore[arg-type]
