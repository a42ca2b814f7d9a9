"""Running the CLI in-process for the ledger tests, with the Click command built once (Typer builds it
anew on every invocation, which costs ~0.1 s each and adds up over replayed scenarios)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import typer.main
import typer.testing
from typer.testing import CliRunner

from flexcalc.cli import app

COMMAND = typer.main.get_command(app)
runner = CliRunner()


def invoke(*args: str) -> Any:
    with mock.patch.object(typer.testing, "_get_command", lambda _app: COMMAND):
        return runner.invoke(app, list(args))


ITEM_COMMANDS = {("held", "release"), ("events", "add"), ("corrections", "decide"), ("corrections", "hearing"),
                 ("corrections", "reply"), ("corrections", "exception"), ("corrections", "release")}


def with_version(db: str, args: list[str]) -> list[str]:
    """A scripted item action as a script should send it: with ``--expect-version``, the version of the item
    read just before (``flexcalc case show CASE --month YYYY-MM --json``), as a person reads the item first."""
    import json

    if tuple(args[:2]) not in ITEM_COMMANDS or "--expect-version" in args:
        return args
    if args[0] == "corrections":
        rows = json.loads(invoke("corrections", "list", "--json", "--db", db).stdout)
        row = next(r for r in rows if str(r["id"]) == args[2])
        case_id, month = row["case_id"], row["benefit_month"]
    elif args[0] == "held":
        case_id, month = args[2], args[3]
    else:
        case_id, month = args[2], args[args.index("--month") + 1]
    shown = invoke("case", "show", case_id, "--month", month, "--json", "--db", db)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    return [*args, "--expect-version", json.loads(shown.stdout)["version"]]
