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
