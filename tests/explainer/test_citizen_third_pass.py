"""The citizen pages, third pass (Streamlit's testing API): 0 hours answered, the extra hour's answer in view,
Danish amounts read, a typo keeps the other fields, the menu groups the pages, the lønloft page's verdict."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from streamlit.testing.v1 import AppTest

from explainer.components import nbsp
from flexcalc.citizen.extra_hour import extra_hour
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.citizen.tax_estimate import municipal_rate, pension_rate, scenario_after_tax
from flexcalc.period import Month

PAGES = Path(__file__).resolve().parents[2] / "explainer" / "pages"
HOURS = str(PAGES / "10_flere_timer.py")


def run(path: str, **inputs: str) -> AppTest:
    at = AppTest.from_file(path, default_timeout=60)
    for key, value in inputs.items():
        at.session_state[key] = value
    return at.run()


BASE = {"month": "2024-03", "hourly": "200", "hours_now": "12", "hours_new": "15", "municipal_tax_rate": "25",
        "pension_rate": "0", "change_month": "2024-04", "ceiling": ""}


def test_zero_hours_is_answered_not_refused() -> None:
    at = run(HOURS, **{**BASE, "hours_now": "0"})
    assert not at.error
    assert [s.value for s in at.subheader] == ["Ved 0 timer er der intet tilskud"]
    assert at.info[0].value.startswith("Ved 0 timer får du ingen løn fra fleksjobbet. Uden løn fra fleksjobbet er "
                                       "der intet tilskud. Der er undtagelser.")
    assert "sygdom eller barsel uden løn" in at.info[0].value
    assert any("LAB § 123, stk. 1" in c.value for c in at.caption)


def test_one_more_hour_is_answered_in_view() -> None:
    # 200 kr. an hour: one more hour a week is 200 × 52/12 = 866,67 kr. a month; below T the subsidy falls by
    # 30 % of it, so 70 øre of each krone is kept (606,67 kr.).
    at = run(HOURS, **BASE)
    scenario = hour_scenario(Month(2024, 3), Job(hourly=D(200)))
    extra = extra_hour(scenario, scenario_after_tax(scenario, municipal_rate("25"), pension_rate("0")))
    step = next(s for s in extra.steps if s.hours == 12)
    assert step.extra_wage == D("866.67") and step.kept == D("606.67")
    texts = [s.value for s in at.success]
    expected = nbsp("Går du fra 12 til 13 timer om ugen, tjener du 866,67 kr. mere om måneden. Du beholder "
                    "606,67 kr. før skat. Det er 70 øre af hver krone.")
    assert any(t.startswith(expected) for t in texts), texts


def test_danish_thousands_are_read_on_the_hours_page() -> None:
    at = run(HOURS, **{**BASE, "ceiling": "32.067"})
    assert not at.error
    assert any("32.067,00" in c.value for c in at.caption)


def test_a_typo_keeps_the_other_fields() -> None:
    at = run(HOURS, **{**BASE, "municipal_tax_rate": "27,5"})
    at.text_input(key="hourly").set_value("2OO").run()
    assert [e.value for e in at.error] == ["Din timeløn i kr. (med pension og tillæg): '2OO' er ikke et beløb i kroner"]
    at.text_input(key="hourly").set_value("200").run()
    assert not at.error
    assert at.text_input(key="municipal_tax_rate").value == "27,5"


CEILING_PAGE = str(PAGES / "40_tjek_lonloftet.py")


def _lix(at: AppTest) -> float:
    import re

    import textstat

    textstat.set_lang("da")
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info",
                                  "success") for e in getattr(at, kind)]
    text = re.sub(r"(\d)\. ", r"\1 ", " ".join(parts).replace(" kr.", " kroner"))
    return float(textstat.lix(text))


def _last(at: AppTest) -> object:
    return list(at.main)[-1]


def test_ceiling_page_ends_with_a_clear_verdict_and_reads_danish_amounts() -> None:
    at = AppTest.from_file(CEILING_PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.header[-1].value == "Svaret"
    assert at.success[-1].value.startswith("Lønloftet ser rigtigt ud:")
    assert _last(at).value == at.success[-1].value  # type: ignore[attr-defined]
    at.text_input(key="base_amount").set_value("20.000").run()  # Danish thousands: 20.000 kr.
    assert not any("tvetydigt" in e.value for e in at.error)
    assert at.error[-1].value.startswith("Lønloftet er ikke rigtigt. Ret dette:")
    assert _last(at).value == at.error[-1].value  # type: ignore[attr-defined]  # the verdict is the page's last word
    # no "nothing to do" box under a red error
    assert not any("Du skal ikke gøre noget" in i.value for i in at.info)
    assert _lix(at) <= 35


def test_ceiling_page_labels_are_unique_and_the_text_plain() -> None:
    at = AppTest.from_file(CEILING_PAGE, default_timeout=60).run()
    labels = [w.label for w in at.text_input]
    assert len(labels) == len(set(labels)), [label for label in labels if labels.count(label) > 1]
    assert _lix(at) <= 35, _lix(at)


def test_api_field_names_are_said_in_danish_on_the_pages() -> None:
    from flexcalc.text_da.citizen_pages import field_da

    assert field_da("wage") == "løn"
    assert field_da("months.0.paid_subsidy") == "måned 1: udbetalt tilskud"
    assert field_da("events.periods") == "hændelser: periods"  # an unknown part is shown as it is
    # the workbench itself: tests/explainer/test_ledger_explainer.py (an API error reads "måned: …", not "month")


def test_no_file_names_in_citizen_text() -> None:
    # øre in the wage make the subsidy round, and the rounding step cites the project's rule
    at = run(str(PAGES / "20_udbetaling.py"), first_month="2024-12", first_wage="15600,55", first_ceiling="32067",
             first_correction="", second_month="2025-01", second_wage="17000,33", second_ceiling="32067",
             second_correction="")
    shown = [e.value for kind in ("markdown", "caption", "info", "warning", "success") for e in getattr(at, kind)]
    assert any(line.startswith("Afrunding til hele øre") for line in shown)
    assert not [line for line in shown if "docs/" in line or "decisions.md" in line]


def test_the_draft_request_names_no_file() -> None:
    import datetime as dt

    from flexcalc.check import check_calculation, validate_check
    from flexcalc.check.request import draft_request

    check = validate_check({"months": [{"month": "2024-03", "paid_subsidy": "13000", "wage": "18000,55",
                                         "ceiling": "40000"}]})
    text = draft_request(check_calculation(check), today=dt.date(2024, 4, 1)).text
    assert "afrundes én gang til hele øre" in text and "docs/" not in text
