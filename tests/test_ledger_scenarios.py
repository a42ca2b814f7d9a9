"""Replay every scenario of fixtures/ledger through the CLI (on SQLite and PostgreSQL) and compare the
corrections with the hand-computed figures written in each scenario.yaml."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from flexcalc.cli import app

SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "ledger"
COMPARED = ("case_id", "benefit_month", "previous_subsidy", "due_subsidy", "difference", "caused_by", "reasons",
            "status", "earliest_affected_month")
runner = CliRunner()


def scenario_dirs() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").exists())


def cli(db: str, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def replay(folder: Path, db: str) -> list[dict[str, Any]]:
    """Run the scenario's steps; check every summary and correction list it states. Returns all corrections."""
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    every: list[dict[str, Any]] = []
    for step in scenario["steps"]:
        args = [str(folder / a) if str(a).endswith(".csv") else str(a) for a in step["args"]]
        wants_json = args[0] in ("pay", "reconcile")
        out = cli(db, *args, *(["--json"] if wants_json else []))
        if not wants_json:
            continue
        data = json.loads(out.stdout)
        if "summary" in step:
            assert data["summary"] == step["summary"], (folder.name, args)
        if "corrections" in step:
            got = [{k: c[k] for k in COMPARED} for c in data["corrections"]]
            assert got == step["corrections"], (folder.name, args)
            every += data["corrections"]
    return every


def test_there_are_the_six_scenarios() -> None:
    assert {p.name for p in scenario_dirs()} >= {"late_report", "r_marked_correction", "reversal_rereport",
                                                 "two_employers", "ceiling_rise", "job_start_mid_month"}


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario_replays_to_the_hand_computed_corrections(folder: Path, database_url: str) -> None:
    corrections = replay(folder, database_url)
    for c in corrections:
        assert c["legal_basis"].startswith("LAB § 123") and "PM 48-22" in c["legal_basis"]
        assert c["explanation_da"] and c["explanation_en"]
    # afterwards: for every paid month, paid + corrections = due as of now; reconciling again adds nothing
    case_id = yaml.safe_load((folder / "scenario.yaml").read_text())["steps"][0]["args"][2]
    shown = json.loads(cli(database_url, "case", "show", case_id, "--json").stdout)
    for month in shown["months"]:
        if month["paid"] is not None:
            total = Decimal(month["paid"]) + Decimal(month["corrections_total"])
            assert total == Decimal(month["due"]), month["benefit_month"]
    again = json.loads(cli(database_url, "reconcile", "--as-of", "2030-01-01", "--json").stdout)
    assert again["corrections"] == []
