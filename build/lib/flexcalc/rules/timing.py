"""Timing: the subsidy is paid monthly in arrears, on the wage of the month before.

LAB § 123, stk. 1, 3. pkt.: the municipality pays the subsidy "månedsvis bagud".
Ankestyrelsen PM 48-22: the reduction for wage therefore falls in the following month.
The basis month of a wage report is the month of its payment date (docs/decisions.md, "Basis month").
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from flexcalc.period import Month
from flexcalc.provisions import base

PROVISION = base("timing")


@lru_cache(maxsize=1024)
def basis_month_of(benefit_month: Month) -> Month:
    """The month whose wage decides the subsidy of ``benefit_month``: the month before."""
    return benefit_month.previous()


def benefit_month_of(basis_month: Month) -> Month:
    """The benefit month a basis month's wage is deducted in: the month after."""
    return basis_month.next()


def basis_month_of_payment(payment_date: dt.date) -> Month:
    """A wage belongs to the month of its payment date (A-income is periodised by payment)."""
    return Month.of(payment_date)
