from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import app

client = TestClient(app)


def test_calculation_star_2024() -> None:
    response = client.post("/v1/calculations", json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
    assert response.status_code == 200
    data = response.json()
    assert data["subsidy"] == "15272.00" and data["payout"] == "14772.00"
    assert data["basis_month"] == "2024-02"
    assert any("15.272,00 kr." in line for line in data["text_da"])
    assert response.headers["x-flexcalc-rule-version"]


def test_numbers_are_accepted_exactly() -> None:
    response = client.post("/v1/calculations", json={"month": "2024-03", "wage": 20000.01, "ceiling": 100000})
    assert response.status_code == 200 and response.json()["subsidy"] == "13032.74"


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"month": "2024-03", "wage": "-1", "ceiling": "1"}, "wage", "amount_negative"),
    ({"month": "2024-03", "wage": "15600.001", "ceiling": "1"}, "wage", "amount_decimals"),
    ({"month": "2024-03", "wage": 1.001, "ceiling": "1"}, "wage", "amount_decimals"),
    ({"month": "2024-03", "wage": "20000000", "ceiling": "1"}, "wage", "amount_too_large"),
    ({"month": "2024-03", "wage": "ti kroner", "ceiling": "1"}, "wage", "amount_type"),
    ({"month": "2024-03", "wage": "100", "ceiling": "-5"}, "ceiling", "amount_negative"),
    ({"month": "2013-06", "wage": "100", "ceiling": "1"}, "month", "no_rates"),
    ({"month": "2028-03", "wage": "100", "ceiling": "1"}, "month", "no_rates"),
    ({"month": "marts", "wage": "100", "ceiling": "1"}, "month", "month_format"),
    ({"wage": "100", "ceiling": "1"}, "month", "missing"),
    ({"month": "2024-03", "ceiling": "1"}, "wage", "missing"),
    ({"month": "2024-03", "wage": "100", "ceiling": "1", "bonus": 1}, "bonus", "extra_forbidden"),
])
def test_bad_input_is_problem_json_naming_the_field(body: dict[str, object], field: str, code: str) -> None:
    response = client.post("/v1/calculations", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in problem["errors"]]
    assert all(e["reason"] and e["reason_da"] for e in problem["errors"])


@pytest.mark.parametrize(("raw", "field"), [
    (b'{"month": "2024-03", "wage": NaN, "ceiling": 1}', "wage"),
    (b'{"month": "2024-03", "wage": Infinity, "ceiling": 1}', "wage"),
    (b'{"month": "2024-03", "wage": 1, "wage": 2, "ceiling": 1}', "body"),
    (b'{"month": "2024-03", "wage": ', "body"),
])
def test_nan_infinity_duplicates_and_broken_json(raw: bytes, field: str) -> None:
    response = client.post("/v1/calculations", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_ceiling_below_wage_is_valid() -> None:
    response = client.post("/v1/calculations", json={"month": "2024-03", "wage": "15000", "ceiling": "10000"})
    assert response.status_code == 200 and response.json()["subsidy"] == "0.00"


def test_parameters_and_health() -> None:
    params = client.get("/v1/parameters").json()
    names = {p["name"] for p in params}
    assert {"max_subsidy", "threshold", "reduction_rate_low", "reduction_rate_high", "atp_own_share_rate",
            "atp_own_share_cap", "highest_unemployment_benefit"} <= names
    threshold = client.get("/v1/parameters/threshold").json()
    assert {"start": "2024-01-01", "value": "16323", "status": "published"}.items() <= threshold["values"][10].items()
    assert client.get("/v1/parameters/nope").status_code == 404
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["rates_to"] == "2027-12"


def test_openapi_documents_the_endpoints() -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/calculations" in spec["paths"] and "/v1/parameters" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_health_warns_when_the_rates_end_within_three_months(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    import flexcalc.law.params as params

    assert client.get("/health").json()["rates_warning"] is None  # today (2026-12) the table runs to 2027-12
    monkeypatch.setattr("api.routers.health.assumed_months", lambda: params.assumed_months(dt.date(2026, 12, 7)))
    health = client.get("/health").json()
    assert health["assumed_months"] == ["2026-12", "2027-01", "2027-02", "2027-03"]
    assert health["assumed_rates_warning"]["code"] == "rates_assumed"
    assert "december 2026" in health["assumed_rates_warning"]["reason_da"]
    assert health["law_warning"]["code"] == "citations_unconfirmed" and health["law_warning"]["since"] == "2027-01"
    real = params.rates_expiry
    monkeypatch.setattr("api.routers.health.rates_expiry", lambda: real(dt.date(2027, 11, 15)))
    warning = client.get("/health").json()["rates_warning"]
    assert warning["code"] == "rates_end_soon" and warning["last_month"] == "2027-12"
    assert "2028-01" in warning["reason_da"]
