"""Management information and supervision on the command line:

- ``flexcalc insight MONTH [--json|--csv|--xlsx FILE] [--as-of INSTANT] [--manager]``: the month in figures
  and the 12 months before it (``--manager``: the figures without persons, as the API's manager sees them);
- ``flexcalc complaint add|step|show``: the complaint register (each write audited, a step states the
  complaint's version it was made on);
- ``flexcalc supervision run|show|trend|finding|done``: a management supervision of sampled cases, its
  results and the trend of shares passing, a supervisor's finding on a case and the caseworker's follow-up.

Every command takes ``--db URL``; bad input exits 2 naming the field; nothing is stored half-written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.cli_audit import actor, audit_write
from flexcalc.cli.common import app, fail, input_errors, month, print_json
from flexcalc.errors import InputError

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who records it (default: the global --by or the OS "
                                                          "user).")]


def _ledger(db: str | None) -> Any:
    from flexcalc.ledger.store import open_ledger

    return open_ledger(db)


def _instant(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(InputError("as-of", "must be an instant YYYY-MM-DDTHH:MM[+zone]",
                        "skal være et tidspunkt ÅÅÅÅ-MM-DDTTT:MM[+zone]", code="instant"))
    if parsed.tzinfo is None:
        from flexcalc.ledger.reports import LOCAL_ZONE

        parsed = parsed.replace(tzinfo=LOCAL_ZONE)
    return parsed


@app.command()
def insight(
    month_: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The benefit month.")],
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the trend as CSV (one row per month).")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write an Excel workbook to this file.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count only what was recorded by this instant "
                                              "(default: now, at most the end of the month).")] = None,
    manager: Annotated[bool, typer.Option("--manager", help="Without persons: counts 1-4 as <5 (the API's "
                                          "manager view).")] = False,
    db: DbOption = None,
) -> None:
    """The month in figures and the 12 months before it: caseload, payments, held months, corrections,
    repayments, claims, hearings, complaints, lønloft changes, late events, and the employers' late and
    corrected reports."""
    from flexcalc.insight.export import figures_csv, figures_xlsx
    from flexcalc.insight.figures import manager_view, month_figures

    benefit = month(month_)
    when = _instant(as_of)
    with input_errors():
        figures = month_figures(_ledger(db), benefit, when)
    data = manager_view(figures) if manager else figures.to_dict()
    if xlsx is not None:
        figures_xlsx(figures, xlsx, data)
    if as_json:
        print_json(data)
        return
    if as_csv:
        sys.stdout.write(figures_csv(data))
        return
    c = data["current"]
    typer.echo(f"{data['month']} (opgjort {data['as_of']})")
    for key in ("caseload", "payments", "subsidy_total", "held", "held_still", "corrections", "repayments_collected",
                "repayments_waived", "claims_outstanding", "hearings_sent", "replies_on_time", "complaints_received",
                "ceiling_changes", "events_after_payment", "late_reports", "corrected_reports", "reversed_reports"):
        typer.echo(f"  {key:<28} {c[key]}")
    typer.echo(f"  corrections by cause: {c['corrections_by_cause']}")
    typer.echo(f"  held months by age (days): {data['held_by_age_days']}")
    for e in data["employers"]:
        typer.echo(f"  employer {e['employer_cvr']}: late {e['late']}, corrected {e['corrected']}, "
                   f"reversed {e['reversed']}, cases {e['cases_touched']}")
    if xlsx is not None:
        typer.echo(f"wrote {xlsx}")


complaint_app = typer.Typer(help="The complaint register: received, reconsidered, sent to Ankestyrelsen, outcome.",
                            no_args_is_help=True)
app.add_typer(complaint_app, name="complaint")


@complaint_app.command("add")
def complaint_add(case: Annotated[str, typer.Argument(help="The case id.")],
                  received_on: Annotated[str, typer.Option("--received-on", help="YYYY-MM-DD")],
                  subject: Annotated[str, typer.Option(help="What the complaint is about.")],
                  decision: Annotated[int | None, typer.Option(help="The decision complained about.")] = None,
                  by: ByOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Register a complaint received about a case."""
    from flexcalc.ledger.oversight import record_complaint
    from flexcalc.ledger.store import transaction

    with input_errors(), transaction(_ledger(db)) as session:
        out = record_complaint(session, case, received_on, subject, actor(by), decision)
        audit_write(session, "complaint add", case_id=case, by=by)
    _show(out, as_json)


