"""The ledger's API endpoints, on SQLite and PostgreSQL: case, reports (idempotent), pay run,
reconciliation, months and corrections, held months with provisional release, decisions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.item_version import correction_if_match, month_if_match, stored_if_match


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:  # the stored-case routes need a key
        _, secret = create_key(session, "caseworker")
    return TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})


def report(rid: str, payment_date: str, wage: str, received: str, kind: str = "original",
           corrects: str | None = None, employer: str = "11111111") -> dict[str, object]:
    return {"report_id": rid, "case_id": "api-1", "employer_id": employer, "payment_date": payment_date,
            "period_start": payment_date[:8] + "01", "period_end": payment_date, "wage": wage,
            "pension_own": "0", "pension_employer": "0", "hours": "64", "received_at": received,
            "kind": kind, "corrects": corrects}


def test_the_caseworker_workflow_over_the_api(client: TestClient) -> None:
    r = client.post("/v1/cases", json={"case_id": "api-1", "ceiling": "32067", "first_month": "2024-03",
                                       "employers": ["11111111"], "cpr": "010190-1234"})
    assert r.status_code == 201, r.text
    assert "010190" not in r.text and r.json()["cpr_registered"] is True
    assert client.post("/v1/cases", json={"case_id": "api-1", "ceiling": "1", "first_month": "2024-03"}
                       ).status_code == 409
    batch = {"reports": [report("A1", "2024-02-29", "15600", "2024-03-04T10:00:00+01:00")]}
    r = client.post("/v1/employer/wage-reports", json=batch)
    assert r.status_code == 201 and r.json()["stored"] == ["A1"]
    r = client.post("/v1/employer/wage-reports", json=batch)  # idempotent by report id
    assert r.status_code == 200 and r.json()["already_stored"] == ["A1"]
    changed = {"reports": [report("A1", "2024-02-29", "15700", "2024-03-04T10:00:00+01:00")]}
    r = client.post("/v1/employer/wage-reports", json=changed)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert "wage" in r.json()["detail"]

    # March on February's wage 15.600: 19.952 − 0,30 × 15.600 = 15.272 (STAR's example)
    r = client.post("/v1/payment-runs", json={"month": "2024-03", "as_of": "2024-03-06"})
    # the month's totals: 5 % ATP of 15.272 is 763,60, capped at 500 kr.; payout 15.272 − 500
    totals = {"total_subsidy": "15272.00",
              "total_atp_own": "500.00", "total_payout": "14772.00"}
    assert r.status_code == 201 and r.json()["summary"] == {"paid": 1, "held": 0, "already_paid": 0, **totals}
    assert r.json()["paid"][0]["subsidy"] == "15272.00"
    r = client.post("/v1/payment-runs", json={"month": "2024-03", "as_of": "2024-03-06"})
    assert r.json()["summary"] == {"paid": 0, "held": 0, "already_paid": 1, **totals}  # the month's, paid before
    # April: March's report is missing → held, not paid as if the wage were 0
    r = client.post("/v1/payment-runs", json={"month": "2024-04", "as_of": "2024-04-05"})
    assert r.json()["summary"]["held"] == 1
    held = client.get("/v1/cases/api-1/held-months").json()
    assert held[0]["benefit_month"] == "2024-04" and held[0]["missing_employers"] == ["11111111"]
    assert client.get("/v1/held-months").json() == held
    # provisional on a payslip of 15.000: 19.952 − 4.500 = 15.452
    r = client.post("/v1/cases/api-1/months/2024-04/provisional-payment",
                    json={"wage": "15000", "documentation": "lønseddel marts", "released_by": "sb1"},
                    headers=month_if_match(client, "api-1", "2024-04"))
    assert r.status_code == 201 and r.json()["subsidy"] == "15452.00" and r.json()["kind"] == "provisional"
    # the employer corrects February (R-mark) to 16.000 and reports March with 15.000 (late)
    later = {"reports": [report("A1R", "2024-02-29", "16000", "2024-04-10T10:00:00+02:00", "correction", "A1"),
                         report("A2", "2024-03-28", "15000", "2024-04-10T10:00:00+02:00")]}
    assert client.post("/v1/employer/wage-reports", json=later).status_code == 201
    r = client.post("/v1/reconciliations", json={"as_of": "2024-04-30"})
    assert r.status_code == 201
    corrections = r.json()["corrections"]
    # March: 19.952 − 0,30 × 16.000 = 15.152 → −120,00; April: provisional 15.452 equals the report → none
    assert [(c["benefit_month"], c["difference"], c["reasons"]) for c in corrections] == [
        ("2024-03", "-120.00", ["corrected_report"])]
    assert corrections[0]["status"] == "repayment_review" and corrections[0]["caused_by"] == ["A1R"]
    assert client.post("/v1/reconciliations", json={"as_of": "2024-04-30"}).json()["corrections"] == []
    cid = corrections[0]["id"]
    r = client.post(f"/v1/cases/api-1/corrections/{cid}/decision",
                    json={"outcome": "waive", "reason": "i god tro (PM 6-23)", "decided_by": "sb1"},
                    headers=correction_if_match(client, "api-1", cid))
    assert r.status_code == 201 and r.json()["outcome"] == "waive"
    assert client.post(f"/v1/cases/api-1/corrections/{cid}/decision",
                       json={"outcome": "collect", "reason": "x", "decided_by": "sb1"},
                       headers=correction_if_match(client, "api-1", cid)).status_code == 409
    months = client.get("/v1/cases/api-1/months").json()
    march = next(m for m in months if m["benefit_month"] == "2024-03")
    assert (march["paid"], march["due"], march["settled"]) == ("15272.00", "15152.00", "15152.00")
    assert march["corrections"][0]["decision"]["outcome"] == "waive"
    assert client.get("/v1/cases/api-1/corrections").json()[0]["id"] == cid
    assert "010190" not in client.get("/v1/cases/api-1").text


def test_bad_input_is_problem_json_naming_the_field(client: TestClient) -> None:
    assert client.get("/v1/cases/nobody").status_code == 404
    r = client.post("/v1/employer/wage-reports", json={"reports": [report("X", "2024-02-29", "-5", "2024-03-01")]})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors[0]["field"] == "reports.0, wage" and errors[0]["code"] == "amount_negative"
    r = client.post("/v1/cases", json={"case_id": "c", "ceiling": "abc", "first_month": "2024-13"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"ceiling", "first_month"}
    r = client.post("/v1/payment-runs", json={"month": "2031-01", "as_of": "2031-01-05"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "no_rates"


def test_month_events_over_the_api(client: TestClient) -> None:
    """POST/GET /v1/cases/{id}/months/{month}/events (caseworker, Idempotency-Key)."""
    assert client.post("/v1/cases", json={"case_id": "api-1", "ceiling": "30000", "first_month": "2024-03",
                                          "employers": ["11111111"]}).status_code == 201
    batch = {"reports": [report("A1", "2024-02-29", "0", "2024-03-01T10:00:00+01:00")]}
    assert client.post("/v1/employer/wage-reports", json=batch).status_code == 201
    r = client.post("/v1/payment-runs", json={"month": "2024-03", "as_of": "2024-03-06"})
    assert [(p["subsidy"], p["reason_code"]) for p in r.json()["paid"]] == [("0.00", "no_fleksjob_wage")]
    body = {"events": {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-01", "end": "2024-02-29"}],
                       "sickness_benefit": "11000"},
            "received_at": "2024-03-20T10:00:00+01:00", "registered_by": "sb-7", "document": "lægeerklæring"}
    headers = {"Idempotency-Key": "events-api-1-2024-03", **month_if_match(client, "api-1", "2024-03")}
    first = client.post("/v1/cases/api-1/months/2024-03/events", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["description_da"] == "sygdom registreret 20. marts 2024"
    retry = client.post("/v1/cases/api-1/months/2024-03/events", json=body, headers=headers)
    assert retry.status_code == 201 and retry.json() == first.json()
    again = client.post("/v1/cases/api-1/months/2024-03/events", json=body,  # same events, no key: a no-op
                        headers=month_if_match(client, "api-1", "2024-03"))
    assert again.status_code == 200 and again.json()["already_registered"] is True
    history = client.get("/v1/cases/api-1/months/2024-03/events").json()
    assert [(h["id"], h["in_force"], h["registered_by"]) for h in history] == [(first.json()["id"], True, "sb-7")]
    # 19.952 − 11.000 = 8.952
    r = client.post("/v1/reconciliations", json={"as_of": "2024-03-31"})
    assert [(c["difference"], c["reasons"]) for c in r.json()["corrections"]] == [("8952.00", ["events_registered"])]
    bad = client.post("/v1/cases/api-1/months/2024-03/events",
                      json={**body, "events": {"sickness_benefit": "5", "periods": []}},
                      headers=month_if_match(client, "api-1", "2024-03"))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "events.sickness_benefit"
    assert bad.json()["errors"][0]["reason_da"]
    outside = client.post("/v1/cases/api-1/months/2024-01/events", json=body,
                          headers=stored_if_match("api-1", "2024-01"))
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "month"
    assert client.post("/v1/cases/nope/months/2024-03/events", json=body).status_code == 404
    assert client.get("/v1/cases/nope/months/2024-03/events").status_code == 404
    assert len(client.get("/v1/cases/api-1/months/2024-03/events").json()) == 1  # nothing stored by the refusals
    month = client.get("/v1/cases/api-1/months/2024-03").json()
    assert month["settled"] == "8952.00" and month["events"][0]["in_force"] is True
    assert month["computation"]["result"]["subsidy"] == "8952.00" and month["payment"]["reason"] == "no_fleksjob_wage"


def test_a_payment_run_is_answered_when_done_and_says_so(client: TestClient) -> None:
    """The API answers a run synchronously (201, no 202 and run id) and documents
    why and its limit (docs/decisions.md, "Payment run at batch speed")."""
    doc = client.get("/openapi.json").json()
    run = doc["paths"]["/v1/payment-runs"]["post"]
    assert "201" in run["responses"] and "202" not in run["responses"]
    assert "Synchronous by design" in run["description"] and "re-run pays only what is left" in run["description"]
    reconciliation = doc["paths"]["/v1/reconciliations"]["post"]
    assert "At most 10.000 named case ids" in reconciliation["description"]
    r = client.post("/v1/payment-runs", json={"month": "2024-03", "as_of": "2024-03-06"})
    assert r.status_code == 201 and r.json()["summary"] == {
        "paid": 0, "held": 0, "already_paid": 0, "total_subsidy": "0.00", "total_atp_own": "0.00",
        "total_payout": "0.00"}
