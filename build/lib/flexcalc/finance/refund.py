"""The refund of one month's subsidy, as finance staff ask for it (CLI ``flexcalc refund``, API
``GET /v1/finance/refund``): the cohort (§ 30), the steps and refund (§ 5), the særligt fleksbidrag
(§ 7, when the wage is given) and the OP contribution paid on top."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flexcalc.errors import InputError, NoRatesError
from flexcalc.money import amount_str
from flexcalc.params import rates_for
from flexcalc.period import Month
from flexcalc.rules.atp import own_atp_share

from .cohort import cohort_of
from .contributions import OP_PROVISION, op_contribution, state_refund_of
from .fleksbidrag import Fleksbidrag, fleksbidrag
from .ladder import RefundResult, check_subsidy, check_weeks_before, refund_for_period, refund_outside_ladder


def refund_month(month: Month, subsidy: Decimal, weeks_before: object, *, visitation_date: dt.date | None = None,
                 job_start: dt.date | None = None, wage: Decimal | None = None,
                 weeks_field: str = "weeks_before") -> tuple[RefundResult, Fleksbidrag | None, Decimal | None]:
    """(refund, særligt fleksbidrag or None, OP) of ``subsidy`` paid for benefit ``month``."""
    weeks = check_weeks_before(weeks_before, weeks_field)
    check_subsidy(subsidy)
    if wage is not None and wage < 0:
        raise InputError("wage", "must not be negative", "må ikke være negativ", code="negative")
    cohort = cohort_of(visitation_date, job_start, month.last_day())
    if cohort.on_ladder:
        result = refund_for_period(month, subsidy, weeks)
        result.cohort_note = cohort.reason_en
    else:
        result = refund_outside_ladder(month, subsidy, cohort.reason_en)
    bidrag = fleksbidrag(result, wage) if wage is not None and cohort.on_ladder else None
    try:  # the own ATP (LAB § 137) needs the month's rates; without them the OP is not known
        op: Decimal | None = op_contribution(month, subsidy, own_atp_share(subsidy, rates_for(month)))
    except NoRatesError:
        op = None
    return result, bidrag, op


def refund_month_dict(month: Month, subsidy: Decimal, weeks_before: object, **kwargs: Any) -> dict[str, Any]:
    result, bidrag, op = refund_month(month, subsidy, weeks_before, **kwargs)
    data = result.to_dict()
    data["op"] = None if op is None else {
        "op": amount_str(op), "state_refund": amount_str(state_refund_of(month, op)),
        "base": "subsidy less own ATP (LAB § 138 a stk. 2)", "provision": OP_PROVISION}
    data["fleksbidrag"] = bidrag.to_dict() if bidrag is not None else None
    return data
