"""``flexcalc.rules.state_atp``: the state's ATP on the subsidy by paid hours (BEK 1344/2015 § 3)."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import ZERO
from flexcalc.rules import state_atp

D = Decimal


def test_state_atp_rule() -> None:
    assert state_atp.full_time_hours_month(D(37)) == D("160.33")
    amount, hours, full = state_atp.state_atp(D("160.33"), hourly=D("1.18"), full_monthly=D("284"),
                                              min_paid_hours=D(39), full_time_hours=D("160.33"), share=D(1))
    assert (amount, hours, full) == (ZERO, ZERO, False)
    amount, _, full = state_atp.state_atp(D("38.99"), hourly=D("1.18"), full_monthly=D("284"),
                                          min_paid_hours=D(39), full_time_hours=D("160.33"), share=D(1))
    assert amount == D("284") and full
