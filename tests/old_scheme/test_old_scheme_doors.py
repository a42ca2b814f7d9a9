"""The old scheme through the CLI and the API: the same hand-computed periods as the core."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import app
from flexcalc.cli import app as cli

client = TestClient(app)
runner = CliRunner()


def test_cli_below_and_above_the_cap() -> None:
    below = runner.invoke(cli, ["old-scheme", "calculate", "--month", "2024-03", "--agreement-wage", "30000",
                                "--employer-contributions", "2700", "--fraction", "2/3", "--json"])
    assert below.exit_code == 0, below.output
    data = json.loads(below.stdout)
    assert (data["subsidy"], data["basis"], data["fraction"], data["cap"]) == (
        "21800.00", "32700.00", "2/3", "49015.67")
    assert [s["key"] for s in data["trace"]][-1] == "subsidy"
    above = runner.invoke(cli, ["old-scheme", "calculate", "--month", "2019-06", "--agreement-wage", "50000",
                                "--employer-contributions", "5000", "--fraction", "1/2", "--json"])
    assert json.loads(above.stdout)["subsidy"] == "21962.13"


def test_cli_sickness_refund_and_text_output() -> None:
    result = runner.invoke(cli, ["old-scheme", "calculate", "--month", "2024-03", "--agreement-wage", "30000",
                                 "--employer-contributions", "2700", "--fraction", "2/3", "--sick-refund-days", "5",
                                 "--sick-refund-amount", "6000"])
    assert result.exit_code == 0
    assert "Nedsættelse for refusion under sygdom eller barsel: 5.030,76 kr." in result.stdout
    assert "Tilskud til arbejdsgiveren: 16.769,24 kr." in result.stdout


def test_cli_bad_fraction_exits_2_in_both_languages() -> None:
    result = runner.invoke(cli, ["old-scheme", "calculate", "--month", "2024-03", "--agreement-wage", "1",
                                 "--fraction", "3/4"])
    assert result.exit_code == 2
    assert "error: fraction" in result.stderr and "fejl: fraction" in result.stderr


def test_api_same_periods() -> None:
    response = client.post("/v1/old-scheme/calculations", json={
        "month": "2024-03", "agreement_wage": "40000", "fraction": "1/2", "hours": "120"})
    assert response.status_code == 200
    assert (response.json()["cap"], response.json()["subsidy"]) == ("36681.60", "18340.80")
    sick = client.post("/v1/old-scheme/calculations", json={
        "month": "2024-03", "agreement_wage": "30000", "employer_contributions": "2700", "fraction": "2/3",
        "sick_refund_days": 5, "sick_refund_amount": "4735"})
    assert sick.json()["subsidy"] == "17065.00" and sick.json()["payee"] == "employer"


@pytest.mark.parametrize(("body", "field"), [
    ({"month": "2024-03", "agreement_wage": "1", "fraction": "3/4"}, "fraction"),
    ({"month": "2024-03", "agreement_wage": "-1", "fraction": "1/2"}, "agreement_wage"),
    ({"month": "2031-03", "agreement_wage": "1", "fraction": "1/2"}, "month"),
    ({"month": "2024-03", "agreement_wage": "1", "fraction": "1/2", "sick_refund_days": 2}, "sick_refund_amount"),
])
def test_api_bad_input_is_problem_json_naming_the_field(body: dict[str, object], field: str) -> None:
    response = client.post("/v1/old-scheme/calculations", json=body)
    assert response.status_code == 422
    text = json.dumps(response.json(), ensure_ascii=False)
    assert field in text


def test_cli_ledger_case_claim_pay_correct_and_job_change(sqlite_url: str) -> None:
    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--by", "sb-7", "old-scheme", *args, "--db", sqlite_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("case", "OLD-9", "--from", "2024-01", "--employer", "12345678", "--fraction", "2/3",
        "--job-start", "2011-03-01", "--known-at", "2024-01-02T10:00:00+00:00")
    run("claim", "OLD-9", "--month", "2024-03", "--employer", "12345678", "--agreement-wage", "30000",
        "--employer-contributions", "2700", "--received-at", "2024-04-02T10:00:00+00:00")
    paid = json.loads(run("pay", "--month", "2024-03", "--as-of", "2024-04-03T10:00:00+00:00"))
    assert paid["outcomes"][0]["due"] == "21800.00" and paid["counts"] == {"paid": 1}
    run("claim", "OLD-9", "--month", "2024-03", "--employer", "12345678", "--agreement-wage", "31000",
        "--employer-contributions", "2790", "--replaces", "1", "--received-at", "2024-04-06T10:00:00+00:00")
    again = json.loads(run("pay", "--month", "2024-03", "--as-of", "2024-04-07T10:00:00+00:00"))
    assert (again["outcomes"][0]["difference"], again["outcomes"][0]["causes"]) == ("726.67", ["claim_corrected"])
    # finance: 22.526,67 paid for March (21.800 + 726,67); 65 % refund = 14.642,3355 → 14.642,34
    money = json.loads(run("finance", "--month", "2024-03"))["schemes"]
    assert (money["old"]["subsidy"], money["old"]["refund"], money["old"]["net_expense"]) == (
        "22526.67", "14642.34", "7884.33")
    assert [a["amount"] for a in money["old"]["accounts"]] == ["22526.67", "-14642.34"]
    assert money["new_2013"]["payments"] == 0
    spec = run("letter", "specification", "OLD-9", "--month", "2024-03", "--date", "2024-04-08")
    assert "Efterregulering 7. april 2024" in spec and "+726,67 kr." in spec
    assert "to tredjedele af lønnen" in run("letter", "decision", "OLD-9", "--date", "2024-04-08")
    shown = json.loads(run("show", "OLD-9"))
    state = json.loads(run("job-change", "OLD-9", "--date", "2024-05-01", "--new-employer", "87654321",
                           "--new-tasks", "--expected-row", str(shown["schemes"][-1]["row_id"]), "--json"))
    assert state["scheme"] == "new_2013"
    refused = runner.invoke(cli, ["old-scheme", "claim", "OLD-9", "--month", "2024-05", "--employer", "12345678",
                                  "--agreement-wage", "1", "--db", sqlite_url])
    assert refused.exit_code == 2 and "fejl: month" in refused.stderr


def test_rates_show_the_old_scheme_with_sources() -> None:
    result = runner.invoke(cli, ["rates", "--json", "--today", "2024-06-01"])
    assert result.exit_code == 0
    old = json.loads(result.stdout)["old_scheme"]
    cap_2019 = next(v for v in old["old_scheme_annual_cap"]["values"] if v["start"] == "2019-01-01")
    assert (cap_2019["value"], cap_2019["status"]) == ("527091", "published")
    assert "paragraf/133" in cap_2019["source"]
    assert old["old_scheme_state_refund_rate"]["values"][0]["value"] == "0.65"
    text = runner.invoke(cli, ["rates", "--today", "2024-06-01"]).stdout
    assert "Timeloft over tilskudsgrundlaget, fleksjob før 2013" in text and "273,93 kr." in text


def test_flexcalc_pay_runs_the_old_scheme_flow_too(sqlite_url: str) -> None:
    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--by", "sb-7", *args, "--db", sqlite_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("old-scheme", "case", "OLD-8", "--from", "2024-01", "--employer", "12345678", "--fraction", "1/2",
        "--job-start", "2012-12-01", "--known-at", "2024-01-02T10:00:00+00:00")
    run("old-scheme", "claim", "OLD-8", "--month", "2024-03", "--employer", "12345678", "--agreement-wage", "30000",
        "--received-at", "2024-04-02T10:00:00+00:00")
    text = run("pay", "2024-03", "--as-of", "2024-04-03T10:00:00+00:00")
    assert "2024-03 scheme old: paid 1; paid in this run 15000.00" in text
