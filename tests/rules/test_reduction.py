"""``flexcalc.rules.reduction``: LAB § 123, stk. 2 — 30 % of the wage income up to the threshold T,
55 % above it; the subsidy M − reduction, never below 0, rounded once to øre.

Hand-computed with the rates of benefit month 2024-03 (M 19.952, T 16.323; verified in the rates table)."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.law.params import rates_for
from flexcalc.period import Month
from flexcalc.rules import reduction

D = Decimal
RATES = rates_for(Month(2024, 3))


def test_the_rates_the_cases_are_computed_with() -> None:
    assert (RATES.max_subsidy, RATES.threshold) == (D("19952"), D("16323"))


def test_below_the_threshold_30_percent() -> None:
    # STAR's example: 200 kr./h × 18 h × 52/12 = 15.600; 0,30 × 15.600 = 4.680; 19.952 − 4.680 = 15.272
    assert reduction.reduction_for_wage(D("15600"), RATES) == (D("4680.00"), D("0"))
    assert reduction.subsidy_after_reduction(D("19952"), D("4680.00"))[0] == D("15272.00")


def test_above_the_threshold_55_percent_of_the_part_above() -> None:
    # 0,30 × 16.323 = 4.896,90; 0,55 × (20.000 − 16.323) = 0,55 × 3.677 = 2.022,35
    low, high = reduction.reduction_for_wage(D("20000"), RATES)
    assert (low, high) == (D("4896.90"), D("2022.35"))
    assert reduction.subsidy_after_reduction(D("19952"), low + high) == (D("13032.75"), D("0"), D("0"))


def test_the_subsidy_is_never_negative() -> None:
    # W = 50.000: 4.896,90 + 0,55 × 33.677 (18.522,35) = 23.419,25 > 19.952 → −3.467,25 lifted to 0
    low, high = reduction.reduction_for_wage(D("50000"), RATES)
    assert low + high == D("23419.25")
    assert reduction.subsidy_after_reduction(D("19952"), low + high) == (D("0"), D("3467.25"), D("0"))


def test_rounded_once_to_ore_half_up() -> None:
    # 0,30 × 10.000,01 = 3.000,003; 19.952 − 3.000,003 = 16.951,997 → 16.952,00 (+0,003)
    low, _ = reduction.reduction_for_wage(D("10000.01"), RATES)
    assert low == D("3000.003")
    assert reduction.subsidy_after_reduction(D("19952"), low) == (D("16952.00"), D("0"), D("0.003"))


def test_a_threshold_for_part_of_the_month() -> None:
    # half the month's T: 8.161,50; 0,30 × 8.161,50 = 2.448,45; 0,55 × (10.000 − 8.161,50) = 1.011,175
    assert reduction.reduction_at_threshold(D("10000"), D("8161.50"), RATES) == (D("2448.450"), D("1011.175"))
