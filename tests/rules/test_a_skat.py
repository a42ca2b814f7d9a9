"""A-skat on the payout (kildeskatteloven §§ 43, 46, 48; SKAT's rounding method 2): hand-computed values and
properties (the net and the tax add up to the A-income, the tax is whole kroner, never above the rate's share)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from flexcalc.rules.a_skat import TaxCard, a_income_of, withhold_a_skat

D = Decimal
MAIN = TaxCard("hovedkort", D("0.37"), D("4525"))


def test_hand_computed_cards() -> None:
    assert a_income_of(D("15272.00"), D("500")) == D("14772.00")
    main = withhold_a_skat(D("14772.00"), MAIN)
    assert (main.taxed, main.a_skat, main.net) == (D("10247.00"), D("3791"), D("10981.00"))  # 3.791,39 → 3.791
    half = withhold_a_skat(D("4526.35"), TaxCard("hovedkort", D("0.37"), D("4525")))  # 1,35 × 0,37 = 0,4995 → 0
    assert half.a_skat == 0
    up = withhold_a_skat(D("4526.36"), TaxCard("hovedkort", D("0.37"), D("4525")))  # 1,36 × 0,37 = 0,5032 → 1
    assert up.a_skat == 1
    assert withhold_a_skat(D("3000"), MAIN).a_skat == 0  # below the deduction: no tax
    second = withhold_a_skat(D("12532.75"), TaxCard("bikort", D("0.40")))
    assert (second.a_skat, second.net) == (D("5013"), D("7519.75"))  # 5.013,10 → 5.013
    free = TaxCard("frikort", D("0.37"), free_amount=D("20000"))
    first = withhold_a_skat(D("14772.00"), free)
    assert (first.a_skat, first.free_used) == (D("0"), D("14772.00"))
    later = withhold_a_skat(D("12532.75"), free, first.free_used)
    assert (later.free_used, later.taxed, later.a_skat) == (D("5228.00"), D("7304.75"), D("2703"))  # 2.702,7575
    assert withhold_a_skat(D("0"), MAIN).a_skat == 0


amounts = st.decimals(min_value=0, max_value=100000, places=2)
rates = st.integers(min_value=0, max_value=6000).map(lambda r: D(r) / 10000)


@given(amounts, rates, amounts, st.sampled_from(["hovedkort", "bikort", "frikort"]), amounts)
def test_the_net_and_the_tax_add_up(income: Decimal, rate: Decimal, deduction: Decimal, kind: str,
                                    used: Decimal) -> None:
    card = TaxCard(kind, rate, deduction if kind == "hovedkort" else D(0), D("20000") if kind == "frikort" else D(0))
    held = withhold_a_skat(income, card, used)
    assert held.net + held.a_skat == income
    assert held.a_skat == held.a_skat.to_integral_value() and held.a_skat >= 0
    assert abs(held.a_skat - held.taxed * rate) <= D("0.5")
    assert held.taxed <= income
