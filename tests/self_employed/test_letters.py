"""The self-employed person's letters and plain-Danish explanation: the figures they state, the provisions
they cite, and LIX ≤ 35 measured on the running text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flexcalc.letters.self_employed import settlement_letter, year_decision_letter
from flexcalc.self_employed import calculate_year, settle_year
from flexcalc.text_da.self_employed import explain_settlement_da, explain_year_da
from tests.letters.support import lix

YEAR = calculate_year(2024, D("300000"))
PAID = dict(enumerate(YEAR.months, start=1))
CASES = {
    "below": calculate_year(2024, D("300000")),
    "above": calculate_year(2024, D("600000")),
    "loss": calculate_year(2023, D("-10000"), D("40000")),
}
SETTLEMENTS = {
    "under": settle_year(2024, PAID, D("250000")),
    "over": settle_year(2024, PAID, D("350000")),
    "none": settle_year(2024, PAID, D("300000")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_explanation_of_a_year_is_plain_danish(name: str) -> None:
    text = " ".join(explain_year_da(CASES[name]))
    assert lix(text) <= 35, (name, lix(text))
    assert f"{CASES[name].year}" in text


@pytest.mark.parametrize("name", sorted(SETTLEMENTS))
def test_the_explanation_of_a_settlement_is_plain_danish(name: str) -> None:
    text = " ".join(explain_settlement_da(SETTLEMENTS[name]))
    assert lix(text) <= 35, (name, lix(text))


def test_the_decision_letter_states_the_years_figures_and_the_provisions() -> None:
    letter = year_decision_letter("S-1", YEAR, dt.date(2024, 1, 10))
    text = letter.text()
    assert "66.956,00 kr." in text and "5.579,67 kr." in text and "156.956,00 kr." in text
    assert "kr.." not in text
    references = " ".join(p.reference for p in letter.provisions)
    assert "§ 8" in references and "§ 126" in references
    assert letter.complaint_deadline == dt.date(2024, 2, 7)
    assert lix(letter.running_text()) <= 35
    assert '<html lang="da">' in letter.html()


def test_the_settlement_letters_tell_an_underpayment_as_paid_and_an_overpayment_as_not_yet_decided() -> None:
    under = settlement_letter("S-1", SETTLEMENTS["under"], dt.date(2025, 5, 2))
    assert "15.000,00 kr. mere" in under.text() and under.complaint_deadline is not None
    over = settlement_letter("S-1", SETTLEMENTS["over"], dt.date(2025, 5, 2))
    text = over.text()
    assert "15.000,00 kr. for meget" in text and "ikke besluttet" in text
    assert over.complaint_deadline is None and "Klagevejledning" not in text  # no decision yet: a hearing first
    assert any("§ 19" in p.reference for p in over.provisions)
    for letter in (under, over):
        assert lix(letter.running_text()) <= 35
        assert "kr.." not in letter.text()


def test_lix_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The measured figures (printed for the report)."""
    figures = {name: round(lix(" ".join(explain_year_da(r))), 1) for name, r in CASES.items()}
    figures |= {name: round(lix(" ".join(explain_settlement_da(r))), 1) for name, r in SETTLEMENTS.items()}
    figures["decision letter"] = round(lix(year_decision_letter("S-1", YEAR, dt.date(2024, 1, 10)).running_text()), 1)
    figures["settlement letter (over)"] = round(lix(settlement_letter("S-1", SETTLEMENTS["over"],
                                                                      dt.date(2025, 5, 2)).running_text()), 1)
    with capsys.disabled():
        print("\nLIX", figures)
    assert max(figures.values()) <= 35
