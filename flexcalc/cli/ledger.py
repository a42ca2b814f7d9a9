"""The case ledger on the command line: cases, wage reports, payment runs, reconciliation,
held months, provisional payments and repayment decisions.

Every command takes ``--db URL`` (else FLEXCALC_DATABASE_URL, else var/flexcalc.sqlite) and brings the
schema up to date first. Bad input exits 2 naming the field (for a file: the row and the field);
nothing stored is changed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.calculate import rates_app
from flexcalc.cli.cli_audit import audit_before, audit_write
from flexcalc.cli.common import EXIT_INPUT, amount, app, fail, input_errors, month, print_json
from flexcalc.cli.item_version import ExpectVersionOption
from flexcalc.errors import InputError
from flexcalc.parsing.inputs import parse_amount
from flexcalc.text_da.format import kr, month_name

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]
AsOfOption = Annotated[str, typer.Option("--as-of", help="The instant: what was received up to it is known "
                                                         "(ISO 8601; without offset Danish time; a date means "
                                                         "the end of that day).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]

case_app = typer.Typer(help="Cases: create, show, ceilings, employments.", no_args_is_help=True)
reports_app = typer.Typer(help="Wage reports from the income register.", no_args_is_help=True)
held_app = typer.Typer(help="Months held as awaiting report, and provisional payments.", no_args_is_help=True)
corrections_app = typer.Typer(help="Corrections (efterregulering) and repayment decisions.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(reports_app, name="reports")
app.add_typer(held_app, name="held")
app.add_typer(corrections_app, name="corrections")


def _ledger(db: str | None) -> Any:
    from flexcalc.cli.common import ledger_sessions

    return ledger_sessions(db)


def _as_of(value: str) -> dt.datetime:
    from flexcalc.ledger.reports import parse_instant

    try:
        return parse_instant(value, "as-of", end_of_day=True)
    except InputError as error:
        fail(error)


@case_app.command("create")
def case_create(
    case: Annotated[str, typer.Argument(help="The case id (pseudonymous, not a CPR number).")],
    ceiling: Annotated[str, typer.Option(help="The ceiling (lønloft): full-time wage incl. pension, kr.")],
    from_: Annotated[str, typer.Option("--from", help="First benefit month, YYYY-MM; the ceiling applies from it.")],
    employer: Annotated[list[str] | None, typer.Option(help="Employer id (CVR) of a known employment; it reports "
                                                            "wage from the basis month before --from. Repeatable.")]
    = None,
    cpr: Annotated[str | None, typer.Option(help="CPR number (stored, never printed or logged).")] = None,
    start: Annotated[str | None, typer.Option(help="The fleksjob's first day (YYYY-MM-DD, in the month before "
                                                   "--from): a start after the 1st makes that wage month a part "
                                                   "month (partial_month).")] = None,
    db: DbOption = None,
) -> None:
    """Create a case with its ceiling and its employments."""
    from flexcalc.ledger.reports import parse_date
    from flexcalc.ledger.store import create_case, set_employment_start, transaction

    ceiling_amount = amount(ceiling, "ceiling")
    first = month(from_, "from")
    factory = _ledger(db)
    with input_errors(), transaction(factory) as session:
        start_date = parse_date(start, "start") if start else None
        create_case(session, case, ceiling_amount, first, employer or [], cpr)
        audit_write(session, "case create", case_id=case)
        for employer_id in (employer or []) if start_date else []:
            set_employment_start(session, case, employer_id.strip(), start_date)  # type: ignore[arg-type]
    employers = f", arbejdsgiver {', '.join(employer)}" if employer else ""
    typer.echo(f"sag {case} oprettet: lønloft {kr(ceiling_amount)} fra {month_name(first)}{employers}")


@case_app.command("ceiling")
def case_ceiling(
    case: Annotated[str, typer.Argument(help="The case id.")],
    amount_: Annotated[str, typer.Option("--amount", help="The new ceiling, kr.")],
    from_: Annotated[str, typer.Option("--from", help="The benefit month it takes effect, YYYY-MM.")],
    note: Annotated[str | None, typer.Option(help="Why (e.g. the employer's lønloftskema of a date).")] = None,
    db: DbOption = None,
) -> None:
    """Add an entry to the case's ceiling history (a change in the lønloft from a benefit month)."""
    from flexcalc.ledger.store import add_ceiling, transaction

    value = amount(amount_, "amount")
    first = month(from_, "from")
    with input_errors(), transaction(_ledger(db)) as session:
        add_ceiling(session, case, value, first, note)
        audit_write(session, "case ceiling", case_id=case)
    typer.echo(f"sag {case}: lønloft {kr(value)} fra {month_name(first)}")


