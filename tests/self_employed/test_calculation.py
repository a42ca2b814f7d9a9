"""The self-employed subsidy (BEK 233/2024 § 8): hand-computed years, the monthly split, the settlement
and the rates as data."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.errors import InputError, NoRatesError
from flexcalc.self_employed import calculate_year, monthly_amounts, settle_year
from flexcalc.self_employed.parameters import BASIC_AMOUNT, self_employed_parameters
from flexcalc.trace import total_of


def test_a_year_below_the_end_of_the_subsidy_by_hand() -> None:
    # 2024: 156.956 − 30 % × 300.000 = 156.956 − 90.000 = 66.956; 66.956 / 12 = 5.579,666… → 5.579,67;
    # December 66.956 − 11 × 5.579,67 = 5.579,63.
    result = calculate_year(2024, D("300000"))
    assert result.basic_amount == D("156956")
    assert result.reduction == D("90000.00")
    assert result.annual == D("66956.00")
    assert result.monthly == D("5579.67")
    assert result.months[11] == D("5579.63")
    assert sum(result.months) == result.annual
    assert total_of(result.trace, "subsidy") == result.annual


def test_a_year_above_the_end_of_the_subsidy_gives_nothing() -> None:
    # 156.956 / 0,30 = 523.186,67: a profit of 600.000 reduces by 180.000 > 156.956.
    result = calculate_year(2024, D("600000"))
    assert result.ends_at_income == D("523186.67")
    assert result.annual == D("0.00")
    assert result.months == (D("0.00"),) * 12
    assert total_of(result.trace, "subsidy") == D("0")


def test_other_work_income_reduces_too_and_a_loss_counts_as_nothing() -> None:
    # 2023: 152.086 − 30 % × (200.000 + 50.000) = 77.086; 77.086 / 12 = 6.423,833… → 6.423,83, December 6.423,87.
    result = calculate_year(2023, D("200000"), D("50000"))
    assert (result.annual, result.monthly, result.months[11]) == (D("77086.00"), D("6423.83"), D("6423.87"))
    loss = calculate_year(2020, D("-40000"), D("10000"))  # BEK § 11, stk. 4: a loss counts as 0
    assert loss.counted_profit == D("0")
    assert loss.annual == D("143889") - D("3000")
    assert any(s.key == "negative_income" for s in loss.trace)


def test_the_2024_amount_is_the_orders_and_the_plain_regulation_is_kept_as_its_check() -> None:
    entry = self_employed_parameters()[BASIC_AMOUNT].entry_at(__import__("datetime").date(2024, 6, 1))
    assert entry.value == D("156956") and entry.status == "published"
    assert entry.computed == D("156953")  # 152.086 × 1,032 = 156.952,75: the municipalities' figure


def test_statuses_and_gaps() -> None:
    assert calculate_year(2026, D("0")).status == "computed"
    assert calculate_year(2026, D("0")).basic_amount == D("169923")
    assert calculate_year(2027, D("0")).status == "assumed"
    assert calculate_year(2021, D("0")).status == "assumed"
    for year in (2016, 2018, 2019, 2028):
        with pytest.raises(NoRatesError) as error:
            calculate_year(year, D("0"))
        assert str(year) in error.value.reason_en and error.value.field == "year"


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InputError) as error:
        calculate_year(2024, D("1"), D("-5"))
    assert error.value.field == "other_income"
    with pytest.raises(InputError) as error:
        calculate_year(2024, D("1.001"))
    assert error.value.field == "profit"


def test_settlement_under_and_overpayment_by_hand() -> None:
    paid = dict(enumerate(calculate_year(2024, D("300000")).months, start=1))
    # Assessed 250.000: 156.956 − 75.000 = 81.956; paid 66.956: 15.000 owed to the person.
    under = settle_year(2024, paid, D("250000"))
    assert (under.difference, under.outcome, under.treatment) == (D("15000.00"), "underpayment", "back_payment")
    # Assessed 350.000: 156.956 − 105.000 = 51.956: 15.000 paid too much, a repayment to decide.
    over = settle_year(2024, paid, D("350000"))
    assert (over.difference, over.outcome, over.treatment) == (D("-15000.00"), "overpayment", "repayment_review")
    # Only January–March paid: 3 × (6.829,67 − 5.579,67) = 3.750,00.
    part = settle_year(2024, {1: paid[1], 2: paid[2], 3: paid[3]}, D("250000"))
    assert part.entitled == D("20489.01") and part.difference == D("3750.00")
    # A second assessment settles only what the first did not.
    again = settle_year(2024, paid, D("250000"), settled_before=D("15000.00"))
    assert again.difference == D("0.00") and again.outcome == "none"


@given(st.decimals(min_value=0, max_value=10_000_000, places=2))
def test_twelve_months_always_add_up_to_the_year(annual: D) -> None:
    months = monthly_amounts(annual)
    assert sum(months) == annual
    assert all(abs(m - annual / 12) < D("0.07") for m in months)


@given(st.decimals(min_value=-1_000_000, max_value=2_000_000, places=2),
       st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_the_subsidy_never_negative_never_above_the_basic_amount_and_falls_30_ore_a_krone(profit: D, other: D) -> None:
    result = calculate_year(2025, profit, other)
    assert D("0") <= result.annual <= result.basic_amount
    more = calculate_year(2025, profit + 100, other)
    if more.annual > 0 and profit >= 0:
        assert result.annual - more.annual == D("30.00")


@given(st.decimals(min_value=0, max_value=800_000, places=0), st.decimals(min_value=0, max_value=800_000, places=0),
       st.sets(st.integers(min_value=1, max_value=12), min_size=1))
def test_a_settlement_makes_the_months_paid_what_the_assessment_says_and_a_second_one_finds_nothing(
        expected: D, assessed: D, months: set[int]) -> None:
    paid = {m: calculate_year(2024, expected).months[m - 1] for m in months}
    first = settle_year(2024, paid, assessed)
    assert sum(paid.values()) + first.difference == first.entitled
    again = settle_year(2024, paid, assessed, settled_before=first.difference)
    assert again.difference == 0 and again.treatment == "none"
    assert (first.difference > 0) == (first.treatment == "back_payment")


def test_each_year_cites_the_order_in_force_at_its_end() -> None:
    """BEK 233/2024 (from 1 April 2024) for 2024 on; BEK 247/2022 (from 1 March 2022) for 2022–2023, with its
    paragraph marked assumed; before it the earlier order, its number not established. A loss cites § 11, stk. 4."""
    def provisions(year: int) -> dict[str, str]:
        result = settle_year(year, {1: D("100.00")}, D("-1000"))
        return {step.key: str(step.provision) for step in result.trace}

    assert provisions(2024)["basic_amount"] == "BEK 233/2024 § 8, stk. 1"
    assert provisions(2025)["difference"] == "BEK 233/2024 § 8, stk. 3"
    assert provisions(2024)["negative_income"] == "BEK 233/2024 § 11, stk. 4"
    old = provisions(2022)
    assert old["basic_amount"].startswith("BEK 247/2022 § 8, stk. 1") and "antaget" in old["basic_amount"]
    assert old["monthly"].startswith("BEK 247/2022 § 8, stk. 2")
    assert old["entitled"].startswith("BEK 247/2022 § 8, stk. 3")
    assert provisions(2023)["annual_income"].startswith("BEK 247/2022 § 11, stk. 1")
    older = provisions(2020)
    assert all("BEK 233/2024" not in text and "BEK 247/2022" in text and "ikke fastslået" in text
               for text in older.values()), older
