"""Replay every scenario of fixtures/ledger through the CLI (on SQLite and PostgreSQL) and compare the
corrections with the hand-computed figures written in each scenario.yaml."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from flexcalc.cli.demo import read_scenario, scenario_steps
from flexcalc.ledger.store import open_ledger
from tests.support.ledger_cli import invoke, with_version

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

SCENARIOS = Path(__file__).resolve().parents[2] / "fixtures" / "ledger"
COMPARED = ("case_id", "benefit_month", "previous_subsidy", "due_subsidy", "difference", "caused_by", "reasons",
            "status", "earliest_affected_month")


def scenario_dirs() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").exists())


def cli(db: str, *args: str) -> Any:
    result = invoke(*args, "--db", db)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def use_parameters(folder: Path | None) -> None:
    """Point FLEXCALC_PARAMETERS_DIR at ``folder`` (``None``: the packaged files only) and reload."""
    import os

    from flexcalc.law.params import OVERRIDE_ENV, reload_parameters

    if folder is None:
        os.environ.pop(OVERRIDE_ENV, None)
    else:
        os.environ[OVERRIDE_ENV] = str(folder)
    reload_parameters()


@pytest.fixture(autouse=True)
def _packaged_parameters() -> Any:
    yield
    use_parameters(None)


def matches(want: Any, got: Any) -> bool:
    """``want`` is in ``got``: every key of a wanted object with a matching value, lists item by item."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and matches(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(map(matches, want, got))
    return bool(want == got)


def replay(folder: Path, db: str, alone: bool = True) -> list[dict[str, Any]]:
    """Run the scenario's steps; check every correction list (and, when the scenario is ``alone`` in the
    database, every run summary) it states. Returns all corrections."""
    case_id = read_scenario(folder)["steps"][0]["args"][2]
    every: list[dict[str, Any]] = []
    # the demo's runner; the item's version read as a person reads it first (``case show --json``)
    for step, args in scenario_steps(folder, open_ledger(db), lambda args: with_version(db, args)):
        if args is None:
            use_parameters(folder / step["parameters"])
            continue
        wants_json = args[0] in ("pay", "reconcile", "events") or "expect" in step
        out = cli(db, *args, *(["--json"] if wants_json else []))
        if not wants_json:
            continue
        data = json.loads(out.stdout)
        if "expect" in step:
            assert matches(step["expect"], data), (folder.name, args, data)
        if "already_registered" in step:
            assert data["already_registered"] is step["already_registered"], (folder.name, args)
        if "summary" in step and alone:
            assert {k: data["summary"][k] for k in step["summary"]} == step["summary"], (folder.name, args)
            if args[0] == "pay" and data["summary"]["already_paid"] == 0:  # the month's totals
                paid = sum((Decimal(p["subsidy"]) for p in data["paid"]), Decimal(0))
                assert Decimal(data["summary"]["total_subsidy"]) == paid, (folder.name, args)
        for want in step.get("paid", []):
            got_paid = [p for p in data["paid"] if p["case_id"] == want["case_id"]]
            assert len(got_paid) == 1 and matches(want, {"settlement": None, **got_paid[0]}), (folder.name, args,
                                                                                                got_paid)
        if "corrections" in step:
            keys = [*COMPARED, *(k for w in step["corrections"] for k in w if k not in COMPARED)]
            got = [{k: c[k] for k in keys if k in c} for c in data["corrections"] if c["case_id"] == case_id]
            assert matches(step["corrections"], got), (folder.name, args, got)
            for c in data["corrections"]:
                if "cause_da" in step:
                    assert step["cause_da"] in c["explanation_da"], (folder.name, c["explanation_da"])
                    if "events_registered" in c["reasons"]:  # the cause names the registration
                        assert c["event_cause_da"] == step["cause_da"] in c["reason_text_da"]
                if step.get("rule_versions_differ"):
                    assert c["previous_rule_version"] and c["previous_rule_version"] != c["rule_version"]
            every += data["corrections"]
    return every


def test_there_are_the_six_scenarios() -> None:
    assert {p.name for p in scenario_dirs()} >= {"late_report", "r_marked_correction", "reversal_rereport",
                                                 "two_employers", "ceiling_rise", "job_start_mid_month",
                                                 "sickness_registered_late", "holiday_ly_registered_late",
                                                 "second_employer_income", "rate_published_after_payment",
                                                 "job_start_and_end_dates"}


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
    # the case's money in one account: received − due is exactly what is still open (to the øre)
    balance = json.loads(cli(database_url, "claims", "balance", case_id, "--as-of", "2030-01-01", "--json").stdout)
    assert balance["balanced"] == "true", balance


def test_demo_data_loads_every_scenario_once(sqlite_url: str) -> None:
    from flexcalc.cli import demo

    assert demo.load(sqlite_url) == ["S5", "S15", "S8", "S12", "S11", "S6", "S1", "S14", "S13", "S2", "S3", "S9",
                                     "S7", "S4"]
    assert demo.load(sqlite_url) == []  # idempotent
    shown = json.loads(cli(sqlite_url, "case", "show", "S2", "--json").stdout)
    assert [len(m["corrections"]) for m in shown["months"] if m["benefit_month"] == "2024-03"] == [2]


def test_a_possible_repayment_waits_for_a_recorded_decision(sqlite_url: str) -> None:
    """PM 6-23: a negative correction is never collected automatically; the caseworker decides."""
    corrections = replay(SCENARIOS / "r_marked_correction", sqlite_url)
    payable, review = corrections
    pending = json.loads(cli(sqlite_url, "corrections", "list", "--pending", "--json").stdout)
    assert [c["id"] for c in pending] == [review["id"]]
    def decide(*args: str) -> Any:
        return invoke(*with_version(sqlite_url, ["corrections", "decide", *args]), "--db", sqlite_url)

    result = decide(str(payable["id"]), "collect", "--reason", "x", "--by", "sb")
    assert result.exit_code == 2 and "only a possible repayment" in result.stderr
    result = decide(str(review["id"]), "keep", "--reason", "x", "--by", "sb")
    assert result.exit_code == 2 and "collect or waive" in result.stderr
    result = decide(str(review["id"]), "collect", "--reason", "x", "--by", "sb")  # no hearing on file
    assert result.exit_code == 2 and "hearing" in result.stderr and "partshøring" in result.stderr
    assert decide(str(review["id"]), "waive", "--reason", "modtaget i god tro efter partshøring",
                  "--by", "sb-7").exit_code == 0
    result = decide(str(review["id"]), "collect", "--reason", "x", "--by", "sb")
    assert result.exit_code == 2 and "has a decision already" in result.stderr
    assert json.loads(cli(sqlite_url, "corrections", "list", "--pending", "--json").stdout) == []
    before = json.loads(cli(sqlite_url, "case", "show", "S2", "--as-of", "2024-03-31", "--json").stdout)
    assert [m["due"] for m in before["months"] if m["benefit_month"] == "2024-03"] == ["15992.00"]
    shown = cli(sqlite_url, "case", "show", "S2").stdout
    assert "afgørelse: waive (sb-7): modtaget i god tro efter partshøring" in shown
    assert "+660,00 kr." in shown and "-165,00 kr." in shown
