"""The caseworker page of the explainer (Streamlit AppTest), on a database with a replayed scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ledger.test_ledger_scenarios import SCENARIOS, replay

PAGE = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "60_sagsbehandler.py"


def test_first_line_names_the_page() -> None:
    assert PAGE.read_text(encoding="utf-8").splitlines()[0].startswith("# title: ")


def test_the_page_shows_months_and_corrections_with_their_causes(sqlite_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    replay(SCENARIOS / "late_report", sqlite_url)
    replay(SCENARIOS / "two_employers", sqlite_url, alone=False)
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception
    assert at.selectbox(key="case").options == ["S1", "S4"]
    table = at.table[0].value
    # June was held for S1 when the June run (of the two-employer scenario) found no May report
    assert list(table["Ydelsesmåned"]) == ["februar 2024", "marts 2024", "april 2024", "juni 2024"]
    assert list(table["Status"]) == ["udbetalt", "udbetalt", "udbetalt", "afventer indberetning"]
    march = table[table["Ydelsesmåned"] == "marts 2024"].iloc[0]
    assert (march["Løn i lønmåneden"], march["Skyldig nu"], march["Udbetalt"], march["Efterreguleret"]) == (
        "17.600,00 kr.", "14.352,75 kr.", "15.272,00 kr.", "-919,25 kr.")
    texts = " ".join(e.value for e in at.error) + " ".join(m.value for m in at.markdown)
    assert "-919,25 kr." in texts and "indberetning modtaget efter udbetalingen" in texts and "S1-X" in texts
    assert "PM 48-22" in " ".join(c.value for c in at.caption)
    at.selectbox(key="case").set_value("S4").run()
    assert not at.exception
    assert "-275,00 kr." in " ".join(e.value for e in at.error)


def test_an_empty_ledger_says_so(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXCALC_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception and "ingen sager" in at.info[0].value
