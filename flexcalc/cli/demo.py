"""Demo data: replay the scenarios of ``fixtures/ledger`` into a database (``scripts/demo-data``).

Idempotent: a scenario whose case exists already is skipped, so running it twice changes nothing.
Usage: ``python -m flexcalc.cli.demo [--db URL]`` on a database ``flexcalc db upgrade`` has migrated
(``scripts/demo-data`` runs both); an unmigrated one is refused, never migrated here.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

SCENARIOS = Path(__file__).resolve().parents[2] / "fixtures" / "ledger"


def resolve(args: list[str], case_id: str, factory: Any) -> list[str]:
    """A scenario names the case's newest correction or claim as ``@correction`` / ``@claim`` (their ids
    depend on what else the database holds)."""
    if "@correction" not in args and "@claim" not in args:
        return args
    from sqlalchemy import func, select

    from flexcalc.ledger.claim_models import Claim
    from flexcalc.ledger.models import Correction

    with factory() as session:
        ids = {"@correction": session.scalar(select(func.max(Correction.id)).where(Correction.case_id == case_id)),
               "@claim": session.scalar(select(func.max(Claim.id)).where(Claim.case_id == case_id))}
    return [str(ids[a]) if a in ids else a for a in args]


ITEM_COMMANDS = {("held", "release"), ("events", "add"), ("corrections", "decide"), ("corrections", "hearing"),
                 ("corrections", "reply"), ("corrections", "exception")}


def with_version(args: list[str], factory: Any) -> list[str]:
    """A worklist item's action states the version of the item it acts on (``--expect-version``), read just
    before, as a script does: the month of ``held release CASE MONTH``, ``events add CASE --month MONTH`` or
    the correction's month."""
    if tuple(args[:2]) not in ITEM_COMMANDS or "--expect-version" in args:
        return args
    from flexcalc.cli.item_version import correction_item
    from flexcalc.ledger.item_version import month_version
    from flexcalc.period import Month

    if args[0] == "corrections":
        case_id, month = correction_item(factory, int(args[2]))
    else:
        case_id = args[2]
        month = Month.parse(args[3] if args[0] == "held" else args[args.index("--month") + 1])
    with factory() as session:
        return [*args, "--expect-version", month_version(session, case_id, month)]


FILE_SUFFIXES = (".csv", ".json", ".yaml")
"""A step's argument with one of these endings names a file in the scenario's folder."""


def read_scenario(folder: Path) -> dict[str, Any]:
    scenario: dict[str, Any] = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    return scenario


def scenario_steps(folder: Path, factory: Any,
                   read_version: Callable[[list[str]], list[str]] | None = None,
                   ) -> Iterator[tuple[dict[str, Any], list[str] | None]]:
    """The one runner of the scenario format: each step of ``folder``'s scenario with its CLI arguments ready
    to run (file names as paths in the folder, ``@correction``/``@claim`` resolved, an item action with the
    version of its item, read by ``read_version`` or else ``with_version``). A step that publishes rates
    (``parameters``) comes with ``None``. Lazy: each step is resolved after the one before it has run."""
    case_id = read_scenario(folder)["steps"][0]["args"][2]
    for step in read_scenario(folder)["steps"]:
        if "parameters" in step:
            yield step, None
            continue
        args = resolve([str(folder / a) if str(a).endswith(FILE_SUFFIXES) else str(a) for a in step["args"]],
                       case_id, factory)
        yield step, read_version(args) if read_version is not None else with_version(args, factory)


def load(db: str | None = None) -> list[str]:
    """Replay every scenario whose case is not in the database yet; return the cases loaded."""
    import typer.main

    from flexcalc.cli import app
    from flexcalc.ledger.models import Case
    from flexcalc.ledger.store import open_ledger

    factory = open_ledger(db, migrate=False)  # migrated first by `flexcalc db upgrade` (scripts/demo-data)
    command = typer.main.get_command(app)
    loaded = []
    for folder in sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").exists()):
        scenario = read_scenario(folder)
        if scenario.get("demo") is False:  # needs its own parameters (FLEXCALC_PARAMETERS_DIR)
            continue
        case_id = scenario["steps"][0]["args"][2]
        with factory() as session:
            if session.get(Case, case_id) is not None:
                continue
        for step, args in scenario_steps(folder, factory):
            if args is None:
                raise RuntimeError(f"demo data: {folder.name} publishes rates: mark it demo: false")
            if db:
                args += ["--db", db]
            with contextlib.redirect_stdout(io.StringIO()):
                code = command.main(args, standalone_mode=False)
            if code:  # a refused step (typer.Exit) is returned, not raised: stop, do not report it loaded
                raise RuntimeError(f"demo data: {folder.name}: {' '.join(step['args'])} exited {code}")
        loaded.append(case_id)
    return loaded


def main(argv: list[str]) -> int:
    import typer

    from flexcalc.cli.common import require_schema

    db = argv[argv.index("--db") + 1] if "--db" in argv else None
    try:
        require_schema(db)
    except typer.Exit as refused:
        return refused.exit_code
    loaded = load(db)
    print(f"demo data: {len(loaded)} case(s) loaded" + (f" ({', '.join(loaded)})" if loaded else " (already there)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
