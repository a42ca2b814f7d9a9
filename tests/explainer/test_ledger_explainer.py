"""The caseworker's page of the explainer (Streamlit AppTest) through a real API server (uvicorn in a
thread) with the caseworker's key: the worklist with its filters, the actions, the case's months as the
user test asked for them. The page never opens the database (checked below)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from streamlit.testing.v1 import AppTest

from explainer.caseworker_charts import DANISH_LOCALE, SERIES, timeline_chart, timeline_rows, without_citations
from tests.ledger.test_ledger_scenarios import SCENARIOS, replay
from tests.support.workbench_ledger import build

PAGE = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "60_sagsbehandler.py"


def _serve(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    upgrade(url)
    with session_factory(url).begin() as session:
        keys = {role: create_key(session, role, **scope)[1] for role, scope in
                (("caseworker", {}), ("citizen", {"case_id": "A"}), ("finance", {}))}
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    monkeypatch.setenv("FLEXCALC_API", f"http://127.0.0.1:{port}")
    yield keys
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def workbench(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, str], dict[str, int]]]:
    ids = build(sqlite_url)
    for keys in _serve(sqlite_url, monkeypatch):
        yield keys, ids


@pytest.fixture
def scenarios(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    replay(SCENARIOS / "late_report", sqlite_url)
    replay(SCENARIOS / "two_employers", sqlite_url, alone=False)
    yield from _serve(sqlite_url, monkeypatch)


def _login(key: str, by: str = "sb-9") -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception and "API-nøgle" in at.info[0].value
    at.text_input(key="api_key").set_value(key)
    at.text_input(key="by").set_value(by)
    return at.run()


def _worklist(at: AppTest) -> list[tuple[str, str, str]]:
    frame = next(t.value for t in at.table if "Opgave" in t.value.columns)
    return list(zip(frame["Sag"], frame["Opgave"], frame["Beløb"], strict=True))


def test_first_line_names_the_page() -> None:
    assert PAGE.read_text(encoding="utf-8").splitlines()[0].startswith("# title: ")


def test_the_page_never_opens_the_database() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for word in ("open_ledger", "sqlalchemy", "Session", "factory", "flexcalc.ledger.store", "flexcalc.ledger.casefile",
                 "FLEXCALC_DATABASE_URL"):
        assert word not in text, word


def test_without_a_key_no_case_is_shown(workbench: Any) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Skriv din API-nøgle for at se arbejdslisten og sagerne. Har du ingen, laver en administrator en med "
        "kommandoen: flexcalc keys create --role caseworker"]
    assert not at.table and not at.selectbox and not at.metric


def test_keys_that_are_not_a_caseworkers_see_nothing(workbench: Any) -> None:
    keys, _ = workbench
    for role in ("citizen", "finance"):
        at = _login(keys[role])
        assert not at.exception
        assert "giver ikke adgang" in at.error[0].value and not at.table
    at = _login("fck_k000000000000_" + "x" * 43)
    assert "giver ikke adgang" in at.error[0].value and not at.table


def test_the_worklist_and_its_filters(workbench: Any) -> None:
    keys, _ = workbench
    at = _login(keys["caseworker"])
    assert not at.exception, at.exception
    assert _worklist(at) == [
        ("E", "Mulig dobbelt indberetning", "15.600,00 kr."),
        ("F", "Hændelser registreret efter udbetaling", "8.952,00 kr."),
        ("A", "Afventer indberetning", "—"),
        ("A", "Mulig tilbagebetaling: send partshøring", "-919,25 kr."),
        ("C", "Svar modtaget: træf afgørelse", "-919,25 kr."),
        ("B", "Svarfristen er udløbet: træf afgørelse", "-919,25 kr.")]
    # nothing is chosen for the user; choosing E's double submission says what to ask the employer
    assert at.selectbox(key="item").value is None
    assert not [b for b in at.button
                if (b.key or "").startswith(("hearing_submit_", "decide_submit_", "release_submit_"))]
    _choose(at, "E · marts 2024")
    assert any("Spørg arbejdsgiver 11111111, om lønnen for februar 2024 er sendt to gange (E-1, E-2)" in i.value
               for i in at.info)
    at.multiselect(key="kinds").set_value(["held_month"]).run()
    assert _worklist(at) == [("A", "Afventer indberetning", "—")]
    at.multiselect(key="kinds").set_value([]).run()
    at.text_input(key="filter_case").set_value("B").run()
    assert [w[0] for w in _worklist(at)] == ["B"]
    at.text_input(key="filter_case").set_value("").run()
    at.text_input(key="filter_month").set_value("2024-13").run()
    assert at.error[0].value.startswith("måned: '2024-13'")  # the field in Danish, not "month"


def _w(elements: Any, prefix: str) -> Any:
    """The one widget whose key starts with ``prefix`` (the page suffixes every form key with the item's id
    and version)."""
    [found] = [e for e in elements if (e.key or "").startswith(prefix)]
    return found


def _choose(at: AppTest, text: str) -> AppTest:
    """Choose the worklist item whose label contains ``text`` (the user's own choice)."""
    box = at.selectbox(key="item")
    [index] = [n for n, label in enumerate(box.options) if text in label]
    return box.select_index(index).run()


def _work(at: Any) -> list[Any]:
    """The worklist without the claims' items (those depend on today's date)."""
    return [w for w in _worklist(at) if not w[1].startswith(("Krav", "Afdrag"))]


def test_acting_from_the_page_changes_the_worklist(workbench: Any) -> None:
    keys, ids = workbench
    at = _login(keys["caseworker"])
    assert at.selectbox(key="item").value is None  # nothing is chosen for the user
    # A's repayment: record the hearing letter
    _choose(at, "A · marts 2024 · Mulig tilbagebetaling")
    _w(at.text_input, "hearing_sent_on_").set_value("2024-05-03")
    _w(at.button, "hearing_submit_").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Udført: Partshøring — sag A, marts 2024, -919,25 kr., af sb-9.")
    assert at.selectbox(key="item").value is None  # the finished item's form is gone; the user chooses next
    assert not [b for b in at.button if (b.key or "").startswith("hearing_submit_")]
    assert ("A", "Mulig tilbagebetaling: send partshøring", "-919,25 kr.") not in _worklist(at)
    # the page counts to today: the reply date (17 May 2024) has passed, so A is back as overdue, last
    assert _worklist(at)[-1] == ("A", "Svarfristen er udløbet: træf afgørelse", "-919,25 kr.")
    # C's reply is in: decide collect, with the reply and how it was weighed for the letter
    _choose(at, "C · marts 2024 · Svar modtaget")
    _w(at.radio, "decide_outcome_").set_value("collect")
    _w(at.text_area, "decide_reason_").set_value("Burde vide, at bijobbet talte med")
    _w(at.text_area, "decide_reply_summary_").set_value("Borgeren skrev, at hun ikke vidste det")
    _w(at.text_area, "decide_reply_weighing_").set_value("Lønsedlen viste bijobbet tydeligt")
    _w(at.button, "decide_submit_").click().run()
    assert at.success[0].value.startswith("Udført: Afgørelse — sag C, marts 2024"), [e.value for e in at.error]
    assert [w[0] for w in _work(at)] == ["E", "F", "A", "B", "A"]
    assert all(w[0] == "C" for w in _worklist(at) if w not in _work(at))  # C's claim (date-dependent)
    # a decision without a reason is refused by the API, naming the field; the form stays for the user
    _choose(at, "B · marts 2024 · Svarfristen")
    _w(at.text_area, "decide_reason_").set_value("")
    _w(at.button, "decide_submit_").click().run()
    assert "begrundelse: må ikke være tom" in at.error[0].value and len(_work(at)) == 5
    # A's held April: release on a documented wage (19.952 − 0,30 × 15.600 = 15.272,00); F's events: reconcile
    _choose(at, "A · april 2024 · Afventer indberetning")
    _w(at.text_input, "release_wage_").set_value("15.600,00")
    _w(at.text_input, "release_documentation_").set_value("lønseddel marts 2024")
    _w(at.button, "release_submit_").click().run()
    assert at.success[0].value == ("Udført: Foreløbig udbetaling — sag A, april 2024, 15.272,00 kr., af sb-9. "
                                   "Vælg den næste opgave i listen."), [e.value for e in at.error]
    assert [w[0] for w in _work(at)] == ["E", "F", "B", "A"]
    _choose(at, "F · marts 2024 · Hændelser")
    _w(at.button, "reconcile_item_submit_").click().run()
    assert [w[0] for w in _work(at)] == ["E", "B", "A"]
    # every action went through the API: audited with the caseworker's key
    from flexcalc.ledger.db import session_factory
    from flexcalc.security import audit

    with session_factory()() as session:
        routes = [(e.route, e.status) for e in audit.query(session, limit=1000) if e.action == "write"]
    assert ("/v1/cases/{case_id}/corrections/{correction_id}/hearing", 201) in routes
    assert ("/v1/cases/{case_id}/corrections/{correction_id}/decision", 201) in routes
    assert ("/v1/cases/{case_id}/months/{month}/provisional-payment", 201) in routes
    assert ("/v1/cases/{case_id}/months/{month}/reconciliation", 201) in routes
    assert ids["C"]


def test_register_events_and_reconcile_from_the_case(workbench: Any) -> None:
    keys, _ = workbench
    at = _login(keys["caseworker"])
    at.selectbox(key="case").set_value("A").run()
    at.text_input(key="events_month").set_value("2024-03").run()
    _w(at.text_area, "events_json_").set_value('{"periods": [{"kind": "sickness_unpaid", "start": "2024-02-12", '
                                               '"end": "2024-02-13"}], "sickness_benefit": "1000"}')
    _w(at.text_input, "events_received_at_").set_value("2024-05-01")
    _w(at.button, "events_submit_").click().run()
    assert at.success[0].value.startswith("Udført: Hændelser — sag A, marts 2024"), [e.value for e in at.error]
    assert ("A", "Hændelser registreret efter udbetaling") in [w[:2] for w in _worklist(at)]
    at.text_input(key="events_month").set_value("2024-13").run()
    assert "måned: '2024-13'" in at.error[0].value


def test_the_case_months_as_the_user_test_asked(scenarios: dict[str, str]) -> None:
    at = _login(scenarios["caseworker"])
    at.selectbox(key="case").set_value("S1").run()
    assert not at.exception
    table = next(t.value for t in at.table if "Ydelsesmåned" in t.value.columns)
    assert list(table["Ydelsesmåned"]) == ["februar 2024", "marts 2024", "april 2024", "juni 2024"]
    # a paid month with a possible repayment not yet decided; a held month's wage is unknown, not 0
    assert list(table["Status"]) == ["udbetalt", "afventer afgørelse", "udbetalt", "afventer indberetning"]
    june = table[table["Ydelsesmåned"] == "juni 2024"].iloc[0]
    assert (june["Løn i lønmåneden"], june["Skyldig nu"]) == ("ukendt — afventer indberetning", "—")
    march = table[table["Ydelsesmåned"] == "marts 2024"].iloc[0]
    assert (march["Løn i lønmåneden"], march["Skyldig nu"], march["Udbetalt"], march["Efterreguleret"]) == (
        "17.600,00 kr.", "14.352,75 kr.", "15.272,00 kr.", "-919,25 kr.")
    texts = [m.value for m in at.markdown]
    assert any("-919,25 kr." in t and "indberetning modtaget efter udbetalingen" in t for t in texts)
    # the legal basis once per correction: in its "Hjemmel" line, not in the other lines
    correction_texts = [t for t in texts if "marts 2024" in t or "partshøring" in t]
    assert correction_texts and not any("PM 6-23" in t or "PM 48-22" in t for t in correction_texts)
    captions = [c.value for c in at.caption if "Hjemmel" in c.value]
    assert len(captions) == 1 and "PM 6-23" in captions[0] and "PM 48-22" in captions[0]
    assert "afventer afgørelse" in " ".join(texts).lower()
    at.selectbox(key="case").set_value("S4").run()
    assert not at.exception and any("-275,00 kr." in m.value for m in at.markdown)


def test_the_timeline_chart() -> None:
    months = [
        {"benefit_month": "2024-03", "status": "paid", "due": "14352.75", "paid": "15272.00", "settled": "14352.75",
         "corrections": [{"status": "repayment_review", "decision": None}]},
        {"benefit_month": "2024-06", "status": "held", "due": None, "paid": None, "settled": None, "corrections": []},
    ]
    rows = timeline_rows(months)
    assert [(r["måned"], r["serie"], r["tekst"], r["status"]) for r in rows] == [
        ("2024-03", "Skyldig nu", "14.352,75 kr.", "afventer afgørelse"),
        ("2024-03", "Udbetalt", "15.272,00 kr.", "afventer afgørelse"),
        ("2024-03", "Afregnet i alt", "14.352,75 kr.", "afventer afgørelse"),
        ("2024-06", "Afventer indberetning", "ukendt — afventer indberetning", "afventer indberetning")]
    chart = timeline_chart(months)
    assert chart is not None
    spec = chart.to_dict()
    assert spec["config"]["locale"] == DANISH_LOCALE  # 15.272, not 15,272
    points = spec["layer"][0]
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["shape"]["field"] == "serie" and points["encoding"]["color"]["field"] == "serie"
    assert points["encoding"]["y"]["axis"]["format"] == ",.0f"
    colours = dict(zip(points["encoding"]["color"]["scale"]["domain"], points["encoding"]["color"]["scale"]["range"],
                       strict=True))
    shapes = points["encoding"]["shape"]["scale"]["range"]
    assert len(set(shapes)) == len(SERIES)  # every series its own shape: never colour alone
    red, green, blue = (int(colours["Udbetalt"][i:i + 2], 16) for i in (1, 3, 5))
    assert not (red > 150 and green < 100 and blue < 100)  # "paid" is not red
    assert spec["layer"][1]["mark"]["type"] == "text"  # the held month is labelled "afventer"


def test_citations_are_taken_out_of_the_explanation() -> None:
    assert without_citations("Mulig tilbagebetaling: kræver afgørelse efter partshøring (PM 6-23).") == \
        "Mulig tilbagebetaling: kræver afgørelse efter partshøring."
    assert without_citations("Efterbetales (Ankestyrelsen PM 48-22) nu.") == "Efterbetales nu."


def test_stored_free_text_is_shown_as_plain_text_never_as_markdown(workbench: Any) -> None:
    """A decision's reason with a Markdown image, link and colour (written through the API by anyone with a
    caseworker key) is shown as typed: no element of the page carries a live image, link or colour."""
    keys, _ids = workbench
    at = _login(keys["caseworker"], by="sb [x](http://evil.example/by)")
    _choose(at, "C · marts 2024 · Svar modtaget")  # C's reply is in: decide
    # the item links to the letters page for its own case and correction
    links = [m.value for m in at.markdown if "breve?case=" in m.value]
    assert len(links) == 1 and "breve?case=C&correction=" in links[0], links
    _w(at.radio, "decide_outcome_").set_value("waive")
    hostile = "God tro ![t](http://evil.example/track.png) [klik](http://evil.example) :red[rød] $x^2$"
    _w(at.text_area, "decide_reason_").set_value(hostile)
    _w(at.button, "decide_submit_").click().run()
    assert at.success[0].value.startswith("Udført: Afgørelse — sag C, marts 2024"), [e.value for e in at.error]
    at.selectbox(key="case").set_value("C").run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "Afgørelse:" in m.value]
    assert len(shown) == 1, [m.value for m in at.markdown]
    text = shown[0]
    import re

    assert re.findall(r"(?<!\\)[\[\]!$*_`<>|~]", text) == []  # every marker escaped
    assert r"\!\[t\](http://evil.example/track.png)" in text
    # what the reader sees, once the escapes are read, is exactly what was typed
    assert hostile in text.replace("\\", "")
    from explainer.components import plain

    assert plain("a\nb  c") == "a b c" and plain("50%") == "50%"
