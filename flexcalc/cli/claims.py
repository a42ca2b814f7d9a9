"""Repayment claims on the command line: list, show, instalment plan, payments, the handover to
Gældsstyrelsen, and a case's money in one account (``flexcalc claims balance``).

Every command takes ``--db URL``; bad input exits 2 naming the field; nothing is stored half-written.
A write (plan, pay, handover) acts on the claim as it was seen: ``--balance-seen`` names the balance read
with ``claims show`` (at a terminal, without it, the claim is shown and the write asks first); a claim
changed since is refused, nothing stored. Each write adds its audit row in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.cli_audit import audit_write
from flexcalc.cli.common import amount, app, fail, input_errors, month, print_json, require_at_terminal
from flexcalc.errors import InputError
from flexcalc.text_da.format import kr

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "the embedded SQLite file var/flexcalc.sqlite).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OnOption = Annotated[str | None, typer.Option("--as-of", help="The date (YYYY-MM-DD; default today).")]
ByOption = Annotated[str, typer.Option("--by", help="Who records it.")]
SeenOption = Annotated[str | None, typer.Option(
    "--balance-seen", help="The claim's balance as you read it (claims show); a claim changed since is refused. "
                           "Required when not run from a terminal.")]

claims_app = typer.Typer(help="Repayment claims (LAB § 125): plan, payments, set-off, handover.",
                         no_args_is_help=True)
app.add_typer(claims_app, name="claims")


def _ledger(db: str | None) -> Any:
    from flexcalc.cli.common import ledger_sessions

    return ledger_sessions(db)


def _date(value: str | None, field: str = "as-of") -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(InputError(field, "must be a date YYYY-MM-DD", "skal være en dato ÅÅÅÅ-MM-DD", code="date"))


def _seen(db: str | None, claim: int, day: dt.date, balance_seen: str | None) -> Decimal:
    """The balance the write acts on: ``--balance-seen``; else, at a terminal, the claim is shown and the
    user confirms; else exit 2 naming the option."""
    from flexcalc.ledger.claims import get_claim

    if balance_seen is not None:
        return amount(balance_seen, "balance-seen")
    require_at_terminal("--balance-seen", "the claim's balance from `flexcalc claims show ID`",
                        "kravets restgæld fra `flexcalc claims show ID`")
    with input_errors(), _ledger(db)() as session:
        shown = get_claim(session, claim, day)
    _print_claim(shown.to_dict())
    if not typer.confirm("Handle på netop dette krav med denne restgæld?", default=False):
        raise typer.Exit(1)
    return shown.balance


def _print_claim(c: dict[str, Any]) -> None:
    typer.echo(f"#{c['id']} {c['case_id']} {c['concerns_month']}: {c['amount']} ({c['claim_type']}), "
               f"restgæld {c['balance']} [{c['status']}]; forfald {c['due_date']}, forældelse {c['limitation_date']}")


@claims_app.command("list")
def claims_list(case: Annotated[str | None, typer.Option(help="Only this case.")] = None,
                as_of: OnOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Every claim with its balance, status and dates."""
    from flexcalc.ledger.claims import list_claims

    with _ledger(db)() as session:
        rows = [s.to_dict() for s in list_claims(session, _date(as_of), case)]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        _print_claim(r)
    typer.echo(f"{len(rows)} claim(s)")


@claims_app.command("show")
def claims_show(claim: Annotated[int, typer.Argument(help="The claim id.")], as_of: OnOption = None,
                as_json: JsonOption = False, db: DbOption = None) -> None:
    """One claim with its plan and events."""
    from flexcalc.ledger.claims import get_claim

    with input_errors(), _ledger(db)() as session:
        row = get_claim(session, claim, _date(as_of)).to_dict()
    if as_json:
        print_json(row)
        return
    _print_claim(row)
    for e in row["events"]:
        typer.echo(f"  {e['on_date']} {e['kind']} {e['amount'] or e['monthly_amount'] or ''} {e['reference'] or ''}")


