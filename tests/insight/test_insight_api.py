"""The API of management information and supervision, with an attacker's eye: the manager's key gets figures
and employers' CVR numbers and no person (no case id, no CPR number, no count from 1 to 4), and no case; the
supervisor reads cases, runs a supervision and records a finding that reaches the caseworker's worklist; a
complaint step on a stale version is refused. Every call is audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.insight.caseload import build

AS_OF = "2024-06-01T00:00:00+02:00"


@pytest.fixture
def api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import KEY_CACHE, create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    build(sqlite_url)
    KEY_CACHE.clear()
    h: dict[str, dict[str, str]] = {}
    with session_factory(sqlite_url).begin() as session:
        for role, scope in (("caseworker", {}), ("manager", {}), ("supervisor", {}), ("finance", {}),
                            ("citizen", {"case_id": "c01"})):
            h[role] = {"Authorization": f"Bearer {create_key(session, role, **scope)[1]}"}
    yield TestClient(create_app()), h
    KEY_CACHE.clear()


def _counts(value: Any, path: str = "") -> Iterator[tuple[str, int]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _counts(v, f"{path}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _counts(v, f"{path}[{n}]")
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, value


def test_the_manager_gets_figures_and_no_person(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    r = client.get("/v1/insight/2024-05", params={"as_of": AS_OF}, headers=h["manager"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["current"]["caseload"], body["current"]["payments"], body["current"]["late_reports"]) == (8, 6, 6)
    assert body["current"]["subsidy_total"] == "5500.00"
    assert body["current"]["hearings_sent"] == "<5" and body["current"]["claims_balance"] is None
    assert [e["employer_cvr"] for e in body["employers"]] == ["11111111", "22222222"]
    # the attack: look for a person anywhere in the answer
    text = json.dumps(body)
    for n in range(1, 11):
        assert f"c{n:02d}" not in text
    assert "01019" not in text and "case_id" not in text and "cpr" not in text.lower()
    small = [(p, v) for p, v in _counts(body) if 0 < v < 5 and not p.endswith("small_number_threshold")]
    assert small == []
    # a count of 1 becomes "<5" wherever it sits: causes, outcomes, held months by age, employers
    assert body["current"]["corrections_by_cause"]["corrected_report"] == "<5"
    assert body["held_by_age_days"] == {"0-30": "<5", "31-60": "<5", "61-90": 0, "over 90": "<5"}
    assert body["employers"][1]["cases_touched"] == "<5"


@pytest.mark.parametrize("path", ["/v1/cases", "/v1/cases/c01", "/v1/cases/c01/months", "/v1/worklist",
                                  "/v1/supervisions", "/v1/cases/c01/findings", "/v1/cases/c01/complaints",
                                  "/v1/audit", "/v1/held-months"])
def test_the_manager_key_opens_no_case(api, path: str) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    assert client.get(path, headers=h["manager"]).status_code == 403


def test_only_the_manager_reads_the_figures(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    for role in ("caseworker", "supervisor", "finance", "citizen"):
        assert client.get("/v1/insight/2024-05", headers=h[role]).status_code == 403, role
    assert client.get("/v1/insight/2024-05").status_code == 401
    bad = client.get("/v1/insight/2024-13", headers=h["manager"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "month"
    assert client.get("/v1/insight/2024-05", headers=h["manager"]).status_code == 200
    entries = client.get("/v1/audit", headers=h["caseworker"], params={"limit": 1000}).json()["entries"]
    reads = [(e["role"], e["case_id"], e["outcome"]) for e in entries if e["route"] == "/v1/insight/{month}"]
    assert reads == [("manager", None, "refused"), ("manager", None, "ok")]


def test_supervision_finding_reaches_the_worklist(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    run = client.post("/v1/supervisions", headers=h["supervisor"], json={
        "period_start": "2024-05-01", "period_end": "2024-05-31", "size": 20, "seed": 7})
    assert run.status_code == 201, run.text
    assert run.json()["shares"]["hearing_before_repayment"]["share_passing"] == "0.5000"
    assert client.get("/v1/supervisions", headers=h["supervisor"]).json()["supervisions"][0]["seed"] == 7
    assert client.get(f"/v1/supervisions/{run.json()['id']}", headers=h["supervisor"]).json()["seed"] == 7
    assert client.get("/v1/cases/c08", headers=h["supervisor"]).status_code == 200  # the supervisor sees cases
    assert client.post("/v1/supervisions", headers=h["caseworker"], json={
        "period_start": "2024-05-01", "period_end": "2024-05-31", "size": 2}).status_code == 403
    made = client.post("/v1/cases/c08/findings", headers=h["supervisor"], json={
        "finding": "Krav uden partshøring", "follow_up": "Send partshøring", "run_id": run.json()["id"],
        "check_id": "hearing_before_repayment"})
    assert made.status_code == 201, made.text
    items = client.get("/v1/worklist", headers=h["caseworker"], params={
        "case_id": "c08", "kind": "supervision_follow_up"}).json()
    assert [(i["kind"], i["details"]["finding_id"]) for i in items] == [("supervision_follow_up", made.json()["id"])]
    done = client.post(f"/v1/findings/{made.json()['id']}/done", headers=h["caseworker"], json={"note": "sendt"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = client.post(f"/v1/findings/{made.json()['id']}/done", headers=h["caseworker"], json={"note": "igen"})
    assert again.status_code == 409
    assert client.get("/v1/worklist", headers=h["caseworker"], params={
        "case_id": "c08", "kind": "supervision_follow_up"}).json() == []
    # the supervisor reads, never writes the case itself
    assert client.post("/v1/cases/c08/complaints", headers=h["supervisor"], json={
        "received_on": "2024-06-02", "subject": "x"}).status_code == 403


def test_complaint_register_refuses_a_stale_step(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    made = client.post("/v1/cases/c03/complaints", headers=h["caseworker"], json={
        "received_on": "2024-06-02", "subject": "Klage over hændelsen"})
    assert made.status_code == 201, made.text
    url = f"/v1/cases/c03/complaints/{made.json()['id']}/steps"
    first = client.post(url, headers=h["caseworker"], json={"kind": "reconsidered", "on_date": "2024-06-05",
                                                             "version": 0, "result": "kept"})
    assert first.status_code == 200 and first.json()["version"] == 1
    stale = client.post(url, headers=h["caseworker"], json={"kind": "reconsidered", "on_date": "2024-06-05",
                                                             "version": 0, "result": "changed",
                                                             "effect": "new_decision"})
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "version"
    listed = client.get("/v1/cases/c03/complaints", headers=h["caseworker"]).json()["complaints"]
    assert [c["version"] for c in listed] == [1]
    entries = client.get("/v1/audit", headers=h["caseworker"], params={"case_id": "c03"}).json()["entries"]
    assert [(e["action"], e["status"]) for e in entries if e["method"] == "POST"] == [
        ("write", 201), ("write", 200), ("write", 409)]
