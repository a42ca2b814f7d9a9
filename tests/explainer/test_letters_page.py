"""The letters page (Breve) in Streamlit's AppTest against a real API server (uvicorn in a thread): it asks for
the key and shows nothing without a caseworker's; it never imports the ledger, the security package or a
database library; opened as the workbench links to it, it offers the letter the correction needs, drafts it
through the API, shows the correction id, and approves only the version it showed."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer.test_ledger_explainer import _serve

PAGE = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "65_breve.py"


@pytest.fixture
def served(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, str], int]]:
    from tests.letters.support import correction_id, rising_wage_case

    factory = rising_wage_case(sqlite_url, "SP")
    cid = correction_id(factory, "SP", "-120.00")
    for keys in _serve(sqlite_url, monkeypatch):
        yield keys, cid


def test_the_page_never_imports_the_ledger_or_a_database() -> None:
    tree = ast.parse(PAGE.read_text(encoding="utf-8"))
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    for forbidden in ("flexcalc.ledger", "flexcalc.security", "flexcalc.letters", "flexcalc.ledger.db", "sqlalchemy"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in modules), forbidden
    assert "FLEXCALC_DATABASE_URL" not in PAGE.read_text(encoding="utf-8")
    assert PAGE.read_text(encoding="utf-8").splitlines()[0].startswith("# title: Breve")


def _login(key: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=90)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="api_key").set_value(key)
    at.text_input(key="by").set_value("sb-9")
    return at.run()


def test_without_a_caseworker_key_nothing_is_shown(served: tuple[dict[str, str], int]) -> None:
    keys, _ = served
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert [i.value for i in at.info] == ["Skriv din API-nøgle for at se sagens breve. Har du ingen, laver en "
                                          "administrator en med kommandoen: flexcalc keys create --role caseworker"]
    assert not at.table
    for role in ("citizen", "finance"):  # the citizen key is SP's own: still nothing on a staff page
        at = _login(keys[role], {"case": "SP"})
        assert "giver ikke adgang" in at.error[0].value and not at.table


def test_linked_from_the_workbench_draft_and_approve(served: tuple[dict[str, str], int]) -> None:
    keys, cid = served
    at = _login(keys["caseworker"], {"case": "SP", "correction": str(cid)})
    assert at.text_input(key="case_id").value == "SP"
    corrections = at.table[0].value
    assert list(corrections["Id"]) == [f"#{cid}"] and list(corrections["Forskel"]) == ["-120,00 kr."]
    assert at.radio(key="draft_kind").value == "hearing"  # an undecided possible repayment: a hearing letter
    assert at.multiselect(key="draft_hearing_ids").value == [cid]
    at.radio(key="draft_channel").set_value("paper")
    at.button(key="draft_submit").click()
    at.run()
    assert not at.exception, at.exception
    assert at.success[0].value == f"Udkast lavet: brev 1 (høringsbrev, sag SP, efterreguleringer #{cid})."
    letters = at.table[1].value
    assert list(letters["Efterreguleringer"]) == [f"#{cid}"] and list(letters["Kanal"]) == ["Papirbrev"]
    assert list(letters["Status"]) == ["Udkast"]
    # someone drafts a newer version meanwhile: approving the one shown is refused, nothing stored
    api = httpx.Client(base_url=os.environ["FLEXCALC_API"],
                       headers={"Authorization": f"Bearer {keys['caseworker']}"})
    newer = api.post("/v1/letters/hearing", json={"correction_ids": [cid], "created_by": "sb-2"})
    assert newer.status_code == 201
    at.button(key="approve_submit").click()
    at.run()
    assert "nyere udkast" in at.error[0].value
    assert [x["status"] for x in api.get("/v1/cases/SP/letters").json()] == ["draft", "draft"]
    # the newest is shown after a reload and can be approved
    at = _login(keys["caseworker"], {"case": "SP"})
    assert at.selectbox(key="letter_pick").value == 2
    at.button(key="approve_submit").click()
    at.run()
    assert at.success[0].value == "Brev 2 (sag SP) er godkendt af sb-9."
    assert [x["status"] for x in api.get("/v1/cases/SP/letters").json()] == ["draft", "approved"]
