"""``flexcalc.rules.wage_income``: W — the fleksjob wage incl. pension, wage from any other employer and
other counted income, added exactly."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.rules.wage_income import wage_income

D = Decimal


def test_wage_income_adds_the_three_parts() -> None:
    assert wage_income(D("15600"), D("2000"), D("500.50")) == D("18100.50")
    assert wage_income(D("0"), D("0"), D("0")) == D("0")
