"""Roles, audit log, idempotent writes, size limit and errors of the API."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from flexcalc.ledger.db import make_engine, session_factory, upgrade
from flexcalc.security import keys
from flexcalc.security.keys import KEY_CACHE
from flexcalc.security.redact import CPR_PATTERN
from tests.support import security_app

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")


@dataclass
class World:
    client: TestClient
    url: str
    secrets: dict[str, str]
    ids: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[who]}"}


def _world(url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", url)
    upgrade(url)
    KEY_CACHE.clear()
    security_app.REPORTS.clear()
    secrets: dict[str, str] = {}
    ids: dict[str, str] = {}
    with session_factory(url).begin() as session:
        for who, role, case, cvr in [("caseworker", "caseworker", None, None), ("admin", "admin", None, None),
                                     ("citizen", "citizen", "C-1", None), ("citizen2", "citizen", "C-2", None),
                                     ("employer", "employer", None, "12345678"),
                                     ("employer2", "employer", None, "87654321")]:
            row, secret = keys.create_key(session, role, case_id=case, employer_cvr=cvr)
            secrets[who], ids[who] = secret, row.id
    client = TestClient(security_app.make_app(), raise_server_exceptions=False)
    return World(client, url, secrets, ids)


@pytest.fixture
def world(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    yield _world(sqlite_url, monkeypatch)
    KEY_CACHE.clear()


@pytest.fixture
def world_both(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    yield _world(database_url, monkeypatch)
    KEY_CACHE.clear()


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- role boundaries ------------------------------------------------------------------------------

def test_no_key_is_401_on_a_case(world: World) -> None:
    response = world.client.get("/v1/test-cases/C-1/summary")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_or_malformed_key_is_401_everywhere(world: World) -> None:
    for value in ["Bearer fck_knope_nope", "Bearer not-a-key", "Basic dXNlcjpwYXNz"]:
        assert_problem(world.client.get("/v1/test-cases/C-1/summary", headers={"Authorization": value}), 401)
        assert_problem(world.client.get("/health", headers={"Authorization": value}), 401)


def test_open_endpoints_need_no_key(world: World) -> None:
    assert world.client.get("/health").status_code == 200
    assert world.client.get("/v1/parameters").status_code == 200
    response = world.client.post("/v1/calculations", json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
    assert response.status_code == 200 and response.json()["subsidy"] == "15272.00"
    with_key = world.client.post("/v1/calculations", headers=world.h("citizen"),
                                 json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
    assert with_key.json()["subsidy"] == "15272.00"


def test_citizen_reads_own_case_only_and_writes_nothing(world: World) -> None:
    own = world.client.get("/v1/test-cases/C-1/summary", headers=world.h("citizen"))
    assert own.status_code == 200 and own.json()["case_id"] == "C-1"
    assert_problem(world.client.get("/v1/test-cases/C-2/summary", headers=world.h("citizen")), 403)
    write = world.client.post("/v1/test-cases/C-1/reports", headers=world.h("citizen"),
                              json={"month": "2024-02", "wage": "15600.00"})
    assert_problem(write, 403)
    assert security_app.REPORTS == {}


def test_employer_sees_own_ceiling_but_no_subsidy_and_no_other_employer(world: World) -> None:
    own = world.client.get("/v1/test-employers/12345678/cases/C-1/ceiling", headers=world.h("employer"))
    assert own.status_code == 200 and own.json() == {"ceiling": "32067.00"}
    assert_problem(world.client.get("/v1/test-employers/87654321/cases/C-1/ceiling", headers=world.h("employer")), 403)
    assert_problem(world.client.get("/v1/test-cases/C-1/summary", headers=world.h("employer")), 403)
    write = world.client.post("/v1/test-cases/C-1/reports", headers=world.h("employer"),
                              json={"month": "2024-02", "wage": "15600.00"})
    assert_problem(write, 403)


def test_citizen_and_admin_see_no_employer_data_and_admin_no_case(world: World) -> None:
    assert_problem(world.client.get("/v1/test-employers/12345678/cases/C-1/ceiling", headers=world.h("citizen")), 403)
    assert_problem(world.client.get("/v1/test-employers/12345678/cases/C-1/ceiling", headers=world.h("admin")), 403)
    assert_problem(world.client.get("/v1/test-cases/C-1/summary", headers=world.h("admin")), 403)


def test_caseworker_reads_and_writes_every_case(world: World) -> None:
    for case in ("C-1", "C-2"):
        assert world.client.get(f"/v1/test-cases/{case}/summary", headers=world.h("caseworker")).status_code == 200
    assert world.client.get("/v1/test-employers/87654321/cases/C-2/ceiling",
                            headers=world.h("caseworker")).status_code == 200
    response = world.client.post("/v1/test-cases/C-2/reports", headers=world.h("caseworker"),
                                 json={"month": "2024-02", "wage": "1.00"})
    assert response.status_code == 201 and response.json() == {"case_id": "C-2", "number": 1}


def test_revoked_key_is_401_at_once(world: World) -> None:
    assert world.client.get("/v1/test-cases/C-1/summary", headers=world.h("citizen")).status_code == 200
    with session_factory(world.url).begin() as session:
        keys.revoke_key(session, world.ids["citizen"])
    assert_problem(world.client.get("/v1/test-cases/C-1/summary", headers=world.h("citizen")), 401)


def test_keys_api_is_for_admins(world: World) -> None:
    assert_problem(world.client.get("/v1/keys", headers=world.h("caseworker")), 403)
    assert_problem(world.client.get("/v1/keys"), 401)
    listed = world.client.get("/v1/keys", headers=world.h("admin"))
    assert listed.status_code == 200
    assert {k["role"] for k in listed.json()} == {"caseworker", "admin", "citizen", "employer"}
    assert all("secret" not in k and "secret_sha256" not in k for k in listed.json())
    made = world.client.post("/v1/keys", headers=world.h("admin"), json={"role": "citizen", "case_id": "C-9"})
    assert made.status_code == 201 and made.json()["secret"].startswith("fck_")
    new = {"Authorization": f"Bearer {made.json()['secret']}"}
    assert world.client.get("/v1/test-cases/C-9/summary", headers=new).status_code == 200
    bad = world.client.post("/v1/keys", headers=world.h("admin"), json={"role": "citizen"})
    assert assert_problem(bad, 422)["errors"][0]["field"] == "case"
    revoked = world.client.post(f"/v1/keys/{made.json()['id']}/revoke", headers=world.h("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert_problem(world.client.get("/v1/test-cases/C-9/summary", headers=new), 401)
    assert_problem(world.client.post("/v1/keys/knothere/revoke", headers=world.h("admin")), 404)


def test_secrets_are_stored_only_hashed(world: World) -> None:
    with make_engine(world.url).connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_keys")).all()
    dump = repr(rows)
    for secret in world.secrets.values():
        assert secret not in dump and secret.split("_", 2)[2] not in dump
        assert keys.secret_hash(secret) in dump


# --- audit log --------------------------------------------------------------------------------------

def test_every_case_access_is_audited_and_queryable_by_caseworkers(world: World) -> None:
    world.client.get("/v1/test-cases/C-1/summary", headers=world.h("citizen"))
    world.client.get("/v1/test-cases/C-1/summary", headers=world.h("citizen2"))
    world.client.get("/v1/test-cases/C-1/summary")
    world.client.post("/v1/test-cases/C-1/reports", headers=world.h("caseworker"),
                      json={"month": "2024-02", "wage": "1.00"})
    world.client.get("/v1/test-employers/12345678/cases/C-1/ceiling", headers=world.h("employer"))
    world.client.get("/v1/test-cases/C-2/summary", headers=world.h("caseworker"))
    response = world.client.get("/v1/audit", params={"case_id": "C-1"}, headers=world.h("caseworker"))
    assert response.status_code == 200
    entries = response.json()["entries"]
    seen = [(e["key_id"], e["role"], e["action"], e["status"], e["outcome"], e["route"]) for e in entries]
    assert seen == [
        (world.ids["citizen"], "citizen", "read", 200, "ok", "/v1/test-cases/{case_id}/summary"),
        (world.ids["citizen2"], "citizen", "read", 403, "denied", "/v1/test-cases/{case_id}/summary"),
        (None, None, "read", 401, "denied", "/v1/test-cases/{case_id}/summary"),
        (world.ids["caseworker"], "caseworker", "write", 201, "ok", "/v1/test-cases/{case_id}/reports"),
        (world.ids["employer"], "employer", "read", 200, "ok", "/v1/test-employers/{cvr}/cases/{case_id}/ceiling"),
    ]
    assert entries[-1]["employer_cvr"] == "12345678"
    assert all(e["at"] for e in entries)
    assert all(s not in response.text for s in world.secrets.values())
    # reading the log is logged
    again = world.client.get("/v1/audit", params={"case_id": "C-1"}, headers=world.h("caseworker")).json()["entries"]
    assert again[-1]["action"] == "audit-read" and again[-1]["key_id"] == world.ids["caseworker"]


@pytest.mark.parametrize("who", ["citizen", "employer", "admin"])
def test_only_caseworkers_read_the_audit_log(world: World, who: str) -> None:
    assert_problem(world.client.get("/v1/audit", headers=world.h(who)), 403)


def test_audit_log_is_append_only_on_both_databases(world_both: World) -> None:
    world_both.client.get("/v1/test-cases/C-1/summary", headers=world_both.h("caseworker"))
    engine = make_engine(world_both.url)
    for statement in ("UPDATE audit_log SET key_id = 'someone-else'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT key_id FROM audit_log")).scalar_one() == world_both.ids["caseworker"]


# --- idempotent writes ------------------------------------------------------------------------------

def test_a_retry_returns_the_first_answer_and_changes_nothing(world_both: World) -> None:
    world = world_both
    headers = {**world.h("caseworker"), "Idempotency-Key": "report-2024-02-C-1"}
    body = {"month": "2024-02", "wage": "15600.00"}
    first = world.client.post("/v1/test-cases/C-1/reports", headers=headers, json=body)
    assert first.status_code == 201 and first.json() == {"case_id": "C-1", "number": 1}
    second = world.client.post("/v1/test-cases/C-1/reports", headers=headers, json=body)
    assert second.status_code == 201 and second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert len(security_app.REPORTS["C-1"]) == 1
    # it survives a restart: a new app (new process state) on the same database
    KEY_CACHE.clear()
    restarted = TestClient(security_app.make_app())
    third = restarted.post("/v1/test-cases/C-1/reports", headers=headers, json=body)
    assert third.json() == first.json() and len(security_app.REPORTS["C-1"]) == 1
    # another key (another client) with the same Idempotency-Key is a different write
    other = world.client.post("/v1/test-cases/C-1/reports", json=body,
                              headers={**world.h("caseworker"), "Idempotency-Key": "another"})
    assert other.json()["number"] == 2


def test_the_same_key_with_another_body_is_refused(world: World) -> None:
    headers = {**world.h("caseworker"), "Idempotency-Key": "k-1"}
    world.client.post("/v1/test-cases/C-1/reports", headers=headers, json={"month": "2024-02", "wage": "1.00"})
    response = world.client.post("/v1/test-cases/C-1/reports", headers=headers,
                                 json={"month": "2024-02", "wage": "2.00"})
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert problem["errors"][0]["code"] == "idempotency_key_reused"
    assert len(security_app.REPORTS["C-1"]) == 1


def test_a_refused_request_does_not_use_up_the_key(world: World) -> None:
    body = {"month": "2024-02", "wage": "1.00"}
    refused = world.client.post("/v1/test-cases/C-1/reports", json=body,
                                headers={**world.h("citizen"), "Idempotency-Key": "k-2"})
    assert_problem(refused, 403)
    bad_key = world.client.post("/v1/test-cases/C-1/reports", json=body,
                                headers={**world.h("caseworker"), "Idempotency-Key": "with space"})
    assert assert_problem(bad_key, 422)["errors"][0]["field"] == "Idempotency-Key"
    ok = world.client.post("/v1/test-cases/C-1/reports", json=body,
                           headers={**world.h("caseworker"), "Idempotency-Key": "k-2"})
    assert ok.status_code == 201


# --- hardened input ---------------------------------------------------------------------------------

def test_request_size_limit_is_413_problem(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_MAX_BODY_BYTES", "200")
    big = {"month": "2024-03", "wage": "15600", "ceiling": "32067", "pad": "x" * 300}
    assert_problem(world.client.post("/v1/calculations", json=big), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams in
        yield b'{"month": "2024-03", "wage": "15600", '
        yield b'"ceiling": "32067", "pad": "' + b"x" * 300 + b'"}'

    streamed = world.client.post("/v1/calculations", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(streamed, 413)
    small = world.client.post("/v1/calculations", json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
    assert small.status_code == 200


def test_an_unexpected_error_is_500_problem_without_internals(world: World) -> None:
    response = world.client.get("/v1/test-boom")
    problem = assert_problem(response, 500)
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert "010203" not in response.text and "Traceback" not in response.text
    assert problem["detail"] == "An unexpected error occurred; it has been logged."


def test_errors_never_echo_a_cpr_number(world: World) -> None:
    response = world.client.get("/v1/parameters/010203-1234")
    assert_problem(response, 404)
    assert "010203" not in response.text and "[CPR]" in response.text
    raw = b'{"month": "2024-03", "0102031234": 1, "0102031234": 2}'
    duplicate = world.client.post("/v1/calculations", content=raw, headers={"content-type": "application/json"})
    assert_problem(duplicate, 422)
    assert "0102031234" not in duplicate.text


# --- no CPR number in any log line -----------------------------------------------------------------

CPR = "010203-1234"


def test_a_full_scenario_logs_no_cpr_number(world: World) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        c, h = world.client, world.h("caseworker")
        assert c.post("/v1/test-cases", json={"case_id": "C-1", "cpr": CPR}, headers=h).status_code == 201
        c.post("/v1/test-cases/C-1/reports", headers={**h, "Idempotency-Key": "r1"},
               json={"month": "2024-02", "wage": "15600.00"})
        c.get("/v1/test-cases/C-1/summary", headers=world.h("citizen"))
        c.get("/v1/test-cases/C-1/summary", headers=world.h("citizen2"))
        c.get(f"/v1/parameters/{CPR}")
        c.get("/v1/test-boom")  # the unexpected error's traceback is logged, with a CPR in its message
        c.post("/v1/calculations", json={"month": "2024-03", "wage": "15600", "ceiling": "32067"})
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/1.1" %d', "127.0.0.1", "GET",
                                                 f"/v1/test-cases?cpr={CPR.replace('-', '')}", 200)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    output = stream.getvalue()
    assert "created case C-1 for citizen [CPR]" in output  # the scenario did log, redacted
    assert "Traceback" in output and "RuntimeError" in output  # the 500 was logged with its traceback
    assert not re.search(r"\d{6}-?\d{4}", output), output
    assert CPR not in output and CPR.replace("-", "") not in output


@pytest.mark.parametrize(("text_in", "text_out"), [
    ("cpr 010203-1234 here", "cpr [CPR] here"),
    ("0102031234", "[CPR]"),
    ("010203 1234", "[CPR]"),
    ("amount 15600.00 and 2024-03", "amount 15600.00 and 2024-03"),
    ("a longer number 123456789012 stays", "a longer number 123456789012 stays"),
    ("CVR 12345678", "CVR 12345678"),
])
def test_cpr_pattern(text_in: str, text_out: str) -> None:
    assert CPR_PATTERN.sub("[CPR]", text_in) == text_out


# --- the CLI ---------------------------------------------------------------------------------------

def test_cli_keys_create_list_revoke(sqlite_url: str) -> None:
    from flexcalc.cli import app

    upgrade(sqlite_url)
    runner = CliRunner()
    made = runner.invoke(app, ["keys", "create", "--role", "employer", "--employer", "12345678", "--db", sqlite_url])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("fck_k")
    key_id = secret.split("_")[1]
    listed = runner.invoke(app, ["keys", "list", "--json", "--db", sqlite_url])
    assert key_id in listed.stdout and secret not in listed.stdout
    with session_factory(sqlite_url)() as session:
        assert keys.lookup(session, secret) == keys.Principal(key_id, "employer", None, "12345678")
    assert runner.invoke(app, ["keys", "revoke", key_id, "--db", sqlite_url]).exit_code == 0
    with session_factory(sqlite_url)() as session:
        assert keys.lookup(session, secret) is None
    bad = runner.invoke(app, ["keys", "create", "--role", "employer", "--employer", "123", "--db", sqlite_url])
    assert bad.exit_code == 2 and "employer" in bad.output
    cpr_case = runner.invoke(app, ["keys", "create", "--role", "citizen", "--case", "0102031234", "--db", sqlite_url])
    assert cpr_case.exit_code == 2
    assert runner.invoke(app, ["keys", "revoke", "knothere", "--db", sqlite_url]).exit_code == 2
