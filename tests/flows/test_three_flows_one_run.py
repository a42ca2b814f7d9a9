"""One engine, three flows: a month paid in ONE payment run with a new-scheme case, old-scheme cases (below and
above the cap) and self-employed cases, through the core (both paths), the CLI and the API, on SQLite and
PostgreSQL; the finance report by scheme reconciles with the run, and the management information and the
worklist know each case's scheme.

Hand computations (March 2024):
- new scheme N-1: February's wage 15.600 → 19.952 − 0,30 × 15.600 = 15.272,00 (STAR's example);
- old scheme G-1 (⅔, below the cap): (30.000 + 2.700) × ⅔ = 21.800,00;
  G-2 (⅔, above the cap): the month's cap 588.188 / 12 = 49.015,67 → ⅔ = 32.677,113 → 32.677,11;
- self-employed S-1: 156.956 − 0,30 × 300.000 = 66.956 a year → 5.579,67 a month; S-2: 600.000 → 0,00.
The run pays 15.272,00 + 54.477,11 + 5.579,67 = 75.328,78.
Refunds: old 65 % of 54.477,11 = 35.410,1215 → 35.410,12; S-1 on the ladder with no earlier weeks: March's
calendar weeks 1–4 hold 1–24 March (24 days at 80 %), week 5 holds 25–31 March (7 days at 40 %):
5.579,67 × 24/31 = 4.319,74 → 3.455,79; the rest 1.259,93 → 503,97; refund 3.959,76.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from flexcalc.period import Month

MARCH = Month(2024, 3)
EXPECTED_SCHEMES = {"old": ("54477.11", {"paid": 2}), "self_employed": ("5579.67", {"paid": 2})}


def _build(url: str) -> None:
    """The five cases through the ledger's own functions."""
    from flexcalc.ledger import self_employed as se
    from flexcalc.ledger.reports import WageReport
    from flexcalc.ledger.schemes import create_old_scheme_case, register_claim
    from flexcalc.ledger.store import create_case, ingest_reports, open_ledger, transaction
    from flexcalc.old_scheme import OldSchemeInput, parse_fraction

    factory = open_ledger(url)
    known = dt.datetime(2024, 1, 2, 9, tzinfo=dt.UTC)
    with transaction(factory) as session:
        create_case(session, "N-1", D("32067"), MARCH, employers=["11111111"])
        for case_id, wage, extra in (("G-1", "30000", "2700"), ("G-2", "60000", "6000")):
            create_old_scheme_case(session, case_id, Month(2024, 1), employer_id="12345678", fraction="2/3",
                                   job_start=dt.date(2010, 5, 1), known_at=known, recorded_by="sb-1")
            register_claim(session, case_id, OldSchemeInput(MARCH, D(wage), parse_fraction("2/3"), D(extra)),
                           employer_id="12345678", received_at=dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC),
                           recorded_by="sb-1")
        for case_id, profit in (("S-1", "300000"), ("S-2", "600000")):
            se.create_case(session, case_id, 2024, "sb-1")
            se.record_expected(session, case_id, 2024, D(profit), D("0"), source="budget", by="sb-1",
                               expected_version=se.year_version(session, case_id, 2024), known_at=known)
    ingest_reports(factory, [WageReport("A1", "N-1", "11111111", dt.date(2024, 2, 29), dt.date(2024, 2, 1),
                                        dt.date(2024, 2, 29), D("15600"), D("0"), D("0"), D("64"),
                                        dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC), "original")])


