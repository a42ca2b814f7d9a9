"""``flexcalc old-scheme``: the old fleksjob scheme (fleksjob begun before 2013), the employer's subsidy."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from flexcalc.cli.common import app, input_errors, print_json
from flexcalc.old_scheme import calculate_old_scheme
from flexcalc.old_scheme.inputs import old_scheme_input
from flexcalc.text_da.format import kr

old_scheme_app = typer.Typer(help="The old fleksjob scheme (begun before 2013): the employer's subsidy, LAB § 133.",
                             no_args_is_help=True)
app.add_typer(old_scheme_app, name="old-scheme")


@old_scheme_app.command("calculate")
def calculate(
    month_: Annotated[str, typer.Option("--month", help="The period (wage month), YYYY-MM; its caps apply.")],
    agreement_wage: Annotated[str, typer.Option(help="The wage paid under the collective agreement in the "
                                                     "period, kr.")],
    fraction: Annotated[str, typer.Option(help="The subsidy fraction set for the job: 1/2 or 2/3.")],
    employer_contributions: Annotated[str | None, typer.Option(
        help="The employer's ATP and other employer contributions (pension) of the period, kr.")] = None,
    hours: Annotated[str | None, typer.Option(help="Paid hours in the period (for the hourly cap).")] = None,
    sick_refund_days: Annotated[str | None, typer.Option(
        help="Days of the period with sickness or maternity refund to the employer.")] = None,
    sick_refund_amount: Annotated[str | None, typer.Option(
        help="The refund the employer is entitled to for those days, kr.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Compute the employer's subsidy of one period in an old-scheme fleksjob, with every step and its provision."""
    with input_errors():
        inp = old_scheme_input(month=month_, agreement_wage=agreement_wage, fraction=fraction,
                               employer_contributions=employer_contributions, hours=hours,
                               sick_refund_days=sick_refund_days, sick_refund_amount=sick_refund_amount)
        result = calculate_old_scheme(inp)
    if as_json:
        print_json(result.to_dict())
        return
    for step in result.trace:
        amount = "" if step.amount is None else kr(step.amount)
        typer.echo(f"{step.label}: {amount}  ({step.provision})")


# ---------------------------------------------------------------- the ledger: cases, claims, job change, pay

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]
KnownOption = Annotated[str | None, typer.Option(
    "--known-at", help="When the municipality learned it (ISO 8601; default: now).")]
RowOption = Annotated[int | None, typer.Option(
    "--expected-row", help="The newest scheme statement you saw (`old-scheme show`); a newer one is refused.")]


def _instant(value: str | None, field: str) -> Any:
    import datetime as dt

    from flexcalc.ledger.reports import parse_instant

    return dt.datetime.now(dt.UTC) if value is None else parse_instant(value, field, end_of_day=True)


def _day(value: str, field: str) -> Any:
    from flexcalc.ledger.reports import parse_date

    return parse_date(value, field)