@case_app.command("employer")
def case_employer(
    case: Annotated[str, typer.Argument(help="The case id.")],
    employer: Annotated[str, typer.Argument(help="Employer id (CVR).")],
    from_: Annotated[str, typer.Option("--from", help="First basis month with wage from it, YYYY-MM.")],
    until: Annotated[str | None, typer.Option(help="Last basis month (employment ended), YYYY-MM.")] = None,
    start: Annotated[str | None, typer.Option(help="The job's first day (YYYY-MM-DD): a start within the basis "
                                                   "month makes it a part month (partial_month).")] = None,
    end: Annotated[str | None, typer.Option(help="The job's last day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
) -> None:
    """Add a known employment (or, with --until, end one): its reports are awaited every basis month."""
    from flexcalc.ledger.reports import parse_date
    from flexcalc.ledger.store import add_employment, end_employment, set_employment_start, transaction

    first = month(from_, "from")
    last = month(until, "until") if until else None
    with input_errors(), transaction(_ledger(db)) as session:
        from sqlalchemy import select

        from flexcalc.ledger.models import Employment

        start_date = parse_date(start, "start") if start else None
        end_date = parse_date(end, "end") if end else None
        exists = session.scalar(select(Employment).where(Employment.case_id == case,
                                                         Employment.employer_id == employer))
        if exists is None:
            add_employment(session, case, employer, first, start_date)
        elif start_date is not None:
            set_employment_start(session, case, employer, start_date)
        if last is not None or end_date is not None:
            end_employment(session, case, employer, last or first, end_date)
        audit_write(session, "case employer", case_id=case, employer_id=employer)
    typer.echo(f"sag {case}: arbejdsgiver {employer} fra {first}" + (f" til {last}" if last else ""))


@case_app.command("close")
def case_close(
    case: Annotated[str, typer.Argument(help="The case id.")],
    last: Annotated[str, typer.Option(help="The last benefit month of the case, YYYY-MM.")],
    db: DbOption = None,
) -> None:
    """End a case: no payment run pays it after --last (paid months stay and are still reconciled)."""
    from flexcalc.ledger.store import close_case, transaction

    last_month = month(last, "last")
    with input_errors(), transaction(_ledger(db)) as session:
        close_case(session, case, last_month)
        audit_write(session, "case close", case_id=case)
    typer.echo(f"sag {case}: sidste ydelsesmåned {month_name(last_month)}")


@case_app.command("show")
def case_show(
    case: Annotated[str, typer.Argument(help="The case id.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Show what was due as known then (default: "
                                                               "everything received).")] = None,
    month_: Annotated[str | None, typer.Option("--month", help="Show one benefit month in full: reports, events, "
                                                                "ceiling, the computation with its trace, what was "
                                                                "paid and every correction since (Danish).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A case's months: basis wage, due, paid, corrections, each with its explanation."""
    from flexcalc.ledger.casefile import case_file, month_file

    instant = _as_of(as_of) if as_of else None
    if month_ is not None:
        benefit_month = month(month_, "month")
        with input_errors(), _ledger(db)() as session:
            one = month_file(session, case, benefit_month, instant)
            from flexcalc.ledger.item_version import month_version

            one["version"] = month_version(session, case, benefit_month)
        if as_json:
            print_json(one)
        else:
            _print_month(one)
        return
    with input_errors(), _ledger(db)() as session:
        data = case_file(session, case, instant)
    if as_json:
        print_json(data)
        return
    typer.echo(f"Sag {data['case_id']} — fra {data['first_month']}; lønloft nu "
               f"{kr(parse_amount(data['current_ceiling'], 'ceiling')) if data['current_ceiling'] else '—'}")
    status_da = {"paid": "udbetalt", "held": "AFVENTER INDBERETNING", "not_paid": "ikke udbetalt",
                 "provisional": "foreløbig udbetalt", "to_reconcile": "skal efterreguleres"}
    for m in data["months"]:
        due = kr(parse_amount(m["due"], "due")) if m["due"] else "—"
        paid = kr(parse_amount(m["paid"], "paid")) if m["paid"] else "—"
        wage = kr(parse_amount(m["basis_wage"], "wage")) if m["basis_wage"] else "—"
        typer.echo(f"{m['benefit_month']}  løn {m['basis_month']}: {wage:>16}  skyldig {due:>14}  udbetalt "
                   f"{paid:>14}  [{status_da.get(m['status'], m['status'])}]")
        if m.get("held"):
            typer.echo(f"    {m['held']['reason_da']}")
        for c in m["corrections"]:
            difference = kr(parse_amount(c["difference"], "difference", allow_negative=True), sign=True)
            typer.echo(f"    efterregulering #{c['id']}: {difference} — {c['explanation_da']}")
            if c["decision"]:
                d = c["decision"]
                typer.echo(f"      afgørelse: {d['outcome']} ({d['decided_by']}): {d['reason']}")


KIND_DA = {"original": "original", "correction": "rettelse", "reversal": "tilbageførsel"}


def _kr(text: str | None) -> str:
    return "—" if text is None else kr(parse_amount(text, "amount", allow_negative=True))


def _print_computation(comp: dict[str, Any] | None, error: str | None) -> None:
    """The month's computation step by step, or why there is none."""
    if comp is None:
        typer.echo(f"Beregning: ikke mulig ({error})")
    elif comp["result"] is None:
        typer.echo("Beregning: " + (comp["reason_da"] or "afventer indberetning fra arbejdsgiver "
                                    + ", ".join(comp["missing_employers"])))
    else:
        typer.echo("Beregning:")
        for step in comp["result"]["steps"]:
            amount_text = f": {_kr(step['amount'])}" if step["amount"] is not None else ""
            typer.echo(f"  {step['label']}{amount_text}  ({step['provision']})")
        if comp["reason_da"]:
            typer.echo(f"  Bemærk: {comp['reason_da']}")
        typer.echo(f"  Skyldigt tilskud: {_kr(comp['result']['subsidy'])}")


def _print_month(m: dict[str, Any]) -> None:
    """One benefit month for the caseworker, in Danish."""
    from flexcalc.period import Month

    benefit, basis = Month.parse(m["benefit_month"]), Month.parse(m["basis_month"])
    known = f" (som kendt {m['as_of']})" if m["as_of"] else ""
    typer.echo(f"Sag {m['case_id']} — {month_name(benefit)}, beregnet på lønnen i {month_name(basis)}{known}")
    typer.echo("")
    typer.echo("Lønindberetninger:")
    for r in m["reports"] or []:
        typer.echo(f"  {r['report_id']}  arbejdsgiver {r['employer_id']}  udbetalt {r['payment_date']}  løn "
                   f"{_kr(r['wage'])} + pension {_kr(r['pension_own'])} / {_kr(r['pension_employer'])}  "
                   f"({KIND_DA.get(r['kind'], r['kind'])}, modtaget {r['received_at'][:10]})")
    if not m["reports"]:
        typer.echo("  ingen")
    typer.echo("Hændelser:")
    for e in m["events"]:
        mark = "gælder" if e["in_force"] else "erstattet" if e["known"] else "ikke kendt endnu"
        document = f", {e['document']}" if e["document"] else ""
        typer.echo(f"  #{e['id']} {e['description_da']} af {e['registered_by']}{document} [{mark}]")
    if not m["events"]:
        typer.echo("  ingen")
    typer.echo("Lønloft:")
    for c in m["ceilings"]:
        when = f", kendt fra {c['known_at'][:10]}" if c["known_at"] else ""
        typer.echo(f"  {_kr(c['amount'])} fra {c['effective_month']}{when}" + ("" if c["known"] else " [ikke kendt]"))
    typer.echo("")
    _print_computation(m["computation"], m["error"])
    typer.echo("")
    pay = m["payment"]
    if pay is None:
        typer.echo("Udbetalt: intet" + (f" — {m['held']['reason_da']}" if m["held"] else ""))
    else:
        kind = "foreløbigt " if pay["kind"] == "provisional" else ""
        typer.echo(f"Udbetalt {kind}{_kr(pay['subsidy'])} (udbetaling efter ATP {_kr(pay['payout'])}) som kendt "
                   f"{pay['as_of'][:10]}, regelversion {pay['rule_version']}")
    for c in m["corrections"]:
        typer.echo(f"  efterregulering #{c['id']}: {_kr(c['difference'])} — {c['explanation_da']}")
    if pay is not None:
        typer.echo(f"I alt afregnet: {_kr(m['settled'])}")


@reports_app.command("ingest")
def reports_ingest(
    file: Annotated[Path, typer.Argument(help="CSV: report_id,case_id,employer_id,payment_date,period_start,"
                                              "period_end,wage,pension_own,pension_employer,hours,received_at,"
                                              "kind,corrects; with --format eindkomst the register's XML "
                                              "answer")],
    as_json: JsonOption = False,
    db: DbOption = None,
    format_: Annotated[str, typer.Option("--format", help="csv (our own columns) or eindkomst (the income "
                                                          "register's answer, IndkomstOplysningPersonHent_O XML: "
                                                          "persons matched by CPR to the cases).")] = "csv",
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a progress bar on standard error (eindkomst; default: on a "
                                         "terminal, never with --json).")] = None,
) -> None:
    """Ingest a file of wage reports: all of it or, on any error, none of it."""
    if format_ == "eindkomst":
        _ingest_register(file, as_json, db, progress)
        return
    if format_ != "csv":
        fail(InputError("format", "must be csv or eindkomst", "skal være csv eller eindkomst", code="format"))
    from flexcalc.ledger.reports import read_csv_text
    from flexcalc.ledger.store import ingest_reports

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        fail(InputError("file", f"cannot read {file}", f"kan ikke læse {file}", code="file"))
    with input_errors():
        reports = read_csv_text(text)
    where = _row_labels(text)
    factory = _ledger(db)
    audit_before(factory, "reports ingest")
    with input_errors():
        result = ingest_reports(factory, reports, where)
    if as_json:
        print_json(result.to_dict())
        return
    for report_id in result.already_stored:
        typer.echo(f"{report_id}: already stored, nothing to do (allerede gemt)")
    typer.echo(f"ingested {len(result.stored)} report(s); {len(result.already_stored)} already stored")


def _ingest_register(file: Path, as_json: bool, db: str | None, progress: bool | None) -> None:
    """The income register's answer (eIndkomst): read as a stream, stored in one transaction."""
    from flexcalc.ledger.register_import import ingest_register

    try:
        size = file.stat().st_size
    except OSError:
        fail(InputError("file", f"cannot read {file}", f"kan ikke læse {file}", code="file"))
    factory = _ledger(db)
    audit_before(factory, "reports ingest --format eindkomst")
    with input_errors(), _run_progress("Indlæser", "bytes", progress, as_json) as hook:
        result = ingest_register(factory, lambda: file.open("rb"), progress=hook, total_bytes=size)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    typer.echo(f"read {data['read']}: stored {data['stored']}, unchanged {data['unchanged']}, corrections "
               f"{data['corrections']}, reversals {data['reversals']}, held {data['held']}, no case for the CPR "
               f"number {data['unknown_cpr']}")
    for code, count in data["held_reasons"].items():
        typer.echo(f"  held {code}: {count}")


@reports_app.command("register")
def reports_register(
    case: Annotated[str, typer.Argument(help="The case id.")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The case's reports from the income register: each with its register ids and the parts of the wage
    with their source fields; and the register records held for the caseworker, with the reason."""
    from flexcalc.ledger.register_import import held_records, register_parts
    from flexcalc.ledger.store import get_case

    with input_errors(), _ledger(db)() as session:
        get_case(session, case)
        data: dict[str, Any] = {"case_id": case, "reports": register_parts(session, case),
                                "held": held_records(session, case)}
    if as_json:
        print_json(data)
        return
    for r in data["reports"]:
        what = (f"tilbagefører {r['reverses_own_id']}" if r["kind"] == "reversal"
                else f"lønindtægt {_kr(r['wage_income'])}")
        typer.echo(f"{r['report_id']}  SE {r['employer_id']}  {KIND_DA.get(r['kind'], r['kind'])}  {what}  "
                   f"(registrets id {r['register_id']}, eget id {r['own_id']})")
        for p in r["parts"]:
            felt = f"felt {p['felt']}" if p["felt"] else "felt uden kendt nr."
            counted = {"info": "tæller ikke", "hours": "timer"}.get(p["use"], "tæller")
            value = p["amount"] if p["use"] == "hours" else _kr(p["amount"])
            typer.echo(f"    {p['label_da']}: {value} ({felt}, {p['field_id']}; {counted})")
    for h in data["held"]:
        typer.echo(f"tilbageholdt: SE {h['employer_id']} {h['payment_date'] or ''}: {h['reason_da']}")


def _row_labels(text: str) -> list[str]:
    """The spreadsheet row of every non-empty data row (header = row 1)."""
    import csv
    import io

    labels = []
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    for row in reader:
        if any(cell.strip() for cell in row):
            labels.append(f"row {reader.line_num}")
    return labels


ProgressOption = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", help="Show a progress bar on standard error (default: on a terminal, never with "
                                     "--json).")]


@contextmanager
def _run_progress(label: str, unit: str, show: bool | None, as_json: bool) -> Iterator[Any]:
    """A rich progress bar for a long run, on standard error: shown on a terminal (or
    with --progress), never with --json; yields the run's ``progress(done, total)`` hook or None."""
    if as_json or show is False:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if show is None and not console.is_terminal:
        yield None
        return
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit), TimeElapsedColumn(),
                   console=console, transient=console.is_terminal)
    task = bar.add_task(label, total=None)

    def hook(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield hook


@app.command()
def pay(
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The benefit month to pay.")],
    as_of: AsOfOption,
    as_json: JsonOption = False,
    progress: ProgressOption = None,
    db: DbOption = None,
) -> None:
    """Pay a benefit month for every active case on the reports received up to --as-of.

    The summary gives the month's totals (subsidy, own ATP share, payout) over every payment of it."""
    from flexcalc.ledger.payments import pay_month

    benefit_month = month(month_)
    instant = _as_of(as_of)
    factory = _ledger(db)
    audit_before(factory, f"pay {benefit_month}")
    with input_errors(), _run_progress("Udbetaler", "sager", progress, as_json) as hook:
        result = pay_month(factory, benefit_month, instant, progress=hook)
    if as_json:
        print_json(result.to_dict())
        return
    for held in result.held:
        typer.echo(f"held {held['case_id']} {held['benefit_month']}: {held['reason']}")
    s = result.summary()
    typer.echo(f"{benefit_month}: paid {s['paid']}, held {s['held']}, already paid {s['already_paid']}")
    t = result.totals
    typer.echo(f"{benefit_month} in total: subsidy {t['total_subsidy']}, own ATP {t['total_atp_own']}, "
               f"payout {t['total_payout']}")
    for scheme, run in result.schemes.items():  # the other schemes' flows (flexcalc.ledger.scheme_flows)
        counts = ", ".join(f"{status} {count}" for status, count in sorted(run["counts"].items()))
        typer.echo(f"{benefit_month} scheme {scheme}: {counts}; paid in this run {run['total_paid']}")


@app.command()
def reconcile(
    as_of: AsOfOption,
    case: Annotated[list[str] | None, typer.Option(help="Only this case (repeatable).")] = None,
    as_json: JsonOption = False,
    progress: ProgressOption = None,
    db: DbOption = None,
) -> None:
    """Recompute every paid month that newer reports affect; record a correction for each difference."""
    from flexcalc.ledger.reconcile import reconcile as run

    instant = _as_of(as_of)
    factory = _ledger(db)
    audit_before(factory, "reconcile")
    with input_errors(), _run_progress("Efterregulerer", "sager", progress, as_json) as hook:
        result = run(factory, instant, case, progress=hook)
    if as_json:
        print_json(result.to_dict())
        return
    for c in result.corrections:
        typer.echo(f"{c['case_id']} {c['benefit_month']}: {c['difference']} ({c['reason_text']}) "
                   f"caused by {' '.join(c['caused_by']) or '-'}; {c['status']}")
    s = result.summary()
    typer.echo(f"corrections {s['corrections']}: efterbetaling {s['efterbetaling']} ({s['to_pay']} kr.), "
               f"possible repayment {s['repayment_review']} ({s['possible_repayment']} kr.), "
               f"regulation {s['regulation']} ({s['to_regulate']} kr.)")


@held_app.command("list")
def held_list(
    case: Annotated[str | None, typer.Option(help="Only this case.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Months held as awaiting report, with the reason."""
    from flexcalc.ledger.payments import open_holds

    with _ledger(db)() as session:
        holds = open_holds(session, case)
    if as_json:
        print_json(holds)
        return
    for h in holds:
        typer.echo(f"{h['case_id']} {h['benefit_month']}: {h['reason_da']}")
    typer.echo(f"{len(holds)} held month(s)")


@held_app.command("release")
def held_release(
    case: Annotated[str, typer.Argument(help="The case id.")],
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The held benefit month.")],
    wage: Annotated[str, typer.Option(help="The documented wage of the missing report(s) incl. pension, kr.")],
    document: Annotated[str, typer.Option(help="The documentation (e.g. 'lønseddel marts 2024').")],
    by: Annotated[str, typer.Option(help="Who releases the payment.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="What is known (default: as when the month was "
                                                               "held).")] = None,
    expect_version: ExpectVersionOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Release a provisional payment of a held month on a documented wage (payslip or contract)."""
    from flexcalc.cli.item_version import item_write
    from flexcalc.ledger.payments import release_provisional
    from flexcalc.security.redact import redact

    benefit_month = month(month_)
    documented = amount(wage, "wage")
    document, by = redact(document), redact(by)  # free text: no CPR number is stored
    with item_write(_ledger(db), case, benefit_month, expect_version) as session:
        out = release_provisional(session, case, benefit_month, documented, document, by,
                                  _as_of(as_of) if as_of else None)
        audit_write(session, f"held release {benefit_month}", case_id=case, by=by)
    if as_json:
        print_json(out)
        return
    typer.echo(f"{case} {benefit_month}: foreløbig udbetaling {kr(parse_amount(out['subsidy'], 's'))} på "
               f"dokumenteret løn {kr(documented)} ({document})")


@corrections_app.command("list")
def corrections_list(
    case: Annotated[str | None, typer.Option(help="Only this case.")] = None,
    pending: Annotated[bool, typer.Option(help="Only possible repayments without a decision.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Corrections, with their causes and decisions."""
    from sqlalchemy import select

    from flexcalc.ledger.corrections import correction_dict
    from flexcalc.ledger.models import Correction, Decision

    with _ledger(db)() as session:
        query = select(Correction, Decision).outerjoin(Decision, Decision.correction_id == Correction.id)
        if case:
            query = query.where(Correction.case_id == case)
        rows = [correction_dict(c, d) for c, d in session.execute(query.order_by(Correction.id))]
    if pending:
        rows = [r for r in rows if r["status"] == "repayment_review" and r["track"] == "repayment_review"
                and r["decision"] is None]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        decided = f" — {r['decision']['outcome']}" if r["decision"] else ""
        typer.echo(f"#{r['id']} {r['case_id']} {r['benefit_month']}: {r['difference']} [{r['status']}, "
                   f"{r['track']}{decided}] "
                   f"{r['explanation_da']}")


@corrections_app.command("decide")
def corrections_decide(
    correction: Annotated[int, typer.Argument(help="The correction id.")],
    outcome: Annotated[str, typer.Argument(help="collect (opkræv) or waive (frafald).")],
    reason: Annotated[str, typer.Option(help="The reason (the hearing, good faith: PM 6-23).")],
    by: Annotated[str, typer.Option(help="Who decided.")],
    knowledge: Annotated[str | None, typer.Option(help="The assessment of 'knew or should have known' (PM 6-23): "
                                                       "knew, should_have_known or did_not_know; the decision "
                                                       "letter states it.")] = None,
    reply_summary: Annotated[str | None, typer.Option("--reply-summary", help="What the person replied, for the "
                                                                              "decision letter.")] = None,
    reply_weighing: Annotated[str | None, typer.Option("--reply-weighing", help="How the reply was weighed, for "
                                                                                "the decision letter.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="An internal note (never in a letter).")] = None,
    expect_version: ExpectVersionOption = None,
    decided_at: Annotated[str | None, typer.Option("--decided-at", help="When it was decided (default now; "
                                                                        "ISO 8601, Danish time).")] = None,
    db: DbOption = None,
) -> None:
    """Record the caseworker's decision on a possible repayment. collect is refused (exit 2, nothing stored)
    without a hearing on file (reply date passed or reply recorded) or a recorded exception."""
    from flexcalc.cli.item_version import correction_write
    from flexcalc.ledger.corrections import record_decision

    with correction_write(_ledger(db), correction, expect_version) as (session, _case_id, _month):
        decision = record_decision(session, correction, outcome, reason, by, knowledge=knowledge,
                                   reply_summary=reply_summary, reply_weighing=reply_weighing, internal_note=note,
                                   decided_at=_as_of(decided_at) if decided_at else None)
        from flexcalc.ledger.models import Correction

        found = session.get(Correction, correction)
        audit_write(session, f"corrections decide {correction}", case_id=found.case_id if found else None, by=by)
    typer.echo(f"afgørelse registreret for efterregulering #{correction}: {decision.outcome} ({decision.decided_by})")


__all__ = ["EXIT_INPUT"]


@rates_app.command("confirm")
def rates_confirm(
    month_: Annotated[str, typer.Option("--month", metavar="YYYY-MM", help="The benefit month whose assumed rates "
                                                                           "are confirmed.")],
    source: Annotated[str, typer.Option("--source", help="The publication or decision the rates are confirmed "
                                                         "on (e.g. a URL, or 'kommunens beslutning 2026-12-07').")],
    by: Annotated[str, typer.Option("--by", help="Who confirms (name or initials).")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Confirm the assumed rates of a benefit month, so the next payment run pays the months it held.

    Recorded append-only with who, when, the source and the fingerprint of the values confirmed (if the
    values change, the month is held again until they are confirmed)."""
    from flexcalc.ledger.confirmations import confirm_rates, confirmation_dict, rates_hold_reason
    from flexcalc.security.audit import AuditEvent, record

    benefit_month = month(month_)
    factory = _ledger(db)
    with input_errors(), factory() as session, session.begin():
        rates_hold_reason(benefit_month)  # a month outside the rates table is a clear error first
        row = confirm_rates(session, benefit_month, source, by, role="cli")
        record(session, [AuditEvent(action="write")], method="CLI", route="flexcalc rates confirm", status=201)
        data = confirmation_dict(row)
    if as_json:
        print_json(data)
        return
    typer.echo(f"{benefit_month}: satserne er bekræftet af {data['confirmed_by']} ({data['source']}); "
               f"næste udbetaling betaler de tilbageholdte måneder. / the rates are confirmed; the next run pays.")
