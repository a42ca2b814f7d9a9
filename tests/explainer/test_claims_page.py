"""The caseworker's claims page (explainer/pages/62_krav.py), through the API with the user's key: the claim of
fixtures/ledger/claim_reaches_limitation (S15, 919,25 kr. for March 2024, decided 10 May, due 9 June), a
payment registered from the page, the instalment from income, the demand letter's PDF; other keys see nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer.test_ledger_explainer import _serve
from tests.ledger.test_ledger_scenarios import SCENARIOS, replay

PAGE = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "62_krav.py"


@pytest.fixture
def served(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    replay(SCENARIOS / "claim_reaches_limitation", sqlite_url)
    yield from _serve(sqlite_url, monkeypatch)


def _login(key: str) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception and "API-nøgle" in at.info[0].value
    at.text_input(key="api_key").set_value(key)
    at.text_input(key="by").set_value("sb-9")
    at = at.run()
    if at.error:  # a key without access: nothing more is shown
        return at
    at.text_input(key="claims_as_of").set_value("2024-07-01")
    return at.run()


def test_the_page_never_opens_the_database() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# title: Sagsbehandler: tilbagebetalingskrav"
    for word in ("open_ledger", "sqlalchemy", "Session", "flexcalc.ledger", "FLEXCALC_DATABASE_URL"):
        assert word not in text, word


def test_claims_payment_and_plan_from_the_page(served: dict[str, str]) -> None:
    at = _login(served["caseworker"])
    assert not at.exception, at.exception
    rows = at.table[0].value
    assert list(rows["Sag"]) == ["S15"] and list(rows["Restgæld"]) == ["919,25 kr."]
    assert list(rows["Status"]) == ["åbent"] and list(rows["Forfald"]) == ["9.\u00a0juni 2024"]
    assert at.metric[0].value == "919,25 kr."
    assert "BEK 585/2023" in at.caption[-1].value or any("BEK 585/2023" in c.value for c in at.caption)
    # a payment of 100 kr. registered from the page: the balance the API now gives is 819,25 kr.
    at.text_input(key="pay_amount").set_value("100")
    at.text_input(key="pay_reference").set_value("bank 0701")
    at = at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.metric[0].value == "819,25 kr."
    # a plan from the person's income: 180.000 kr. without children → 8 % → 1.200 kr. a month
    at.text_input(key="plan_income").set_value("180000")
    at.text_input(key="plan_reason").set_value("aftalt")
    at = at.button[1].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(at.table[0].value["Ordning"]) == ["Afdrag (borgeren betaler)"]
    events = at.table[1].value
    assert "afdragsprocent 8 %" in " ".join(events["Tekst"])


def test_other_keys_see_nothing(served: dict[str, str]) -> None:
    for role in ("citizen", "finance"):
        at = _login(served[role])
        assert not at.exception and "giver ikke adgang" in at.error[0].value and not at.table




def test_a_handed_over_claim_shows_the_file_sent(served: dict[str, str]) -> None:
    at = _login(served["caseworker"])
    at = at.button[2].click().run()  # "Send til inddrivelse" on 1 July 2024 (due 9 June)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(at.table[0].value["Status"]) == ["sendt til inddrivelse"]
    shown = at.code[0].value.splitlines()
    assert shown[0].startswith("fordringshaver_ref,fordringstype,sag,hovedstol,restgaeld")
    assert shown[1].split(",")[:5] == ["FLX-1", "KTBRFLX", "S15", "919.25", "919.25"]
    assert any("KTBRFLX-1-2024-07-01.csv" in m.value and "sb-9" in m.value for m in at.markdown)
    assert "der kan ikke registreres mere her" in at.info[0].value
