"""The management page reads the figures through the API with the manager's key (a real API server in a
thread, on the hand-built caseload), shows them in plain Danish (LIX measured: every sentence ≤ 35), and a key
of another role sees nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from streamlit.testing.v1 import AppTest

from tests.insight.caseload import build
from tests.letters.support import LIX_TARGET, lix

PAGE = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "75_ledelse.py"


def test_the_page_words_are_plain_danish() -> None:
    from flexcalc.text_da.insight import AGES_DA, EMPLOYERS_DA, FIGURES_DA, INTRO_DA, TREND_DA

    texts = [INTRO_DA, TREND_DA, EMPLOYERS_DA, AGES_DA, *(text for _, text in FIGURES_DA.values())]
    figures = [lix(t) for t in texts]
    assert max(figures) <= LIX_TARGET == 35, figures
    assert lix(" ".join(texts)) <= 20  # measured 17,9 (each text 8,0–22,7)


def test_the_page_never_opens_the_database() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# title: Ledelse: måneden i tal"
    assert "open_ledger" not in text and "sqlalchemy" not in text and "flexcalc.ledger" not in text


@pytest.fixture
def api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import KEY_CACHE, create_key

    build(sqlite_url)
    KEY_CACHE.clear()
    with session_factory(sqlite_url).begin() as session:
        keys = {role: create_key(session, role)[1] for role in ("manager", "caseworker")}
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
    yield keys
    server.should_exit = True
    thread.join(5)
    KEY_CACHE.clear()


def test_the_manager_sees_the_month_the_trend_and_the_employers(api: dict[str, str]) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception and "API-nøgle" in at.info[0].value
    at.text_input(key="api_key").set_value(api["manager"]).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["8", "6", "<5", "6"]
    assert any("5.500,00 kr." in md.value for md in at.markdown)
    trend = at.table[1].value
    assert len(trend) == 13 and list(trend["Sager"])[-1] == "8"
    employers = at.table[4].value
    assert list(employers["CVR"]) == ["11111111", "22222222"] and list(employers["For sent"]) == ["<5", "<5"]
    at.selectbox(key="figure").set_value("late_reports").run()
    assert list(at.table[1].value["Sene lønsedler"])[-2:] == ["<5", "6"]


def test_another_role_sees_nothing(api: dict[str, str]) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    at.text_input(key="api_key").set_value(api["caseworker"]).run()
    assert not at.exception and "giver ikke adgang" in at.error[0].value
