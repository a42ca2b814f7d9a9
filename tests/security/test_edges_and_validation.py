"""Edge instants and months are 4xx naming the field (CLI: exit 2), a
keep-alive connection stays healthy after an error, and one validation for identifiers and amounts."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

EDGES = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "0000-01-01", "9999-12-31"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    KEY_CACHE.clear()
    h: dict[str, Any] = {}
    with session_factory(database_url).begin() as session:
        for role, cvr in (("caseworker", None), ("employer", "11111111")):
            _, secret = create_key(session, role, employer_cvr=cvr)
            h[role] = {"Authorization": f"Bearer {secret}"}
    client = TestClient(create_app(), raise_server_exceptions=False)
    assert client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S1", "ceiling": "32067", "first_month": "2024-03", "employers": ["11111111"]}).status_code == 201
    yield client, h
    KEY_CACHE.clear()


def _field(response: Any) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["errors"][0]["field"])


@pytest.mark.parametrize("instant", EDGES)
def test_edge_instants_are_field_errors_not_500(api, instant: str) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    assert _field(client.post("/v1/payment-runs", headers=h["caseworker"],
                              json={"month": "2024-03", "as_of": instant})) == "as_of"
    assert _field(client.post("/v1/reconciliations", headers=h["caseworker"], json={"as_of": instant})) == "as_of"
    assert _field(client.post("/v1/cases/S1/ceilings/normal-wage", headers=h["caseworker"],
                              params={"as_of": instant}, json={})) != ""
    report = {"report_id": "R1", "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
              "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "100", "received_at": instant,
              "kind": "original"}
    for who in ("caseworker", "employer"):
        r = client.post("/v1/employer/wage-reports", headers=h[who], json={"reports": [report]})
        assert _field(r) == "reports.0, received_at"
    for column in ("payment_date", "period_start"):
        r = client.post("/v1/employer/wage-reports", headers=h["caseworker"],
                        json={"reports": [{**report, "received_at": "2024-03-04", column: instant[:10]}]})
        assert _field(r) == f"reports.0, {column}"


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "0001-01"])
def test_edge_months_are_field_errors(api, month: str) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    change = {"first": {"month": "2024-12", "wage": "15600", "ceiling": "32067"},
              "second": {"month": "2025-01", "wage": "17000", "ceiling": "32067",
                         "corrections": [{"amount": "100", "month": month}]}}
    assert _field(client.post("/v1/explanations/month-change", json=change)) == "second.corrections.0.month"
    assert _field(client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S2", "ceiling": "30000", "first_month": month})) == "first_month"
    assert _field(client.post("/v1/payment-runs", headers=h["caseworker"],
                              json={"month": month, "as_of": "2024-03-06"})) == "month"
    assert client.get("/v1/cases/S1", headers=h["caseworker"]).status_code == 200


def test_the_cli_refuses_edges_with_exit_2(sqlite_url: str) -> None:
    for args in (["pay", "2024-03", "--as-of", EDGES[0]], ["pay", "2024-03", "--as-of", EDGES[1]],
                 ["reconcile", "--as-of", EDGES[0]], ["pay", "0000-01", "--as-of", "2024-03-06"],
                 ["case", "create", "S1", "--ceiling", "30000", "--first", "0000-01"]):
        result = invoke(*args, "--db", sqlite_url)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("case_id", ["a/b", "..", ".", "S 1", "sag\u00e6", "\U0001f600", "-S1", "x" * 65, "S\x001"])
def test_one_identifier_validation_for_case_ids(api, case_id: str) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    r = client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": case_id, "ceiling": "30000", "first_month": "2024-03"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "case_id", r.text
    report = {"report_id": case_id, "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
              "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "100", "received_at": "2024-03-04",
              "kind": "original"}
    r = client.post("/v1/employer/wage-reports", headers=h["caseworker"], json={"reports": [report]})
    assert _field(r) == "reports.0, report_id"


def test_ceiling_zero_is_refused_naming_the_field(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    assert _field(client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S0", "ceiling": "0", "first_month": "2024-03"})) == "ceiling"
    assert _field(client.post("/v1/cases/S1/ceilings", headers=h["caseworker"],
                              json={"amount": "0.00", "effective_month": "2024-04"})) == "amount"
    assert client.get("/v1/cases/S0", headers=h["caseworker"]).status_code == 404


def test_reconciliation_case_ids_are_bounded(api) -> None:  # type: ignore[no-untyped-def]
    from api.routers.ledger_runs import MAX_RECONCILE_CASES

    client, h = api
    body = {"as_of": "2024-04-30", "case_ids": [f"C{i}" for i in range(MAX_RECONCILE_CASES + 1)]}
    assert _field(client.post("/v1/reconciliations", headers=h["caseworker"], json=body)) == "case_ids"
    body["case_ids"] = ["S1"]
    assert client.post("/v1/reconciliations", headers=h["caseworker"], json=body).status_code == 201


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_keep_alive_connection_stays_healthy_after_errors(tmp_path: Path) -> None:
    """On the real server (the app plus a route that raises): one TCP connection, errors of every kind,
    an unexpected error among them, then good requests on the same connection."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    with session_factory(url).begin() as session:
        _, secret = create_key(session, "caseworker")
    port = _free_port()
    env = {**os.environ, "FLEXCALC_DATABASE_URL": url, "FLEXCALC_MAX_BODY_BYTES": "2000"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "tests.support.security_app:make_app", "--host",
               "127.0.0.1", "--port", str(port), "--no-access-log"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

        def ask(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> int:
            data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=data, headers=headers or auth)
            response = connection.getresponse()
            response.read()
            return response.status

        assert ask("GET", "/health") == 200
        sock = connection.sock
        assert ask("POST", "/v1/payment-runs", {"month": "2024-03", "as_of": EDGES[0]}) == 422
        assert ask("POST", "/v1/reconciliations", {"as_of": EDGES[1]}) == 422
        assert ask("POST", "/v1/explanations/month-change", {"first": {}, "second": {}}) == 422
        assert ask("GET", "/v1/cases/no-such-case") == 404
        assert ask("GET", "/v1/test-boom") == 500  # an unexpected error
        assert ask("GET", "/v1/cases/S1", headers={"Authorization": "Bearer fck_nope"}) == 401
        assert ask("POST", "/v1/cases", b"{" * 10) == 422  # not JSON
        assert ask("POST", "/v1/reconciliations", {"as_of": "2024-04-30", "case_ids": ["x" * 60] * 100}) == 413
        assert connection.sock is sock, "the server closed the keep-alive connection after an error"
        assert ask("POST", "/v1/cases", {"case_id": "S1", "ceiling": "30000", "first_month": "2024-03"}) == 201
        assert ask("GET", "/v1/cases/S1") == 200
        assert connection.sock is sock
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
