"""The caseworker's workbench on the command line: the worklist across cases and the hearing
(partshøring) of a possible repayment.

``flexcalc worklist [--kind …] [--case …] [--month …] [--min-age N] [--today YYYY-MM-DD] [--json]``,
``flexcalc corrections hearing ID --sent-on … [--reply-by …] --by … [--letter …]`` and
``flexcalc corrections reply ID --received-on … --summary … --by …``. Bad input exits 2 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from flexcalc.cli.common import app, fail, input_errors, month, print_json
from flexcalc.cli.item_version import ExpectVersionOption, correction_write
from flexcalc.cli.ledger import DbOption, JsonOption, corrections_app
from flexcalc.errors import InputError
from flexcalc.text_da.format import kr


def _ledger(db: str | None) -> Any:
    from flexcalc.cli.common import ledger_sessions

    return ledger_sessions(db)


def _today(value: str | None) -> dt.date:
    from flexcalc.ledger.hearings import today_local
    from flexcalc.parsing.inputs import parse_date

    try:
        return parse_date(value, "today") if value else today_local()
    except InputError as error:
        fail(error)


@app.command("worklist")
def worklist_command(
    kind: Annotated[list[str] | None, typer.Option(help="Only this kind (repeatable): held_month, "
                                                        "repayment_awaiting_hearing, hearing_awaiting_reply, "
                                                        "hearing_reply_overdue, "
                                                        "awaiting_decision, possible_duplicate, "
                                                        "events_after_payment, claim_due_unpaid, "
                                                        "instalment_missed, claim_limitation_near.")] = None,
    case: Annotated[str | None, typer.Option(help="Only this case.")] = None,
    month_: Annotated[str | None, typer.Option("--month", help="Only this benefit month, YYYY-MM.")] = None,
    min_age: Annotated[int | None, typer.Option("--min-age", min=0, help="Only items at least this many days "
                                                                          "old.")] = None,
    today: Annotated[str | None, typer.Option(help="The day ages are counted to (default today).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What waits for a caseworker across cases, oldest first."""
    from flexcalc.ledger.item_version import with_versions
    from flexcalc.ledger.worklist import WorklistFilter, parse_kinds, worklist

    day = _today(today)
    with input_errors():
        where = WorklistFilter(case_id=case, month=month(month_, "month") if month_ else None,
                               kinds=parse_kinds(kind), min_age=min_age)
        with _ledger(db)() as session:
            items = worklist(session, day, where)
            shown = with_versions(session, items, day) if as_json else []
    if as_json:
        print_json(shown)
        return
    for i in items:
        amount = "" if i.amount is None else f" {kr(i.amount, sign=True)}"
        typer.echo(f"{i.case_id} {i.month} [{i.kind}] {i.age_days(day)} dage{amount}: {i.label_da}")
    typer.echo(f"{len(items)} opgave(r)")


@corrections_app.command("hearing")
def corrections_hearing(
    correction: Annotated[int, typer.Argument(help="The correction id (a possible repayment).")],
    sent_on: Annotated[str, typer.Option("--sent-on", help="The hearing letter's date, YYYY-MM-DD.")],
    by: Annotated[str, typer.Option(help="Who sent it.")],
    reply_by: Annotated[str | None, typer.Option("--reply-by", help="The reply date (default 14 days after "
                                                                    "--sent-on).")] = None,
    letter: Annotated[str | None, typer.Option(help="The letter's id in the case file.")] = None,
    oral: Annotated[str | None, typer.Option("--oral", help="An oral hearing held on --sent-on: who held it "
                                                             "(and who took part).")] = None,
    expect_version: ExpectVersionOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record that a hearing (partshøring) on a possible repayment was held: a letter sent, or --oral."""
    from flexcalc.ledger.hearings import LETTER, ORAL, record_hearing_sent

    with correction_write(_ledger(db), correction, expect_version) as (session, case_id, _month):
        out = record_hearing_sent(session, case_id, correction, sent_on, reply_by, by, letter,
                                  channel=ORAL if oral else LETTER, held_by=oral).to_dict()
    if as_json:
        print_json(out)
        return
    again = " (allerede registreret)" if out["already_recorded"] else ""
    typer.echo(f"partshøring registreret for efterregulering #{correction}: sendt {out['sent_on']}, "
               f"svarfrist {out['reply_by']}{again}")


@corrections_app.command("reply")
def corrections_reply(
    correction: Annotated[int, typer.Argument(help="The correction id.")],
    received_on: Annotated[str, typer.Option("--received-on", help="The day the reply came, YYYY-MM-DD.")],
    summary: Annotated[str, typer.Option(help="What the reply says, in short.")],
    by: Annotated[str, typer.Option(help="Who records it.")],
    expect_version: ExpectVersionOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the reply to the hearing on a possible repayment (also before the reply date)."""
    from flexcalc.ledger.hearings import record_hearing_reply

    with correction_write(_ledger(db), correction, expect_version) as (session, case_id, _month):
        out = record_hearing_reply(session, case_id, correction, received_on, summary, by).to_dict()
    if as_json:
        print_json(out)
        return
    again = " (allerede registreret)" if out["already_recorded"] else ""
    typer.echo(f"svar på partshøring registreret for efterregulering #{correction}: modtaget "
               f"{out['received_on']}{again}")


@corrections_app.command("exception")
def corrections_exception(
    correction: Annotated[int, typer.Argument(help="The correction id (a possible repayment).")],
    ground: Annotated[str, typer.Option(help="own_information (the person supplied the facts: forvaltningsloven "
                                             "§ 19, stk. 1 does not apply) or fvl_19_2_1 … fvl_19_2_5 (§ 19, "
                                             "stk. 2, nr. 1–5).")],
    explanation: Annotated[str, typer.Option(help="Why the ground applies in this case.")],
    by: Annotated[str, typer.Option(help="Who records it.")],
    expect_version: ExpectVersionOption = None,
    db: DbOption = None,
) -> None:
    """Record why a possible repayment may be decided without a hearing, with its legal ground."""
    from flexcalc.ledger.hearings import record_hearing_exception

    with correction_write(_ledger(db), correction, expect_version) as (session, case_id, _month):
        out = record_hearing_exception(session, case_id, correction, ground, explanation, by)
    typer.echo(f"undtagelse fra partshøring registreret for efterregulering #{correction}: {out['provision']}")
