"""The finance parameters: which files they are, and one lookup by name and day.

Uses the same files, format and loader as the subsidy rates (``flexcalc.params``); a day with no
value is ``NoRatesError`` (field ``month``), never a default.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexcalc.errors import NoRatesError, require
from flexcalc.params import ParameterValue, load_parameters

LADDER_NAMES = ("refund_rate_weeks_1_4", "refund_rate_weeks_5_26", "refund_rate_weeks_27_52", "refund_rate_week_53_on")
FINANCE_NAMES = (
    *LADDER_NAMES,
    "refund_rate_before_ladder",
    "fleksbidrag_share_of_max",
    "fleksbidrag_cap",
    "fleksbidrag_wage_reduction_rate",
    "op_rate",
    "state_refund_atp_op_rate",
)
"""Every parameter the finance package reads (the temporal-coverage test walks them all)."""


def entry(name: str, day: dt.date, field: str = "month") -> ParameterValue:
    """The entry of parameter ``name`` in force on ``day``; ``NoRatesError`` naming ``field`` if none."""
    try:
        return load_parameters()[name].entry_at(day)
    except NoRatesError:
        raise NoRatesError(f"{day.year:04d}-{day.month:02d}", name, field=field) from None


def value(name: str, day: dt.date, field: str = "month") -> Decimal:
    return require(entry(name, day, field).value, f"the value of {name} on {day}")
