"""The analyst page (explainer/pages/70_reformer.py), driven by Streamlit's AppTest: what it shows equals
flexcalc.reforms' own results."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer.reform_charts import band_chart, band_frame, curve_chart
from fixtures.population import generate
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.period import Month
from flexcalc.reforms import load_reform
from flexcalc.reforms.curve import hours_curve
from flexcalc.reforms.run import compare_table
from flexcalc.text_da.format import kr
from flexcalc.text_da.reforms import cost_sentence_da, curve_sentence_da, keep_sentence_da, winners_sentence_da

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "explainer" / "pages" / "70_reformer.py")
MONTH = Month(2024, 3)


def _page(**state: object) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in {"people": 2_000, "month": "2024-03", **state}.items():
        at.session_state[key] = value
    return at.run()


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


@pytest.mark.parametrize("name", ["minimum_gain_150", "hourly_1_37_flat_subsidy"])
def test_cost_winners_and_curve_are_flexcalcs(name: str) -> None:
    reform = load_reform(ROOT / "fixtures" / "reforms" / f"{name}.yaml")
    at = _page(reform_choice=reform.name)
    assert not at.exception and not at.error
    result = compare_table(MONTH, generate(2_000, seed=8), reform).to_dict()
    texts = _texts(at)
    assert cost_sentence_da(result) in texts
    assert winners_sentence_da(result) in texts
    assert keep_sentence_da(result) in texts
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Forskel om måneden"] == kr(Decimal(result["difference"]), decimals=0, sign=True)
    curve = hours_curve(MONTH, Job(hourly=Decimal(200)), reform)
    assert curve_sentence_da(12, curve.gain_next_hour(12, "today"), curve.gain_next_hour(12, "reform")) in texts
    band_table = next(t.value for t in at.table if "Får mere" in t.value.columns and "Uændret" in t.value.columns)
    assert list(band_table.index) == ["1–5", "6–10", "11–15", "16–20", "21–25", "26–30", "31–37"]
    assert int(band_table.loc["6–10", "Får mere"].replace(".", "")) == result["by_hour_band"][1]["winners"]


def test_charts_carry_flexcalcs_numbers_and_do_not_rely_on_colour() -> None:
    reform = load_reform(ROOT / "fixtures" / "reforms" / "single_rate_40.yaml")
    result = compare_table(MONTH, generate(2_000, seed=8), reform).to_dict()
    frame = band_frame(result)
    losers = frame[frame["Gruppe"] == "Får mindre"].set_index("Timer om ugen")["Personer"]
    assert losers.to_dict() == {row["group"]: row["losers"] for row in result["by_hour_band"]}
    spec = band_chart(result).to_dict()
    assert "strokeDash" in spec["encoding"] and "fill" in spec["encoding"]
    curve = hours_curve(MONTH, Job(hourly=Decimal(200)), reform)
    curve_spec = curve_chart(curve, 12).to_dict()
    assert "strokeDash" in curve_spec["layer"][0]["encoding"] and "shape" in curve_spec["layer"][0]["encoding"]


def test_the_curve_today_is_the_hour_scenario() -> None:
    reform = load_reform(ROOT / "fixtures" / "reforms" / "empty.yaml")
    curve = hours_curve(MONTH, Job(hourly=Decimal(200)), reform)
    scenario = hour_scenario(MONTH, Job(hourly=Decimal(200)))
    assert [r.total_today for r in curve.rows] == [r.total for r in scenario.rows]
    assert [r.total_reform for r in curve.rows] == [r.total for r in scenario.rows]
    # 200 kr./h, 12 → 13 hours: the wage rises 866,67, the subsidy falls 30 % of it (260,00): +606,67.
    assert curve.gain_next_hour(12, "today") == Decimal("606.67")


def test_a_pasted_reform_with_an_unknown_rule_shows_the_key_in_danish() -> None:
    at = _page(reform_text="name: x\nrules:\n  flat_tax: {rate: '0.3'}")
    assert at.error and "rules.flat_tax" in at.error[0].value and "kendt regel" in at.error[0].value


def test_a_pasted_reform_runs() -> None:
    at = _page(reform_text="name: Plus 100\nparameters:\n  max_subsidy: {2024-01-01: '20052'}")
    assert not at.exception and not at.error
    assert any(h.value == "Plus 100" for h in at.subheader)


def _lix(text: str) -> float:
    """LIX = words per sentence + 100 × share of words longer than six letters (numbers count as words)."""
    import re

    words = [w for w in re.findall(r"\S+", text) if re.search(r"[A-Za-zÆØÅæøå0-9]", w)]
    sentences = max(1, len(re.findall(r"[.!?:](?:\s|$)", text)))
    long = sum(1 for w in words if len(re.sub(r"[^A-Za-zÆØÅæøå]", "", w)) > 6)
    return len(words) / sentences + 100 * long / len(words)


def test_the_pages_sentences_are_plain_danish() -> None:
    # Measured 2026-12-01: LIX ≈ 22 (single_rate_40 on 2.000 people), well under the house limit of 35.
    reform = load_reform(ROOT / "fixtures" / "reforms" / "single_rate_40.yaml")
    result = compare_table(MONTH, generate(2_000, seed=8), reform).to_dict()
    from flexcalc.text_da.reforms import band_sentence_da

    text = " ".join([cost_sentence_da(result), winners_sentence_da(result), band_sentence_da(result),
                     keep_sentence_da(result), curve_sentence_da(12, Decimal("606.67"), Decimal("520"))])
    assert _lix(text) <= 35
    # The measure itself: 8 words, 2 sentences, 1 long word ("sætning"): 4 + 12,5 = 16,5.
    assert _lix("Det er en kort sætning. Den er let.") == 16.5


def test_a_reform_that_changes_nothing_in_the_month_says_so() -> None:
    # "M + 100 kr. i 2024" is dated 2024: in March 2025 today's 2025 rates apply on both sides, difference 0
    reform = load_reform(ROOT / "fixtures" / "reforms" / "max_subsidy_plus_100.yaml")
    at = _page(reform_choice=reform.name, month="2025-03")
    assert not at.exception
    warning = at.warning[0].value
    assert "Reformen ændrer ingen beløb i marts 2025" in warning
    assert _lix(warning) <= 35
    at = _page(reform_choice=reform.name, month="2024-03")
    assert not at.warning


def test_a_month_without_rates_is_said_plainly() -> None:
    at = _page(month="2040-01")
    assert not at.exception and not at.metric  # no figure at all, never 0 kr.
    assert "der er ingen satser for 2040-01" in at.error[0].value
