"""The citizen explainer's second pass: the core's new facts and sentences checked by hand, the pages
driven by AppTest and compared with the core, and the LIX of every generated citizen sentence per page."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
import textstat
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from api.app import app as api_app
from explainer.components import default_month, nbsp
from flexcalc.citizen.explanation import worded_month_da
from flexcalc.citizen.extra_hour import extra_hour
from flexcalc.citizen.month_change import MonthSide, explain_month_change
from flexcalc.citizen.scenarios import Job, check_hours, describe_month_da, hour_scenario
from flexcalc.citizen.tax_estimate import scenario_after_tax
from flexcalc.citizen.year_view import year_view
from flexcalc.cli import app as cli_app
from flexcalc.errors import InputError
from flexcalc.month import MonthInput
from flexcalc.period import Month
from flexcalc.text_da.format import kr

D = Decimal
PAGES = Path(__file__).resolve().parents[2] / "explainer" / "pages"
HOURS_PAGE = str(PAGES / "10_flere_timer.py")
CHANGE_PAGE = str(PAGES / "20_udbetaling.py")
LIX_TARGET = 35
client = TestClient(api_app)
runner = CliRunner()


def lix(text: str) -> float:
    return float(textstat.lix(text))


# ---------------------------------------------------------------- item 1: the plateau's exact range


def low_ceiling() -> object:
    return hour_scenario(Month(2024, 3), Job(hourly=D(200)), D(20000))


def test_plateau_runs_from_1_to_23_hours_at_200_an_hour_and_a_ceiling_of_20000() -> None:
    # by hand (RULES.md): wage W(h) = 200 × h × 52/12. At 1 h W = 866,67; R = 0,3 × 866,67 = 260,00; before the
    # ceiling 19.952 − 260 = 19.692 > room 20.000 − 866,67 = 19.133,33: the ceiling binds. At 23 h W = 19.933,33,
    # room 66,67 < 19.952 − 0,3 × 16.323 − 0,55 × 3.610,33 = 13.069,42: binds. At 24 h W = 20.800 > 20.000: no room.
    s = low_ceiling()
    assert (s.plateau_from_hours, s.plateau_to_hours) == (1, 23)  # type: ignore[attr-defined]
    assert s.row(23).total == D("20000.00") and s.row(24).subsidy == 0  # type: ignore[attr-defined]
    assert s.change(12, 25) == D("1666.67")  # type: ignore[attr-defined] # 21.666,67 − 20.000: the headline's 1.667
    assert s.plateau_sentence_da() == (  # type: ignore[attr-defined]
        "Loftet gælder fra 1 til 23 timer om ugen. Her når løn og tilskud tilsammen lønloftet (20.000,00 kr.). "
        "Flere timer giver ikke flere penge før skat i det område. Fra 24 timer er der intet tilskud. Så giver "
        "hver time mere hele timelønnen.")
    [finding] = s.findings  # type: ignore[attr-defined]
    assert finding.code == "ceiling_below_full_time_wage"
    assert finding.amounts == {"ceiling": D(20000), "full_time_wage": D("32066.67")}
    assert "lavere end din egen løn ved 37 timer" in finding.message_da
    assert hour_scenario(Month(2024, 3), Job(hourly=D(200))).findings == []  # the default ceiling is that wage
    assert hour_scenario(Month(2024, 3), Job(hourly=D(200)), D("32066.67")).findings == []


def test_findings_and_plateau_range_in_the_api_and_the_cli_json() -> None:
    body = client.post("/v1/scenarios/hours", json={"month": "2024-03", "hourly": "200", "ceiling": "20000",
                                                    "hours_from": 12, "hours_to": "25.5"})
    assert body.status_code == 200, body.text
    data = body.json()
    assert (data["plateau_from_hours"], data["plateau_to_hours"]) == (1, 23)
    assert [f["code"] for f in data["findings"]] == ["ceiling_below_full_time_wage"]
    assert data["findings"][0]["amounts"] == {"ceiling": "20000.00", "full_time_wage": "32066.67"}
    assert data["headline_da"] == "Går du fra 12 til 25,5 timer om ugen, får du 2.100 kr. mere om måneden før skat."
    assert data["extra_hour"]["hours_marked"] == list(range(1, 23))  # 23 → 24 leaves the plateau: +800 kr.
    result = runner.invoke(cli_app, ["scenario", "--month", "2024-03", "--hourly", "200", "--ceiling", "20000",
                                     "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert [f["code"] for f in cli["findings"]] == ["ceiling_below_full_time_wage"]
    assert cli["plateau_to_hours"] == 23
    text = runner.invoke(cli_app, ["scenario", "--month", "2024-03", "--hourly", "200", "--ceiling", "20000"])
    assert "Loftet gælder fra 1 til 23 timer om ugen." in text.stdout
    assert "lavere end din egen løn ved 37 timer" in text.stdout


# ---------------------------------------------------------------- item 3: half hours


def test_half_hours_are_computed_never_rounded() -> None:
    s = hour_scenario(Month(2024, 3), Job(hourly=D(200)))
    row = s.row(D("12.5"))
    # 200 × 12,5 × 52/12 = 10.833,33; 19.952 − 0,3 × 10.833,33 = 16.702,001 → 16.702,00
    assert (row.wage, row.subsidy, row.total) == (D("10833.33"), D("16702.00"), D("27535.33"))
    assert s.row("12,5") is row and row.gain_next_hour == s.row(13).total - row.total
    assert check_hours("12,5") == D("12.5") and check_hours("12") == 12 and check_hours(D("12.0")) == 12
    full_time = Job(full_time_wage=D("32066.67"))
    assert full_time.monthly_wage(D("12.5")) == D("10833.33")  # 32.066,67 × 25 / 74 = 10.833,334…
    for bad, code in (("12,3", "hours_half_step"), ("38", "hours_range"), ("0,5", "hours_range"),
                      ("tolv", "number_type")):
        with pytest.raises(InputError) as error:
            check_hours(bad, "hours_new")
        assert error.value.field == "hours_new" and error.value.code == code
    after = scenario_after_tax(s, D("0.25"))
    assert after.row(D("12.5")).estimate.subsidy == D("16702.00")


# ---------------------------------------------------------------- item 2: total income on the payout page


def test_month_change_total_income_and_headline_in_the_api() -> None:
    body = {"first": {"month": "2024-12", "wage": "15600", "ceiling": "32067"},
            "second": {"month": "2025-01", "wage": "17000", "ceiling": "32067"}}
    response = client.post("/v1/explanations/month-change", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    # payouts 14.772,00 and 14.446,50 + 120,50 (no correction here): 14.567,00; wage 15.600 → 17.000
    change = explain_month_change(MonthSide(MonthInput(Month(2024, 12), D(15600), D(32067))),
                                  MonthSide(MonthInput(Month(2025, 1), D(17000), D(32067))))
    assert data["total_income_change"] == str(change.total_income_change) == "1195.00"  # 1.400 − 205
    assert data["difference"] == "-205.00"
    assert data["headline_da"] == ("I alt har du 1.195,00 kr. mere end sidste måned: lønnen steg 1.400,00 kr., og "
                                   "udbetalingen faldt 205,00 kr.")
    assert data["first"]["total_income"] == "30372.00" and data["second"]["total_income"] == "31567.00"
    apart = explain_month_change(MonthSide(MonthInput(Month(2024, 3), D(15600), D(32067))),
                                 MonthSide(MonthInput(Month(2024, 6), D(15600), D(32067))))
    assert apart.headline_da() == ("I alt har du det samme som for marts 2024: lønnen er den samme, og "
                                   "udbetalingen er den samme")


# ---------------------------------------------------------------- items 8, 9, 11: core facts


def test_money_kept_per_extra_hour_before_and_after_tax() -> None:
    s = hour_scenario(Month(2024, 3), Job(hourly=D(200)))
    extra = extra_hour(s, scenario_after_tax(s, D("0.25")))
    step = extra.step(12)
    # 12 → 13 h: 866,67 more wage; the subsidy falls 0,3 × 866,67 = 260,00: 606,67 kept (70 %)
    assert (step.extra_wage, step.kept, step.share, step.mark) == (D("866.67"), D("606.67"), D("0.700"), "normal")
    assert extra.step(20).kept == D("233.92") and extra.step(20).mark == "normal"  # onto the plateau
    assert extra.hours_marked() == list(range(21, 37))  # the plateau: 0 kr. kept
    assert extra.step(22).kept_after_tax == D("-20.60") and extra.step(22).mark_after_tax == "negative"
    assert extra.sentences_da()[0] == ("Ved 21–36 timer om ugen giver en time mere næsten intet før skat. Du beholder "
                                       "under 10 øre af hver krone, du tjener mere.")
    assert extra.sentences_da()[1] == "Efter skat (skøn) giver en time mere færre penge ved 21–25 timer om ugen."
    rich = extra_hour(hour_scenario(Month(2024, 3), Job(hourly=D(400))))
    assert rich.hours_marked() == [] and rich.sentences_da()[0].startswith("Du beholder altid noget")


def test_year_view_shows_the_one_month_lag() -> None:
    year = year_view(Job(hourly=D(200)), D("32066.67"), 12, 15, Month(2024, 11))
    first, second = year.months[0], year.months[1]
    # November: the wage of 15 h (13.000) is paid, the subsidy is still computed on October's 12 h (10.400)
    assert (first.wage, first.subsidy, first.lagging) == (D("13000.00"), D("16832.00"), True)
    assert (second.subsidy, second.lagging) == (D("16052.00"), False)  # 19.952 − 0,3 × 13.000
    assert first.difference == D("2600.00") and second.difference == D("1820.00")
    assert len(year.months) == 12 and year.months[-1].month == Month(2025, 10)
    assert year.difference == D("22620.00")  # 2.600 + 11 × 1.820 (0,7 × 2.600 in every month, 2025 rates too)
    assert year.sentences_da()[1] == ("I november 2024 får du løn for 15 timer. Men tilskuddet regnes stadig af "
                                      "lønnen for oktober 2024, hvor du arbejdede 12 timer.")


def test_worded_arithmetic_as_star_words_it() -> None:
    s = hour_scenario(Month(2024, 3), Job(hourly=D(200)))
    assert s.wage_sentence_da(12) == "Din løn: 12 timer × 200,00 kr. × 52 uger / 12 måneder = 10.400,00 kr. om måneden."
    lines = [line.text for line in worded_month_da(s.row(12).result)]
    assert lines == [
        "Det største tilskud er 19.952,00 kr. om måneden.",
        "30 % af lønnen op til 16.323,00 kr.: 30 % af 10.400,00 kr. = 3.120,00 kr.",
        "Tilskud før lønloftet: 19.952,00 kr. − 3.120,00 kr. = 16.832,00 kr.",
        "Løn og tilskud må højst være lønloftet på 32.066,67 kr.: 10.400,00 kr. + 16.832,00 kr. = 27.232,00 kr. "
        "Det er under loftet. Så tilskuddet er 16.832,00 kr.",
        "Du betaler selv ATP af tilskuddet (5 %, højst 500 kr.): 500,00 kr. Udbetalt før skat: 16.832,00 kr. − "
        "500,00 kr. = 16.332,00 kr.",
    ]
    high = [line.text for line in worded_month_da(s.row(22).result)]
    assert "55 % af lønnen over grænsen: 55 % af 2.743,67 kr. = 1.509,02 kr." in high
    assert any("Det er over loftet. Så tilskuddet er 32.066,67 kr. − 19.066,67 kr. = 13.000,00 kr." in t for t in high)


def test_default_month_is_the_current_month_even_when_its_rates_are_not_published() -> None:
    assert default_month(dt.date(2026, 12, 2)) == Month(2026, 12)  # never an older year
    assert default_month(dt.date(2024, 6, 15)) == Month(2024, 6)
    assert default_month(dt.date(2023, 5, 1)) == Month(2023, 5)
    assert default_month(dt.date(2013, 5, 1)) == Month(2014, 1)  # before the table: its first month


def test_the_current_month_answers_with_its_own_rates_and_says_they_are_assumed() -> None:
    """15 → 20 hours at 200 kr./h, lønloft 32.067, December 2026 (M 21.600, T 17.672; assumed):
    15 h: wage 200 × 15 × 52/12 = 13.000; subsidy 21.600 − 30 % × 13.000 = 17.700; total 30.700.
    20 h: wage 17.333,33 (below T); 21.600 − 5.200 = 16.400, but wage + subsidy may not pass 32.067:
    subsidy 14.733,67; total 32.067. Difference +1.367 kr. a month (not the +2.781 of December 2024)."""
    month = default_month(dt.date(2026, 12, 7))
    s = hour_scenario(month, Job(hourly=D(200)), D(32067))
    assert s.row(15).result.subsidy == D("17700.00") and s.row(20).result.subsidy == D("14733.67")
    assert s.change_sentence(15, 20) == "Går du fra 15 til 20 timer om ugen, får du 1.367 kr. mere om måneden før skat."
    assert describe_month_da(s).endswith("Satserne for december 2026 er et skøn. De er ikke offentliggjort endnu, "
                                         "så beløbet kan ændre sig.")


def test_the_rates_notes_are_plain_danish() -> None:
    from flexcalc.citizen.year_view import year_view
    from flexcalc.law.params import rates_note_da

    notes = [rates_note_da("computed", Month(2025, 3)), rates_note_da("assumed", Month(2026, 12)),
             rates_note_da("assumed", Month(2027, 1), onwards=True)]
    assert rates_note_da("published", Month(2024, 3)) is None
    for note in notes:
        assert note is not None and lix(note) <= 35, (note, lix(note))
    year = year_view(Job(hourly=D(200)), D(32067), D(15), D(20), Month(2027, 1))
    assert year.sentences_da()[-1] == ("Satserne for januar 2027 og frem er et skøn. De er ikke offentliggjort "
                                       "endnu, så beløbet kan ændre sig.")


def test_no_afledt_in_citizen_text() -> None:
    s = hour_scenario(Month(2026, 3), Job(hourly=D(200)))
    assert "afledt" not in describe_month_da(s)
    assert "ikke offentliggjort endnu" in describe_month_da(s)


# ---------------------------------------------------------------- the pages, driven by AppTest


def hours_page(**inputs: str) -> AppTest:
    at = AppTest.from_file(HOURS_PAGE, default_timeout=60)
    values = {"month": "2024-03", "hourly": "200", "ceiling": "", "hours_now": "12", "hours_new": "15",
              "municipal_tax_rate": "25", "pension_rate": "0", "change_month": "2024-04", **inputs}
    for key, value in values.items():
        at.session_state[key] = value
    return at.run()


def test_hours_page_low_ceiling_half_hours_year_view_and_extra_hour() -> None:
    at = hours_page(ceiling="20000", hours_new="25,5", change_month="2024-11", month="2024-10")
    assert not at.exception
    core = hour_scenario(Month(2024, 10), Job(hourly=D(200)), D(20000))
    assert at.subheader[0].value == nbsp(core.change_sentence(12, D("25.5")))
    warnings = [w.value for w in at.warning]
    assert warnings[:2] == [nbsp(core.findings[0].message_da), nbsp(core.plateau_sentence_da())]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["I alt ved 25,5 timer"] == nbsp(kr(core.row(D("25.5")).total, decimals=0)) == "22.100\u00a0kr."
    # worded arithmetic: open, for the hours now
    worded = next(e for e in at.expander if e.label == "Regnestykket")
    assert worded.proto.expanded
    shown = [m.value for m in worded.markdown]
    assert shown == [nbsp(core.wage_sentence_da(12))] + [nbsp(w.text) for w in worded_month_da(core.row(12).result)]
    rules = next(e for e in at.expander if e.label == "Reglerne bag regnestykket")
    assert not rules.proto.expanded and any("LAB § 123, stk. 3" in m.value for m in rules.markdown)
    # the year view, compared with the core
    year = year_view(core.job, core.ceiling, 12, D("25.5"), Month(2024, 11))
    table = next(t.value for t in at.table if "Tilskuddet regnes af" in t.value.columns)
    assert list(table.index) == ["november 2024", "december 2024", "januar 2025", "februar 2025", "marts 2025",
                                 "april 2025", "maj 2025", "juni 2025", "juli 2025", "august 2025",
                                 "september 2025", "oktober 2025"]
    for month, label in zip(year.months, table.index, strict=True):
        assert table.loc[label]["Tilskud"] == nbsp(kr(month.subsidy))
        assert table.loc[label]["I alt"] == nbsp(kr(month.total))
        assert table.loc[label]["Forskel mod nu"] == nbsp(kr(month.difference, sign=True))
    assert table.loc["november 2024"]["Tilskuddet regnes af"] == "lønnen i oktober 2024 (12 t)"
    # what one more hour keeps
    extra = extra_hour(core, scenario_after_tax(core, D("0.25")))
    texts = [m.value for m in at.markdown]
    for sentence in extra.sentences_da():
        assert nbsp(sentence) in texts
    kept = next(t.value for t in at.table if "Du beholder før skat" in t.value.columns)
    assert kept.loc["12 → 13"]["Du beholder før skat"] == nbsp(kr(extra.step(12).kept, sign=True))
    assert kept.loc["12 → 13"]["Næsten intet"] == "ja"


def test_shared_link_round_trip() -> None:
    """Item 10: the address's inputs fill the page, and the page writes the inputs it shows back into it."""
    at = AppTest.from_file(HOURS_PAGE, default_timeout=60)
    link = {"timeloen": "185,50", "loft": "30000", "maaned": "2024-06", "timer_nu": "10", "timer_ny": "17,5",
            "skift": "2024-07", "kommuneskat": "24,5", "pension": "12"}
    for name, value in link.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    core = hour_scenario(Month(2024, 6), Job(hourly=D("185.50")), D(30000))
    assert at.subheader[0].value == nbsp(core.change_sentence(10, D("17.5")))
    assert at.text_input(key="hourly").value == "185,50"
    assert {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in link} == link
    # a change on the page is written back into the address
    at.text_input(key="hours_new").set_value("20").run()
    new = at.query_params["timer_ny"]
    assert (new[0] if isinstance(new, list) else new) == "20"
    assert at.subheader[0].value == nbsp(core.change_sentence(10, 20))