def _check_run(answer: dict) -> None:  # type: ignore[type-arg]
    assert answer["summary"]["paid"] == 1 and answer["summary"]["total_subsidy"] == "15272.00"
    assert [p["case_id"] for p in answer["paid"]] == ["N-1"]  # the other flows' cases are not in the new scheme's
    found = {s: (run["total_paid"], run["counts"]) for s, run in answer["schemes"].items()}
    assert found == EXPECTED_SCHEMES
    old = {o["case_id"]: o["due"] for o in answer["schemes"]["old"]["outcomes"]}
    assert old == {"G-1": "21800.00", "G-2": "32677.11"}
    se = {o["case_id"]: o["amount"] for o in answer["schemes"]["self_employed"]["outcomes"]}
    assert se == {"S-1": "5579.67", "S-2": "0.00"}
    total = D(answer["summary"]["total_subsidy"]) + sum(D(r["total_paid"]) for r in answer["schemes"].values())
    assert total == D("75328.78")


def _check_finance(money: dict) -> None:  # type: ignore[type-arg]
    schemes = money["schemes"]
    assert schemes["new_2013"]["totals"]["subsidy"] == "15272.00"
    assert schemes["new_2013"]["refund_rule"]["rule"] == "refund_ladder"
    assert (schemes["old"]["subsidy"], schemes["old"]["refund"], schemes["old"]["refund_rule"]["rate"]) == (
        "54477.11", "35410.12", "0.65")
    se = schemes["self_employed"]
    assert (se["subsidy"], se["refund"], se["refund_rule"]["rule"]) == ("5579.67", "3959.76", "refund_ladder")
    assert [(line["case_id"], line["weeks_before"], line["refund"]) for line in se["lines"]] == [
        ("S-1", 0, "3959.76"), ("S-2", 0, "0.00")]
    assert [a["amount"] for a in se["accounts"]] == ["5579.67", "-3959.76"]
    # reconciles with the run: the three subsidies add up to what the run paid
    new_refund = D(schemes["new_2013"]["totals"]["refund"])
    assert money["total"]["subsidy"] == "75328.78"
    assert D(money["total"]["refund"]) == new_refund + D("35410.12") + D("3959.76")


@pytest.mark.parametrize("set_based", [True, False])
def test_one_run_pays_the_three_flows_in_the_core_on_both_paths(database_url: str, set_based: bool) -> None:
    from flexcalc.finance.old_scheme import finance_by_scheme
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.store import open_ledger

    _build(database_url)
    factory = open_ledger(database_url)
    as_of = dt.datetime.now(dt.UTC)
    _check_run(pay_month(factory, MARCH, as_of, set_based=set_based).to_dict())
    _check_finance(finance_by_scheme(factory, MARCH))
    again = pay_month(factory, MARCH, as_of, set_based=set_based).to_dict()  # nothing is paid twice
    assert again["summary"]["already_paid"] == 1
    assert {s: r["total_paid"] for s, r in again["schemes"].items()} == {"old": "0.00", "self_employed": "0.00"}
    assert finance_by_scheme(factory, MARCH)["total"]["subsidy"] == "75328.78"


def test_the_caseload_and_the_worklist_know_each_scheme(database_url: str) -> None:
    from flexcalc.insight.figures import month_figures
    from flexcalc.ledger.read.schemes import scheme_of
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.ledger.worklist import HELD, WorkItem, _with_schemes

    _build(database_url)
    factory = open_ledger(database_url)
    # hand count for March 2024: N-1 (new, from March), G-1 and G-2 (old, from January), S-1 and S-2
    current = month_figures(factory, MARCH, dt.datetime.now(dt.UTC)).to_dict()["current"]
    assert (current["caseload"], current["caseload_by_scheme"]) == (5, {"new": 1, "old": 2, "self_employed": 2})
    before = month_figures(factory, Month(2024, 2), dt.datetime.now(dt.UTC)).to_dict()["current"]
    assert before["caseload_by_scheme"] == {"new": 0, "old": 2, "self_employed": 2}  # N-1 begins in March
    with transaction(factory) as session:
        assert [scheme_of(session, c, dt.date(2024, 3, 1)) for c in ("N-1", "G-1", "S-1")] == [
            "new_2013", "old", "self_employed"]
        items = [WorkItem(HELD, c, MARCH, dt.date(2024, 3, 5), "x") for c in ("N-1", "G-1", "S-2")]
        assert [i.scheme for i in _with_schemes(session, items)] == ["new_2013", "old", "self_employed"]


