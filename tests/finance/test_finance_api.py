"""The finance endpoints: the refund of one subsidy, the finance report after a payment run (with the
statement's differences), roles (finance and caseworker; not citizen, employer or admin), and bad input
as 422 problem+json naming the field in English and Danish."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

FINANCE = Path(__file__).resolve().parents[2] / "fixtures" / "finance"


@pytest.fixture
def keys(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    out = {}
    with session_factory(sqlite_url).begin() as session:
        for role, scope in (("finance", {}), ("caseworker", {}), ("admin", {}), ("citizen", {"case_id": "S1"}),
                            ("employer", {"employer_cvr": "11111111"})):
            out[role] = create_key(session, role, **scope)[1]
    return out


def client(secret: str | None) -> TestClient:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return TestClient(create_app(), headers=headers)


def test_refund_over_the_api(keys: dict[str, str]) -> None:
    r = client(keys["finance"]).get("/v1/finance/refund", params={"month": "2024-04", "subsidy": "15272",
                                                                   "weeks_before": "2"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["refund"], data["refund_rate"], data["op"]["op"]) == ("8959.57", "0.5867", "222.00")
    assert [(s["step"], s["days"], s["refund"]) for s in data["steps"]] == [(1, 14, "5701.54"), (2, 16, "3258.03")]
    assert all("§ 5, stk. 2" in s["provision"] for s in data["steps"])


@pytest.mark.parametrize(("params", "field"), [
    ({"subsidy": "-1", "weeks_before": "2"}, "subsidy"),
    ({"subsidy": "100", "weeks_before": "2.5"}, "weeks_before"),
    ({"subsidy": "100", "weeks_before": "-3"}, "weeks_before"),
    ({"subsidy": "100", "weeks_before": "2", "month": "2015-06"}, "month"),
    ({"subsidy": "100", "weeks_before": "2", "visitation_date": "2012-01-01"}, "visitation_date"),
])
def test_bad_refund_input_is_422_naming_the_field(keys: dict[str, str], params: dict[str, str], field: str) -> None:
    r = client(keys["finance"]).get("/v1/finance/refund", params={"month": "2024-04", **params})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    error = r.json()["errors"][0]
    assert error["field"] == field and error["reason"] and error["reason_da"]


def test_roles(keys: dict[str, str]) -> None:
    params = {"month": "2024-04", "subsidy": "100", "weeks_before": "0"}
    assert client(keys["caseworker"]).get("/v1/finance/refund", params=params).status_code == 200
    for role in ("citizen", "employer", "admin"):
        assert client(keys[role]).get("/v1/finance/refund", params=params).status_code == 403, role
    assert client(None).get("/v1/finance/refund", params=params).status_code == 401


def test_the_finance_report_over_the_api(keys: dict[str, str]) -> None:
    cw = client(keys["caseworker"])
    assert cw.post("/v1/cases", json={"case_id": "S1", "ceiling": "32067", "first_month": "2024-03",
                                      "employers": ["11111111"]}).status_code == 201
    r = cw.post("/v1/employer/wage-reports", json={"reports": [
        {"report_id": "S1-02", "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
         "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "15600", "pension_own": "0",
         "pension_employer": "0", "hours": "64", "received_at": "2024-03-01", "kind": "original"}]})
    assert r.status_code in (200, 201), r.text
    assert cw.post("/v1/payment-runs", json={"month": "2024-03", "as_of": "2024-03-06"}).status_code == 201
    body = {"month": "2024-03", "profiles_csv": (FINANCE / "profiles.csv").read_text(),
            "statement_csv": (FINANCE / "statement-2024-03.csv").read_text()}
    r = client(keys["finance"]).post("/v1/finance/reports", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    # W = 15.600 → 19.952 − 4.680 = 15.272. Here S1 has no February payment, so March keeps the profile's 2
    # weeks: 1–10 March (weeks 3–4) 4.926,45 × 0,80 = 3.941,16; 11–31 March 10.345,55 × 0,40 = 4.138,22
    assert data["totals"]["subsidy"] == "15272.00" and data["totals"]["refund"] == "8079.38"
    # the statement refunds every day at 80 % where S1's month is split 80 % / 40 %: the state has the later
    # days on the wrong step (a single step explains its figure: 15.272 × 0,80 = 12.217,60)
    assert [d["cause"] for d in data["reconciliation"]["differences"]] == ["wrong_step", "missing_payment",
                                                                           "wrong_period"]
    # the state's total: S1 12.217,60 + S9 3.600,00 (the February line and the sygedagpenge line are not March's
    # fleksløntilskud); expected 8.079,38
    assert (data["statement_total"], data["expected_total"], data["difference"]) == ("15817.60", "8079.38",
                                                                                     "7738.22")
    r = client(keys["finance"]).post("/v1/finance/reports", json={"month": "2024-03", "account": "9.99.99"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "account"
    assert client(keys["citizen"]).post("/v1/finance/reports", json={"month": "2024-03"}).status_code == 403
