"""The monthly calculation: official examples, hand-checked cases and properties (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixtures import load_yaml
from flexcalc.law.params import rates_for
from flexcalc.money import ZERO, round_krone
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month
from flexcalc.trace import total_of
from tests.support.strategies import amounts, benefit_months, whole_kroner

D = Decimal
EXAMPLES = {example["id"]: example for example in load_yaml("official_examples.yaml")}


def calc(month: str, wage: str, ceiling: str, **kwargs: str) -> object:
    extra = {k: D(v) for k, v in kwargs.items()}
    return calculate_month(MonthInput(Month.parse(month), D(wage), D(ceiling), **extra))


def test_star_2024_official_example() -> None:
    example = EXAMPLES["star-calculator-2024"]
    r = calc(example["benefit_month"], example["input"]["wage"], example["input"]["ceiling"])
    expected = example["expected"]
    assert r.max_subsidy == D(expected["max_subsidy"])
    assert r.threshold == D(expected["threshold"])
    assert r.reduction == D(expected["reduction"])
    assert r.subsidy == D(expected["subsidy"])
    assert r.wage_income + r.subsidy == D(expected["total_income_incl_pension_and_atp"])
    assert r.atp_own == D("500")  # 5 % of 15.272 = 763,60, capped at 500
    assert r.payout == D("14772.00")


def test_billund_2014_official_example() -> None:
    example = EXAMPLES["billund-2014-step1"]
    r = calc(example["benefit_month"], example["input"]["wage"], example["input"]["ceiling"])
    expected, engine = example["expected"], example["engine"]
    assert r.max_subsidy == D(expected["max_subsidy"])
    # The source rounds each part to whole kroner; our exact parts round to its figures.
    assert round_krone(r.reduction_low) == D(expected["reduction_low_whole_kroner"])
    assert round_krone(r.reduction_high) == D(expected["reduction_high_whole_kroner"])
    assert r.max_subsidy - round_krone(r.reduction_low) - round_krone(r.reduction_high) == D(
        expected["subsidy_before_ceiling_whole_kroner"])
    assert r.reduction_low == D(engine["reduction_low"])
    assert r.reduction_high == D(engine["reduction_high"])
    assert r.subsidy_before_ceiling == D(engine["subsidy_before_ceiling"])
    assert r.subsidy == D(engine["subsidy"])
    assert r.ceiling_binds


def test_kk_2020_example_ceiling_binds() -> None:
    example = EXAMPLES["kk-2020-ceiling-binds"]
    r = calc(example["benefit_month"], example["input"]["wage"], example["input"]["ceiling"])
    assert r.max_subsidy == D(example["expected"]["max_subsidy"])
    assert r.reduction_low == D(example["expected"]["reduction_low"])
    assert r.reduction_high == D(example["expected"]["reduction_high"])
    assert r.subsidy_before_ceiling == D(example["engine"]["subsidy_before_ceiling"])
    assert r.subsidy == D(example["engine"]["subsidy"])


def test_hand_checked_2024_30_hours_ceiling_binds() -> None:
    # 200 kr./h × 30 h × 52/12 = 26.000; 0,30 × 16.323 = 4.896,90; 0,55 × 9.677 = 5.322,35;
    # 19.952 − 10.219,25 = 9.732,75; ceiling 32.066,67 − 26.000 = 6.066,67 binds.
    r = calc("2024-05", "26000", "32066.67")
    assert r.reduction_low == D("4896.90")
    assert r.reduction_high == D("5322.35")
    assert r.subsidy_before_ceiling == D("9732.75")
    assert r.subsidy == D("6066.67")
    assert r.ceiling_cut == D("3666.08")
    assert r.atp_own == D("303")  # 5 % of 6.066,67 = 303,33 → 303
    assert r.payout == D("5763.67")


def test_subsidy_reaches_zero_at_the_published_point() -> None:
    # W* = T + (M − 0,3·T)/0,55 = 16.323 + 15.055,10/0,55 = 43.695,909… (2024)
    assert calc("2024-05", "43695.90", "100000").subsidy == D("0.01")  # 0,005 rounds up
    assert calc("2024-05", "43695.91", "100000").subsidy == ZERO
    r = calc("2024-05", "60000", "100000")
    assert r.subsidy == ZERO
    assert any(step.key == "floor_at_zero" for step in r.steps)


def test_rounding_step_appears_when_wage_has_ore() -> None:
    r = calc("2024-05", "20000.01", "100000")
    # 0,30 × 16.323 = 4.896,90; 0,55 × 3.677,01 = 2.022,3555; 19.952 − 6.919,2555 = 13.032,7445
    assert r.subsidy == D("13032.74")
    rounding = [s for s in r.steps if s.key == "rounding"]
    assert len(rounding) == 1 and rounding[0].effect == D("-0.0045")


def test_ceiling_below_the_wage_gives_zero_and_the_trace_says_why() -> None:
    r = calc("2024-05", "15000", "10000")
    assert r.subsidy == ZERO and r.payout == ZERO and r.atp_own == ZERO
    ceiling_step = next(s for s in r.steps if s.key == "ceiling")
    assert ceiling_step.inputs["room"] == D("-5000.00")
    assert ceiling_step.effect == -r.subsidy_before_ceiling


def test_other_wage_and_income_count_in_wage_income() -> None:
    both = calc("2024-05", "10000", "50000", other_wage="3000", other_income="1000")
    single = calc("2024-05", "14000", "50000")
    assert both.wage_income == D("14000")
    assert both.subsidy == single.subsidy


def test_rates_are_those_of_the_benefit_month_and_wage_is_the_basis_months() -> None:
    january = calc("2025-01", "15000", "40000")  # wage earned in December 2024, 2025 rates
    assert january.basis_month == Month(2024, 12)
    assert january.max_subsidy == D("20670")
    assert january.subsidy == D("20670") - D("0.30") * D("15000")
    timing = january.steps[0]
    assert timing.key == "timing" and timing.inputs == {"benefit_month": Month(2025, 1),
                                                        "basis_month": Month(2024, 12)}


# ---------------------------------------------------------------- properties

@given(benefit_months(), amounts(0, 70_000), amounts(0, 90_000), amounts(0, 5_000))
def test_subsidy_bounds_and_the_ceiling(month: Month, wage: Decimal, ceiling: Decimal, other: Decimal) -> None:
    r = calculate_month(MonthInput(month, wage, ceiling, other_wage=other))
    assert ZERO <= r.subsidy <= r.max_subsidy
    if r.subsidy > 0:
        assert r.wage_income + r.subsidy <= ceiling
    assert r.subsidy == r.subsidy.quantize(D("0.01"))
    assert ZERO <= r.atp_own <= D("500")
    assert r.atp_own == r.atp_own.to_integral_value()
    if r.atp_own < 500:
        assert abs(r.atp_own - D("0.05") * r.subsidy) <= D("0.5")
    assert r.payout == r.subsidy - r.atp_own


@given(benefit_months(), amounts(0, 60_000), amounts(0, 90_000), st.integers(1, 500_000))
def test_total_income_never_falls_when_the_wage_rises(month: Month, wage: Decimal, ceiling: Decimal,
                                                      rise_ore: int) -> None:
    higher = wage + D(rise_ore) / 100
    low = calculate_month(MonthInput(month, wage, ceiling))
    high = calculate_month(MonthInput(month, higher, ceiling))
    assert high.wage_income + high.subsidy >= low.wage_income + low.subsidy
    if wage > 0:  # from 0 the subsidy opens: no fleksjob wage, no subsidy
        assert high.subsidy <= low.subsidy


@given(benefit_months(), st.data())
def test_the_subsidy_falls_by_exactly_30_or_55_ore_per_krone(month: Month, data: st.DataObject) -> None:
    rates = rates_for(month)
    t = int(rates.threshold)
    big = D(1_000_000)
    # below T: whole kroner, both within [0, T]
    w1 = data.draw(whole_kroner(1, t - 1))  # a wage of 0 pays nothing (no fleksjob wage)
    w2 = data.draw(whole_kroner(int(w1) + 1, t))
    r1 = calculate_month(MonthInput(month, w1, big))
    r2 = calculate_month(MonthInput(month, w2, big))
    assert r1.subsidy - r2.subsidy == D("0.30") * (w2 - w1)
    # above T until the subsidy reaches zero
    zero_point = int(rates.threshold + (rates.max_subsidy - D("0.3") * rates.threshold) / D("0.55"))
    w3 = data.draw(whole_kroner(t, zero_point - 1))
    w4 = data.draw(whole_kroner(int(w3) + 1, zero_point))
    r3 = calculate_month(MonthInput(month, w3, big))
    r4 = calculate_month(MonthInput(month, w4, big))
    assert r3.subsidy - r4.subsidy == D("0.55") * (w4 - w3)


@given(benefit_months())
def test_the_subsidy_is_continuous_at_the_threshold(month: Month) -> None:
    t = rates_for(month).threshold
    big = D(1_000_000)
    at = calculate_month(MonthInput(month, t, big)).subsidy
    below = calculate_month(MonthInput(month, t - D("0.01"), big)).subsidy
    above = calculate_month(MonthInput(month, t + D("0.01"), big)).subsidy
    assert at == rates_for(month).max_subsidy - D("0.30") * t
    assert D(0) <= below - at <= D("0.01")
    assert D(0) <= at - above <= D("0.01")


@given(benefit_months(), amounts(0, 70_000), amounts(0, 90_000), amounts(0, 5_000), amounts(0, 5_000))
def test_the_trace_adds_up(month: Month, wage: Decimal, ceiling: Decimal, other: Decimal, income: Decimal) -> None:
    r = calculate_month(MonthInput(month, wage, ceiling, other_wage=other, other_income=income))
    assert total_of(r.steps, "subsidy") == r.subsidy
    assert total_of(r.steps, "payout") == r.payout
    keys = [s.key for s in r.steps]
    assert keys[:5] == ["timing", "wage_income", "max_subsidy", "reduction_low", "reduction_high"]
    assert keys[-3:] == ["subsidy", "atp_own", "payout"]
    for step in r.steps:
        assert step.provision and step.label
        assert "LAB" in step.provision or "BEK" in step.provision or "afrunding" in step.provision


@pytest.mark.parametrize("month", ["2014-01", "2019-06", "2026-12"])
def test_json_shape(month: str) -> None:
    data = calc(month, "12345.67", "30000").to_dict()
    for key in ("max_subsidy", "threshold", "reduction", "subsidy_before_ceiling", "subsidy", "atp_own",
                "payout", "steps"):
        assert key in data
    assert isinstance(data["subsidy"], str) and data["subsidy"].count(".") == 1
    assert len(data["subsidy"].split(".")[1]) == 2
