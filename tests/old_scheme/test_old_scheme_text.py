"""The citizen text on the old scheme: plain Danish (LIX ≤ 35, measured with textstat) and the page's example
matches the core."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import textstat
from streamlit.testing.v1 import AppTest

from flexcalc.old_scheme import OldSchemeInput, SubsidyFraction, calculate_old_scheme
from flexcalc.period import Month
from flexcalc.text_da.old_scheme import OLD_SCHEME_EXPLANATION_DA, old_scheme_example_da

PAGE = str(Path(__file__).resolve().parents[2] / "explainer" / "pages" / "35_gammel_ordning.py")


def test_the_explanation_is_plain_danish() -> None:
    text = " ".join(OLD_SCHEME_EXPLANATION_DA)
    textstat.set_lang("da")
    assert textstat.lix(text) <= 35
    example = calculate_old_scheme(OldSchemeInput(Month(2019, 6), Decimal("50000"), SubsidyFraction.HALF,
                                                  Decimal("5000")))
    lines = old_scheme_example_da(example)
    assert textstat.lix(" ".join(lines)) <= 35
    assert "loftet for måneden, som er 43.924,25 kr." in lines[1] and "21.962,13 kr." in lines[-1]


def test_the_page_shows_the_core_example() -> None:
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    shown = " ".join(m.value for m in at.markdown)
    assert "Din arbejdsgiver får et tilskud på 21.800,00 kr." in shown
    at.session_state["old_fraction"] = "1/2"
    shown = " ".join(m.value for m in at.run().markdown)
    assert "Din arbejdsgiver får et tilskud på 16.350,00 kr." in shown
    at.session_state["old_wage"] = "tre"
    assert at.run().error and at.error[0].value.startswith("Løn: ")


def test_an_amount_never_runs_into_the_next_sentence() -> None:
    """Each line is one paragraph on the page; an amount ending a sentence ("… kr.") followed by another
    sentence in the same line reads as one run-on sentence. Every line has at most one sentence after an
    amount, at its end."""
    import re

    for fraction, wage in ((SubsidyFraction.HALF, "50000"), (SubsidyFraction.TWO_THIRDS, "30000")):
        result = calculate_old_scheme(OldSchemeInput(Month(2019, 6), Decimal(wage), fraction, Decimal("2700")))
        for line in old_scheme_example_da(result):
            assert not re.search(r"kr\. [A-ZÆØÅ]", line), line
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    at.session_state["old_month"] = "juni 2019"
    shown = " ".join(m.value for m in at.run().markdown)
    assert "Eksempel for juni 2019" in shown and not at.error
