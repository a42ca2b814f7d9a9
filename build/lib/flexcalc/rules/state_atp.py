"""The municipality's additional ATP contribution for hours with subsidy (financed by the state).

LAB § 138, stk. 1–2: besides the person's own 5 % (§ 137) a contribution of two thirds of the ATP
contribution (ATP-loven § 15, stk. 1) is paid for each hour with subsidy; the hours are the difference
between 37 hours a week and the paid hours reported from the fleksjob to the income register.
Stk. 3: under 9 paid hours a week (39 a month for the monthly paid) the full ATP contribution is paid.
Stk. 4: when the subsidy is paid together with sickness or maternity pay, the hours of the last full
reporting period before the sickness are used. Stk. 5: the state finances it (100 % refund, BEK
1344/2015 § 3, stk. 4).
BEK 1344/2015 § 1, stk. 3: 1,18 kr. per hour; the full contribution 284 kr. a month; periods shorter
than a month pro rata by calendar days. § 3, stk. 1: rounded to the nearest whole krone.

Decided (docs/decisions.md, "State ATP"): 37 hours a week = 160,33 hours a month (37 × 52 / 12, the
ATP convention); the hours are those reported with the basis month's wage; the month's full-time
hours (rounded to 0,01 h), the 39-hour limit and the full contribution are taken for the share of
the month with subsidy (employed calendar days of the basis month, less the days on ledighedsydelse
in the benefit month, of 21,6667); no contribution when the subsidy is 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flexcalc.money import ZERO, round_krone
from flexcalc.provisions import base

PROVISION = base("atp_state")
HOURS_PER_MONTH_FACTOR = Decimal(52) / Decimal(12)
HUNDREDTH = Decimal("0.01")


def full_time_hours_month(hours_week: Decimal) -> Decimal:
    """37 h/week → 160,33 h/month (rounded to two decimals, the ATP convention)."""
    return (hours_week * HOURS_PER_MONTH_FACTOR).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def state_atp(paid_hours: Decimal, *, hourly: Decimal, full_monthly: Decimal, min_paid_hours: Decimal,
              full_time_hours: Decimal, share: Decimal) -> tuple[Decimal, Decimal, bool]:
    """(contribution, hours with subsidy, full contribution?) for ``paid_hours`` in the month.

    ``share`` is the share of the month with subsidy (1 for a whole month).
    """
    limit = min_paid_hours * share
    month_hours = (full_time_hours * share).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    if paid_hours < limit:
        return round_krone(full_monthly * share), month_hours, True
    hours = max(ZERO, month_hours - paid_hours)
    return round_krone(hours * hourly), hours, False
