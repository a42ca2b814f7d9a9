"""No CPR number in the logs of the documented production command (with its
access log working), in the audit log, in identifiers, in stored free text, or in the CLI's errors."""

from __future__ import annotations

import io
import logging
import logging.config
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from flexcalc.ledger.db import session_factory, upgrade
from flexcalc.security.keys import KEY_CACHE, create_key
from flexcalc.security.redact import install_cpr_redaction
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

CPR, CPR10 = "010190-1234", "0101901234"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_uvicorn_access_log_works_and_carries_no_cpr(tmp_path: Path) -> None:
    """The documented command, ``uvicorn api.app:app``, with uvicorn's access log on: every request gets
    its access line, a CPR number in the path is ``[CPR]``, and no "--- Logging error ---"."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    with session_factory(url).begin() as session:
        _, secret = create_key(session, "caseworker")
    port = _free_port()
    env = {**os.environ, "FLEXCALC_DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "FLEXCALC_LOG_FORMAT": "text"}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1", "--port",
                                str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        h = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=base, timeout=5) as client:
            assert client.get(f"/v1/cases/{CPR10}", headers=h).status_code == 422
            assert client.get(f"/v1/no-such-page/{CPR}").status_code == 404
            assert client.get(f"/v1/cases/S-{CPR10}/months", headers=h).status_code == 422
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=20)[0].decode()
    assert "Logging error" not in output
    assert CPR10 not in output and CPR not in output and "1234" not in output.replace(str(port), "")
    access = [line for line in output.splitlines() if '"GET /v1/' in line]
    assert len(access) == 3, output
    assert '"GET /v1/cases/[CPR] HTTP/1.1" 422' in access[0]
    assert '"GET /v1/no-such-page/[CPR] HTTP/1.1" 404' in access[1]


def test_uvicorn_formatters_keep_working_with_redaction() -> None:
    """Each formatter uvicorn's default logging configuration installs, fed the records uvicorn makes."""
    from uvicorn.config import LOGGING_CONFIG

    install_cpr_redaction()
    # The loggers as a fresh ``uvicorn`` process has them: an earlier test in this process (a Streamlit
    # AppTest) may have given "uvicorn.error" handlers of its own and propagate=False, which dictConfig
    # keeps when the configuration does not name it.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        fresh = logging.getLogger(name)
        fresh.propagate, fresh.disabled = True, False
        for handler in list(fresh.handlers):
            fresh.removeHandler(handler)
    logging.config.dictConfig(LOGGING_CONFIG)
    stream, errors = io.StringIO(), io.StringIO()
    old_stderr = sys.stderr
    try:
        for name in ("uvicorn.access", "uvicorn"):
            logger = logging.getLogger(name)
            logger.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        sys.stderr = errors  # where logging prints "--- Logging error ---"
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                                                 f"/v1/cases/{CPR10}?cpr={CPR}", "1.1", 404)
        logging.getLogger("uvicorn.error").error("Exception in ASGI application for %s", CPR,
                                                 exc_info=ValueError(f"no case {CPR10}"))
    finally:
        sys.stderr = old_stderr
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    text = stream.getvalue()
    assert errors.getvalue() == ""
    assert '"GET /v1/cases/[CPR]?cpr=[CPR] HTTP/1.1" 404' in text
    assert "Exception in ASGI application for [CPR]" in text and "no case [CPR]" in text
    assert CPR10 not in text and CPR not in text


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", database_url)
    upgrade(database_url)
    KEY_CACHE.clear()
    h: dict[str, Any] = {}
    with session_factory(database_url).begin() as session:
        for role, cvr in (("caseworker", None), ("admin", None), ("employer", "11111111")):
            _, secret = create_key(session, role, employer_cvr=cvr)
            h[role] = {"Authorization": f"Bearer {secret}"}
    client = TestClient(create_app(), raise_server_exceptions=False)
    assert client.post("/v1/cases", headers=h["caseworker"], json={
        "case_id": "S1", "ceiling": "32067", "first_month": "2024-03", "employers": ["11111111"]}).status_code == 201
    yield client, h
    KEY_CACHE.clear()


def test_a_cpr_number_in_a_path_is_refused_and_audited_redacted(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    for path in (f"/v1/cases/{CPR10}", f"/v1/cases/{CPR}", f"/v1/cases/X{CPR10}/months"):
        r = client.get(path, headers=h["caseworker"])
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "case_id"
        assert CPR10 not in r.text and CPR not in r.text
    audit = client.get("/v1/audit", headers=h["caseworker"], params={"limit": 1000})
    assert audit.status_code == 200
    assert CPR10 not in audit.text and CPR not in audit.text
    assert [e["case_id"] for e in audit.json()["entries"] if e["status"] == 422] == ["[CPR]", "[CPR]", "X[CPR]"]


@pytest.mark.parametrize("where", ["case_id", "employer", "report_id", "corrects", "key_case"])
def test_cpr_shaped_identifiers_are_refused(api, where: str) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    if where == "case_id":
        r = client.post("/v1/cases", headers=h["caseworker"], json={
            "case_id": f"S-{CPR10}", "ceiling": "30000", "first_month": "2024-03"})
        field = "case_id"
    elif where == "employer":
        r = client.post("/v1/cases/S1/employments", headers=h["caseworker"],
                        json={"employer_id": CPR10, "first_basis_month": "2024-02"})
        field = "employer_id"
    elif where in ("report_id", "corrects"):
        report = {"report_id": "R1", "case_id": "S1", "employer_id": "11111111", "payment_date": "2024-02-29",
                  "period_start": "2024-02-01", "period_end": "2024-02-29", "wage": "100", "pension_own": "0",
                  "pension_employer": "0", "hours": "1", "received_at": "2024-03-04", "kind": "original"}
        if where == "report_id":
            report["report_id"] = f"R{CPR}"
        else:
            report.update(kind="correction", corrects=CPR10)
        r = client.post("/v1/employer/wage-reports", headers=h["caseworker"], json={"reports": [report]})
        field = f"reports.0, {where}"
    else:
        r = client.post("/v1/keys", headers=h["admin"], json={"role": "citizen", "case_id": CPR10})
        field = "case"
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    assert CPR10 not in r.text and CPR not in r.text


def test_free_text_is_stored_redacted(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    key = client.post("/v1/keys", headers=h["admin"], json={"role": "caseworker", "label": f"team of {CPR}"})
    assert key.status_code == 201 and key.json()["label"] == "team of [CPR]"
    listed = client.get("/v1/keys", headers=h["admin"])
    assert CPR not in listed.text and "team of [CPR]" in listed.text
    note = client.post("/v1/cases/S1/ceilings", headers=h["caseworker"],
                       json={"amount": "31000", "effective_month": "2024-05", "note": f"form for {CPR10}"})
    assert note.status_code == 201, note.text
    from flexcalc.ledger.models import Ceiling

    with session_factory(os.environ["FLEXCALC_DATABASE_URL"])() as session:
        notes = [c.note for c in session.query(Ceiling).all()]
    assert "form for [CPR]" in notes and not any(CPR10 in (n or "") for n in notes)


def test_the_cli_never_echoes_a_cpr_number_as_a_case(sqlite_url: str) -> None:
    for args in (["case", "show", CPR10], ["case", "show", CPR], ["case", "show", f"S-{CPR10}"]):
        result = invoke(*args, "--db", sqlite_url)
        assert result.exit_code == 2, result.output
        assert CPR10 not in result.output and CPR not in result.output
        assert "no case" in result.output or "ingen sag" in result.output or "CPR" in result.output
