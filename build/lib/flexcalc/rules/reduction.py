"""The reduction of the subsidy for wage income.

LAB § 123, stk. 1: the subsidy starts from 98 % of the highest unemployment benefit (M).
LAB § 123, stk. 2: it is reduced by 30 % of the wage income up to the threshold T and by 55 % of
the wage income above T ("Herefter nedsættes fleksløntilskuddet med 55 pct. af den lønindtægt, der
overstiger [T] kr. pr. måned før skat"). The subsidy is never negative.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import ZERO, round_ore
from flexcalc.params import Rates
from flexcalc.provisions import base

PROVISION_MAX = base("max_subsidy")
PROVISION_LOW = base("reduction_low")
PROVISION_HIGH = base("reduction_high")


def reduction_for_wage(wage_income: Decimal, rates: Rates) -> tuple[Decimal, Decimal]:
    """The two parts of the reduction, exact: (30 % of min(W, T), 55 % of max(0, W − T))."""
    threshold = rates.threshold
    if wage_income <= threshold:
        return rates.reduction_rate_low * wage_income, ZERO
    return rates.reduction_rate_low * threshold, rates.reduction_rate_high * (wage_income - threshold)


def reduction_at_threshold(wage_income: Decimal, threshold: Decimal, rates: Rates) -> tuple[Decimal, Decimal]:
    """The two parts of the reduction with a threshold other than the month's T (a part month, or a
    month shared with sickness pay: the threshold for that share of the month). Exact."""
    if wage_income <= threshold:
        return rates.reduction_rate_low * wage_income, ZERO
    return rates.reduction_rate_low * threshold, rates.reduction_rate_high * (wage_income - threshold)


def subsidy_after_reduction(max_subsidy: Decimal, reduction: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """M − reduction, not below zero, rounded once to øre half up.

    Returns (subsidy, floor_adjustment, rounding_adjustment) so the trace can show both adjustments.
    """
    exact = max_subsidy - reduction
    floor_adjustment = -exact if exact < 0 else ZERO
    floored = exact + floor_adjustment
    rounded = round_ore(floored)
    return rounded, floor_adjustment, rounded - floored