@claims_app.command("plan")
def claims_plan(
    claim: Annotated[int, typer.Argument(help="The claim id.")],
    method: Annotated[str, typer.Option(help="instalment (afdrag), setoff (modregning i tilskuddet) or deferral "
                                             "(henstand).")],
    reason: Annotated[str, typer.Option(help="Why this plan (income per the table, budget, deferral).")],
    by: ByOption,
    monthly: Annotated[str | None, typer.Option(help="The monthly amount, kr. (default: the order's amount "
                                                     "without income data).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First month YYYY-MM (default: the next).")] = None,
    on: OnOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    net_income: Annotated[str | None, typer.Option("--net-income", help="The person's annual net income, kr.: "
                                                                       "the monthly amount from the table of the "
                                                                       "debt-collection order.")] = None,
    provider: Annotated[bool, typer.Option("--provider", help="The person supports children (lower rate).")] = False,
    balance_seen: SeenOption = None,
) -> None:
    """Record an instalment plan (afdragsordning) for a claim; the latest plan is in force."""
    from flexcalc.ledger.claims import claim_for_write, get_claim, record_plan
    from flexcalc.ledger.store import transaction
    from flexcalc.security.redact import redact

    day = _date(on)
    reason, by = redact(reason), redact(by)  # free text: no CPR number is stored
    seen = _seen(db, claim, day, balance_seen)
    with input_errors(), transaction(_ledger(db)) as session:
        state = claim_for_write(session, claim, day, seen)
        record_plan(session, claim, method, amount(monthly, "monthly") if monthly else None, reason, by, day,
                    month(from_, "from") if from_ else None,
                    net_income=amount(net_income, "net-income") if net_income else None, provider=provider)
        audit_write(session, f"claims plan {claim}", case_id=state.claim.case_id, by=by)
        row = get_claim(session, claim, day).to_dict()
    if as_json:
        print_json(row)
        return
    plan = row["plan"]
    typer.echo(f"afdragsordning for krav #{claim}: {plan['method']} {plan['monthly_amount']} pr. måned")


@claims_app.command("pay")
def claims_pay(
    claim: Annotated[int | None, typer.Argument(help="The claim id (or --file).")] = None,
    amount_: Annotated[str | None, typer.Option("--amount", help="The amount paid, kr.")] = None,
    on: OnOption = None,
    reference: Annotated[str, typer.Option(help="The payment's reference.")] = "",
    file: Annotated[Path | None, typer.Option(help="A CSV file claim_id,amount,date,reference.")] = None,
    by: ByOption = "",
    as_json: JsonOption = False,
    db: DbOption = None,
    balance_seen: SeenOption = None,
) -> None:
    """Register a payment on a claim (or every payment of a file: all or none; a payment already
    registered, as from a file read twice, refuses the file)."""
    from flexcalc.ledger.claims import claim_for_write, event_dict, payments_from_file, record_payment
    from flexcalc.ledger.store import transaction
    from flexcalc.security.redact import redact

    reference, by = redact(reference), redact(by)  # free text: no CPR number is stored
    if file is None and (claim is None or amount_ is None):
        fail(InputError("amount", "give the claim and --amount, or --file",
                        "angiv kravet og --amount, eller --file", code="missing"))
    if file is not None and (claim is not None or balance_seen is not None):
        fail(InputError("file", "a file names its claims: give --file alone, without a claim or --balance-seen",
                        "en fil angiver selv sine krav: angiv --file alene, uden krav eller --balance-seen",
                        code="file_alone"))
    day = _date(on, "as-of")
    seen = None if claim is None else _seen(db, claim, day, balance_seen)
    with input_errors(), transaction(_ledger(db)) as session:
        if file is not None:
            events = payments_from_file(session, file.read_text(encoding="utf-8"), by)
        elif claim is not None and amount_ is not None and seen is not None:
            claim_for_write(session, claim, day, seen)
            events = [record_payment(session, claim, amount(amount_, "amount"), day, reference, by)]
        for case_id in dict.fromkeys(e.case_id for e in events):
            audit_write(session, "claims pay" + (" --file" if file is not None else f" {claim}"), case_id=case_id,
                        by=by)
        rows = [event_dict(e) for e in events]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        typer.echo(f"indbetaling {r['amount']} registreret ({r['on_date']})")


