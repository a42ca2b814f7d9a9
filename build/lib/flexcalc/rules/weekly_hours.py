"""Weekly hours and amounts as monthly amounts: × 52 / 12, rounded once to whole øre, half up.

The convention of STAR's calculator ("37 timer * 200 kr. pr. time * 52 uger / 12 mdr."), used for the
monthly wage of an hour count and for the simple ceiling estimate 37 × hourly × 52/12. One place for
both the hour scenarios (flexcalc/scenarios.py) and the employer's ceiling check (flexcalc/normal_wage.py).
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import round_ore

WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)
FULL_TIME_HOURS = Decimal(37)
"""The full-time week STAR's calculator assumes for the ceiling estimate."""

SOURCE = "STAR, 'Beregn din indtægt i et fleksjob' (37 timer × timeløn × 52 uger / 12 mdr.)"


def monthly_from_weekly(amount_per_week: Decimal) -> Decimal:
    """A weekly amount as a monthly amount: × 52 / 12, rounded to whole øre half up.

    Exact: ``amount × 52`` is exact, and a quotient by 12 that ends exactly on half an øre has at most
    three decimals, so Decimal division meets every tie exactly."""
    return round_ore(amount_per_week * WEEKS_PER_YEAR / MONTHS_PER_YEAR)


def monthly_wage_for_hours(hourly_wage: Decimal, hours_per_week: Decimal) -> Decimal:
    """Hourly wage × weekly hours × 52/12 (STAR: 200 × 18 × 52/12 = 15.600)."""
    return monthly_from_weekly(hourly_wage * hours_per_week)


def simple_full_time_estimate(hourly_wage: Decimal) -> Decimal:
    """STAR's estimate of the ceiling: 37 × hourly × 52/12 (200 kr./h → 32.066,67, shown as 32.067)."""
    return monthly_wage_for_hours(hourly_wage, FULL_TIME_HOURS)
