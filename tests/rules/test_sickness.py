"""``flexcalc.rules.sickness``: the share of a month with wage when days are unpaid (21,6667 days a month,
BEK 227/2024 § 2, stk. 2), and the dagpenge deducted (BEK 227/2024 § 14, stk. 4; § 7, stk. 4)."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.rules import sickness

D = Decimal
DAYS = D("21.6667")


def test_wage_share() -> None:
    assert sickness.wage_share(0, DAYS) == 1
    assert sickness.wage_share(22, DAYS) == 0


def test_a_monthly_amount_for_part_of_the_month() -> None:
    # 5 unpaid days: 15.600 × 16,6667 / 21,6667 = 260.000,52 / 21,6667 = 12.000,0055… → 12.000,01
    assert sickness.scaled(D("15600"), sickness.wage_share(5, DAYS)) == D("12000.01")
    assert sickness.scaled(D("15600"), D(1)) == D("15600")


def test_the_dagpenge_deducted_are_at_least_those_the_person_was_entitled_to() -> None:
    assert sickness.deducted_benefit(D("1000"), None) == D("1000")
    assert sickness.deducted_benefit(D("1000"), D("1500")) == D("1500")
    assert sickness.deducted_benefit(D("1000"), D("800")) == D("1000")
