"""Money the municipality pays on top of the subsidy and the state refunds in full: the obligatory
pension contribution (OP) and the municipality's ATP for fleksjob. Neither changes the citizen's payout.

- OP: LAB § 138 a (https://elov.dk/lov-om-en-aktiv-beskaeftigelsesindsats/paragraf/138a/): since 2020 the
  municipality pays a contribution to the obligatory pension scheme for a person with fleksløntilskud, at the
  rate of § 138 b (0,3 % in 2020 rising 0,3 points a year to 3,3 % from 2030; borger.dk, "Obligatorisk
  Pension"), of the benefit after the deduction for work and the person's own ATP (§ 137) — the subsidy less
  the own ATP — rounded to whole kroner for a month (stk. 2); it is not deducted from the subsidy and the
  state pays it (stk. 3). Booked on 8.51.52 grouping 124, its refund on grouping 126 (STAR 8.51.52).
- Municipal ATP: LAB § 138 (computed by ``flexcalc.rules.state_atp``); the state refunds 100 %
  (BEK 1344/2015 § 3 stk. 4); booked on 8.51.52 grouping 117, its refund on grouping 097.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexcalc.errors import InputError
from flexcalc.money import ZERO, round_krone, round_ore
from flexcalc.params import load_parameters
from flexcalc.period import Month
from flexcalc.rules import state_atp as state_atp_rule

from . import rates

OP_PROVISION = "LAB §§ 138 a og 138 b (obligatorisk pension af fleksløntilskud)"
ATP_PROVISION = state_atp_rule.PROVISION
REFUND_PROVISION = "BEK 1344/2015 § 3, stk. 4; STAR 8.51.52 (100 pct. refusion)"


def op_contribution(month: Month, subsidy: Decimal, atp_own: Decimal) -> Decimal:
    """The OP contribution of benefit ``month``: the rate of the subsidy less the own ATP, in whole kroner
    (half up) (LAB § 138 a stk. 2)."""
    if subsidy < 0:
        raise InputError("subsidy", "must not be negative", "må ikke være negativ", code="negative")
    return round_krone((subsidy - atp_own) * rates.value("op_rate", month.first_day()))


def state_refund_of(month: Month, amount: Decimal) -> Decimal:
    """The state's refund of the municipality's ATP or OP (100 %, øre half up)."""
    return round_ore(amount * rates.value("state_refund_atp_op_rate", month.first_day()))


def municipal_atp(month: Month, subsidy: Decimal, paid_hours: Decimal, share: Decimal = Decimal(1)) -> Decimal:
    """The municipality's ATP for the month (LAB § 138) from the fleksjob's reported paid hours, by
    ``flexcalc.rules.state_atp``; none when there is no subsidy."""
    if subsidy <= 0:
        return ZERO
    day: dt.date = month.first_day()
    parameters = load_parameters()

    def value(name: str) -> Decimal:
        return parameters[name].value_at(day)

    amount, _hours, _full = state_atp_rule.state_atp(
        paid_hours, hourly=value("atp_state_hourly"), full_monthly=value("atp_state_full_monthly"),
        min_paid_hours=value("atp_state_min_paid_hours"),
        full_time_hours=state_atp_rule.full_time_hours_month(value("full_time_hours_week")), share=share)
    return amount
