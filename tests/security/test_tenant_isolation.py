"""As attacks by one employer key on another employer's data, on SQLite
and PostgreSQL: writing into a case without an employment, learning or squatting another employer's
report ids, enumerating case ids, and backdating a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key

A, B, C = "11111111", "22222222", "33333333"


def report(rid: str, case: str, employer: str, wage: str = "15600", **extra: Any) -> dict[str, Any]:
    return {"report_id": rid, "case_id": case, "employer_id": employer, "payment_date": "2024-02-29",
            "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": "2024-03-04T10:00:00+01:00",
            "kind": "original", "corrects": None, **extra}


@pytest.fixture
def world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    """Case S1 employs A; case S2 employs B; employer C has no employment anywhere."""
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    KEY_CACHE.clear()
    h: dict[str, Any] = {}
    with session_factory(database_url).begin() as session:
        for who, role, cvr in [("caseworker", "caseworker", None), ("A", "employer", A), ("B", "employer", B),
                               ("C", "employer", C)]:
            _, secret = create_key(session, role, employer_cvr=cvr)
            h[who] = {"Authorization": f"Bearer {secret}"}
    client = TestClient(create_app(), raise_server_exceptions=False)
    for case, employer in (("S1", A), ("S2", B)):
        r = client.post("/v1/cases", headers=h["caseworker"], json={
            "case_id": case, "ceiling": "32067", "first_month": "2024-03", "employers": [employer]})
        assert r.status_code == 201, r.text
    yield client, h
    KEY_CACHE.clear()


def reports_of(client: TestClient, h: dict[str, Any], case: str) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/cases/{case}", headers=h["caseworker"]).json()["reports"])


def test_an_employer_key_cannot_write_into_a_case_it_has_no_employment_in(world) -> None:  # type: ignore[no-untyped-def]
    client, h = world
    attack = client.post("/v1/employer/wage-reports", headers=h["C"], json={"reports": [report("X1", "S1", C)]})
    assert attack.status_code == 422, attack.text
    assert attack.json()["errors"][0]["field"] == "reports.0, case_id"
    assert reports_of(client, h, "S1") == []  # S1's subsidy is untouched
    # the same answer for a case that does not exist: case ids cannot be enumerated with an employer key
    missing = client.post("/v1/employer/wage-reports", headers=h["C"], json={"reports": [report("X1", "NOPE", C)]})
    assert missing.status_code == attack.status_code
    assert missing.json() == attack.json()
    # B's key, with an employment in S2 but not in S1: the same answer again
    other = client.post("/v1/employer/wage-reports", headers=h["B"], json={"reports": [report("X1", "S1", B)]})
    assert other.json() == attack.json()
    # the employer's own case: stored
    own = client.post("/v1/employer/wage-reports", headers=h["A"], json={"reports": [report("X1", "S1", A)]})
    assert own.status_code == 201, own.text


def test_an_unknown_employer_still_counts_through_the_caseworkers_import(world) -> None:  # type: ignore[no-untyped-def]
    """LAB § 123 stk. 2: wage from an employer the case does not know counts; it comes in through the
    income register (a caseworker's or bulk import), not an employer key."""
    client, h = world
    r = client.post("/v1/employer/wage-reports", headers=h["caseworker"], json={"reports": [report("Z1", "S1", C)]})
    assert r.status_code == 201, r.text
    assert [x["employer_id"] for x in reports_of(client, h, "S1")] == [C]


def test_report_ids_are_unique_per_employer_no_squatting_no_oracle(world) -> None:  # type: ignore[no-untyped-def]
    client, h = world
    # B claims an id first (in its own case) ...
    squat = client.post("/v1/employer/wage-reports", headers=h["B"], json={"reports": [report("R-7", "S2", B, "1")]})
    assert squat.status_code == 201
    # ... and A's real report with that id is still stored
    real = client.post("/v1/employer/wage-reports", headers=h["A"], json={"reports": [report("R-7", "S1", A)]})
    assert real.status_code == 201, real.text
    assert real.json()["stored"] == ["R-7"]
    s1 = reports_of(client, h, "S1")
    assert [(r["report_id"], r["employer_id"], r["wage"]) for r in s1] == [("R-7", A, "15600.00")]
    # B resending the id with other content learns only about its own report (differs in: wage)
    probe = client.post("/v1/employer/wage-reports", headers=h["B"], json={"reports": [report("R-7", "S2", B, "2")]})
    assert probe.status_code == 409
    assert A not in probe.text and "15600" not in probe.text and "S1" not in probe.text
    # a reversal of A's report by B: unknown in B's own ids, the error names no CVR number
    reversal = report("REV", "S2", B, kind="reversal", corrects="R-A-ONLY")
    client.post("/v1/employer/wage-reports", headers=h["A"], json={"reports": [report("R-A-ONLY", "S1", A)]})
    answer = client.post("/v1/employer/wage-reports", headers=h["B"], json={"reports": [reversal]})
    assert answer.status_code == 422
    assert A not in answer.text and "S1" not in answer.text
    assert answer.json()["errors"][0]["field"] == "reports.0, corrects"


def test_the_server_records_received_at_for_an_employer_key(world) -> None:  # type: ignore[no-untyped-def]
    client, h = world
    before = dt.datetime.now(dt.UTC)
    backdated = report("BD", "S1", A, received_at="2024-03-01T00:00:00+01:00")
    assert client.post("/v1/employer/wage-reports", headers=h["A"], json={"reports": [backdated]}).status_code == 201
    after = dt.datetime.now(dt.UTC)
    (stored,) = reports_of(client, h, "S1")
    received = dt.datetime.fromisoformat(stored["received_at"])
    assert before - dt.timedelta(seconds=1) <= received <= after + dt.timedelta(seconds=1)
    assert stored["stated_received_at"] == "2024-02-29T23:00:00+00:00"  # kept beside it
    # so a payment run "as of" the backdated instant does not see it
    run = client.post("/v1/payment-runs", headers=h["caseworker"],
                      json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"})
    assert run.status_code == 201, run.text
    assert "S1" in str(run.json()["held"]) and "S1" not in str(run.json()["paid"])
    # a retry of the same report is "already stored", not a conflict over the server's instant
    again = client.post("/v1/employer/wage-reports", headers=h["A"], json={"reports": [backdated]})
    assert again.status_code == 200 and again.json()["already_stored"] == ["BD"]
    # the income register's own timestamp, through a caseworker's import, is the knowledge instant
    imported = report("REG", "S2", B, received_at="2024-03-04T10:00:00+01:00")
    assert client.post("/v1/employer/wage-reports", headers=h["caseworker"],
                       json={"reports": [imported]}).status_code == 201
    (reg,) = reports_of(client, h, "S2")
    assert reg["received_at"] == reg["stated_received_at"] == "2024-03-04T09:00:00+00:00"
