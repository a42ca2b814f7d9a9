"""``flexcalc.rules.bonus``: a bonus spread over the months it covers, in whole øre that add up
(Ankestyrelsen PM 27-23)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from flexcalc.rules import bonus

D = Decimal


def test_bonus_shares_add_up_exactly() -> None:
    assert bonus.shares(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(bonus.shares(D("0.05"), 7)) == D("0.05")


@given(st.integers(1, 1_000_000).map(lambda ore: D(ore) / 100), st.integers(1, 24))
def test_bonus_shares_always_add_up(amount: Decimal, months: int) -> None:
    shares = bonus.shares(amount, months)
    assert sum(shares) == amount and max(shares) - min(shares) <= D("0.01")
