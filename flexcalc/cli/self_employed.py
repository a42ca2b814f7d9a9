"""``flexcalc self-employed``: the subsidy to the self-employed with reduced working capacity (LAB § 126;
BEK 233/2024 § 8): compute a year, keep a case's years in the ledger, pay a month, settle a year on the tax
assessment.

Writes (``case create``, ``expect``, ``settle``, ``pay``) are audited in their own transaction and, except
``pay``, state the version of the year they act on (``--expect-version``, from ``show --json``): a missing
one is refused when not run from a terminal, a changed year always (exit 2, nothing stored).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer

from flexcalc.cli.cli_audit import actor, audit_write
from flexcalc.cli.common import EXIT_INPUT, amount, app, fail, input_errors, month, print_json
from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.self_employed.calculation import MAX_ANNUAL_AMOUNT as _MAX
from flexcalc.text_da.format import kr

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
CaseOption = Annotated[str, typer.Option("--case", help="The self-employed case id.")]
YearOption = Annotated[int, typer.Option("--year", help="The calendar year (YYYY).")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who records it (the audit log; default: the OS user).")]
SourceOption = Annotated[str, typer.Option("--source", help="Where the figure comes from (budget, "
                                                            "årsopgørelse 2024, …).")]
ExpectVersionOption = Annotated[str | None, typer.Option(
    "--expect-version", help="The version of the year you act on (`flexcalc self-employed show --case C --year Y "
                             "--json`). Required when not run from a terminal; a changed year is refused.")]

self_employed_app = typer.Typer(help="Self-employed with reduced working capacity (LAB § 126, BEK 233/2024 § 8).",
                                no_args_is_help=True)
app.add_typer(self_employed_app, name="self-employed")


def _ledger(db: str | None) -> Any:
    from flexcalc.ledger.store import open_ledger

    return open_ledger(db)


def _year_text(result: Any) -> list[str]:
    lines = [f"Tilskud til selvstændig {result.year} (BEK 233/2024 § 8)"]
    for step in result.trace:
        lines.append(f"  {step.label}: {kr(step.amount) if step.amount is not None else ''}  [{step.provision}]")
    lines.append(f"  I alt for året {kr(result.annual)}; pr. måned {kr(result.monthly)} "
                 f"(december {kr(result.months[11])})")
    if result.status != "published":
        how = "beregnet efter lovens regler" if result.status == "computed" else "et skøn"
        lines.append(f"  Bemærk: grundbeløbet for {result.year} er {how}, ikke offentliggjort.")
    return lines


@self_employed_app.command("calculate")
def calculate(
    year: YearOption,
    profit: Annotated[str, typer.Option("--profit", help="The business's profit before interest for the year, kr. "
                                                         "(a loss counts as 0).")],
    other_income: Annotated[str, typer.Option("--other-income", help="Other work income in the year, kr.")] = "0",
    as_json: JsonOption = False,
) -> None:
    """The annual subsidy and the monthly payment for a year: the basic amount less 30 % of the profit and of
    other work income, not below 0; paid as 1/12 a month."""
    from flexcalc.self_employed import calculate_year

    with input_errors():
        result = calculate_year(year, amount(profit, "profit", allow_negative=True, maximum=_MAX),
                                amount(other_income, "other_income", maximum=_MAX))
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo("\n".join(_year_text(result)))

case_app = typer.Typer(help="Self-employed cases.", no_args_is_help=True)
self_employed_app.add_typer(case_app, name="case")


@case_app.command("create")
def case_create(
    case: Annotated[str, typer.Argument(help="The case id (never a CPR number).")],
    first_year: Annotated[int, typer.Option("--first-year", help="The first year of the subsidy.")],
    cpr: Annotated[str | None, typer.Option("--cpr", help="The person's CPR number (stored, never logged).")] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Create a self-employed case."""
    from flexcalc.ledger.self_employed import create_case
    from flexcalc.ledger.store import transaction

    with input_errors(), transaction(_ledger(db)) as session:
        create_case(session, case, first_year, actor(by), cpr)
        audit_write(session, "self-employed case create", case_id=case, by=by)
    typer.echo(f"sag {case} oprettet (selvstændig fra {first_year})")


