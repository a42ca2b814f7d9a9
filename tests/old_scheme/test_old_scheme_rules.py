"""The old scheme's subsidy (LAB § 133), hand-computed: below and above the caps, the hourly cap, sickness."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.errors import InputError, NoRatesError
from flexcalc.old_scheme import (
    OldSchemeInput,
    SubsidyFraction,
    calculate_old_scheme,
    parse_fraction,
    scheme_after_job_change,
    state_refund_rate,
)
from flexcalc.old_scheme.inputs import old_scheme_input
from flexcalc.period import Month
from flexcalc.trace import total_of

D = Decimal
HALF, TWO_THIRDS = SubsidyFraction.HALF, SubsidyFraction.TWO_THIRDS


def test_below_the_cap_two_thirds_of_wage_and_contributions() -> None:
    # 2024: cap 4 × 147.047 = 588.188 a year, 49.015,67 a month; basis 30.000 + 2.700 = 32.700; ⅔ = 21.800,00.
    result = calculate_old_scheme(OldSchemeInput(Month(2024, 3), D("30000"), TWO_THIRDS, D("2700")))
    assert (result.basis, result.cap, result.capped_basis, result.subsidy) == (
        D("32700"), D("49015.67"), D("32700"), D("21800.00"))
    assert result.rates.kind == "computed"


def test_above_the_annual_cap_2019_level_of_the_law() -> None:
    # 527.091 / 12 = 43.924,25; ½ of it = 21.962,125 → 21.962,13 (half up).
    result = calculate_old_scheme(OldSchemeInput(Month(2019, 6), D("50000"), HALF, D("5000")))
    assert (result.basis, result.cap, result.subsidy) == (D("55000"), D("43924.25"), D("21962.13"))
    assert result.rates.entries["old_scheme_annual_cap"].status == "published"


def test_the_hourly_cap_binds_when_hours_are_given() -> None:
    # 2024 hourly cap 273,93 × 588.188 / 527.091 = 305,68; × 120 hours = 36.681,60 < 49.015,67; ½ = 18.340,80.
    result = calculate_old_scheme(OldSchemeInput(Month(2024, 3), D("40000"), HALF, hours=D("120")))
    assert (result.cap, result.subsidy) == (D("36681.60"), D("18340.80"))
    cap_step = next(s for s in result.trace if s.key == "cap")
    assert str(cap_step.provision) == "LAB § 133, stk. 3, 3. pkt."


def test_sickness_refund_reduces_per_day_capped_by_the_days_share() -> None:
    # ⅔ × 32.700 = 21.800; 5 days of 21,6667: 21.800 × 5 / 21,6667 = 5.030,76. A refund of 4.735 is below it.
    low = calculate_old_scheme(OldSchemeInput(Month(2024, 3), D("30000"), TWO_THIRDS, D("2700"),
                                              sick_refund_days=5, sick_refund_amount=D("4735")))
    assert (low.sickness_reduction, low.subsidy) == (D("4735"), D("17065.00"))
    high = calculate_old_scheme(OldSchemeInput(Month(2024, 3), D("30000"), TWO_THIRDS, D("2700"),
                                               sick_refund_days=5, sick_refund_amount=D("6000")))
    assert (high.sickness_reduction, high.subsidy) == (D("5030.76"), D("16769.24"))
    assert total_of(high.trace, "subsidy") == high.subsidy
    assert str(next(s for s in high.trace if s.key == "sickness_reduction").provision) == "LAB § 133, stk. 4"


def test_two_thirds_rounds_once_to_ore() -> None:
    result = calculate_old_scheme(OldSchemeInput(Month(2024, 1), D("100.00"), TWO_THIRDS))
    assert result.subsidy == D("66.67")


@pytest.mark.parametrize("text", ["3/4", "0.5", "", "2/3 "])
def test_fraction_is_half_or_two_thirds(text: str) -> None:
    if text.strip() == "2/3":
        assert parse_fraction(text) is TWO_THIRDS
        return
    with pytest.raises(InputError) as error:
        parse_fraction(text)
    assert error.value.field == "fraction" and "tilskudsbrøk" in error.value.reason_da


def test_refund_days_and_amount_go_together_and_a_month_without_rates_is_an_error() -> None:
    with pytest.raises(InputError) as error:
        old_scheme_input(month="2024-03", agreement_wage="1000", fraction="1/2", sick_refund_days="3")
    assert error.value.field == "sick_refund_amount"
    with pytest.raises(InputError) as error:
        old_scheme_input(month="2024-03", agreement_wage="1000", fraction="1/2", sick_refund_amount="300")
    assert error.value.field == "sick_refund_days"
    with pytest.raises(NoRatesError):
        calculate_old_scheme(OldSchemeInput(Month(2030, 1), D("1000"), HALF))


def test_the_state_refund_is_a_fixed_65_percent() -> None:
    assert state_refund_rate(Month(2019, 1)) == state_refund_rate(Month(2026, 12)) == D("0.65")


def test_job_change_new_employer_is_a_new_fleksjob_under_the_new_scheme() -> None:
    assert scheme_after_job_change(new_employer=True, new_tasks_and_terms=False).scheme == "new_2013"
    assert scheme_after_job_change(new_employer=False, new_tasks_and_terms=False).scheme == "old"
    merged = scheme_after_job_change(new_employer=True, new_tasks_and_terms=False, same_tasks_moved=True)
    assert merged.scheme == "old" and not merged.new_fleksjob
    assert scheme_after_job_change(new_employer=False, new_tasks_and_terms=False,
                                   dismissed_and_rehired=True).scheme == "new_2013"


@given(wage=st.decimals(min_value=0, max_value=200000, places=2),
       contributions=st.decimals(min_value=0, max_value=20000, places=2),
       fraction=st.sampled_from(list(SubsidyFraction)),
       year=st.integers(min_value=2018, max_value=2027))
def test_subsidy_never_exceeds_the_fraction_of_the_cap_and_rises_with_the_wage(
        wage: Decimal, contributions: Decimal, fraction: SubsidyFraction, year: int) -> None:
    month = Month(year, 6)
    result = calculate_old_scheme(OldSchemeInput(month, wage, fraction, contributions))
    assert D(0) <= result.subsidy <= result.cap * fraction.numerator / fraction.denominator + D("0.005")
    more = calculate_old_scheme(OldSchemeInput(month, wage + 100, fraction, contributions))
    assert more.subsidy >= result.subsidy