@old_scheme_app.command("case")
def case_create(
    case: Annotated[str, typer.Argument(help="The case id (pseudonymous, not a CPR number).")],
    from_: Annotated[str, typer.Option("--from", help="First period under the ledger, YYYY-MM.")],
    employer: Annotated[str, typer.Option(help="The employer's CVR: the subsidy is paid to it.")],
    fraction: Annotated[str, typer.Option(help="1/2 or 2/3, as set when the job was approved.")],
    job_start: Annotated[str, typer.Option(help="The fleksjob's first day (before 1 January 2013), YYYY-MM-DD.")],
    known_at: KnownOption = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Create a case in the old scheme (LAB § 133): its employer (the payee) and its fraction."""
    from flexcalc.cli.cli_audit import actor, audit_write
    from flexcalc.cli.common import month
    from flexcalc.ledger.schemes import create_old_scheme_case
    from flexcalc.ledger.store import open_ledger, transaction

    with input_errors(), transaction(open_ledger(db)) as session:
        state = create_old_scheme_case(session, case, month(from_, "from"), employer_id=employer, fraction=fraction,
                                       job_start=_day(job_start, "job_start"),
                                       known_at=_instant(known_at, "known_at"), recorded_by=f"cli:{actor()}")
        audit_write(session, "old-scheme case", case_id=case, employer_id=employer)
    print_json(state.to_dict()) if as_json else typer.echo(f"Sag {case}: gamle regler, {state.fraction}, "
                                                          f"arbejdsgiver {state.employer_id}")


@old_scheme_app.command("claim")
def claim(
    case: Annotated[str, typer.Argument(help="The case id.")],
    month_: Annotated[str, typer.Option("--month", help="The period claimed, YYYY-MM.")],
    employer: Annotated[str, typer.Option(help="The claiming employer's CVR (must be the payee).")],
    agreement_wage: Annotated[str, typer.Option(help="The wage under the collective agreement, kr.")],
    employer_contributions: Annotated[str | None, typer.Option(help="Employer's ATP and pension, kr.")] = None,
    hours: Annotated[str | None, typer.Option(help="Paid hours in the period.")] = None,
    sick_refund_days: Annotated[str | None, typer.Option(help="Days with sickness refund.")] = None,
    sick_refund_amount: Annotated[str | None, typer.Option(help="The refund for those days, kr.")] = None,
    replaces: Annotated[int | None, typer.Option(help="The claim this one corrects (the newest of the period).")]
    = None,
    received_at: Annotated[str | None, typer.Option(help="When the claim was received (ISO 8601; default now).")]
    = None,
    db: DbOption = None,
) -> None:
    """Register the employer's claim for a period (a correction names the claim it replaces)."""
    from flexcalc.cli.cli_audit import actor, audit_write
    from flexcalc.ledger.schemes import register_claim
    from flexcalc.ledger.store import open_ledger, transaction

    with input_errors(), transaction(open_ledger(db)) as session:
        state_fraction = "1/2"  # the fraction of the claim is the case's, in force in the period (settle_period)
        inp = old_scheme_input(month=month_, agreement_wage=agreement_wage, fraction=state_fraction,
                               employer_contributions=employer_contributions, hours=hours,
                               sick_refund_days=sick_refund_days, sick_refund_amount=sick_refund_amount)
        row = register_claim(session, case, inp, employer_id=employer, received_at=_instant(received_at, "received_at"),
                             recorded_by=f"cli:{actor()}", replaces=replaces)
        audit_write(session, "old-scheme claim", case_id=case, employer_id=employer)
        typer.echo(f"Anmodning {row.id} for {inp.month} registreret")


@old_scheme_app.command("reassess")
def reassess(
    case: Annotated[str, typer.Argument(help="The case id.")],
    from_: Annotated[str, typer.Option("--from", help="The day the new fraction applies, YYYY-MM-DD.")],
    fraction: Annotated[str, typer.Option(help="The new fraction: 1/2 or 2/3.")],
    expected_row: RowOption = None,
    known_at: KnownOption = None,
    db: DbOption = None,
) -> None:
    """A reassessment changes the fraction from a day (LAB § 133, stk. 2)."""
    from flexcalc.cli.cli_audit import actor, audit_write
    from flexcalc.ledger.schemes import reassess_fraction
    from flexcalc.ledger.store import open_ledger, transaction

    with input_errors(), transaction(open_ledger(db)) as session:
        state = reassess_fraction(session, case, _day(from_, "from"), fraction, known_at=_instant(known_at, "known_at"),
                                  recorded_by=f"cli:{actor()}", expected_row=expected_row)
        audit_write(session, "old-scheme reassess", case_id=case)
        typer.echo(f"Sag {case}: brøk {state.fraction} fra {state.effective_from}")


@old_scheme_app.command("job-change")
def job_change(
    case: Annotated[str, typer.Argument(help="The case id.")],
    date: Annotated[str, typer.Option("--date", help="The first day of the new job, YYYY-MM-DD.")],
    new_employer: Annotated[str | None, typer.Option(help="The new employer's CVR, if another.")] = None,
    new_tasks: Annotated[bool, typer.Option(help="New tasks and terms of employment.")] = False,
    rehired: Annotated[bool, typer.Option(help="Dismissed and hired again.")] = False,
    same_tasks_moved: Annotated[bool, typer.Option(help="The same tasks moved (merger, transfer).")] = False,
    expected_row: RowOption = None,
    known_at: KnownOption = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """A person in the old scheme changes job: a new fleksjob moves the case to the new scheme."""
    from flexcalc.cli.cli_audit import actor, audit_write
    from flexcalc.ledger.schemes import change_job
    from flexcalc.ledger.store import open_ledger, transaction

    with input_errors(), transaction(open_ledger(db)) as session:
        state = change_job(session, case, _day(date, "date"), new_employer_id=new_employer,
                           new_employer=new_employer is not None, new_tasks_and_terms=new_tasks,
                           dismissed_and_rehired=rehired, same_tasks_moved=same_tasks_moved,
                           known_at=_instant(known_at, "known_at"), recorded_by=f"cli:{actor()}",
                           expected_row=expected_row)
        audit_write(session, "old-scheme job-change", case_id=case, employer_id=new_employer)
    print_json(state.to_dict()) if as_json else typer.echo(f"Sag {case}: {state.scheme} fra {state.effective_from}")


@old_scheme_app.command("show")
def show(case: Annotated[str, typer.Argument(help="The case id.")], db: DbOption = None) -> None:
    """The case's scheme history and the old scheme's settlements (JSON)."""
    from flexcalc.ledger.schemes import scheme_history, settlements
    from flexcalc.ledger.store import open_ledger

    with input_errors(), open_ledger(db)() as session:
        from flexcalc.ledger.caserows import get_case

        get_case(session, case)
        print_json({"case_id": case, "schemes": [s.to_dict() for s in scheme_history(session, case)],
                    "settlements": [{"period": str(s.period), "sequence": s.sequence, "kind": s.kind,
                                     "employer_id": s.employer_id, "due": str(s.due), "difference": str(s.difference),
                                     "causes": s.causes, "explanation_da": s.explanation_da}
                                    for s in settlements(session, case)]})


@old_scheme_app.command("pay")
def pay(
    month_: Annotated[str, typer.Option("--month", help="The period to settle, YYYY-MM.")],
    as_of: Annotated[str, typer.Option("--as-of", help="The instant: claims received up to it are known.")],
    db: DbOption = None,
) -> None:
    """Settle a period of every old-scheme case (also part of `flexcalc pay`): payments and corrections."""
    from flexcalc.cli.cli_audit import audit_before
    from flexcalc.cli.common import month
    from flexcalc.ledger.scheme_flows import pay_old_scheme
    from flexcalc.ledger.store import open_ledger

    factory = open_ledger(db)
    with input_errors():
        instant = _instant(as_of, "as_of")
        audit_before(factory, "old-scheme pay")
        result = pay_old_scheme(factory, month(month_), instant)
    print_json(result.to_dict())


@old_scheme_app.command("finance")
def finance(
    month_: Annotated[str, typer.Option("--month", help="The month (period), YYYY-MM.")],
    db: DbOption = None,
) -> None:
    """The month's finance figures by scheme: the new scheme's report beside the old scheme's (fixed 65 % refund,
    its own accounts)."""
    from flexcalc.cli.common import month
    from flexcalc.finance.old_scheme import finance_by_scheme
    from flexcalc.ledger.store import open_ledger

    with input_errors():
        print_json(finance_by_scheme(open_ledger(db), month(month_)))


@old_scheme_app.command("letter")
def letter(
    kind: Annotated[str, typer.Argument(help="decision or specification.")],
    case: Annotated[str, typer.Argument(help="The case id.")],
    date: Annotated[str, typer.Option("--date", help="The letter's date, YYYY-MM-DD.")],
    month_: Annotated[str | None, typer.Option("--month", help="The period (for a specification), YYYY-MM.")] = None,
    channel: Annotated[str, typer.Option(help="digital_post or paper.")] = "digital_post",
    db: DbOption = None,
) -> None:
    """A letter to the employer: the decision on the subsidy, or the specification of a period (text; it is not
    kept in the case file: the letters' table takes the citizen letters' kinds only)."""
    from flexcalc.cli.common import month
    from flexcalc.errors import InputError
    from flexcalc.ledger.store import open_ledger
    from flexcalc.letters.old_scheme import old_scheme_decision_letter, old_scheme_specification_letter

    with input_errors(), open_ledger(db)() as session:
        day = _day(date, "date")
        if kind == "decision":
            made = old_scheme_decision_letter(session, case, day, channel)
        elif kind == "specification":
            if month_ is None:
                raise InputError("month", "a specification needs --month", "en specifikation kræver --month",
                                 code="missing")
            made = old_scheme_specification_letter(session, case, month(month_), day, channel)
        else:
            raise InputError("kind", f"'{kind}' is not decision or specification",
                             f"'{kind}' er hverken decision eller specification", code="kind")
    typer.echo(made.text())
