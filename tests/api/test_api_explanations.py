"""``POST /v1/scenarios/hours`` and ``POST /v1/explanations/month-change``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.app import app
from flexcalc.citizen.month_change import MonthSide, explain_month_change
from flexcalc.month import MonthInput
from flexcalc.period import Month

client = TestClient(app)


def test_hour_scenarios_star_2024_and_headline() -> None:
    response = client.post("/v1/scenarios/hours", json={"month": "2024-03", "hourly": 200,
                                                        "hours_from": 12, "hours_to": 15})
    assert response.status_code == 200
    data = response.json()
    row = data["rows"][17]
    assert (row["hours"], row["wage"], row["subsidy"], row["total"]) == (18, "15600.00", "15272.00", "30872.00")
    assert data["plateau_from_hours"] == 21 and data["ceiling"] == "32066.67"
    # 0,7 × (13.000 − 10.400) = 1.820 in the 30 % region
    assert data["headline_da"] == "Går du fra 12 til 15 timer om ugen, får du 1.820 kr. mere om måneden før skat."
    assert data["change"] == "1820.00"
    assert [r["kind"] for r in data["regions"]] == ["low", "high", "plateau"]


def test_hour_scenarios_given_ceiling_and_full_time_wage() -> None:
    data = client.post("/v1/scenarios/hours", json={"month": "2024-03", "full_time_wage": "30000",
                                                    "ceiling": "28000"}).json()
    assert data["ceiling"] == "28000.00" and data["ceiling_source"] == "given"
    assert data["hourly_given"] is False and data["rows"][17]["wage"] == "14594.59"  # 30.000 × 18/37
    assert "headline_da" not in data


def test_high_wage_has_no_plateau() -> None:
    data = client.post("/v1/scenarios/hours", json={"month": "2024-03", "hourly": "400"}).json()
    assert data["plateau_from_hours"] is None


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"month": "2024-03"}, "hourly", "job_wage"),
    ({"month": "2024-03", "hourly": "200", "full_time_wage": "30000"}, "hourly", "job_wage"),
    ({"month": "2024-03", "hourly": "-1"}, "hourly", "amount_negative"),
    ({"month": "2024-03", "hourly": "0"}, "hourly", "amount_zero"),
    ({"month": "2024-03", "hourly": "1.0001"}, "hourly", "amount_decimals"),
    ({"month": "2024-03", "hourly": "20000"}, "hourly", "amount_too_large"),
    ({"month": "2024-03", "hourly": "200", "ceiling": "loft"}, "ceiling", "amount_type"),
    ({"month": "2028-03", "hourly": "200"}, "month", "no_rates"),
    ({"month": "2024-03", "hourly": "200", "hours_from": 38, "hours_to": 3}, "hours_from", "hours_range"),
    ({"month": "2024-03", "hourly": "200", "hours_from": True, "hours_to": 3}, "hours_from", "number_type"),
    ({"month": "2024-03", "hourly": "200", "hours_from": 12.3, "hours_to": 3}, "hours_from", "hours_half_step"),
    ({"month": "2024-03", "hourly": "200", "hours_from": 3}, "hours_to", "missing"),
    ({"month": "2024-03", "hourly": "200", "hours": 3}, "hours", "extra_forbidden"),
])
def test_hour_scenarios_bad_input(body: dict[str, object], field: str, code: str) -> None:
    response = client.post("/v1/scenarios/hours", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in errors]
    assert all(e["reason"] and e["reason_da"] for e in errors)


def test_hourly_nan_is_refused_naming_the_field() -> None:
    response = client.post("/v1/scenarios/hours", content=b'{"month": "2024-03", "hourly": NaN}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "hourly"


def test_month_change_matches_the_core_and_adds_up() -> None:
    body = {"first": {"month": "2024-12", "wage": "15600", "ceiling": "32067"},
            "second": {"month": "2025-01", "wage": "17000", "ceiling": "32067",
                       "corrections": [{"month": "2024-11", "amount": "-120.50"}]}}
    response = client.post("/v1/explanations/month-change", json=body)
    assert response.status_code == 200
    data = response.json()
    core = explain_month_change(MonthSide(MonthInput(Month(2024, 12), Decimal(15600), Decimal(32067))),
                                MonthSide(MonthInput(Month(2025, 1), Decimal(17000), Decimal(32067))))
    # The core without the correction, plus the correction, is what the API says.
    assert Decimal(data["difference"]) == core.difference - Decimal("120.50")
    assert sum(Decimal(c["amount"]) for c in data["causes"]) == Decimal(data["difference"])
    assert {c["key"] for c in data["causes"]} == {"rates", "wage_low", "wage_high", "ceiling", "correction"}
    # 2025: 0,30 × (16.911 − 15.600) = 393,30; 0,55 × (17.000 − 16.911) = 48,95;
    # 20.670 − 5.073,30 − 48,95 = 15.547,75 before the ceiling; room 15.067 → cut 480,75.
    amounts = {c["key"]: c["amount"] for c in data["causes"]}
    assert amounts == {"rates": "718.00", "wage_low": "-393.30", "wage_high": "-48.95", "ceiling": "-480.75",
                       "correction": "-120.50"}
    assert data["second"]["payout"] == "14446.50" and data["first"]["payout"] == "14772.00"
    assert data["summary_da"].startswith("Du får 325,50 kr. mindre udbetalt for januar 2025")


def test_month_change_bad_input_names_nested_fields() -> None:
    body = {"first": {"month": "2024-12", "wage": "-1", "ceiling": "32067"},
            "second": {"month": "2025-01", "wage": "17000", "ceiling": "32067",
                       "corrections": [{"month": "2024-13", "amount": "1.0001"}]}}
    response = client.post("/v1/explanations/month-change", json=body)
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert fields == {("first.wage", "amount_negative"), ("second.corrections.0.month", "month_format"),
                      ("second.corrections.0.amount", "amount_decimals")}
    missing = client.post("/v1/explanations/month-change", json={"first": body["second"]})
    assert ("second", "missing") in {(e["field"], e["code"]) for e in missing.json()["errors"]}


def test_openapi_lists_both_paths() -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/scenarios/hours" in paths and "/v1/explanations/month-change" in paths
