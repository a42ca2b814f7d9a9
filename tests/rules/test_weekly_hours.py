"""``flexcalc.rules.weekly_hours``: a weekly amount as a monthly one, × 52 / 12, to whole øre (STAR's
calculator: 200 kr./h × 18 h × 52/12 = 15.600)."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.rules import weekly_hours

D = Decimal


def test_stars_example() -> None:
    assert weekly_hours.monthly_wage_for_hours(D("200"), D("18")) == D("15600.00")


def test_the_full_time_estimate() -> None:
    # 200 × 37 × 52 / 12 = 384.800 / 12 = 32.066,666… → 32.066,67
    assert weekly_hours.simple_full_time_estimate(D("200")) == D("32066.67")


def test_monthly_from_weekly_rounds_to_ore() -> None:
    # 100,01 × 52 / 12 = 5.200,52 / 12 = 433,376… → 433,38
    assert weekly_hours.monthly_from_weekly(D("100.01")) == D("433.38")