def _version(factory: Any, case_id: str, year: int, expected: str | None) -> str:
    if expected:
        return expected.strip().strip('"')
    if not sys.stdin.isatty():
        fail(InputError("--expect-version", "is required when not run from a terminal (the year's version from "
                        "`flexcalc self-employed show --json`)", "skal angives, når kommandoen ikke køres fra en "
                        "terminal (årets version fra `flexcalc self-employed show --json`)", code="missing"))
    from flexcalc.ledger.self_employed import year_state

    with input_errors(), factory() as session:
        state = year_state(session, case_id, year)
    typer.echo(f"sag {case_id}, {year} (version {state['version']}): udbetalt {kr(_dec(state['paid_total']))}")
    if not typer.confirm("Handle på netop denne sag og dette år?", default=False):
        raise typer.Exit(1)
    return str(state["version"])


def _dec(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def _stale(error: Any) -> None:
    typer.echo(f"error: --expect-version: case {error.case_id}, {error.year} changed since it was shown (version "
               f"{error.expected}, now {error.current}); nothing stored", err=True)
    typer.echo(f"fejl: --expect-version: sag {error.case_id}, {error.year} er ændret, siden den blev vist (version "
               f"{error.expected}, nu {error.current}); intet er gemt", err=True)
    raise typer.Exit(EXIT_INPUT)


@self_employed_app.command("expect")
def expect(
    case: CaseOption,
    year: YearOption,
    profit: Annotated[str, typer.Option("--profit", help="The expected profit for the year, kr.")],
    source: SourceOption,
    other_income: Annotated[str, typer.Option("--other-income", help="Expected other work income, kr.")] = "0",
    expect_version: ExpectVersionOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the profit expected for a year: the provisional basis of the months not yet paid (a new row;
    the earlier expectations are kept)."""
    from flexcalc.ledger.self_employed import YearVersionError, record_expected, year_state
    from flexcalc.ledger.store import transaction
    from flexcalc.security.redact import redact

    factory = _ledger(db)
    profit_ = amount(profit, "profit", allow_negative=True, maximum=_MAX)
    other = amount(other_income, "other_income", maximum=_MAX)
    version = _version(factory, case, year, expect_version)
    try:
        with input_errors(), transaction(factory) as session:
            record_expected(session, case, year, profit_, other, source=redact(source), by=actor(by),
                            expected_version=version)
            audit_write(session, f"self-employed expect {year}", case_id=case, by=by)
            state = year_state(session, case, year)
    except YearVersionError as error:
        _stale(error)
    if as_json:
        print_json(state)
        return
    calc = state["calculation"]
    typer.echo(f"sag {case}, {year}: forventet overskud {kr(profit_)}; tilskud {kr(_dec(calc['annual']))} for "
               f"året, {kr(_dec(calc['monthly']))} pr. måned (ny version {state['version']})")


@self_employed_app.command("settle")
def settle(
    case: CaseOption,
    year: YearOption,
    assessed_profit: Annotated[str, typer.Option("--assessed-profit", help="The profit the final tax assessment "
                                                                           "(årsopgørelse) states, kr.")],
    source: SourceOption = "årsopgørelse",
    assessed_other_income: Annotated[str, typer.Option("--assessed-other-income",
                                                       help="Other work income per the assessment, kr.")] = "0",
    preview: Annotated[bool, typer.Option("--preview", help="Show the settlement, store nothing.")] = False,
    expect_version: ExpectVersionOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Settle a year on the tax assessment (BEK 233/2024 § 8, stk. 3): the months paid are computed again on
    the assessed profit; an underpayment is paid by the next payment run, an overpayment awaits the
    municipality's decision on repayment."""
    from flexcalc.ledger.self_employed import YearVersionError, preview_settlement
    from flexcalc.ledger.self_employed import settle as settle_year
    from flexcalc.ledger.store import transaction
    from flexcalc.security.redact import redact

    factory = _ledger(db)
    profit_ = amount(assessed_profit, "assessed_profit", allow_negative=True, maximum=_MAX)
    other = amount(assessed_other_income, "assessed_other_income", maximum=_MAX)
    if preview:
        with input_errors(), factory() as session:
            result = preview_settlement(session, case, year, profit_, other)
        data: dict[str, Any] = {"stored": False, **result.to_dict()}
    else:
        version = _version(factory, case, year, expect_version)
        try:
            with input_errors(), transaction(factory) as session:
                row, result = settle_year(session, case, year, profit_, other, source=redact(source), by=actor(by),
                                          expected_version=version)
                audit_write(session, f"self-employed settle {year}", case_id=case, by=by)
                data = {"stored": True, "settlement_id": row.id, **result.to_dict()}
        except YearVersionError as error:
            _stale(error)
    if as_json:
        print_json(data)
        return
    _print_settlement(case, year, result)


def _print_settlement(case: str, year: int, result: Any) -> None:
    typer.echo(f"sag {case}, {year}: tilskud efter årsopgørelsen {kr(result.entitled)} for de udbetalte måneder, "
               f"udbetalt {kr(result.paid)}" + (f", efterreguleret før {kr(result.settled_before)}"
                                                if result.settled_before else ""))
    if result.difference > ZERO:
        typer.echo(f"  efterbetaling {kr(result.difference)} (udbetales ved næste udbetalingskørsel)")
    elif result.difference < ZERO:
        typer.echo(f"  udbetalt for meget {kr(-result.difference)}: kommunen skal afgøre, om det skal betales "
                   "tilbage (BEK 233/2024 § 8, stk. 3)")
    else:
        typer.echo("  ingen forskel")


@self_employed_app.command("decide")
def decide(
    case: CaseOption,
    settlement: Annotated[int, typer.Option("--settlement", help="The settlement that found an overpayment.")],
    outcome: Annotated[str, typer.Option("--outcome", help="collect (pay back) or waive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (the main considerations).")],
    hearing_on: Annotated[str | None, typer.Option("--hearing-on", help="The hearing's date, YYYY-MM-DD (required "
                                                                        "to collect).")] = None,
    expect_version: ExpectVersionOption = None,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Decide on an overpayment a settlement found (BEK 233/2024 § 8, stk. 3): collect after a hearing, or
    waive. Nothing is set off or collected without this decision."""
    from flexcalc.ledger.self_employed import SelfEmployedSettlement, YearVersionError, decide_repayment, year_state
    from flexcalc.ledger.store import transaction
    from flexcalc.parsing.inputs import parse_date
    from flexcalc.security.redact import redact

    factory = _ledger(db)
    with input_errors():
        heard = parse_date(hearing_on, "hearing_on") if hearing_on else None
    with input_errors(), factory() as session:
        row = session.get(SelfEmployedSettlement, settlement)
        year = row.year if row is not None and row.case_id == case else 0
    version = _version(factory, case, year, expect_version) if year else expect_version
    try:
        with input_errors(), transaction(factory) as session:
            made = decide_repayment(session, case, settlement, outcome, redact(reason), by=actor(by),
                                    expected_version=version, hearing_on=heard)
            audit_write(session, f"self-employed decide {settlement}", case_id=case, by=by)
            data = next(d for d in year_state(session, case, made.year)["decisions"] if d["id"] == made.id)
    except YearVersionError as error:
        _stale(error)
    if as_json:
        print_json(data)
        return
    what = "skal betales tilbage" if outcome == "collect" else "skal ikke betales tilbage"
    typer.echo(f"sag {case}, efterregulering #{settlement}: {kr(_dec(data['amount']))} {what}")


@self_employed_app.command("show")
def show(case: CaseOption, year: YearOption, as_json: JsonOption = False, db: DbOption = None) -> None:
    """A case's year: the bases, the amount on the basis in force, payments, settlements and the version."""
    from flexcalc.ledger.self_employed import year_state

    with input_errors(), _ledger(db)() as session:
        state = year_state(session, case, year)
    if as_json:
        print_json(state)
        return
    typer.echo(f"sag {case}, {year} (version {state['version']})")
    for b in state["bases"]:
        typer.echo(f"  {b['kind']}: overskud {kr(_dec(b['profit']))}, anden arbejdsindkomst "
                   f"{kr(_dec(b['other_income']))} ({b['source']}, kendt {b['known_at'][:10]})")
    for p in state["payments"]:
        typer.echo(f"  udbetalt {p['month']} ({p['kind']}): {kr(_dec(p['amount']))}")
    for s in state["settlements"]:
        typer.echo(f"  efterregulering #{s['id']}: {kr(_dec(s['difference']), sign=True)} ({s['treatment']})")
    for d in state["decisions"]:
        typer.echo(f"  afgørelse om efterregulering #{d['settlement_id']}: {d['outcome']} {kr(_dec(d['amount']))}")


@self_employed_app.command("pay")
def pay(
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The month to pay.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The bases known at this instant (ISO 8601; "
                                                              "default now).")] = None,
    by: ByOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Pay a month for every self-employed case, and the back payments due (the same function the payment
    run calls: ``flexcalc.ledger.self_employed.self_employed_payments_for_month``)."""
    from flexcalc.cli.cli_audit import audit_before
    from flexcalc.ledger.self_employed import pay_self_employed_month

    paid_month = month(month_)
    instant = None
    if as_of:
        try:
            instant = dt.datetime.fromisoformat(as_of)
        except ValueError:
            fail(InputError("as-of", "must be an ISO 8601 instant", "skal være et tidspunkt (ISO 8601)",
                            code="instant"))
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=dt.UTC)
    factory = _ledger(db)
    audit_before(factory, f"self-employed pay {paid_month}", by=by)
    with input_errors():
        run = pay_self_employed_month(factory, paid_month, instant)
    if as_json:
        print_json(run.to_dict())
        return
    for p in run.paid:
        typer.echo(f"{p['case_id']} {p['month']}: {kr(_dec(p['amount']))}")
    for b in run.back_payments:
        typer.echo(f"{b['case_id']} efterbetaling for {b['year']}: {kr(_dec(b['amount']))}")
    for h in run.held:
        typer.echo(f"{h['case_id']} {h['month']} holdt tilbage: {h['text_da']}")
    typer.echo(f"{paid_month}: {len(run.paid)} udbetalt, {len(run.back_payments)} efterbetalinger, "
               f"{len(run.held)} holdt tilbage, {len(run.already_paid)} allerede udbetalt; i alt {kr(run.total)}")


def self_employed_rates_json() -> dict[str, Any]:
    """The self-employed subsidy's rates for ``flexcalc rates --json`` (each value with status and source)."""
    from flexcalc.law.params import parameter_json
    from flexcalc.self_employed.parameters import NAMES, self_employed_parameters

    parameters = self_employed_parameters()
    return {name: parameter_json(parameters[name]) for name in NAMES}


def print_self_employed_rates(console: Any, status_da: dict[str, str]) -> None:
    """The self-employed subsidy's rates as tables for ``flexcalc rates`` (``status_da``: its status words)."""
    from rich.table import Table

    from flexcalc.self_employed.parameters import NAMES, self_employed_parameters
    from flexcalc.text_da.format import percent

    parameters = self_employed_parameters()
    for name in NAMES:
        parameter = parameters[name]
        table = Table(title=f"Selvstændige: {parameter.label_da} — {parameter.reference}", title_justify="left")
        for column in ("fra", "værdi", "status", "kilde"):
            table.add_column(column, justify="right" if column == "værdi" else "left",
                             overflow="fold" if column == "kilde" else "ellipsis")
        for entry in parameter.values:
            if entry.value is None:
                table.add_row(str(entry.start), "—", "ingen værdi", entry.note or "")
                continue
            shown = percent(entry.value) if name.endswith("rate") else kr(entry.value, decimals=0)
            table.add_row(str(entry.start), shown, status_da[entry.status or "assumed"], entry.source or "")
        console.print(table)


@self_employed_app.command("letter")
def letter(
    case: CaseOption,
    year: YearOption,
    kind: Annotated[str, typer.Option("--kind", help="decision (the year's subsidy on the basis in force) or "
                                                     "settlement (after the tax assessment).")] = "decision",
    settlement: Annotated[int | None, typer.Option("--settlement", help="The settlement's id (default: the "
                                                                        "year's latest).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The letter's date (YYYY-MM-DD; default today).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or html.")] = "text",
    db: DbOption = None,
) -> None:
    """The letter to the person: the decision on the year's subsidy, or the settlement after the tax
    assessment (plain Danish; the provisions in a box at the end). Nothing is stored."""
    from flexcalc.ledger.self_employed import basis_in_force, get_case, stored_settlement, year_state
    from flexcalc.letters.self_employed import settlement_letter, year_decision_letter
    from flexcalc.parsing.inputs import parse_date
    from flexcalc.self_employed import calculate_year

    if kind not in ("decision", "settlement"):
        fail(InputError("kind", "must be decision or settlement", "skal være decision eller settlement", code="kind"))
    if fmt not in ("text", "html"):
        fail(InputError("format", "must be text or html", "skal være text eller html", code="format"))
    with input_errors(), _ledger(db)() as session:
        day = parse_date(date, "date") if date else dt.date.today()
        get_case(session, case)
        if kind == "decision":
            basis = basis_in_force(session, case, year)
            if basis is None:
                raise InputError("year", f"no profit is recorded for {year}", f"der er intet overskud registreret "
                                 f"for {year}", code="no_basis")
            made = year_decision_letter(case, calculate_year(year, basis.profit, basis.other_income), day)
        else:
            if settlement is None:
                rows = year_state(session, case, year)["settlements"]
                if not rows:
                    raise InputError("settlement", f"the year {year} has no settlement", f"året {year} har ingen "
                                     "efterregulering", code="unknown_settlement")
                settlement = int(rows[-1]["id"])
            made = settlement_letter(case, stored_settlement(session, case, settlement), day)
    typer.echo(made.text() if fmt == "text" else made.html(), nl=False)
