"""``flexcalc check FILE.yaml``: check the municipality's calculation of the fleksløntilskud month by month, with
the causes of each difference and, on request, a draft complaint or request to reopen (text or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from flexcalc.check import CheckFileError, check_calculation, load_check
from flexcalc.check.request import draft_request, summary_lines
from flexcalc.cli.common import EXIT_INPUT, app, fail, input_errors, print_json
from flexcalc.errors import InputError
from flexcalc.parsing.inputs import parse_date


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The check file, YAML (see fixtures/check/).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    request: Annotated[Path | None, typer.Option(
        "--request", help="Also write the draft complaint or request to reopen (.pdf, or text otherwise).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", help="The day the complaint deadline is compared with, YYYY-MM-DD (default: today).")] = None,
) -> None:
    """The right subsidy of each month beside the paid one, the difference (right − paid) and its causes, each
    with its provision; nothing is stored. Bad input exits 2, naming the field."""
    day: dt.date | None = None
    if today is not None:
        try:
            day = parse_date(today, "--today")
        except InputError as error:
            fail(error)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        fail(InputError("FILE", f"cannot read {file}: {reason}", f"kan ikke læse {file}: {reason}",
                        code="file_unreadable"))
    try:
        parsed = load_check(text)
    except CheckFileError as error:
        for item in error.errors:
            typer.echo(f"error: {item.field}: {item.reason_en}", err=True)
            typer.echo(f"fejl: {item.field}: {item.reason_da}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    with input_errors():
        result = check_calculation(parsed)
    draft = draft_request(result, today=day)
    if request is not None:
        try:
            if request.suffix.lower() == ".pdf":
                request.write_bytes(draft.pdf())
            else:
                request.write_text(draft.text, encoding="utf-8")
        except OSError as error:
            fail(InputError("--request", f"cannot write {request}: {error.strerror}",
                            f"kan ikke skrive {request}: {error.strerror}", code="file_unwritable"))
    if as_json:
        data = result.to_dict()
        data["request"] = {"kind": draft.kind, "deadline": None if draft.deadline is None else
                           draft.deadline.isoformat(), "title": draft.title, "text": draft.text}
        print_json(data)
    else:
        typer.echo("\n".join(summary_lines(result)))
