"""The old scheme over the ledger API on SQLite and PostgreSQL: create, claim, pay in the payment run, correct,
reassess, job change; stale writes refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    return TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})


def test_old_scheme_case_through_the_api(client: TestClient) -> None:
    r = client.post("/v1/old-scheme/cases", json={"case_id": "G-1", "first_month": "2024-01",
                                                  "employer_id": "12345678", "fraction": "2/3",
                                                  "job_start": "2010-05-01", "known_at": "2024-01-02T09:00:00+01:00"})
    assert r.status_code == 201, r.text
    row = r.json()["row_id"]
    claim = {"month": "2024-04", "employer_id": "12345678", "agreement_wage": "60000",
             "employer_contributions": "6000", "received_at": "2024-05-01T09:00:00+02:00"}
    r = client.post("/v1/cases/G-1/old-scheme/claims", json=claim)
    assert r.status_code == 201, r.text
    first = r.json()["id"]
    # above the cap: ⅔ × 49.015,67 = 32.677,11, paid by the payment run's old-scheme flow
    r = client.post("/v1/payment-runs", json={"month": "2024-04", "as_of": "2024-05-02"})
    assert r.status_code == 201, r.text
    assert r.json()["schemes"]["old"]["outcomes"][0]["due"] == "32677.11"
    assert r.json()["summary"]["paid"] == 0
    # a corrected claim below the cap: 30.000 + 2.700 → ⅔ = 21.800; a correction of −10.877,11
    stale = client.post("/v1/cases/G-1/old-scheme/claims", json={**claim, "agreement_wage": "30000",
                                                                  "employer_contributions": "2700"})
    assert stale.status_code == 409
    r = client.post("/v1/cases/G-1/old-scheme/claims", json={**claim, "agreement_wage": "30000",
                                                             "employer_contributions": "2700", "replaces": first,
                                                             "received_at": "2024-05-10T09:00:00+02:00"})
    assert r.status_code == 201
    r = client.post("/v1/payment-runs", json={"month": "2024-04", "as_of": "2024-05-11"})
    outcome = r.json()["schemes"]["old"]["outcomes"][0]
    assert (outcome["status"], outcome["difference"], outcome["causes"]) == (
        "corrected", "-10877.11", ["claim_corrected"])
    r = client.post("/v1/cases/G-1/job-change", json={"date": "2024-06-01", "new_employer_id": "87654321",
                                                      "new_tasks_and_terms": True, "expected_row": row})
    assert r.status_code == 201 and r.json()["scheme"] == "new_2013"
    r = client.post("/v1/cases/G-1/scheme", json={"scheme": "old", "effective_from": "2024-07-01",
                                                  "employer_id": "12345678", "fraction": "1/2",
                                                  "expected_row": row})
    assert r.status_code == 409  # stale: the job change is newer than the statement it names
    history = client.get("/v1/cases/G-1/scheme").json()
    assert [s["scheme"] for s in history["schemes"]] == ["old", "new_2013"]
    assert [s["difference"] for s in history["settlements"]] == ["32677.11", "-10877.11"]
    money = client.get("/v1/finance/schemes", params={"month": "2024-04"}).json()["schemes"]["old"]
    assert (money["subsidy"], money["refund"]) == ("21800.00", "14170.00")  # 65 % of 21.800
    bad = client.post("/v1/cases/G-1/old-scheme/claims", json={**claim, "month": "2024-06", "replaces": None})
    assert bad.status_code == 422 and "month" in bad.text
