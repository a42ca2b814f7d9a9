"""Security on the ledger's real endpoints: role boundaries, audit, Idempotency-Key, no CPR in logs."""

from __future__ import annotations

import io
import logging
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key, revoke_key

CPR = "010190-1234"


def report(rid: str, case: str, employer: str, wage: str = "15600") -> dict[str, object]:
    return {"report_id": rid, "case_id": case, "employer_id": employer, "payment_date": "2024-02-29",
            "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": "2024-03-04T10:00:00+01:00",
            "kind": "original", "corrects": None}


@pytest.fixture
def env(sqlite_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    KEY_CACHE.clear()
    h: dict[str, dict[str, str]] = {}
    ids: dict[str, str] = {}
    with session_factory(sqlite_url).begin() as session:
        for who, role, case, cvr in [("caseworker", "caseworker", None, None), ("citizen", "citizen", "L-1", None),
                                     ("employer", "employer", None, "11111111"),
                                     ("other_employer", "employer", None, "22222222")]:
            row, secret = create_key(session, role, case_id=case, employer_cvr=cvr)
            h[who], ids[who] = {"Authorization": f"Bearer {secret}"}, row.id
    client = TestClient(create_app(), raise_server_exceptions=False)
    for case, employer in (("L-1", "11111111"), ("L-2", "22222222")):
        r = client.post("/v1/cases", headers=h["caseworker"], json={
            "case_id": case, "ceiling": "32067", "first_month": "2024-03", "employers": [employer], "cpr": CPR})
        assert r.status_code == 201, r.text
    yield client, h, ids, sqlite_url
    KEY_CACHE.clear()


def test_role_boundaries_on_the_ledger(env) -> None:  # type: ignore[no-untyped-def]
    client, h, _, url = env
    assert client.get("/v1/cases/L-1").status_code == 401  # no key
    assert client.get("/v1/cases/L-1", headers=h["citizen"]).status_code == 200  # own case
    assert client.get("/v1/cases/L-2", headers=h["citizen"]).status_code == 403  # another case
    assert client.get("/v1/cases/L-2/months", headers=h["citizen"]).status_code == 403
    assert client.post("/v1/cases/L-1/ceilings", headers=h["citizen"],
                       json={"amount": "1", "effective_month": "2024-04"}).status_code == 403  # read-only
    assert client.get("/v1/cases/L-1", headers=h["employer"]).status_code == 403  # the subsidy: no
    assert client.get("/v1/cases/L-1/months", headers=h["employer"]).status_code == 403
    assert client.get("/v1/held-months", headers=h["employer"]).status_code == 403
    assert client.post("/v1/payment-runs", headers=h["citizen"],
                       json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"}).status_code == 403
    # an employer sends its own reports, never another employer's
    own = client.post("/v1/employer/wage-reports", headers=h["employer"],
                      json={"reports": [report("E1", "L-1", "11111111")]})
    assert own.status_code == 201, own.text
    other = client.post("/v1/employer/wage-reports", headers=h["employer"],
                        json={"reports": [report("E2", "L-2", "22222222")]})
    assert other.status_code == 403 and other.headers["content-type"] == "application/problem+json"
    assert client.post("/v1/employer/wage-reports", headers=h["citizen"],
                       json={"reports": [report("E3", "L-1", "11111111")]}).status_code == 403
    # a revoked key
    with session_factory(url).begin() as session:
        revoke_key(session, env[2]["citizen"])
    assert client.get("/v1/cases/L-1", headers=h["citizen"]).status_code == 401


def test_ledger_access_is_audited(env) -> None:  # type: ignore[no-untyped-def]
    client, h, ids, _ = env
    client.get("/v1/cases/L-1", headers=h["citizen"])
    client.get("/v1/cases/L-1", headers=h["employer"])
    client.post("/v1/employer/wage-reports", headers=h["employer"], json={"reports": [report("E1", "L-1", "11111111")]})
    entries = client.get("/v1/audit", params={"case_id": "L-1"}, headers=h["caseworker"]).json()["entries"]
    assert [(e["key_id"], e["action"], e["route"], e["status"]) for e in entries] == [
        (ids["caseworker"], "write", "/v1/cases", 201),
        (ids["citizen"], "read", "/v1/cases/{case_id}", 200),
        (ids["employer"], "read", "/v1/cases/{case_id}", 403),
        (ids["employer"], "write", "/v1/employer/wage-reports", 201),
    ]


def test_report_ingestion_with_idempotency_key(env) -> None:  # type: ignore[no-untyped-def]
    client, h, _, _ = env
    headers = {**h["employer"], "Idempotency-Key": "batch-1"}
    batch = {"reports": [report("I1", "L-1", "11111111")]}
    first = client.post("/v1/employer/wage-reports", headers=headers, json=batch)
    again = client.post("/v1/employer/wage-reports", headers=headers, json=batch)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and first.json()["stored"] == ["I1"]
    assert again.headers["idempotent-replayed"] == "true"
    changed = client.post("/v1/employer/wage-reports", headers=headers,
                          json={"reports": [report("I1", "L-1", "11111111", wage="1")]})
    assert changed.status_code == 422 and changed.json()["errors"][0]["field"] == "Idempotency-Key"
    case = client.get("/v1/cases/L-1", headers=h["caseworker"]).json()
    assert sum(1 for r in case["reports"] if r["report_id"] == "I1") == 1


def test_a_ledger_scenario_with_a_cpr_logs_no_cpr(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
        upgrade(sqlite_url)
        with session_factory(sqlite_url).begin() as session:
            _, secret = create_key(session, "caseworker")
        h = {"Authorization": f"Bearer {secret}"}
        client = TestClient(create_app(), raise_server_exceptions=False)
        created = client.post("/v1/cases", headers=h, json={"case_id": "S-1", "ceiling": "32067",
                                                            "first_month": "2024-03", "employers": ["11111111"],
                                                            "cpr": CPR})
        assert created.status_code == 201 and CPR not in created.text
        bad = client.post("/v1/cases", headers=h, json={"case_id": CPR, "ceiling": "x", "first_month": "2024-03",
                                                        "cpr": CPR.replace("-", "")})
        assert bad.status_code in (409, 422) and CPR not in bad.text and CPR.replace("-", "") not in bad.text
        client.post("/v1/employer/wage-reports", headers=h, json={"reports": [report("S1", "S-1", "11111111")]})
        client.post("/v1/payment-runs", headers=h, json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"})
        client.post("/v1/reconciliations", headers=h, json={"as_of": "2024-04-30T23:59:59+02:00"})
        for path in ("/v1/cases/S-1", "/v1/cases/S-1/months", "/v1/cases/S-1/corrections", f"/v1/cases/{CPR}"):
            response = client.get(path, headers=h)
            assert CPR not in response.text and CPR.replace("-", "") not in response.text
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
    output = stream.getvalue()
    assert "POST http://testserver/v1/cases" in output  # the scenario was logged
    assert not re.search(r"(?<!\d)\d{6}-?\d{4}(?!\d)", output), output


def test_an_employer_sees_its_own_ceilings_and_reports_never_another_employers_nor_the_subsidy(env) -> None:  # type: ignore[no-untyped-def]
    client, h, _, _ = env
    assert client.post("/v1/employer/wage-reports", headers=h["employer"],
                       json={"reports": [report("E-1", "L-1", "11111111")]}).status_code == 201
    assert client.post("/v1/payment-runs", headers=h["caseworker"],
                       json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"}).status_code == 201
    own = client.get("/v1/employer/11111111/employments", headers=h["employer"])
    assert own.status_code == 200, own.text
    data = own.json()
    assert [e["case_id"] for e in data["employments"]] == ["L-1"]
    assert data["employments"][0]["ceilings"][0]["amount"] == "32067.00"
    assert [(r["report_id"], r["basis_month"], r["status"]) for r in data["reports"]] == [
        ("E-1", "2024-02", "received")]
    assert "subsidy" not in own.text and "payout" not in own.text and "15272" not in own.text
    assert CPR not in own.text and "010190" not in own.text
    # another employer's ceiling: refused; other roles: refused or unauthorised
    assert client.get("/v1/employer/22222222/employments", headers=h["employer"]).status_code == 403
    assert client.get("/v1/employer/11111111/employments", headers=h["other_employer"]).status_code == 403
    assert client.get("/v1/employer/11111111/employments", headers=h["citizen"]).status_code == 403
    assert client.get("/v1/employer/11111111/employments").status_code == 401
    assert client.get("/v1/employer/22222222/employments", headers=h["caseworker"]).json()["employments"][0][
        "case_id"] == "L-2"