@complaint_app.command("step")
def complaint_step(case: Annotated[str, typer.Argument(help="The case id.")],
                   complaint: Annotated[int, typer.Argument(help="The complaint's id.")],
                   kind: Annotated[str, typer.Option(help="reconsidered | sent_to_ankestyrelsen | outcome")],
                   on: Annotated[str, typer.Option("--on", help="The step's day, YYYY-MM-DD.")],
                   version: Annotated[int, typer.Option(help="The complaint's version as you saw it (its number "
                                                        "of steps; `complaint show`).")],
                   result: Annotated[str | None, typer.Option(help="kept | changed (reconsidered); upheld | "
                                                              "changed | remitted | rejected | withdrawn (outcome)")]
                   = None,
                   effect: Annotated[str | None, typer.Option(help="none | amount_changed | repayment_cancelled | "
                                                              "new_decision (with an outcome or a change)")] = None,
                   note: Annotated[str | None, typer.Option(help="A short note.")] = None,
                   by: ByOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Add a step to a complaint (refused if the complaint changed since the version you state)."""
    from flexcalc.ledger.oversight import record_complaint_step
    from flexcalc.ledger.store import transaction

    with input_errors(), transaction(_ledger(db)) as session:
        out = record_complaint_step(session, case, complaint, kind, on, actor(by), version=version, result=result,
                                    effect=effect, note=note)
        audit_write(session, "complaint step", case_id=case, by=by)
    _show(out, as_json)


@complaint_app.command("show")
def complaint_show(case: Annotated[str, typer.Argument(help="The case id.")], db: DbOption = None) -> None:
    """The case's complaints with their steps and versions (JSON)."""
    from flexcalc.ledger.oversight import case_complaints

    with input_errors(), _ledger(db)() as session:
        print_json(case_complaints(session, case))


def _show(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(out)
        return
    typer.echo(f"complaint #{out['id']} {out['case_id']}: {out['status']} (version {out['version']})")


supervision_app = typer.Typer(help="Management supervision (ledelsestilsyn) of sampled cases.", no_args_is_help=True)
app.add_typer(supervision_app, name="supervision")


@supervision_app.command("run")
def supervision_run(period_start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
                    period_end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
                    size: Annotated[int, typer.Option(help="Cases to sample.")] = 20,
                    seed: Annotated[int | None, typer.Option(help="The seed (default: drawn and recorded).")] = None,
                    reconcile_days: Annotated[int, typer.Option("--reconcile-days", help="Days allowed from a late "
                                                                "report to its correction.")] = 30,
                    by: ByOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Draw a seeded sample of the period's cases, run the checklist on each and store the results."""
    from flexcalc.cli.cli_audit import audit_before
    from flexcalc.insight.supervision import run_supervision

    factory = _ledger(db)
    with input_errors():
        audit_before(factory, "supervision run", by=by)
        out = run_supervision(factory, period_start, period_end, size, actor(by), seed=seed,
                              reconcile_days=reconcile_days)
    _show_run(out, as_json)


@supervision_app.command("show")
def supervision_show(run: Annotated[int, typer.Argument(help="The supervision's id.")],
                     as_json: JsonOption = False, db: DbOption = None) -> None:
    """A stored supervision with the result of every check on every case."""
    from flexcalc.insight.supervision import get_supervision

    with input_errors():
        out = get_supervision(_ledger(db), run)
    _show_run(out, as_json)


@supervision_app.command("trend")
def supervision_trend_cmd(db: DbOption = None) -> None:
    """The share of sampled cases passing each check, supervision by supervision (JSON)."""
    from flexcalc.insight.supervision import supervision_trend

    print_json(supervision_trend(_ledger(db)))


@supervision_app.command("finding")
def supervision_finding(case: Annotated[str, typer.Argument(help="The case id.")],
                        finding: Annotated[str, typer.Option(help="What the supervisor found.")],
                        follow_up: Annotated[str, typer.Option("--follow-up", help="What the caseworker is to do.")],
                        run: Annotated[int | None, typer.Option(help="The supervision it came from.")] = None,
                        check: Annotated[str | None, typer.Option(help="The check it concerns.")] = None,
                        due_on: Annotated[str | None, typer.Option("--due-on", help="YYYY-MM-DD")] = None,
                        by: ByOption = None, db: DbOption = None) -> None:
    """Record a finding on a case and the follow-up asked for (it appears in the caseworker's worklist)."""
    from flexcalc.ledger.oversight import record_finding
    from flexcalc.ledger.store import transaction

    with input_errors(), transaction(_ledger(db)) as session:
        out = record_finding(session, case, finding, follow_up, actor(by), run_id=run, check_id=check,
                             due_on=due_on)
        audit_write(session, "supervision finding", case_id=case, by=by)
    print_json(out)


@supervision_app.command("done")
def supervision_done(finding: Annotated[int, typer.Argument(help="The finding's id.")],
                     note: Annotated[str, typer.Option(help="What was done.")],
                     by: ByOption = None, db: DbOption = None) -> None:
    """Record a finding's follow-up done (once)."""
    from flexcalc.ledger.oversight import record_finding_done
    from flexcalc.ledger.store import transaction

    with input_errors(), transaction(_ledger(db)) as session:
        out = record_finding_done(session, finding, note, actor(by))
        audit_write(session, "supervision done", case_id=out["case_id"], by=by)
    print_json(out)


def _show_run(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(out)
        return
    typer.echo(f"supervision #{out['id']} {out['period_start']}..{out['period_end']}: seed {out['seed']}, "
               f"{out['sampled']} of {out['population']} cases, {out['cases_passing']} pass every check")
    for check, s in out["shares"].items():
        typer.echo(f"  {check:<26} pass {s['pass']:>3} fail {s['fail']:>3} n/a {s['not_applicable']:>3} "
                   f"share {s['share_passing']}")
