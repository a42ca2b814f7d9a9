"""The lønloft check's words: plain Danish (LIX ≤ 35 over the fixture forms), built from facts in the text
layer, never with "kr.." or an English code in a Danish sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from flexcalc.normal_wage import check_form, load_form
from flexcalc.text_da.normal_wage import breakdown_rows, explain_check_da, running_text_da

FORMS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "normal_wage").glob("*.json"))
LIX_TARGET = 35


def lix(text: str) -> float:
    textstat.set_lang("da")
    return float(textstat.lix(text))


def test_lix_of_the_running_text_over_every_fixture_form_is_at_most_35() -> None:
    texts = [running_text_da(check_form(load_form(path.read_text()))) for path in FORMS]
    overall = lix(" ".join(texts))
    print(f"LIX of the lønloft check's running text over {len(FORMS)} forms: {overall:.1f}")
    assert overall <= LIX_TARGET


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_no_form_reads_much_harder_than_the_target(path: Path) -> None:
    assert lix(running_text_da(check_form(load_form(path.read_text())))) <= LIX_TARGET + 5


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_no_doubled_full_stop_and_no_code_in_danish_text(path: Path) -> None:
    result = check_form(load_form(path.read_text()))
    text = "\n".join(explain_check_da(result))
    assert "kr.." not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text.split("Ikke tjekket")[-1] if "Ikke tjekket" in text else "")
    for finding in result.findings:
        assert f"({finding.code})" in text  # the code stays as a reference on the finding's title line only
        assert finding.code not in finding.message_da and finding.code not in finding.action_da


def test_lix_measures_what_we_think() -> None:
    """The measure can fail: a long-winded sentence scores far above the target."""
    heavy = ("Arbejdsgiverens indberetning af fuldtidslønnen, inklusive pensionsbidrag og overenskomstmæssige "
             "tillæg, forudsætter dokumentation for gennemsnitsberegningen vedrørende stillingsbetegnelsen.")
    assert lix(heavy) > 60


def test_breakdown_rows_carry_signs_and_one_kr() -> None:
    result = check_form(load_form((FORMS[0].parent / "clean.json").read_text()))
    rows = breakdown_rows(result)
    assert all(amount.startswith(("+ ", "− ", "= ", "(")) for _, _, amount, _ in rows)
    assert all(amount.count("kr.") == 1 for _, _, amount, _ in rows)
