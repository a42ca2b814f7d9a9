"""The explainer pages, driven by Streamlit's own testing API: set inputs, read what is shown, compare
with the core."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer.charts import hours_chart
from explainer.components import nbsp
from flexcalc.citizen.month_change import Adjustment, MonthSide, explain_month_change
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.citizen.tax_estimate import scenario_after_tax
from flexcalc.month import MonthInput
from flexcalc.period import Month
from flexcalc.text_da.format import kr

PAGES = Path(__file__).resolve().parents[2] / "explainer" / "pages"
HOURS_PAGE = str(PAGES / "10_flere_timer.py")
CHANGE_PAGE = str(PAGES / "20_udbetaling.py")
D = Decimal


DEFAULTS: dict[str, dict[str, str | int]] = {
    HOURS_PAGE: {"month": "2024-03", "hourly": "200", "ceiling": "", "hours_now": "12", "hours_new": "15",
                 "municipal_tax_rate": "25", "pension_rate": "0", "change_month": "2024-04"},
    CHANGE_PAGE: {"first_month": "2024-12", "first_wage": "15600", "first_ceiling": "32067", "first_correction": "",
                  "second_month": "2025-01", "second_wage": "17000", "second_ceiling": "32067",
                  "second_correction": ""},
}
_APPS: dict[str, AppTest] = {}


def page(path: str, **inputs: str | int) -> AppTest:
    """Run a page with every input set by widget key (as a person would have typed it); inputs not given
    take the defaults above. One AppTest per page is reused: a rerun is much faster than a fresh app."""
    at = _APPS.get(path)
    if at is None:
        at = _APPS[path] = AppTest.from_file(path, default_timeout=30)
    for key, value in {**DEFAULTS[path], **inputs}.items():
        at.session_state[key] = value
    return at.run()


def table_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The shown table that has ``column`` (tables are found by what they show, not by position)."""
    return next(t.value for t in at.table if column in t.value.columns)


def test_pages_have_their_danish_titles_on_the_first_line() -> None:
    assert Path(HOURS_PAGE).read_text(encoding="utf-8").splitlines()[0] == (
        "# title: Kan det betale sig at arbejde flere timer?")
    assert Path(CHANGE_PAGE).read_text(encoding="utf-8").splitlines()[0] == (
        "# title: Hvorfor har min udbetaling ændret sig?")


def test_hours_page_headline_table_and_steps_match_the_core() -> None:
    at = page(HOURS_PAGE, month="2024-03", hourly="200", hours_now="12", hours_new="15")
    assert not at.exception
    core = hour_scenario(Month(2024, 3), Job(hourly=D(200)))
    assert at.subheader[0].value == nbsp(core.change_sentence(12, 15))
    assert at.subheader[0].value == nbsp("Går du fra 12 til 15 timer om ugen, får du 1.820 kr. mere om måneden før "
                                         "skat.")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["I alt ved 12 timer"] == nbsp(kr(core.row(12).total, decimals=0)) == "27.232\u00a0kr."
    assert metrics["Forskel om måneden"] == "+1.820\u00a0kr."
    table = table_with(at, "Fleksløntilskud")
    assert len(table) == 37
    for row in core.rows:
        shown = table.loc[str(row.hours)]
        assert shown["Løn"] == nbsp(kr(row.wage))
        assert shown["Fleksløntilskud"] == nbsp(kr(row.subsidy))
        assert shown["I alt før skat"] == nbsp(kr(row.total))
    assert table.loc["18"]["I alt før skat"] == "30.872,00\u00a0kr."  # STAR's example
    assert table.loc["12"]["Dig"] == "nu" and table.loc["15"]["Dig"] == "overvejet"
    assert table.loc["21"]["Område"] == "Loftet" and table.loc["21"]["En time mere giver"] == "0,00\u00a0kr."
    assert at.warning[0].value == nbsp(core.plateau_sentence_da())
    assert at.warning[0].value.startswith("Loftet gælder fra 21 til 37 timer om ugen.")
    regions = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert regions == [f"- {nbsp(r.text_da)}" for r in core.regions]
    steps = next(e for e in at.expander if e.label.startswith("Sådan er tilskuddet regnet ud ved 15 timer"))
    texts = [element.value for element in steps.children.values() if hasattr(element, "value")]
    assert any(nbsp("Så tilskuddet er 16.052,00 kr.") in str(t) for t in texts)  # 19.952 − 0,3 × 13.000
    assert any("LAB § 123, stk. 2, 1. pkt." in str(t) for t in texts)