def test_hours_page_out_of_range_hours_show_no_result() -> None:
    at = hours_page(hours_new="37,5")
    assert [e.value for e in at.error] == ["Timer om ugen, du overvejer: skal være fra 1 til 37 timer om ugen, ikke "
                                           "37,5"]
    assert not at.subheader and not at.table


# ---------------------------------------------------------------- LIX of every generated citizen sentence


def hours_page_sentences() -> list[str]:
    """Every sentence the core generates for the hours page, over a spread of people."""
    texts: list[str] = []
    cases = [(Month(2024, 3), D(200), None, 12, 15), (Month(2024, 3), D(200), D(20000), 12, 25),
             (Month(2024, 10), D(150), None, 8, 20), (Month(2018, 6), D(114), None, 12, 13),
             (Month(2024, 3), D(400), None, 10, 12), (Month(2026, 3), D(185), D(30000), 15, 20)]
    for month, hourly, ceiling, now, new in cases:
        s = hour_scenario(month, Job(hourly=hourly), ceiling)
        texts += [s.change_sentence(now, new), s.plateau_sentence_da(), describe_month_da(s), s.wage_sentence_da(now)]
        texts += [f.message_da for f in s.findings] + [r.text_da for r in s.regions]
        texts += [w.text for w in worded_month_da(s.row(now).result)]
        taxed = scenario_after_tax(s, D("0.25")) if month >= Month(2024, 1) else None
        texts += extra_hour(s, taxed).sentences_da()
        texts += year_view(s.job, s.ceiling, now, new, month.next()).sentences_da()
    return texts


