"""``flexcalc.rules.timing``: LAB § 123, stk. 1 — the subsidy of a benefit month is computed from the wage
of the month before (paid in arrears), and a wage belongs to the month of its payment date."""

from __future__ import annotations

import datetime as dt

from flexcalc.period import Month
from flexcalc.rules import timing


def test_the_basis_month_is_the_month_before() -> None:
    assert timing.basis_month_of(Month(2024, 12)) == Month(2024, 11)
    assert timing.basis_month_of(Month(2024, 1)) == Month(2023, 12)


def test_the_benefit_month_is_the_month_after() -> None:
    assert timing.benefit_month_of(Month(2023, 12)) == Month(2024, 1)


def test_a_wage_belongs_to_its_payment_month() -> None:
    assert timing.basis_month_of_payment(dt.date(2024, 2, 29)) == Month(2024, 2)
    assert timing.basis_month_of_payment(dt.date(2024, 3, 1)) == Month(2024, 3)