def test_hours_page_estimate_after_tax_matches_the_core() -> None:
    at = page(HOURS_PAGE, month="2024-03", hourly="200", municipal_tax_rate="25", pension_rate="12")
    core = scenario_after_tax(hour_scenario(Month(2024, 3), Job(hourly=D(200))), D("0.25"), D("0.12"))
    assert f"**{nbsp(core.change_sentence(12, 15))}**" in [m.value for m in at.markdown]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Til rådighed ved 15 timer (skøn)"] == nbsp(kr(core.row(15).estimate.disposable, decimals=0))
    taxed = table_with(at, "Til rådighed efter skat (skøn)")
    for row in core.rows:
        assert taxed.loc[str(row.hours)]["Til rådighed efter skat (skøn)"] == nbsp(
            kr(row.estimate.disposable, decimals=0))
    assert any(w.value == nbsp(core.negative_gain_sentence_da() or "") for w in at.warning)
    at = page(HOURS_PAGE, month="2024-03", municipal_tax_rate="60")
    assert [e.value for e in at.error] == ["Kommuneskat: skal være en procent fra 15 til 35"]
    at = page(HOURS_PAGE, month="2019-03")
    assert [i.value for i in at.info] == ["Skønnet efter skat findes kun for månederne 2024-01 til 2026-12."]
    assert table_with(at, "Fleksløntilskud") is not None  # the numbers before tax are still shown
    assert not any("Til rådighed efter skat (skøn)" in t.value.columns for t in at.table)


def test_hours_page_changing_hours_changes_the_headline() -> None:
    at = page(HOURS_PAGE, month="2024-03", hourly="200")
    at.text_input(key="hours_now").set_value("22")
    at.text_input(key="hours_new").set_value("30")
    at.run()
    assert at.subheader[0].value == ("Går du fra 22 til 30 timer om ugen, får du det samme om måneden før skat – "
                                     "hverken mere eller mindre.")


def test_hours_page_low_wage_plateau_from_the_first_hour_and_given_ceiling() -> None:
    at = page(HOURS_PAGE, month="2018-06", hourly="114")
    core_low = hour_scenario(Month(2018, 6), Job(hourly=D(114)))
    assert core_low.plateau_from_hours == 1
    assert at.warning[0].value == nbsp(core_low.plateau_sentence_da())
    assert at.warning[0].value.startswith(f"Loftet gælder fra 1 til {core_low.plateau_to_hours} timer om ugen.")
    at = page(HOURS_PAGE, month="2024-03", hourly="200", ceiling="25000")
    core = hour_scenario(Month(2024, 3), Job(hourly=D(200)), D(25000))
    assert table_with(at, "Fleksløntilskud").loc["29"]["I alt før skat"] == nbsp(kr(core.row(29).total))
    assert any("som du har skrevet" in c.value for c in at.caption)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("hourly", "-200", "Din timeløn i kr. (med pension og tillæg): må ikke være negativt"),
    ("hourly", "to hundrede", "Din timeløn i kr. (med pension og tillæg): 'to hundrede' er ikke et beløb i kroner"),
    ("ceiling", "1,001", "Lønloft i kr. om måneden (valgfrit): '1,001' er tvetydigt: ',' foran præcis tre cifre "
     "kan være tusindtalsseparator eller decimaltegn; skriv 1001 eller 1001,00 eller 1.001,00"),
    ("ceiling", "1,0015", "Lønloft i kr. om måneden (valgfrit): har mere end to decimaler (beløb er i kroner og øre)"),
    ("month", "2030-01", "Måned for tilskuddet (fx 2024-03 eller marts 2024): der er ingen satser for 2030-01: "
                         "satstabellen dækker ikke den måned"),
    ("month", "martz 2024", "Måned for tilskuddet (fx 2024-03 eller marts 2024): 'martz 2024' er ikke en måned: "
                            "skriv fx marts 2024 eller 2024-03"),
    ("hours_new", "38", "Timer om ugen, du overvejer: skal være fra 1 til 37 timer om ugen, ikke 38"),
    ("hours_now", "-1", "Timer om ugen nu: skal være fra 1 til 37 timer om ugen, ikke -1"),
    ("hours_new", "12,3", "Timer om ugen, du overvejer: skal være hele eller halve timer (fx 12 eller 12,5), "
                          "ikke 12,3"),
    ("hours_new", "tolv", "Timer om ugen, du overvejer: 'tolv' er ikke et antal timer om ugen"),
])
def test_hours_page_bad_input_names_the_field_in_danish(key: str, value: str, message: str) -> None:
    at = page(HOURS_PAGE, **{"month": "2024-03", key: value})
    assert [e.value for e in at.error] == [message]
    assert len(at.table) == 0


