"""Audit gaps (refused keys, a failing audit insert, idempotent replays),
Idempotency-Key on ``POST /v1/keys``, and a request with two ``Authorization`` headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security import audit
from flexcalc.security.keys import KEY_CACHE, create_key, revoke_key


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    KEY_CACHE.clear()
    h: dict[str, Any] = {"url": database_url}
    with session_factory(database_url).begin() as session:
        for role in ("caseworker", "admin", "citizen"):
            row, secret = create_key(session, role, case_id="S1" if role == "citizen" else None)
            h[role] = {"Authorization": f"Bearer {secret}"}
            h[f"{role}_id"] = row.id
    yield TestClient(create_app(), raise_server_exceptions=False), h
    KEY_CACHE.clear()


def entries(client: TestClient, h: dict[str, Any]) -> list[dict[str, Any]]:
    return list(client.get("/v1/audit", headers=h["caseworker"], params={"limit": 1000}).json()["entries"])


def test_requests_with_a_revoked_or_unknown_key_are_audited(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    with session_factory(h["url"]).begin() as session:
        revoke_key(session, h["citizen_id"])
    assert client.get("/v1/cases/S1", headers=h["citizen"]).status_code == 401
    fake = "fck_k0123456789ab_" + "x" * 43
    assert client.get("/v1/cases/S1", headers={"Authorization": f"Bearer {fake}"}).status_code == 401
    assert client.get("/v1/cases/S1", headers={"Authorization": "Basic dXNlcjpwdw=="}).status_code == 401
    refused = [(e["key_id"], e["action"], e["route"], e["status"], e["outcome"]) for e in entries(client, h)
               if e["status"] == 401]
    assert refused == [(h["citizen_id"], "auth", "/v1/cases/S1", 401, "denied"),
                       ("k0123456789ab", "auth", "/v1/cases/S1", 401, "denied"),
                       (None, "auth", "/v1/cases/S1", 401, "denied")]


def test_two_authorization_headers_are_refused(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    headers = httpx.Headers([("Authorization", h["citizen"]["Authorization"]),
                             ("Authorization", h["caseworker"]["Authorization"])])
    r = client.get("/v1/cases/S1", headers=headers)
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert "more than one Authorization header" in r.json()["detail"]
    assert [e["status"] for e in entries(client, h) if e["action"] == "auth"] == [400]


def test_a_write_whose_audit_row_fails_is_not_made(api, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    real = audit.record
    assert client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S0", "ceiling": "30000", "first_month": "2024-03", "employers": ["11111111"]}).status_code == 201

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit table is full")

    monkeypatch.setattr(audit, "record", broken)
    r = client.post("/v1/cases", headers=h["caseworker"],
                    json={"case_id": "S1", "ceiling": "30000", "first_month": "2024-03"})
    assert r.status_code == 500
    monkeypatch.setattr(audit, "record", real)
    assert client.get("/v1/cases/S1", headers=h["caseworker"]).status_code == 404  # nothing was written
    # and a payment run (many transactions) does not start without its audit row
    monkeypatch.setattr(audit, "record", broken)
    run = client.post("/v1/payment-runs", headers=h["caseworker"],
                      json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"})
    assert run.status_code == 500
    monkeypatch.setattr(audit, "record", real)
    from sqlalchemy import text

    with session_factory(h["url"])() as session:
        assert session.execute(text("SELECT count(*) FROM ledger_hold")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM ledger_payment")).scalar_one() == 0
    # with the audit working, the same run holds S0's month (no report from its employer yet)
    assert client.post("/v1/payment-runs", headers=h["caseworker"],
                       json={"month": "2024-03", "as_of": "2024-03-06T12:00:00+01:00"}).status_code == 201
    with session_factory(h["url"])() as session:
        assert session.execute(text("SELECT count(*) FROM ledger_hold")).scalar_one() == 1


def test_idempotent_replays_are_audited(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    headers = {**h["caseworker"], "Idempotency-Key": "create-S1"}
    body = {"case_id": "S1", "ceiling": "30000", "first_month": "2024-03"}
    first = client.post("/v1/cases", headers=headers, json=body)
    again = client.post("/v1/cases", headers=headers, json=body)
    assert first.status_code == again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    rows = [(e["action"], e["case_id"], e["status"]) for e in entries(client, h) if e["route"] == "/v1/cases"]
    assert rows == [("write", "S1", 201), ("replay", "S1", 201)]


def test_post_keys_honours_idempotency_key(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    headers = {**h["admin"], "Idempotency-Key": "new-caseworker-key"}
    body = {"role": "caseworker", "label": "team 3"}
    first = client.post("/v1/keys", headers=headers, json=body)
    again = client.post("/v1/keys", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and first.json()["secret"].startswith("fck_")
    assert again.json()["secret"] is None  # the secret is shown once and never stored
    labelled = [k for k in client.get("/v1/keys", headers=h["admin"]).json() if k["label"] == "team 3"]
    assert len(labelled) == 1  # one live key from the retry, not two
    with session_factory(h["url"])() as session:
        from sqlalchemy import text

        stored = session.execute(text("SELECT response_body FROM idempotency_keys")).scalars().all()
    assert stored and all(b"fck_" not in bytes(body) for body in stored)
