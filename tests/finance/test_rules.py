"""Counting weeks (§§ 3, 6, 30 stk. 1), the cohorts (§ 30), the særligt fleksbidrag (§ 7), booking, and the
temporal coverage of every finance parameter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flexcalc.errors import InputError
from flexcalc.finance import accounts, rates
from flexcalc.finance.cohort import cohort_of
from flexcalc.finance.fleksbidrag import fleksbidrag
from flexcalc.finance.history import Period, weeks_before
from flexcalc.finance.ladder import refund_for_period
from flexcalc.finance.profiles import RefundProfile, weeks_before_month
from flexcalc.law.params import load_parameters
from flexcalc.period import Month, month_range

D = dt.date


def test_weeks_are_counted_across_benefits() -> None:
    # 4 weeks of sygedagpenge, then 6 weeks of ledighedsydelse: 10 weeks with benefits, whatever the benefit
    history = [Period("benefit", D(2023, 1, 2), D(2023, 1, 29), "sygedagpenge"),
               Period("benefit", D(2023, 1, 30), D(2023, 3, 12), "ledighedsydelse")]
    assert weeks_before(history, D(2023, 3, 13)) == 10


def test_the_count_restarts_after_52_weeks_of_self_support() -> None:
    # 10 weeks with benefits from 6 January 2020, 52 whole weeks without (16 Mar 2020 – 14 Mar 2021), then
    # benefits again from 15 March 2021: the 3 weeks before 5 April 2021 are weeks 1–3 of a new count
    history = [Period("benefit", D(2020, 1, 6), D(2020, 3, 15)), Period("benefit", D(2021, 3, 15), D(2021, 4, 30))]
    assert weeks_before(history, D(2021, 4, 5)) == 3


def test_51_weeks_of_self_support_do_not_restart() -> None:
    history = [Period("benefit", D(2020, 1, 6), D(2020, 3, 15)), Period("benefit", D(2021, 3, 8), D(2021, 4, 30))]
    assert weeks_before(history, D(2021, 3, 29)) == 10 + 3


def test_subsidised_work_is_not_self_support() -> None:
    # the same 52 weeks in a job with a wage subsidy: no restart, 10 + 3 weeks
    history = [Period("benefit", D(2020, 1, 6), D(2020, 3, 15)),
               Period("subsidised_work", D(2020, 3, 16), D(2021, 3, 14)),
               Period("benefit", D(2021, 3, 15), D(2021, 4, 30))]
    assert weeks_before(history, D(2021, 4, 5)) == 13


def test_weeks_count_from_1_july_2014() -> None:
    # benefits all of 2014: only the weeks from Monday 30 June (the week of 1 July) to Monday 22 December count
    assert weeks_before([Period("benefit", D(2014, 1, 6), D(2014, 12, 28))], D(2015, 1, 5)) == 26


def test_bad_history_is_an_error_naming_the_field() -> None:
    with pytest.raises(InputError) as info:
        Period("benefit", D(2024, 2, 1), D(2024, 1, 1))
    assert info.value.field == "history.end"


def test_profile_weeks_follow_the_paid_months() -> None:
    # 2 weeks before February 2024; February (Thu–Thu) touches 5 weeks, the last shared with March: 2 + 5 − 1
    profile = RefundProfile("S1", D(2023, 6, 1), None, Month(2024, 2), 2)
    months = [Month(2024, 2), Month(2024, 3)]
    assert weeks_before_month(profile, Month(2024, 3), months) == 6
    february = refund_for_period(Month(2024, 2), Decimal(1), 2)
    assert weeks_before_month(profile, Month(2024, 3), months) == february.weeks_after
    # March ends on a Sunday: April starts a new week, 6 + 5 = 11
    assert weeks_before_month(profile, Month(2024, 4), [*months, Month(2024, 4)]) == 11


def test_cohorts_of_section_30() -> None:
    day = D(2024, 4, 30)
    assert cohort_of(D(2014, 7, 1), None, day).on_ladder
    assert not cohort_of(D(2013, 6, 1), D(2013, 8, 1), day).on_ladder       # job before 1 July 2014
    assert cohort_of(D(2013, 6, 1), D(2014, 9, 1), day).on_ladder           # new fleksjob from 1 July 2014
    with pytest.raises(InputError) as info:
        cohort_of(D(2012, 12, 31), None, day)
    assert info.value.field == "visitation_date"
    with pytest.raises(InputError) as info:
        cohort_of(D(2020, 1, 1), D(2019, 1, 1), day)
    assert info.value.field == "job_start"


def test_a_new_job_start_does_not_move_the_person_on_the_ladder() -> None:
    # the audit's error: the visitation date replaced by a new job's start. Kept apart, the cohort and the
    # weeks (the person's, § 3) are the same with or without the new job.
    a = cohort_of(D(2015, 3, 1), None, D(2024, 4, 30))
    b = cohort_of(D(2015, 3, 1), D(2024, 4, 1), D(2024, 4, 30))
    assert a.on_ladder and b.on_ladder


def test_fleksbidrag_a_month_wholly_at_20_percent() -> None:
    # M 2024 = 19.952; refund 15.272 × 0,20 = 3.054,40; 30 % × 19.952 − 3.054,40 = 2.931,20 (< cap 4.788);
    # wage 12.000 without pension → − 20 % × 12.000 = 2.400 → 531,20 → 531 kr.
    r = refund_for_period(Month(2024, 4), Decimal("15272.00"), 60)
    bidrag = fleksbidrag(r, Decimal("12000"))
    assert bidrag.amount == Decimal("531") and bidrag.base == Decimal("2931.20")
    assert bidrag.cap == Decimal("4788")


def test_fleksbidrag_a_month_straddling_52_and_53() -> None:
    # 16 of 30 days at 20 %: 0,30 × 19.952 × 16/30 = 3.192,32 − 1.629,01 = 1.563,31; − 0,20 × 12.000 × 16/30 = 1.280
    # → 283,31 → 283 kr.
    r = refund_for_period(Month(2024, 4), Decimal("15272.00"), 50)
    assert fleksbidrag(r, Decimal("12000")).amount == Decimal("283")


def test_no_fleksbidrag_below_the_20_percent_step_nor_for_high_wage() -> None:
    assert fleksbidrag(refund_for_period(Month(2024, 4), Decimal("15272.00"), 10), Decimal(0)).amount == 0
    assert fleksbidrag(refund_for_period(Month(2024, 4), Decimal("15272.00"), 60), Decimal(30000)).amount == 0


def test_fleksbidrag_cap_bites() -> None:
    # a small subsidy: 30 % × 19.952 − 200 = 5.785,60 > cap 4.788 → 4.788 with no wage
    r = refund_for_period(Month(2024, 4), Decimal("1000.00"), 60)
    assert fleksbidrag(r, Decimal(0)).amount == Decimal("4788")


def test_booking_and_an_unknown_account() -> None:
    account, signed = accounts.book("op", Decimal("229.08"))
    assert (account.function, account.grouping, signed) == ("8.51.52", "124", Decimal("229.08"))
    account, signed = accounts.book("op_refund", Decimal("229.08"))
    assert (account.grouping, signed) == ("126", Decimal("-229.08"))
    assert accounts.book("municipal_atp", Decimal(1))[0].grouping == "117"
    assert accounts.book("municipal_atp_refund", Decimal(1))[0].grouping == "097"
    assert accounts.book("subsidy", Decimal(1))[0].function == "5.58.81"
    with pytest.raises(InputError) as info:
        accounts.account("5.58.99")
    assert info.value.field == "account" and "ukendt konto" in info.value.reason_da


FIRST, LAST = Month(2016, 1), Month(2027, 12)


def test_every_finance_parameter_has_exactly_one_value_every_month_2016_to_2027() -> None:
    parameters = load_parameters()
    problems = []
    for month in month_range(FIRST, LAST):
        for name in rates.FINANCE_NAMES:
            for day in (month.first_day(), month.last_day()):
                if len(parameters[name].covering(day)) != 1:
                    problems.append(f"{name} {day}")
    assert problems == []


def test_finance_parameters_have_status_source_and_reference() -> None:
    parameters = load_parameters()
    for name in rates.FINANCE_NAMES:
        p = parameters[name]
        assert p.reference and p.reference_url.startswith("http"), name
        for entry in p.values:
            if entry.value is not None:
                assert entry.status in ("published", "computed", "assumed")
                assert entry.source and entry.source.startswith("http")


def test_op_ladder_and_refund_rates() -> None:
    op = [rates.value("op_rate", D(y, 7, 1)) for y in range(2019, 2032)]
    assert op == [Decimal(x) for x in ("0", "0.003", "0.006", "0.009", "0.012", "0.015", "0.018", "0.021",
                                        "0.024", "0.027", "0.030", "0.033", "0.033")]
    assert [rates.value(n, D(2024, 1, 1)) for n in rates.LADDER_NAMES] == [Decimal(x) for x in
                                                                         ("0.80", "0.40", "0.30", "0.20")]


def test_outside_the_finance_parameters_is_a_clear_error() -> None:
    from flexcalc.errors import NoRatesError

    with pytest.raises(NoRatesError) as info:
        rates.value("refund_rate_weeks_1_4", D(2015, 12, 31))
    assert info.value.field == "month"
    with pytest.raises(NoRatesError):
        rates.value("fleksbidrag_cap", D(2028, 1, 1))
