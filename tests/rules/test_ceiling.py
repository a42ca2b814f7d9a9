"""``flexcalc.rules.ceiling``: LAB § 123, stk. 3 — wage income and subsidy together at most the ceiling."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.rules.ceiling import apply_ceiling

D = Decimal


def test_room_enough_nothing_is_cut() -> None:
    # 32.067 − 15.600 = 16.467 of room ≥ 15.272
    assert apply_ceiling(D("15272.00"), D("32067"), D("15600")) == (D("15272.00"), D("0.00"), D("16467"))


def test_the_ceiling_cuts_the_subsidy_to_the_room() -> None:
    # 28.000 − 15.600 = 12.400 of room; 15.272 − 12.400 = 2.872 cut
    assert apply_ceiling(D("15272.00"), D("28000"), D("15600")) == (D("12400"), D("2872.00"), D("12400"))


def test_no_room_no_subsidy() -> None:
    # 15.000 − 15.600 = −600: the subsidy is 0, never negative
    assert apply_ceiling(D("15272.00"), D("15000"), D("15600")) == (D("0"), D("15272.00"), D("-600"))
