"""The citizen page on the self-employed subsidy: plain Danish (LIX ≤ 35, measured with textstat) and the page's
year matches the core."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import textstat
from streamlit.testing.v1 import AppTest

from flexcalc.self_employed import calculate_year
from flexcalc.text_da.self_employed import SELF_EMPLOYED_EXPLANATION_DA, explain_year_da

PAGE = str(Path(__file__).resolve().parents[2] / "explainer" / "pages" / "36_selvstaendig.py")


def _lix(text: str) -> float:
    textstat.set_lang("da")
    return float(textstat.lix(text))


def test_the_explanation_is_plain_danish() -> None:
    intro = " ".join(SELF_EMPLOYED_EXPLANATION_DA)
    assert _lix(intro) <= 35
    for profit in ("300000", "600000", "-20000"):
        text = " ".join(explain_year_da(calculate_year(2024, Decimal(profit))))
        assert _lix(text) <= 35 and "kr.." not in text
    assert _lix(intro + " " + " ".join(explain_year_da(calculate_year(2024, Decimal("300000"))))) <= 35


def test_the_page_shows_the_core_year_and_names_a_wrong_field() -> None:
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    shown = " ".join(m.value for m in at.markdown)
    # 156.956 − 0,30 × 300.000 = 66.956 a year; 5.579,67 a month
    assert "Tilskuddet for 2024 er 66.956,00 kr." in shown and "Det er 5.579,67 kr. om måneden." in shown
    at.session_state["se_profit"] = "450.000"  # 156.956 − 135.000 = 21.956; 1.829,67 a month
    shown = " ".join(m.value for m in at.run().markdown)
    assert "Tilskuddet for 2024 er 21.956,00 kr." in shown and "1.829,67 kr. om måneden" in shown
    at.session_state["se_other"] = "tre"
    assert at.run().error and at.error[0].value.startswith("Løn fra andet arbejde: ")
    at.session_state["se_other"] = "0"
    at.session_state["se_year"] = "2019"  # no basic amount for 2019: said, never 0 kr.
    assert at.run().error and "2019" in at.error[0].value
