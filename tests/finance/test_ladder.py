"""The refund ladder, hand-computed (the arithmetic is written out in fixtures/finance/README.md).

April 2024 runs Monday 1 to Tuesday 30: calendar weeks 1–7, 8–14, 15–21, 22–28 and 29–30 (5 weeks).
The subsidy is 15.272,00 kr. (the ledger fixtures' monthly subsidy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.errors import InputError, NoRatesError
from flexcalc.finance.contributions import op_contribution, state_refund_of
from flexcalc.finance.ladder import check_weeks_before, refund_for_period
from flexcalc.period import Month

APRIL = Month(2024, 4)
S = Decimal("15272.00")


def parts(result):  # type: ignore[no-untyped-def]
    return [(p.step.number, p.days, str(p.subsidy), str(p.refund)) for p in result.parts]


def test_a_month_wholly_in_step_1() -> None:
    # February 2021 runs Monday 1 to Sunday 28: exactly weeks 1–4 → 10.000,00 × 0,80 = 8.000,00
    r = refund_for_period(Month(2021, 2), Decimal("10000.00"), 0)
    assert parts(r) == [(1, 28, "10000.00", "8000.00")]
    assert r.refund == Decimal("8000.00") and r.refund_rate == Decimal("0.8000")


@pytest.mark.parametrize(("weeks_before", "step", "rate", "refund"), [
    (10, 2, "0.4000", "6108.80"),   # weeks 11–15: 15.272 × 0,40
    (30, 3, "0.3000", "4581.60"),   # weeks 31–35: 15.272 × 0,30
    (60, 4, "0.2000", "3054.40"),   # weeks 61–65: 15.272 × 0,20
])
def test_a_month_wholly_in_one_step(weeks_before: int, step: int, rate: str, refund: str) -> None:
    r = refund_for_period(APRIL, S, weeks_before)
    assert parts(r) == [(step, 30, "15272.00", refund)]
    assert str(r.refund_rate) == rate


def test_straddling_weeks_4_and_5() -> None:
    # weeks 3–4 = 1–14 April (14 days) at 80 %, weeks 5–7 = 15–30 April (16 days) at 40 %
    # 15.272 × 14/30 = 7.126,93 → × 0,80 = 5.701,54;  15.272 − 7.126,93 = 8.145,07 → × 0,40 = 3.258,03
    r = refund_for_period(APRIL, S, 2)
    assert parts(r) == [(1, 14, "7126.93", "5701.54"), (2, 16, "8145.07", "3258.03")]
    assert r.refund == Decimal("8959.57")
    assert r.refund_rate == Decimal("0.5867")  # (14 × 0,8 + 16 × 0,4) / 30


def test_straddling_weeks_26_and_27() -> None:
    # weeks 24–26 = 1–21 April (21 days) at 40 %, weeks 27–28 = 22–30 April (9 days) at 30 %
    # 15.272 × 21/30 = 10.690,40 → 4.276,16;  4.581,60 × 0,30 = 1.374,48
    r = refund_for_period(APRIL, S, 23)
    assert parts(r) == [(2, 21, "10690.40", "4276.16"), (3, 9, "4581.60", "1374.48")]
    assert r.refund == Decimal("5650.64") and r.refund_rate == Decimal("0.3700")


def test_straddling_weeks_52_and_53() -> None:
    # weeks 51–52 = 1–14 April at 30 %, weeks 53–55 = 15–30 April at 20 %
    # 7.126,93 × 0,30 = 2.138,079 → 2.138,08;  8.145,07 × 0,20 = 1.629,014 → 1.629,01
    r = refund_for_period(APRIL, S, 50)
    assert parts(r) == [(3, 14, "7126.93", "2138.08"), (4, 16, "8145.07", "1629.01")]
    assert r.refund == Decimal("3767.09") and r.refund_rate == Decimal("0.2467")


def test_the_next_month_continues_the_count() -> None:
    # March 2024 (Friday 1 – Sunday 31) touches 5 calendar weeks and ends on a Sunday: 2 + 5 = 7
    assert refund_for_period(Month(2024, 3), S, 2).weeks_after == 7
    # February 2024 ends on a Thursday: its last week is shared with March and counted there: 2 + 5 − 1
    assert refund_for_period(Month(2024, 2), S, 2).weeks_after == 6


@pytest.mark.parametrize(("year", "op"), [(2020, "44"), (2024, "222"), (2030, "487")])
def test_op_for_2020_2024_2030(year: int, op: str) -> None:
    # LAB § 138 a stk. 2: of the subsidy less the own ATP (15.272 − 500 = 14.772), whole kroner:
    # 14.772 × 0,3 % = 44,316 → 44;  × 1,5 % = 221,58 → 222;  × 3,3 % = 487,476 → 487
    assert op_contribution(Month(year, 6), S, Decimal("500")) == Decimal(op)
    assert state_refund_of(Month(year, 6), Decimal(op)) == Decimal(op)  # refunded in full


def test_no_op_before_2020() -> None:
    assert op_contribution(Month(2019, 12), S, Decimal("500")) == Decimal("0")


@pytest.mark.parametrize("bad", [-1, "-1", "2.5", "x", "", True, Decimal("1.5")])
def test_weeks_before_must_be_a_whole_number_of_at_least_0(bad: object) -> None:
    with pytest.raises(InputError) as info:
        check_weeks_before(bad)
    assert info.value.field == "weeks_before" and "helt antal uger" in info.value.reason_da


def test_a_negative_subsidy_is_an_error_naming_the_field() -> None:
    with pytest.raises(InputError) as info:
        refund_for_period(APRIL, Decimal("-0.01"), 0)
    assert info.value.field == "subsidy" and info.value.reason_da == "må ikke være negativ"


def test_a_month_before_the_ladder_is_a_clear_error() -> None:
    with pytest.raises(NoRatesError) as info:
        refund_for_period(Month(2015, 12), S, 0)
    assert info.value.field == "month" and "2015-12" in str(info.value)


def test_a_period_inside_the_month() -> None:
    # a job starting Monday 15 April: weeks_before 3 → the 15th is week 4 (80 %), 22–30 is weeks 5–6 (40 %)
    r = refund_for_period(APRIL, Decimal("8000.00"), 3, first_day=dt.date(2024, 4, 15))
    assert parts(r) == [(1, 7, "3500.00", "2800.00"), (2, 9, "4500.00", "1800.00")]


@given(st.integers(0, 120), st.decimals(0, 40000, places=2), st.integers(2016, 2030), st.integers(1, 12))
def test_parts_add_up_and_the_refund_lies_between_20_and_80_percent(weeks: int, subsidy: Decimal, year: int,
                                                                      month: int) -> None:
    r = refund_for_period(Month(year, month), subsidy, weeks)
    assert sum(p.subsidy for p in r.parts) == subsidy
    assert sum(p.days for p in r.parts) == Month(year, month).last_day().day
    assert subsidy * Decimal("0.2") - Decimal("0.01") <= r.refund <= subsidy * Decimal("0.8") + Decimal("0.01")
    assert [p.step.number for p in r.parts] == sorted(p.step.number for p in r.parts)


@given(st.integers(0, 120), st.integers(2016, 2030), st.integers(1, 12), st.integers(1, 28))
def test_the_days_per_step_agree_with_counting_day_by_day(weeks: int, year: int, month: int, start: int) -> None:
    from collections import Counter

    from flexcalc.finance.ladder import step_of_week, week_of_day

    m = Month(year, month)
    first = dt.date(year, month, start)
    r = refund_for_period(m, Decimal("1000.00"), weeks, first_day=first)
    by_day: Counter[int] = Counter()
    day = first
    while day <= m.last_day():
        by_day[step_of_week(week_of_day(day, first, weeks)).number] += 1
        day += dt.timedelta(days=1)
    assert {p.step.number: p.days for p in r.parts} == dict(by_day)


def test_the_ladder_in_words_follows_its_dated_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    from flexcalc.finance import ladder
    from flexcalc.finance.self_employed import refund_rule
    from flexcalc.period import Month

    month = Month(2024, 3)
    assert ladder.ladder_text_da(month) == ("refusionstrappen: 80 % i uge 1–4, 40 % i uge 5–26, 30 % i uge 27–52, "
                                            "20 % fra uge 53")
    assert refund_rule(month)["text_da"] == ladder.ladder_text_da(month)
    # a changed rate changes the words: nothing is written in by hand
    real = ladder.rates.value
    monkeypatch.setattr(ladder.rates, "value", lambda name, day, field="month": (
        Decimal("0.375") if name == "refund_rate_weeks_5_26" else real(name, day, field)))
    assert "37,5 % i uge 5–26" in refund_rule(month)["text_da"]
