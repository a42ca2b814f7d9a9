"""Hour scenarios: the official STAR example, hand-computed plateaus, the CLI, and properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fixtures import load_yaml
from flexcalc.citizen.scenarios import Job, check_hours, hour_scenario
from flexcalc.cli import app
from flexcalc.errors import InputError
from flexcalc.money import round_krone
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month
from tests.support.strategies import benefit_months

D = Decimal
STAR = next(e for e in load_yaml("official_examples.yaml") if e["id"] == "star-calculator-2024")
ORDER = {"low": 0, "high": 1, "plateau": 2, "no_subsidy": 3}
runner = CliRunner()


def scenario(month: str, hourly: str, ceiling: str | None = None):  # type: ignore[no-untyped-def]
    return hour_scenario(Month.parse(month), Job(hourly=D(hourly)), None if ceiling is None else D(ceiling))


def test_star_calculator_2024_row_18() -> None:
    s = scenario(STAR["benefit_month"], STAR["input"]["hourly_wage_incl_pension"])
    row = s.row(STAR["input"]["hours_per_week"])
    expected = STAR["expected"]
    # STAR: 200 × 18 × 52/12 = 15.600; 19.952 − 0,30 × 15.600 = 15.272; 15.600 + 15.272 = 30.872.
    assert row.wage == D("15600.00")
    assert row.subsidy == D(expected["subsidy"])
    assert row.total == D(expected["total_income_incl_pension_and_atp"])
    assert row.atp_own == D("500") and row.payout == D("14772.00")
    # STAR's ceiling estimate 37 × 200 × 52/12 = 32.066,67, which STAR shows as 32.067.
    assert s.ceiling == D("32066.67") and round_krone(s.ceiling) == D(STAR["input"]["ceiling"])
    assert s.ceiling_source == "full_time_wage"
    given_ceiling = scenario(STAR["benefit_month"], "200", STAR["input"]["ceiling"])
    assert given_ceiling.ceiling_source == "given"
    assert given_ceiling.row(18).total == D("30872.00")


def test_200_kr_an_hour_in_2024_regions_by_hand() -> None:
    # w = 200 × 52/12 = 866,67 a week-hour. 18 h: W = 15.600 ≤ T = 16.323; 19 h: W = 16.466,67 > T.
    # Above T: before = 19.952 − 4.896,90 − 0,55 (W − 16.323) = 24.032,75 − 0,55 W; room = 32.066,67 − W.
    # The ceiling binds when 0,45 W ≥ 8.033,92, i.e. W ≥ 17.853,16: 20 h (17.333,33) no, 21 h (18.200) yes.
    s = scenario("2024-03", "200")
    assert [(r.kind, r.from_hours, r.to_hours) for r in s.regions] == [
        ("low", 1, 18), ("high", 19, 20), ("plateau", 21, 37)]
    assert s.plateau_from_hours == 21
    assert s.row(20).subsidy == D("14499.42")  # 24.032,75 − 9.533,3315 = 14.499,4185
    assert s.row(21).subsidy == D("13866.67")  # the ceiling: 32.066,67 − 18.200
    assert s.row(20).gain_next_hour == D("233.92")  # 32.066,67 − (17.333,33 + 14.499,42)
    assert all(s.row(h).gain_next_hour == 0 for h in range(21, 37))
    assert s.row(37).gain_next_hour is None
    assert s.row(37).subsidy == 0 and s.row(37).total == s.ceiling  # full time: the wage is the ceiling
    assert "16.323 kr." in s.regions[1].text_da and "32.066,67 kr." in s.regions[2].text_da
    # In the 30 % region each hour adds 70 % of 866,67 kr.: 15 h − 12 h = 0,7 × (13.000 − 10.400) = 1.820.
    assert s.change(12, 15) == D("1820.00")
    assert s.change_sentence(12, 15) == ("Går du fra 12 til 15 timer om ugen, får du 1.820 kr. mere om måneden "
                                         "før skat.")
    assert s.change_sentence(15, 12) == ("Går du ned fra 15 til 12 timer om ugen, får du 1.820 kr. mindre om "
                                         "måneden før skat.")
    assert "det samme" in s.change_sentence(22, 30)


def test_low_hourly_wage_plateau_from_the_first_hour_2018() -> None:
    # flex-job.dk (2018): at about 114 kr./h more hours do not raise income. Hand check at 1 hour:
    # W = 114 × 52/12 = 494; L = 37 × 494 = 18.278; before = 18.260 − 148,20 = 18.111,80 > room 17.784.
    s = scenario("2018-06", "114")
    assert s.plateau_from_hours == 1
    assert [r.kind for r in s.regions] == ["plateau"]
    assert {row.total for row in s.rows} == {D("18278.00")}
    assert s.change_sentence(5, 20).endswith("får du det samme om måneden før skat – hverken mere eller mindre.")


def test_exact_edge_of_the_first_hour_plateau_2018() -> None:
    # At 1 hour the ceiling binds iff M − 0,3 w ≥ 36 w (w = hourly × 52/12), i.e. hourly ≤ 116,08.
    # 116,08: w = 503,01, L = 18.611,49, room 18.108,48, before 18.260 − 150,903 = 18.109,10 → binds.
    # 116,09: w = 503,06, L = 18.613,10, room 18.110,04, before 18.260 − 150,918 = 18.109,08 → does not.
    at = scenario("2018-06", "116.08")
    assert at.row(1).wage == D("503.01") and at.ceiling == D("18611.49")
    assert at.row(1).result.subsidy_before_ceiling == D("18109.10")
    assert at.plateau_from_hours == 1
    above = scenario("2018-06", "116.09")
    assert above.ceiling == D("18613.10") and above.row(1).result.subsidy_before_ceiling == D("18109.08")
    assert above.plateau_from_hours == 2


def test_high_hourly_wage_has_no_plateau() -> None:
    # 400 kr./h in 2024: w = 1.733,33. 9 h: W = 15.600 ≤ T; 10 h above. The subsidy reaches 0 at
    # W = 16.323 + 15.055,10/0,55 = 43.695,91: 25 h (43.333,33) still some, 26 h (45.066,67) none.
    # The ceiling 64.133,33 would bind only for 0,45 W ≥ 40.100,58, W ≥ 89.112: never up to 37 h.
    s = scenario("2024-03", "400")
    assert s.plateau_from_hours is None
    assert [(r.kind, r.from_hours, r.to_hours) for r in s.regions] == [
        ("low", 1, 9), ("high", 10, 25), ("no_subsidy", 26, 37)]
    assert s.row(25).subsidy == D("199.42")  # 24.032,75 − 0,55 × 43.333,33 = 199,4185
    assert s.row(26).subsidy == 0
    assert s.row(30).gain_next_hour == D("1733.33")  # 52.000 → 53.733,33: the whole wage


def test_ceiling_below_the_full_time_wage_plateau_then_wage_above_ceiling() -> None:
    # 200 kr./h, 2024, a reported ceiling of 25.000: plateau until the wage alone passes 25.000
    # (28 h: 24.266,67; 29 h: 25.133,33), then no subsidy and income rises with the wage again.
    s = scenario("2024-03", "200", "25000")
    kinds = [(r.kind, r.from_hours, r.to_hours) for r in s.regions]
    assert kinds[-2:] == [("plateau", kinds[-2][1], 28), ("no_subsidy", 29, 37)]
    assert s.row(28).total == D("25000.00") and s.row(29).total == D("25133.33")


def test_full_time_wage_instead_of_hourly() -> None:
    job = Job(full_time_wage=D("30000"))
    s = hour_scenario(Month(2024, 3), job)
    assert s.ceiling == D("30000.00")
    assert s.row(18).wage == D("14594.59")  # 30.000 × 18/37 = 14.594,594…
    assert s.row(37).wage == D("30000.00")
    assert job.hourly_equivalent == D("187.11")  # 30.000 × 12 / (37 × 52) = 187,110…


def test_job_and_hours_validation_names_the_field() -> None:
    with pytest.raises(InputError) as error:
        Job()
    assert error.value.field == "hourly"
    with pytest.raises(InputError) as error:
        Job(hourly=D(200), full_time_wage=D(30000))
    assert error.value.field == "hourly"
    with pytest.raises(InputError) as error:
        Job(full_time_wage=D(0))
    assert error.value.field == "full_time_wage"
    for bad in (0, 38, -1, True):
        with pytest.raises(InputError) as error:
            check_hours(bad)  # type: ignore[arg-type]
        assert error.value.field == "hours"


# ---------------------------------------------------------------- CLI

def test_cli_json_rows_and_plateau() -> None:
    result = runner.invoke(app, ["scenario", "--month", "2024-03", "--hourly", "200", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["plateau_from_hours"] == 21
    assert len(data["rows"]) == 37
    row = data["rows"][17]
    assert {k: row[k] for k in ("hours", "wage", "subsidy", "atp_own", "total")} == {
        "hours": 18, "wage": "15600.00", "subsidy": "15272.00", "atp_own": "500.00", "total": "30872.00"}
    assert data["rows"][36]["gain_next_hour"] is None
    assert [r["kind"] for r in data["regions"]] == ["low", "high", "plateau"]


def test_cli_no_plateau_is_null_and_text_output() -> None:
    result = runner.invoke(app, ["scenario", "--month", "2024-03", "--hourly", "400", "--json"])
    assert json.loads(result.stdout)["plateau_from_hours"] is None
    text = runner.invoke(app, ["scenario", "--month", "2024-03", "--hourly", "200", "--ceiling", "32067"])
    assert text.exit_code == 0
    assert "30.872,00 kr." in text.stdout and "Fra 21 til 37 timer" in text.stdout


@pytest.mark.parametrize(("month", "hourly", "plateau"), [
    ("2018-06", "114", 1),       # flex-job.dk: "ca. 114 kr. i timen … kan du ikke forbedre din samlede indkomst"
    ("2018-06", "116.08", 1),    # the exact edge (hand computation above)
    ("2018-06", "116.09", 2),
    ("2024-03", "200", 21),
    ("2024-03", "400", None),    # a high hourly wage: no plateau up to 37 hours
])
def test_published_rule_of_thumb_through_the_cli_json(month: str, hourly: str, plateau: int | None) -> None:
    result = runner.invoke(app, ["scenario", "--month", month, "--hourly", hourly, "--json"])
    data = json.loads(result.stdout)
    assert data["plateau_from_hours"] == plateau
    if plateau == 1:
        assert {row["gain_next_hour"] for row in data["rows"][:-1]} == {"0.00"}


@pytest.mark.parametrize(("args", "field"), [
    (["--hourly", "-200"], "hourly"),
    (["--hourly", "tohundrede"], "hourly"),
    (["--hourly", "200.001"], "hourly"),
    (["--hourly", "0"], "hourly"),
    (["--hourly", "20000"], "hourly"),
    ([], "hourly"),
    (["--hourly", "200", "--full-time-wage", "30000"], "hourly"),
    (["--hourly", "200", "--ceiling", "-1"], "ceiling"),
    (["--full-time-wage", "nan"], "full_time_wage"),
])
def test_cli_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    result = runner.invoke(app, ["scenario", "--month", "2024-03", *args])
    assert result.exit_code == 2
    assert f"error: {field}:" in result.stderr and f"fejl: {field}:" in result.stderr


@pytest.mark.parametrize("month", ["2013-12", "2028-01", "2024-13"])
def test_cli_month_outside_the_rates_exits_2(month: str) -> None:
    result = runner.invoke(app, ["scenario", "--month", month, "--hourly", "200"])
    assert result.exit_code == 2 and "error: month:" in result.stderr


# ---------------------------------------------------------------- properties

hourly_wages = st.integers(50_00, 600_00).map(lambda ore: D(ore) / 100)
ceilings = st.one_of(st.none(), st.integers(5_000, 120_000).map(D))


@given(benefit_months(), hourly_wages, ceilings)
def test_rows_are_the_monthly_calculation_and_regions_are_ordered(month: Month, hourly: Decimal,
                                                                  ceiling: Decimal | None) -> None:
    s = hour_scenario(month, Job(hourly=hourly), ceiling)
    assert [row.hours for row in s.rows] == list(range(1, 38))
    for row in s.rows:
        wage = (hourly * row.hours * 52 / 12).quantize(D("0.01"))
        assert row.wage == wage
        direct = calculate_month(MonthInput(month, wage, s.ceiling))
        assert (row.subsidy, row.atp_own, row.payout) == (direct.subsidy, direct.atp_own, direct.payout)
        assert row.total == wage + direct.subsidy
    # every hour in exactly one region; regions in the order low → high → plateau → no subsidy
    covered = [h for region in s.regions for h in range(region.from_hours, region.to_hours + 1)]
    assert covered == list(range(1, 38))
    kinds = [ORDER[region.kind] for region in s.regions]
    assert kinds == sorted(kinds) and len(set(kinds)) == len(kinds)
    # total income never falls with more hours; the gains telescope
    for row, following in zip(s.rows, s.rows[1:], strict=False):
        assert row.gain_next_hour == following.total - row.total
        assert row.gain_next_hour is not None and row.gain_next_hour >= 0
    # on the plateau total income is the ceiling and one more hour adds nothing
    for row in s.rows:
        if row.region == "plateau":
            assert row.total == s.ceiling
            if row.hours < 37 and s.row(row.hours + 1).region == "plateau":
                assert row.gain_next_hour == 0
        elif row.gain_next_hour is not None and s.row(row.hours + 1).region != "plateau":
            assert row.gain_next_hour > 0


@given(benefit_months(), hourly_wages)
def test_default_ceiling_is_the_37_hour_wage(month: Month, hourly: Decimal) -> None:
    s = hour_scenario(month, Job(hourly=hourly))
    assert s.ceiling == s.row(37).wage == (hourly * 37 * 52 / 12).quantize(D("0.01"))
    assert s.row(37).subsidy == 0