def payout_page_sentences() -> list[str]:
    texts: list[str] = []
    for (m1, w1, c1), (m2, w2, c2) in [((Month(2024, 12), 15600, 32067), (Month(2025, 1), 17000, 32067)),
                                       ((Month(2024, 3), 15600, 32067), (Month(2024, 4), 26000, 30000)),
                                       ((Month(2024, 5), 20000, 25000), (Month(2024, 6), 12000, 25000))]:
        change = explain_month_change(MonthSide(MonthInput(m1, D(w1), D(c1))), MonthSide(MonthInput(m2, D(w2), D(c2))))
        texts += [change.headline_da(), change.summary_da()] + [c.text_da for c in change.causes] + change.notes_da
    return texts


def cli_scenario_sentences() -> list[str]:
    texts: list[str] = []
    for hourly, ceiling in ((D(200), None), (D(200), D(20000)), (D(150), None)):
        s = hour_scenario(Month(2024, 3), Job(hourly=hourly), ceiling)
        texts += [describe_month_da(s), s.plateau_sentence_da()] + [r.text_da for r in s.regions]
        texts += [f.message_da for f in s.findings]
    return texts


@pytest.mark.parametrize(("name", "sentences"), [
    ("hours page", hours_page_sentences), ("payout page", payout_page_sentences),
    ("scenario CLI", cli_scenario_sentences),
])
def test_lix_of_every_generated_citizen_sentence_per_page(name: str, sentences: object) -> None:
    texts = sentences()  # type: ignore[operator]
    value = lix(" ".join(texts))
    print(f"LIX of the {name}'s generated sentences ({len(texts)} texts): {value:.1f}")
    assert value <= LIX_TARGET, f"{name}: LIX {value:.1f}"


def test_lix_of_the_scenario_cli_text_as_printed() -> None:
    """The CLI's running text as a person reads it (the table left out): 37 before the second pass."""
    box = set("│┃┏┓┡┩└┘┗┛━─┌┐╇")
    texts = []
    for args in (["--hourly", "200"], ["--hourly", "200", "--ceiling", "20000"],
                 ["--hourly", "150", "--municipal-tax-rate", "25"]):
        out = runner.invoke(cli_app, ["scenario", "--month", "2024-03", *args]).stdout
        texts += [line for line in out.splitlines() if line.strip() and not box & set(line)]
    value = lix(" ".join(texts))
    print(f"LIX of the scenario CLI's printed text: {value:.1f}")
    assert value <= LIX_TARGET
