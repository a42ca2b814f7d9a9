"""Letters on the command line: draft a hearing letter, a decision letter or a monthly specification as
text, HTML or PDF; keep a draft in the case file (``--save --by WHO``), approve it, record that it was
sent, list a case's letters. Nothing is ever sent by flexcalc.

Bad input exits 2 naming the field (Danish and English); nothing is stored then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from flexcalc.cli.common import app, fail, input_errors, month, optional_date, print_json

letters_app = typer.Typer(help="Letters: hearing (partshøring), decision, monthly specification — drafts that a "
                               "caseworker approves; never sent by the system.", no_args_is_help=True)
app.add_typer(letters_app, name="letters")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (else FLEXCALC_DATABASE_URL, else "
                                                           "var/flexcalc.sqlite).")]
DateOption = Annotated[str | None, typer.Option("--date", help="The letter's date, YYYY-MM-DD (default today).")]
FormatOption = Annotated[str, typer.Option("--format", help="text, html, pdf or memo (a Digital Post MeMo message "
                                                           "with the PDF; pdf and memo need --output).")]
OutputOption = Annotated[Path | None, typer.Option("--output", help="Write the letter to this file (else stdout).")]
SaveOption = Annotated[bool, typer.Option("--save", help="Keep the draft in the case file (needs --by).")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who drafts it (with --save).")]
ChannelOption = Annotated[str, typer.Option("--channel", help="How the letter will be sent: digital_post or paper "
                                                             "(the complaint deadline it states depends on it).")]
ExpectOption = Annotated[str | None, typer.Option("--expect-sha256", help="The content_sha256 of the draft you read "
                                                                         "(`letters list --json`): refused if it "
                                                                         "differs.")]
FORMATS = ("text", "html", "pdf", "memo")
RecipientCvrOption = Annotated[str | None, typer.Option("--recipient-cvr", help="With --format memo: send to this "
                                                                              "company (CVR) instead of the case's "
                                                                              "person (CPR).")]


def _ledger(db: str | None) -> Any:
    from flexcalc.cli.common import ledger_sessions

    return ledger_sessions(db)


def _check_output(fmt: str, output: Path | None) -> str:
    from flexcalc.letters.errors import letter_error

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        fail(letter_error("format", "format"))
    if fmt in ("pdf", "memo") and output is None:
        fail(letter_error("output", "pdf_needs_output"))
    return fmt


def _memo(session: Any, case_id: str, title: str, kind: str, pdf: bytes, recipient_cvr: str | None) -> bytes:
    """The letter as a MeMo message; its message id goes to stderr (never the XML, which holds the CPR)."""
    from flexcalc.letters.digital_post import letter_as_memo

    message_id, xml = letter_as_memo(session, case_id=case_id, title=title, kind=kind, pdf=pdf,
                                     recipient_cvr=recipient_cvr)
    typer.echo(f"MeMo-meddelelse {message_id} (optag afsendelsen med `flexcalc letters sent ... --channel "
               f"digital_post --message-id {message_id}`)", err=True)
    return xml


def _emit(letter: Any, fmt: str, output: Path | None, memo: bytes | None = None) -> None:
    from flexcalc.letters.errors import letter_error

    content: str | bytes = memo if memo is not None else letter.pdf() if fmt == "pdf" else \
        letter.html() if fmt == "html" else letter.text()
    if output is None:
        typer.echo(content, nl=False)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError:
        fail(letter_error("output", "output", path=str(output)))
    typer.echo(f"{letter.kind}: {output}", err=True)


def _draft(build: Callable[[Any, dt.date], Any], letter_date: str | None, fmt: str, output: Path | None,
           save: bool, by: str | None, db: str | None, recipient_cvr: str | None = None) -> None:
    """Build the letter (and, with --save, store it) in one transaction; any error stores nothing."""
    from flexcalc.ledger.store import transaction
    from flexcalc.letters.errors import letter_error
    from flexcalc.letters.facts import today
    from flexcalc.letters.store import save_letter

    fmt = _check_output(fmt, output)
    day = optional_date(letter_date, "date") or today()
    if save and not (by or "").strip():
        fail(letter_error("by", "missing"))
    with input_errors(), transaction(_ledger(db)) as session:
        letter = build(session, day)
        row = save_letter(session, letter, by or "") if save else None
        memo = _memo(session, letter.case_id, letter.title, letter.kind, letter.pdf(), recipient_cvr) \
            if fmt == "memo" else None
    _emit(letter, fmt, output, memo)
    if row is not None:
        typer.echo(f"kladde gemt: brev {row.id} ({row.kind}, sag {row.case_id}); godkend med "
                   f"`flexcalc letters approve {row.id} --by NAVN`", err=True)


@letters_app.command("hearing")
def letters_hearing(
    correction: Annotated[list[int], typer.Option("--correction", help="The correction (a possible repayment); "
                                                                     "repeat for more months of one case.")],
    date: DateOption = None,
    reply_by: Annotated[str | None, typer.Option("--reply-by", help="The reply date, YYYY-MM-DD (default 14 days "
                                                                    "after the letter's date).")] = None,
    format_: FormatOption = "text",
    output: OutputOption = None,
    save: SaveOption = False,
    by: ByOption = None,
    channel: ChannelOption = "digital_post",
    db: DbOption = None,
    recipient_cvr: RecipientCvrOption = None,
) -> None:
    """The hearing letter (partshøring, forvaltningsloven § 19) for a possible repayment."""
    from flexcalc.letters import hearing_letter

    reply = optional_date(reply_by, "reply_by")
    _draft(lambda session, day: hearing_letter(session, correction, day, reply, channel), date, format_, output, save,
           by, db, recipient_cvr)


@letters_app.command("decision")
def letters_decision(
    correction: Annotated[int, typer.Option("--correction", help="The decided correction.")],
    date: DateOption = None,
    format_: FormatOption = "text",
    output: OutputOption = None,
    save: SaveOption = False,
    by: ByOption = None,
    channel: ChannelOption = "digital_post",
    db: DbOption = None,
    recipient_cvr: RecipientCvrOption = None,
) -> None:
    """The decision letter after the caseworker's decision (reasons, collection or waiver, complaint guidance)."""
    from flexcalc.letters import decision_letter

    _draft(lambda session, day: decision_letter(session, correction, day, channel), date, format_, output, save, by, db,
           recipient_cvr)