def test_hours_page_reads_a_month_as_danes_write_it() -> None:
    typed, machine = page(HOURS_PAGE, month="marts 2024"), page(HOURS_PAGE, month="2024-03")
    assert not typed.error and len(typed.table) > 0
    assert typed.table[0].value.equals(machine.table[0].value)
    assert any(c.value == "marts 2024" for c in typed.caption)


def test_hours_page_zero_wage_is_refused() -> None:
    at = page(HOURS_PAGE, month="2024-03", hourly="0")
    assert [e.value for e in at.error] == ["Timeløn: skal være mere end 0 kr."]


def test_every_input_has_a_visible_label() -> None:
    for path in (HOURS_PAGE, CHANGE_PAGE):
        at = page(path)
        widgets = list(at.text_input) + list(at.number_input)
        assert widgets
        for widget in widgets:
            assert widget.label.strip()
            assert widget.proto.label_visibility.value == 0  # VISIBLE


def test_chart_marks_hours_names_the_plateau_and_does_not_rely_on_colour() -> None:
    spec = hours_chart(hour_scenario(Month(2024, 3), Job(hourly=D(200))), 12, 15).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "text", "bar", "line", "rule", "text", "text"]
    band = next(iter(spec["datasets"].values()))
    assert band[0]["tekst"] == "Loftet: 21–37 timer"
    bars = spec["layer"][2]["encoding"]
    assert bars["strokeDash"]["field"] == "Del"  # dashed outline for the subsidy, solid for the wage
    assert spec["layer"][3]["mark"]["point"]["shape"] == "diamond"
    labels = [row["tekst"] for data in spec["datasets"].values() for row in data if "streg" in row]
    assert sorted(set(labels)) == ["Nu: 12 t", "Ny: 15 t"]
    assert spec["description"].startswith("Figur: løn, fleksløntilskud og samlet indkomst")
    no_plateau = hours_chart(hour_scenario(Month(2024, 3), Job(hourly=D(400))), 12, 12).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
            for layer in no_plateau["layer"]] == ["bar", "line", "rule", "text"]
    low = hours_chart(hour_scenario(Month(2018, 6), Job(hourly=D(114))), 12, 13).to_dict()
    band_low = next(iter(low["datasets"].values()))
    assert band_low[0]["tekst"] == "Loftet: 1–37 timer"


def test_change_page_side_by_side_and_causes_match_the_core() -> None:
    at = page(CHANGE_PAGE, first_month="2024-12", first_wage="15600", first_ceiling="32067",
              second_month="2025-01", second_wage="17000", second_ceiling="32067", second_correction="-120,50")
    assert not at.exception
    core = explain_month_change(
        MonthSide(MonthInput(Month(2024, 12), D(15600), D(32067))),
        MonthSide(MonthInput(Month(2025, 1), D(17000), D(32067)), (Adjustment("correction", D("-120.50")),)))
    assert [s.value for s in at.subheader] == ["Første måned", "Anden måned", nbsp(core.headline_da())]
    # wage 15.600 + 14.772 = 30.372; 17.000 + 14.446,50 = 31.446,50: 1.074,50 more in all
    assert core.headline_da() == ("I alt har du 1.074,50 kr. mere end sidste måned: lønnen steg 1.400,00 kr., og "
                                  "udbetalingen faldt 325,50 kr.")
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics == [("I alt for december 2024 (løn + udbetaling)", "30.372,00\u00a0kr."),
                       ("I alt for januar 2025 (løn + udbetaling)", "31.446,50\u00a0kr."),
                       ("Forskel i alt", "+1.074,50\u00a0kr."),
                       ("Udbetaling for december 2024", "14.772,00\u00a0kr."),
                       ("Udbetaling for januar 2025", "14.446,50\u00a0kr.")]
    assert at.metric[4].delta == "-325,50\u00a0kr."
    causes = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert causes == [f"- {nbsp(c.text_da)}" for c in core.causes]
    table = at.table[0].value
    assert list(table.index) == ["Nye satser", "Løn under grænsen (30 %)", "Løn over grænsen (55 %)", "Lønloftet",
                                 "Efterregulering", "Forskel i alt"]
    assert list(table["Beløb"]) == [nbsp(a) for a in ("+718,00 kr.", "-393,30 kr.", "-48,95 kr.", "-480,75 kr.",
                                                      "-120,50 kr.", "-325,50 kr.")]


def test_change_page_bad_input() -> None:
    at = page(CHANGE_PAGE, first_month="2024-12", second_month="2025-01", first_wage="-5")
    assert [e.value for e in at.error] == [
        "Første måned: løn i måneden før, i kr. (med pension): må ikke være negativt"]
    assert not at.table
