"""Operating the API: /ready, /metrics, request ids and JSON logs, rate limits, offline docs, Settings.

Each test attacks a promise of README "Drift" / SECURITY.md: an unmigrated database is never migrated
by the API, made-up keys cannot fill the audit log, a forged request id cannot inject into the logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select

from api import middleware
from api.app import create_app
from flexcalc.ledger.db import make_engine, session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key
from flexcalc.security.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
CALC = {"month": "2024-03", "wage": "15600", "ceiling": "32067"}


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    middleware.clear_limits()
    middleware.SCHEMA.clear()
    KEY_CACHE.clear()
    yield
    middleware.clear_limits()
    middleware.SCHEMA.clear()
    KEY_CACHE.clear()


def _client(url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", url)
    return TestClient(create_app(), raise_server_exceptions=False)


def _audit_rows(url: str) -> int:
    with session_factory(url)() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


# --- migrations only as an explicit step; /ready --------------------------------------------------

def test_an_unmigrated_database_is_not_ready_and_never_migrated_by_the_api(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(sqlite_url, monkeypatch)
    ready = client.get("/ready")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"]["ok"] is False
    assert "flexcalc db upgrade" in body["checks"]["migrations"]["reason"]
    assert body["checks"]["rates"]["ok"] is True  # the packaged rates run to 2027-12
    # a ledger request with a key, and one without, are refused cleanly (503 problem+json), not 500
    keyed = client.get("/v1/cases/S1", headers={"Authorization": "Bearer fck_k000000000000_x"})
    assert keyed.status_code == 503 and keyed.headers["retry-after"] == "30"
    assert keyed.headers["content-type"] == "application/problem+json"
    assert "flexcalc db upgrade" in keyed.json()["detail"]
    assert client.get("/v1/worklist").status_code == 503
    # a calculation needs no database: it is served
    assert client.post("/v1/calculations", json=CALC).json()["subsidy"] == "15272.00"
    # the API made no table at all
    assert inspect(make_engine(sqlite_url)).get_table_names() == []

    upgrade(sqlite_url)  # the explicit step (flexcalc db upgrade)
    middleware.SCHEMA.clear()
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "database": {"ok": True, "reason": None}, "migrations": {"ok": True, "reason": None},
        "rates": {"ok": True, "rates_to": ready.json()["checks"]["rates"]["rates_to"], "reason": None}}


def test_ready_fails_when_the_rates_do_not_cover_the_coming_three_months(sqlite_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from api.routers.operations import _checks
    from flexcalc.law.params import coverage

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    _, last = coverage()
    first_of_last = dt.date(last.year, last.month, 1)
    in_time = first_of_last - dt.timedelta(days=70)   # three months before: the coming three are covered
    too_late = first_of_last - dt.timedelta(days=40)  # two months before: only two are
    assert _checks(in_time)["rates"]["ok"] is True
    late = _checks(too_late)["rates"]
    assert late["ok"] is False and str(last) in late["reason"]


def test_ready_names_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client("postgresql://nobody@127.0.0.1:1/none", monkeypatch)
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["ok"] is False
    assert ready.json()["checks"]["database"]["reason"].startswith("database unreachable")


# --- request ids, JSON logs -----------------------------------------------------------------------

def test_request_id_is_taken_or_made_and_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app())
    given = client.get("/health", headers={"X-Request-ID": "abc-123.X_y"})
    assert given.headers["x-request-id"] == "abc-123.X_y"
    made = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/health").headers["x-request-id"] != made
    # a forged id (a line break to forge a log line, or too long) is replaced, never echoed
    for bad in ("a\tb", "x" * 129, '{"level":"ERROR"}'):
        answer = client.get("/health", headers={"X-Request-ID": bad}).headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", answer)


def test_json_log_lines_carry_the_request_id_and_no_cpr() -> None:
    formatter = middleware.JsonFormatter()
    token = middleware.REQUEST_ID.set("req-42")
    try:
        record = logging.LogRecord("flexcalc.api", logging.ERROR, __file__, 1, "no case %s", ("010190-1234",),
                                   None)
        line = json.loads(formatter.format(record))
    finally:
        middleware.REQUEST_ID.reset(token)
    assert line["request_id"] == "req-42"
    assert line["level"] == "ERROR" and line["logger"] == "flexcalc.api"
    assert line["message"] == "no case [CPR]"


# --- metrics --------------------------------------------------------------------------------------

def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if (line.startswith((name + "{", name + " "))
                and all(f'{k}="{v}"' in line for k, v in labels.items())):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_and_status_and_show_held_months(sqlite_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(sqlite_url)
    client = _client(sqlite_url, monkeypatch)
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.post("/v1/calculations", json=CALC).status_code == 200
    assert client.post("/v1/calculations", json={**CALC, "wage": "-1"}).status_code == 422
    assert client.get("/v1/cases/0101901234").status_code in (401, 422)
    text = client.get("/metrics").text
    route = "/v1/calculations"
    ok = _sample(text, "flexcalc_http_requests_total", route=route, method="POST", status="200")
    bad = _sample(text, "flexcalc_http_requests_total", route=route, method="POST", status="422")
    assert ok - _sample(before, "flexcalc_http_requests_total", route=route, method="POST", status="200") == 3
    assert bad - _sample(before, "flexcalc_http_requests_total", route=route, method="POST", status="422") == 1
    assert _sample(text, "flexcalc_http_request_duration_seconds_count", route=route, method="POST") >= 4
    assert "0101901234" not in text  # routes are templates, never raw paths
    assert "flexcalc_payment_run_duration_seconds_count" in text
    assert "flexcalc_reconciliation_duration_seconds_count" in text
    assert _sample(text, "flexcalc_held_months") == 0.0 and "flexcalc_held_months " in text


# --- rate limits ----------------------------------------------------------------------------------

def test_anonymous_requests_are_limited_per_address_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_RATE_LIMIT_ANONYMOUS", "5")
    client = TestClient(create_app())
    codes = [client.post("/v1/calculations", json=CALC).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2
    refused = client.post("/v1/calculations", json=CALC)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["status"] == 429 and "detail_da" in refused.json()
    assert client.get("/health").status_code == 200  # probes are never limited


def test_five_thousand_made_up_keys_do_not_add_five_thousand_audit_rows(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import api.middleware

    monkeypatch.setenv("FLEXCALC_RATE_LIMIT_AUTH_FAILURES", "20")
    # the limiter counts in one-minute windows of the wall clock: hold its clock still, so that the attack
    # cannot straddle a window's end however slow the machine is (Retry-After is tested above)
    still = 1_800_000_030.0
    monkeypatch.setattr(api.middleware, "time", types.SimpleNamespace(
        time=lambda: still, perf_counter=time.perf_counter, monotonic=time.monotonic))
    upgrade(sqlite_url)
    client = _client(sqlite_url, monkeypatch)
    codes = [client.get("/v1/cases/S1", headers={"Authorization": f"Bearer fck_k{i:012x}_made-up"}).status_code
             for i in range(5000)]
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
    assert _audit_rows(sqlite_url) == 20  # the 20 refusals within the limit, audited; the rest never reach it
    # a real key from the same address is also held back until the window ends (the address is throttled)
    with session_factory(sqlite_url).begin() as session:
        _, secret = create_key(session, "caseworker")
    assert client.get("/v1/cases/S1", headers={"Authorization": f"Bearer {secret}"}).status_code == 429


def test_requests_per_key_are_limited(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_RATE_LIMIT_KEY", "3")
    upgrade(sqlite_url)
    client = _client(sqlite_url, monkeypatch)
    with session_factory(sqlite_url).begin() as session:
        _, first = create_key(session, "caseworker")
        _, second = create_key(session, "caseworker")
    codes = [client.get("/v1/worklist", headers={"Authorization": f"Bearer {first}"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/v1/worklist", headers={"Authorization": f"Bearer {second}"}).status_code == 200


# --- docs without a CDN ---------------------------------------------------------------------------

def test_docs_pages_load_their_assets_from_the_api_itself() -> None:
    client = TestClient(create_app())
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html and "http" not in html.split(
            "<body")[0].replace("http-equiv", "")
        assets = re.findall(r'(?:src|href)="(/static/docs/[^"]+)"', html)
        assert assets, html
        for asset in assets:
            answer = client.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 1000, asset


# --- settings -------------------------------------------------------------------------------------

def test_no_flexcalc_variable_is_read_outside_settings() -> None:
    offenders = []
    for folder in ("flexcalc", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name != "settings.py" and re.search(r"(os\.environ(\.get)?[\[(]|getenv\()\s*[\"']FLEXCALC_",
                                                        text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_readme_configuration_table_lists_every_setting_with_its_default() -> None:
    from flexcalc.settings import settings_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variable, default, _meaning in settings_table():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{variable}`")), None)
        assert row is not None, variable
        assert (f"`{default}`" in row) if default else ("(none)" in row), row


def test_a_bad_setting_is_a_clear_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.errors import InputError
    from flexcalc.settings import settings

    monkeypatch.setenv("FLEXCALC_MAX_BODY_BYTES", "lots")
    with pytest.raises(InputError) as raised:
        settings()
    assert raised.value.field == "FLEXCALC_MAX_BODY_BYTES"
    monkeypatch.setenv("FLEXCALC_MAX_BODY_BYTES", "2000")
    assert settings().max_body_bytes == 2000
    assert settings() is settings()  # read once while the environment is unchanged


def test_security_md_names_only_tests_that_exist() -> None:
    """Every ``file.py::test`` (and ``::test`` continuing the file before it) in SECURITY.md's table exists."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    table = text[text.index("## Where each promise is tested"):]
    missing = []
    for line in table.splitlines():
        if not line.startswith("|"):
            continue
        current: Path | None = None
        for token in re.findall(r"`([^`]+)`", line):
            found = re.match(r"^(?:(tests/[\w/]+\.py)|([\w]+\.py))?(?:::(\w+))?$", token)
            if not found or not (found.group(1) or found.group(2) or found.group(3)):
                continue
            if found.group(1):
                current = ROOT / found.group(1)
            elif found.group(2):
                matches = list((ROOT / "tests").rglob(found.group(2)))
                current = matches[0] if matches else ROOT / "missing" / found.group(2)
            if current is None:
                continue
            if not current.exists():
                missing.append(str(current))
            elif found.group(3) and f"def {found.group(3)}(" not in current.read_text(encoding="utf-8"):
                missing.append(f"{current.name}::{found.group(3)}")
    assert missing == []
