"""``POST /v1/register/eindkomst``: a caseworker's key, the CLI's summary, the body size limit, no CPR
number in any answer, a broken body stores nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

ANSWERS = Path(__file__).resolve().parents[2] / "fixtures" / "eindkomst"
XML = {"Content-Type": "application/xml"}


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.ledger.store import create_case
    from flexcalc.period import Month
    from flexcalc.security.keys import create_key

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    with session_factory(database_url).begin() as session:
        _, secret = create_key(session, "caseworker")
        _, employer = create_key(session, "employer", employer_cvr="12345678")
        create_case(session, "K-A", Decimal("32000"), Month(2024, 4), ["12345678"], "0101901234")
        create_case(session, "K-B", Decimal("32000"), Month(2024, 4), [], "0101911234")
    client = TestClient(create_app(), headers={"Authorization": f"Bearer {secret}"})
    client.employer = {"Authorization": f"Bearer {employer}"}  # type: ignore[attr-defined]
    return client


def test_the_register_endpoint(client: TestClient, database_url: str) -> None:
    march = (ANSWERS / "answer_2024_03.xml").read_bytes()
    r = client.post("/v1/register/eindkomst", content=march, headers={**XML, "Idempotency-Key": "ei-1"})
    assert r.status_code == 201, r.text
    assert r.json() == {"read": 5, "stored": 2, "unchanged": 0, "corrections": 0, "reversals": 0, "held": 0,
                        "unknown_cpr": 3, "held_reasons": {}}
    assert "0101" not in r.text
    replay = client.post("/v1/register/eindkomst", content=march, headers={**XML, "Idempotency-Key": "ei-1"})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    again = client.post("/v1/register/eindkomst", content=march, headers=XML)
    assert again.status_code == 200 and again.json()["unchanged"] == 2 and again.json()["stored"] == 0
    april = client.post("/v1/register/eindkomst", content=(ANSWERS / "answer_2024_04.xml").read_bytes(), headers=XML)
    assert april.status_code == 201
    assert (april.json()["corrections"], april.json()["reversals"], april.json()["stored"]) == (1, 1, 1)


def test_refusals(client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    march = (ANSWERS / "answer_2024_03.xml").read_bytes()
    employer = client.post("/v1/register/eindkomst", content=march,
                           headers={**XML, **client.employer})  # type: ignore[attr-defined]
    assert employer.status_code == 403
    wrong = client.post("/v1/register/eindkomst", content=march, headers={"Content-Type": "text/csv"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body"
    broken = client.post("/v1/register/eindkomst", content=march[:-300], headers=XML)
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "file"
    assert "0101" not in broken.text
    from flexcalc.ledger.db import session_factory

    with session_factory(database_url)() as session:
        assert session.scalar(text("SELECT count(*) FROM ledger_report")) == 0
    monkeypatch.setenv("FLEXCALC_MAX_BODY_BYTES", "2000")  # settings() follows the environment
    big = client.post("/v1/register/eindkomst", content=march, headers=XML)
    assert big.status_code == 413


def test_the_case_trace_of_register_reports(client: TestClient) -> None:
    client.post("/v1/register/eindkomst", content=(ANSWERS / "answer_2024_03.xml").read_bytes(), headers=XML)
    client.post("/v1/register/eindkomst", content=(ANSWERS / "answer_2024_04.xml").read_bytes(), headers=XML)
    r = client.get("/v1/register/cases/K-B")
    assert r.status_code == 200, r.text
    first, correction = r.json()["reports"]
    assert (first["kind"], correction["kind"]) == ("original", "correction")
    assert (first["wage_income"], correction["wage_income"]) == ("8960.00", "9520.00")
    counted = {p["felt"]: p["amount"] for p in correction["parts"] if p["use"] != "info"}
    assert counted == {"13": "8500.00", "147": "340.00", "148": "680.00", "200": "42.00"}
    reversal = [x for x in client.get("/v1/register/cases/K-A").json()["reports"] if x["kind"] == "reversal"]
    assert reversal[0]["reverses_own_id"] == "L2403-0001" and reversal[0]["wage_income"] is None
    assert client.get("/v1/register/cases/K-B", headers=client.employer).status_code == 403  # type: ignore[attr-defined]
    assert "0101" not in r.text


def test_each_case_written_is_audited_and_the_audit_holds_no_cpr(client: TestClient) -> None:
    made = client.post("/v1/register/eindkomst", content=(ANSWERS / "answer_2024_03.xml").read_bytes(), headers=XML)
    assert made.status_code == 201
    for case in ("K-A", "K-B"):
        rows = client.get("/v1/audit", params={"case_id": case}).json()["entries"]
        assert [(r["route"], r["action"], r["status"]) for r in rows] == [("/v1/register/eindkomst", "write", 201)]
    assert "0101" not in client.get("/v1/audit", params={"limit": 1000}).text