def test_a_self_employed_overpayment_waits_in_the_worklist_as_a_self_employed_item(database_url: str) -> None:
    from flexcalc.ledger import self_employed as se
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.store import open_ledger, transaction
    from flexcalc.ledger.worklist import SELF_EMPLOYED_REVIEW, WorklistFilter, worklist

    _build(database_url)
    factory = open_ledger(database_url)
    pay_month(factory, MARCH, dt.datetime.now(dt.UTC))
    with transaction(factory) as session:  # S-1 paid 5.579,67 for March; assessed 350.000 → 4.329,67 due
        row, result = se.settle(session, "S-1", 2024, D("350000"), source="årsopgørelse", by="sb-1",
                                expected_version=se.year_version(session, "S-1", 2024))
    assert (result.difference, result.treatment) == (D("-1250.00"), "repayment_review")
    today = dt.date.today()
    with transaction(factory) as session:
        items = worklist(session, today, WorklistFilter(kinds=frozenset({SELF_EMPLOYED_REVIEW})))
        assert [(i.case_id, i.scheme, i.amount, i.ref) for i in items] == [
            ("S-1", "self_employed", D("1250.00"), f"settlement:{row.id}")]
        shown = items[0].to_dict(today)
        assert shown["actions"][0]["href"] == f"/v1/self-employed/cases/S-1/settlements/{row.id}/decision"
        assert shown["scheme"] == "self_employed"
        se.decide_repayment(session, "S-1", row.id, "waive", "lille beløb", by="sb-1",
                            expected_version=se.year_version(session, "S-1", 2024))
    with transaction(factory) as session:  # decided: off the list
        assert worklist(session, today, WorklistFilter(kinds=frozenset({SELF_EMPLOYED_REVIEW}))) == []


def test_one_run_through_the_cli(database_url: str) -> None:
    from flexcalc.cli import app as cli

    _build(database_url)
    runner = CliRunner()
    now = dt.datetime.now(dt.UTC).isoformat()
    result = runner.invoke(cli, ["--by", "sb-1", "pay", "2024-03", "--as-of", now, "--json",
                                 "--db", database_url])
    assert result.exit_code == 0, result.output
    _check_run(json.loads(result.stdout))
    money = runner.invoke(cli, ["old-scheme", "finance", "--month", "2024-03", "--db", database_url])
    assert money.exit_code == 0, money.output
    _check_finance(json.loads(money.stdout))
    by_scheme = runner.invoke(cli, ["finance", "2024-03", "--by-scheme", "--json", "--db", database_url])
    assert by_scheme.exit_code == 0, by_scheme.output
    _check_finance(json.loads(by_scheme.stdout))
    lines = runner.invoke(cli, ["finance", "2024-03", "--by-scheme", "--db", database_url]).stdout
    assert "self_employed  subsidy        5579.67  refund        3959.76  (refusionstrappen)" in lines
    assert "old            subsidy       54477.11  refund       35410.12  (fast 0.65)" in lines
    assert "total          subsidy       75328.78" in lines
    text = runner.invoke(cli, ["--by", "sb-1", "pay", "2024-03", "--as-of", now, "--db", database_url])
    assert "scheme self_employed: already_paid 2; paid in this run 0.00" in text.stdout
    assert "scheme old: unchanged 2; paid in this run 0.00" in text.stdout


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    return TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})


