"""``flexcalc check FILE.yaml``: check the municipality's calculation of the fleksløntilskud month by month, with
the causes of each difference and, on request, a draft complaint or request to reopen (text or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flexcalc.check import CheckFileError, check_calculation, load_check
from flexcalc.check.request import draft_request, summary_lines
from flexcalc.cli.common import app, fail, fail_all, input_errors, optional_date, print_json, read_text_file
from flexcalc.errors import InputError


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
    day = optional_date(today, "--today")
    text = read_text_file(file)
    try:
        parsed = load_check(text)
    except CheckFileError as error:
        fail_all(error.errors)
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