@letters_app.command("specification")
def letters_specification(
    case: Annotated[str, typer.Option("--case", help="The case id.")],
    month_: Annotated[str, typer.Option("--month", help="The paid benefit month, YYYY-MM.")],
    date: DateOption = None,
    format_: FormatOption = "text",
    output: OutputOption = None,
    save: SaveOption = False,
    by: ByOption = None,
    channel: ChannelOption = "digital_post",
    db: DbOption = None,
    recipient_cvr: RecipientCvrOption = None,
) -> None:
    """The monthly specification: the month's payment, what changed since last month, corrections."""
    from flexcalc.letters import specification_letter

    benefit_month = month(month_, "month")
    _draft(lambda session, day: specification_letter(session, case, benefit_month, day, channel), date, format_, output,
           save, by, db, recipient_cvr)


@letters_app.command("approve")
def letters_approve(
    letter: Annotated[int, typer.Argument(help="The letter's id.")],
    by: Annotated[str, typer.Option("--by", help="Who approves it.")],
    expect: ExpectOption = None,
    db: DbOption = None,
) -> None:
    """Approve a draft. It is still not sent: record that with `flexcalc letters sent`."""
    from flexcalc.ledger.store import transaction
    from flexcalc.letters.store import approve_letter

    with input_errors(), transaction(_ledger(db)) as session:
        approval = approve_letter(session, letter, by, expect)
    typer.echo(f"brev {letter} godkendt af {approval.approved_by}")


@letters_app.command("sent")
def letters_sent(
    letter: Annotated[int, typer.Argument(help="The letter's id.")],
    by: Annotated[str, typer.Option("--by", help="Who sent it.")],
    channel: Annotated[str, typer.Option("--channel", help="digital_post, post or in_person.")],
    at: Annotated[str | None, typer.Option("--at", help="When it was sent (ISO 8601; default now).")] = None,
    expect: ExpectOption = None,
    db: DbOption = None,
    message_id: Annotated[str | None, typer.Option("--message-id", help="The MeMo message UUID (Digital Post; "
                                                                        "`--format memo` prints it).")] = None,
) -> None:
    """Record that an approved letter was sent (by the caseworker; flexcalc sends nothing)."""
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import transaction
    from flexcalc.letters.store import mark_letter_sent

    with input_errors(), transaction(_ledger(db)) as session:
        instant = parse_instant(at, "at") if at else None
        row = mark_letter_sent(session, letter, by, channel, instant, expect, message_id)
        kind = row.kind
    typer.echo(f"brev {letter} ({kind}) markeret som sendt ({channel})")


@letters_app.command("list")
def letters_list(
    case: Annotated[str, typer.Argument(help="The case id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    db: DbOption = None,
) -> None:
    """A case's letters: drafts, approved and sent, with who and when."""
    from flexcalc.letters.facts import get_case_or_fail
    from flexcalc.letters.store import list_letters

    with input_errors(), _ledger(db)() as session:
        get_case_or_fail(session, case)
        rows = list_letters(session, case)
    if as_json:
        print_json(rows)
        return
    status_da = {"draft": "kladde", "approved": "godkendt", "sent": "sendt"}
    for r in rows:
        who = f" af {r['approved_by']}" if r["approved_by"] else ""
        sent = f", sendt {r['sent_at'][:10]} ({r['channel']})" if r["sent_at"] else ""
        drafted = {"digital_post": ", til Digital Post", "paper": ", til papirpost"}.get(r["draft_channel"] or "", "")
        typer.echo(f"#{r['id']} {r['letter_date']} {r['kind']}: {r['subject']} [{status_da[r['status']]}{who}{sent}"
                   f"{drafted}; udgave {r['content_sha256'][:12]}]")
    typer.echo(f"{len(rows)} brev(e)")


@letters_app.command("show")
def letters_show(
    letter: Annotated[int, typer.Argument(help="The letter's id.")],
    format_: FormatOption = "text",
    output: OutputOption = None,
    db: DbOption = None,
    recipient_cvr: RecipientCvrOption = None,
) -> None:
    """A stored letter as it was drafted (text, HTML, PDF or a MeMo message with the PDF)."""
    from flexcalc.letters.document import html_to_pdf
    from flexcalc.letters.store import get_letter

    fmt = _check_output(format_, output)
    with input_errors(), _ledger(db)() as session:
        row = get_letter(session, letter)
        content: str | bytes = html_to_pdf(row.html) if fmt == "pdf" else row.html if fmt == "html" else row.text
        if fmt == "memo":
            content = _memo(session, row.case_id, row.subject, row.kind, html_to_pdf(row.html), recipient_cvr)
    if output is None:
        typer.echo(content, nl=False)
    elif isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_text(content, encoding="utf-8")
