"""The finance page of the explainer reads everything through the API with the user's key: a real API
server (uvicorn in a thread, sharing this process's environment) on a database with a replayed scenario; the
page's code imports nothing that opens the database (checked below)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from streamlit.testing.v1 import AppTest

from tests.ledger.test_ledger_scenarios import SCENARIOS, replay

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "explainer" / "pages" / "70_okonomi.py"
FINANCE = ROOT / "fixtures" / "finance"


@pytest.fixture
def api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, str]]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    replay(SCENARIOS / "late_report", sqlite_url)
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        keys = {role: create_key(session, role, **scope)[1] for role, scope in
                (("finance", {}), ("citizen", {"case_id": "S1"}))}
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    monkeypatch.setenv("FLEXCALC_API", f"http://127.0.0.1:{port}")
    yield f"http://127.0.0.1:{port}", keys
    server.should_exit = True
    thread.join(5)


def test_first_line_names_the_page() -> None:
    assert PAGE.read_text(encoding="utf-8").splitlines()[0].startswith("# title: ")


def test_the_page_never_opens_the_database() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert "open_ledger" not in text and "sqlalchemy" not in text and "flexcalc.ledger" not in text


def test_the_finance_page_shows_totals_steps_and_differences(api: tuple[str, dict[str, str]]) -> None:
    _, keys = api
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception and "API-nøgle" in at.info[0].value
    url, _ = api
    profile = "\n".join((FINANCE / "profiles.csv").read_text().splitlines()[:2])  # S1's row: the import path
    imported = httpx.post(f"{url}/v1/finance/history", headers={"Authorization": f"Bearer {keys['finance']}"},
                          json={"history_csv": profile, "source": "profilfil", "recorded_by": "test"})
    assert imported.status_code == 201, imported.text
    at.text_input(key="api_key").set_value(keys["finance"])
    at.text_area(key="statement").set_value((FINANCE / "statement-2024-03.csv").read_text())
    at.run()
    assert not at.exception, at.exception
    # the statement's own total first (12.217,60 for S1 + 9.000 × 0,4 for S9), then ours
    assert [m.value for m in at.metric][:3] == ["15.817,60 kr.", "6.108,80 kr.", "9.708,80 kr."]
    assert [m.value for m in at.metric][3:5] == ["15.272,00 kr.", "6.108,80 kr."]
    steps = at.table[1].value
    assert list(steps["Trin"]) == ["Uge 5–26 (40 %)"] and list(steps["Refusion"]) == ["6.108,80 kr."]
    accounts = at.table[2].value
    assert "8.51.52.124" in list(accounts["Konto"])
    differences = at.table[3].value
    assert list(differences["Årsag"]) == ["forkert trin på refusionstrappen", "ingen udbetaling til personen i "
                                          "perioden", "forkert periode"]


def test_a_citizen_key_sees_nothing(api: tuple[str, dict[str, str]]) -> None:
    _, keys = api
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    at.text_input(key="api_key").set_value(keys["citizen"]).run()
    assert not at.exception and "giver ikke adgang" in at.error[0].value


def test_a_month_without_payments_or_rates_is_said_plainly(api: tuple[str, dict[str, str]]) -> None:
    _, keys = api
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    at.text_input(key="api_key").set_value(keys["finance"])
    at.text_input(key="month").set_value("2024-09").run()  # late_report pays February–April 2024 only
    assert not at.exception, at.exception
    assert "ingen udbetalinger for september 2024" in at.warning[0].value and not at.metric
    at.text_input(key="month").set_value("2040-01").run()
    assert "ingen satser for januar 2040" in at.warning[0].value and not at.metric


def test_a_case_without_visitation_date_is_said_plainly(api: tuple[str, dict[str, str]]) -> None:
    _, keys = api
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    at.text_input(key="api_key").set_value(keys["finance"]).run()
    assert not at.exception, at.exception
    assert "mangler en dato for visitation" in at.warning[0].value


def test_the_year_marks_months_without_payments(api: tuple[str, dict[str, str]]) -> None:
    _, keys = api
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    at.text_input(key="api_key").set_value(keys["finance"])
    at.checkbox(key="year").check().run()
    assert not at.exception, at.exception
    year = at.table[0].value
    assert list(year["Udbetalinger"]) == ["ingen udbetalinger", "1", "1"]
    assert list(year["Tilskud"]) == ["—", "15.272,00 kr.", "15.272,00 kr."]