@claims_app.command("handover")
def claims_handover(
    claim: Annotated[int, typer.Argument(help="The claim id.")],
    by: ByOption,
    out: Annotated[Path, typer.Option(help="Where to write the handover file (CSV).")],
    on: OnOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    balance_seen: SeenOption = None,
) -> None:
    """Hand a claim over to Gældsstyrelsen (claim type KTBRFLX): record it and write the file. The file is
    written before the handover commits: a file that cannot be written leaves the claim as it was. The
    same file can be written again later with ``claims handover-file``."""
    from flexcalc.ledger.claims import claim_for_write, event_dict, handover
    from flexcalc.ledger.store import transaction

    day = _date(on)
    seen = _seen(db, claim, day, balance_seen)
    written = False
    try:
        with input_errors(), transaction(_ledger(db)) as session:
            state = claim_for_write(session, claim, day, seen)
            event, text = handover(session, claim, day, by)
            audit_write(session, f"claims handover {claim}", case_id=state.claim.case_id, by=by)
            row = event_dict(event)
            _write_file(out, text)
            written = True
    except BaseException:
        if written:  # the handover did not commit: no file may claim it did
            out.unlink(missing_ok=True)
        raise
    if as_json:
        print_json({**row, "path": str(out)})
        return
    typer.echo(f"krav #{claim} overdraget til inddrivelse: {out}")


def _write_file(out: Path, text: str) -> None:
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(InputError("out", f"the file cannot be written ({error.strerror}); nothing stored",
                        f"filen kan ikke skrives ({error.strerror}); intet er gemt", code="unwritable"))


@claims_app.command("handover-file")
def claims_handover_file(
    claim: Annotated[int, typer.Argument(help="The claim id.")],
    out: Annotated[Path | None, typer.Option(help="Write the file here (else print it).")] = None,
    db: DbOption = None,
) -> None:
    """The handover file of a claim already handed over, made again from the ledger (the same file)."""
    from flexcalc.ledger.claims import handover_file

    with input_errors(), _ledger(db)() as session:
        name, text = handover_file(session, claim)
    if out is None:
        typer.echo(text, nl=False)
        return
    _write_file(out, text)
    typer.echo(f"{name}: {out}")


@claims_app.command("balance")
def claims_balance(case: Annotated[str, typer.Argument(help="The case id.")], as_of: OnOption = None,
                   as_json: JsonOption = False, db: DbOption = None) -> None:
    """A case's money in one account: paid, back paid, netted, collected, due and what is open."""
    from flexcalc.ledger.settlement import case_balance
    from flexcalc.ledger.store import get_case

    with input_errors(), _ledger(db)() as session:
        get_case(session, case)
        row = case_balance(session, case, _date(as_of))
    if as_json:
        print_json(row)
        return
    for key, value in row.items():
        typer.echo(f"{key}: {value}")


@claims_app.command("letter")
def claims_letter(claim: Annotated[int, typer.Argument(help="The claim id.")], as_of: OnOption = None,
                  db: DbOption = None,
                  plan: Annotated[bool, typer.Option("--plan", help="The letter about the instalment plan "
                                                                    "instead of the demand.")] = False,
                  fmt: Annotated[str, typer.Option("--format", help="text, html or pdf (needs --output).")] = "text",
                  output: Annotated[Path | None, typer.Option(help="Write the letter to this file.")] = None) -> None:
    """The demand letter (opkrævning) of a claim, or its instalment-plan letter, in plain Danish: as text, or as
    HTML or the tagged PDF (PDF/UA) of the letters' pipeline."""
    from flexcalc.ledger.claims import get_claim
    from flexcalc.letters.demand import demand_document, demand_letter, plan_document

    day = _date(as_of)
    kind = (fmt or "").strip().lower()
    if kind not in ("text", "html", "pdf"):
        fail(InputError("format", "must be text, html or pdf", "skal være text, html eller pdf", code="format"))
    if kind == "pdf" and output is None:
        fail(InputError("output", "a PDF is written to a file: give --output FILE",
                        "en PDF skrives til en fil: angiv --output FIL", code="pdf_needs_output"))
    with input_errors(), _ledger(db)() as session:
        state = get_claim(session, claim, day)
        letter = plan_document(state, day) if plan else demand_document(state, day)
    if kind == "pdf" and output is not None:
        output.write_bytes(letter.pdf())
        typer.echo(f"brev skrevet: {output}")
        return
    body = letter.html() if kind == "html" else (letter.text() if plan or output else demand_letter(state))
    if output is not None:
        output.write_text(body, encoding="utf-8")
        typer.echo(f"brev skrevet: {output}")
        return
    typer.echo(body)


__all__ = ["kr"]