def test_one_run_through_the_api(client: TestClient) -> None:
    r = client.post("/v1/cases", json={"case_id": "N-1", "ceiling": "32067", "first_month": "2024-03",
                                       "employers": ["11111111"]})
    assert r.status_code == 201, r.text
    report = {"report_id": "A1", "case_id": "N-1", "employer_id": "11111111", "payment_date": "2024-02-29",
              "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "15600", "pension_own": "0",
              "pension_employer": "0", "hours": "64", "received_at": "2024-03-04T10:00:00+01:00",
              "kind": "original", "corrects": None}
    assert client.post("/v1/employer/wage-reports", json={"reports": [report]}).status_code == 201
    for case_id, wage, extra in (("G-1", "30000", "2700"), ("G-2", "60000", "6000")):
        r = client.post("/v1/old-scheme/cases", json={"case_id": case_id, "first_month": "2024-01",
                                                      "employer_id": "12345678", "fraction": "2/3",
                                                      "job_start": "2010-05-01",
                                                      "known_at": "2024-01-02T09:00:00+01:00"})
        assert r.status_code == 201, r.text
        r = client.post(f"/v1/cases/{case_id}/old-scheme/claims", json={
            "month": "2024-03", "employer_id": "12345678", "agreement_wage": wage, "employer_contributions": extra,
            "received_at": "2024-04-02T09:00:00+02:00"})
        assert r.status_code == 201, r.text
    for case_id, profit in (("S-1", "300000"), ("S-2", "600000")):
        assert client.post("/v1/self-employed/cases", json={"case_id": case_id, "first_year": 2024}
                           ).status_code == 201
        year = f"/v1/self-employed/cases/{case_id}/years/2024"
        r = client.post(f"{year}/expected", json={"profit": profit, "source": "budget", "by": "sb-1"},
                        headers={"If-Match": client.get(year).headers["ETag"]})
        assert r.status_code == 201, r.text
    # a self-employed id cannot also be a fleksjob case
    assert client.post("/v1/cases", json={"case_id": "S-1", "ceiling": "1", "first_month": "2024-03"}
                       ).status_code == 409
    r = client.post("/v1/payment-runs", json={"month": "2024-03", "as_of": dt.datetime.now(dt.UTC).isoformat()})
    assert r.status_code == 201, r.text
    _check_run(r.json())
    money = client.get("/v1/finance/schemes", params={"month": "2024-03"})
    assert money.status_code == 200, money.text
    _check_finance(money.json())


def test_flexcalc_rates_holds_the_rates_of_each_flow_with_their_sources() -> None:
    from flexcalc.cli import app as cli

    result = CliRunner().invoke(cli, ["rates", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    flows = {"new_2013": [data["max_subsidy"], data["threshold"]],
             "old": list(data["old_scheme"].values()), "self_employed": list(data["self_employed"].values())}
    for rates in flows.values():
        assert rates and all(rate["reference"] and rate["values"] for rate in rates)
        assert all(value.get("source", "").startswith("http") or value.get("inputs")  # a source, or computed
                   for rate in rates for value in rate["values"] if value["value"] is not None)
    refund = {v["start"]: v["value"] for v in data["old_scheme"]["old_scheme_state_refund_rate"]["values"]}
    basic = {v["start"]: v["value"] for v in data["self_employed"]["self_employed_basic_amount"]["values"]}
    cap = {v["start"]: v["value"] for v in data["old_scheme"]["old_scheme_annual_cap"]["values"]}
    # the figures this file's hand computations rest on
    assert (refund["2013-01-01"], basic["2024-01-01"], cap["2024-01-01"]) == ("0.65", "156956", "588188")


def test_a_fleksjob_case_cannot_be_stated_self_employed(database_url: str) -> None:
    from flexcalc.errors import InputError
    from flexcalc.ledger.schemes import scheme_history, set_scheme
    from flexcalc.ledger.store import open_ledger, transaction

    _build(database_url)
    factory = open_ledger(database_url)
    with pytest.raises(InputError) as refused, transaction(factory) as session:
        set_scheme(session, "N-1", "self_employed", dt.date(2024, 4, 1), reason="x",
                   known_at=dt.datetime.now(dt.UTC), recorded_by="sb-1", expected_row=None)
    assert (refused.value.field, refused.value.code) == ("scheme", "self_employed_case")
    with transaction(factory) as session:
        assert scheme_history(session, "N-1") == []  # nothing stored
