"""The comparison: an empty reform changes nothing to the øre; a parameter reform's cost equals an independent
computation; the breakdowns and what one more hour keeps, on small hand-made tables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fixtures.population import generate
from flexcalc.period import Month
from flexcalc.reforms import EMPTY, load_reform, reform_from_text
from flexcalc.reforms.compare import BAND_LABELS, Comparison, compare_chunk
from flexcalc.reforms.rules import PreparedReform, ReformPeople, compute_reform, compute_today
from flexcalc.reforms.run import compare_table

ROOT = Path(__file__).parents[2] / "fixtures" / "reforms"
MONTH = Month(2024, 3)
M, T = 1_995_200, 1_632_300  # 2024 in øre


@pytest.fixture(scope="module")
def population() -> pa.Table:
    return generate(20_000, seed=18)


def _people(table: pa.Table) -> ReformPeople:
    col = lambda name: table.column(f"{name}_ore").to_numpy()  # noqa: E731
    return ReformPeople(wage=col("wage"), ceiling=col("ceiling"), other_wage=col("other_wage"),
                        other_income=col("other_income"), hours=table.column("hours").to_numpy().astype(np.int64),
                        sex=table.column("sex"), agreement=table.column("agreement"),
                        hourly_wage=col("hourly_wage"))


def test_an_empty_reform_changes_nothing_to_the_ore(population: pa.Table) -> None:
    people = _people(population)
    before = compute_today(MONTH, people)
    for reform in (EMPTY, load_reform(ROOT / "empty.yaml")):
        after = compute_reform(PreparedReform.of(reform, MONTH), people)
        for name in ("subsidy_before_ceiling", "subsidy", "atp_own", "payout"):
            assert np.array_equal(getattr(before, name), getattr(after, name)), name
        result = compare_table(MONTH, population, reform).to_dict()
        assert result["difference"] == "0.00" and result["cost_before"] == result["cost_after"]
        assert result["unchanged"] == 20_000 and result["winners"] == result["losers"] == 0
        assert result["one_more_hour"]["keep_share_before"] == result["one_more_hour"]["keep_share_after"]
        assert result["distribution"][5] == {"bucket": "uændret", "people": 20_000}


def _independent_subsidy(wage: int, ceiling: int, m: int) -> Fraction:
    """The formula written out again with fractions (not the kernel, not calculate_month)."""
    reduction = Fraction(30, 100) * min(wage, T) + Fraction(55, 100) * max(wage - T, 0)
    exact = max(Fraction(m) - reduction, Fraction(0))
    whole, rest = divmod(exact.numerator, exact.denominator)
    before = whole + (1 if 2 * rest >= exact.denominator else 0)
    return Fraction(max(0, min(before, ceiling - wage)))


def test_m_plus_100_costs_what_an_independent_computation_says(population: pa.Table) -> None:
    reform = load_reform(ROOT / "max_subsidy_plus_100.yaml")
    result = compare_table(MONTH, population, reform)
    rows = zip(population.column("wage_ore").to_pylist(), population.column("other_wage_ore").to_pylist(),
               population.column("other_income_ore").to_pylist(), population.column("ceiling_ore").to_pylist(),
               strict=True)
    expected = 0
    for wage, other_wage, other_income, ceiling in rows:
        w = wage + other_wage + other_income
        expected += _independent_subsidy(w, ceiling, M + 10_000) - _independent_subsidy(w, ceiling, M)
    assert result.total("diff_ore") == expected
    assert result.total("losers") == 0


def test_m_plus_100_is_exactly_100_kr_each_where_neither_zero_nor_ceiling_binds(population: pa.Table) -> None:
    # With the ceiling lifted out of reach, every person whose subsidy is positive gets exactly 100 kr. more.
    free = population.set_column(population.schema.get_field_index("ceiling_ore"), "ceiling_ore",
                                 pa.array(np.full(20_000, 900_000_000, np.int64)))
    free = free.drop_columns(["ceiling"])
    reform = load_reform(ROOT / "max_subsidy_plus_100.yaml")
    # Those at zero today (13 with a high wage) gain less than 100 kr. or nothing; leave them out.
    positive = compute_today(MONTH, _people(free)).subsidy > 0
    assert 19_900 < int(positive.sum()) < 20_000
    free = free.filter(pa.array(positive))
    result = compare_table(MONTH, free, reform)
    n = free.num_rows
    assert result.total("winners") == n
    assert result.total("diff_ore") == n * 10_000
    assert result.histogram[6] == n  # "gevinst op til 100 kr.": exactly 100 kr. each


def test_one_person_one_more_hour_keeps_70_percent_today() -> None:
    # A: 10 h at 200 kr./h (wage 8.666,67); one more hour pays 200 × 52/12 = 866,67 more. Today the subsidy
    # falls by 30 %: 19.952 − 0,30 × 9.533,34 = 17.091,998 → 17.092,00, against 17.352,00: −260,00.
    # Kept: 866,67 − 260,00 = 606,67 of 866,67 = 0,69999… → 0,7000.
    # Under one rate of 40 %: 19.952 − 0,40 × 9.533,34 = 16.138,664 → 16.138,66 against 16.485,33: −346,67;
    # kept 520,00 of 866,67 = 0,59999… → 0,6000.
    people = ReformPeople(wage=np.array([866_667]), ceiling=np.array([3_206_667]), hours=np.array([10]),
                          hourly_wage=np.array([20_000]), sex=pa.array(["F"]))
    comparison = Comparison(month=str(MONTH), reform="x")
    compare_chunk(MONTH, PreparedReform.of(load_reform(ROOT / "single_rate_40.yaml"), MONTH), people, comparison)
    assert comparison.total("extra_wage_ore") == 86_667
    assert comparison.total("keep_before_ore") == 60_667
    assert comparison.total("keep_after_ore") == 52_000
    assert comparison.keep_share("before") == Decimal("0.7000")
    assert comparison.keep_share("after") == Decimal("0.6000")
    data = comparison.to_dict()
    assert data["difference"] == "-866.67" and data["losers"] == 1
    assert data["by_sex"][0]["losers"] == 1 and data["by_hour_band"][1]["group"] == "6–10"
    assert data["by_hour_band"][1]["losers"] == 1


def test_breakdowns_add_up_and_sort_people_into_the_right_groups(population: pa.Table) -> None:
    result = compare_table(MONTH, population, load_reform(ROOT / "minimum_gain_150.yaml")).to_dict()
    hours = population.column("hours").to_numpy()
    for row, (label, (first, last)) in zip(result["by_hour_band"], zip(BAND_LABELS, [(1, 5), (6, 10), (11, 15),
                                           (16, 20), (21, 25), (26, 30), (31, 37)], strict=True), strict=True):
        assert row["group"] == label
        assert row["people"] == int(np.count_nonzero((hours >= first) & (hours <= last)))
    women = int(np.count_nonzero(population.column("sex").to_numpy(zero_copy_only=False) == "F"))
    assert result["by_sex"][0]["people"] == women and result["by_sex"][2]["people"] == 0
    assert sum(r["winners"] for r in result["by_sex"]) == result["winners"]
    assert sum(b["people"] for b in result["distribution"]) == 20_000
    # The guarantee: nobody below 37 hours gains nothing from one more hour under the reform.
    assert result["one_more_hour"]["no_gain_before"] > 0
    assert result["one_more_hour"]["no_gain_after"] == 0
    assert result["losers"] == 0


def test_agreement_ceilings_need_the_agreement_column(population: pa.Table) -> None:
    from flexcalc.errors import InputError

    reform = reform_from_text("name: x\nrules:\n  agreement_ceilings: {ceilings: {HK-handel: '34000'}, "
                              "missing: error}")
    with pytest.raises(InputError) as caught:
        compare_table(MONTH, population.drop_columns(["agreement"]), reform)
    assert caught.value.field == "agreement"
    with pytest.raises(InputError, match="row 1"):
        compare_table(MONTH, population, reform)


def test_a_wage_at_the_input_limit_does_not_break_the_one_more_hour_run() -> None:
    # 10.000.000 kr. (the kernel's bound): one more hour would go past it; it is held at the bound.
    people = ReformPeople(wage=np.array([1_000_000_000]), ceiling=np.array([1_000_000_000]), hours=np.array([20]))
    comparison = Comparison(month=str(MONTH), reform="x")
    compare_chunk(MONTH, PreparedReform.of(EMPTY, MONTH), people, comparison)
    assert comparison.total("people") == 1 and comparison.total("diff_ore") == 0


def test_state_and_municipal_shares_follow_the_assumed_refund_step() -> None:
    # The person above: 17.352,00 today and 16.485,33 under one rate of 40 %. From week 53 the state refunds
    # 20 % (LBK 221/2021 § 5, stk. 2, nr. 4): 3.470,40 / 13.881,60 today; 16.485,33 × 0,20 = 3.297,066 →
    # 3.297,07 / 13.188,26 with the reform. In weeks 1–4 (80 %): 13.881,60 / 3.470,40 today.
    people = ReformPeople(wage=np.array([866_667]), ceiling=np.array([3_206_667]), hours=np.array([10]),
                          hourly_wage=np.array([20_000]), sex=pa.array(["F"]))
    comparison = Comparison(month=str(MONTH), reform="x")
    compare_chunk(MONTH, PreparedReform.of(load_reform(ROOT / "single_rate_40.yaml"), MONTH), people, comparison)
    shares = comparison.to_dict()["finance_shares"]
    assert shares["refund_step"] == "53+" and shares["refund_rate"] == "0.20"
    assert shares["before"] == {"state": "3470.40", "municipality": "13881.60"}
    assert shares["after"] == {"state": "3297.07", "municipality": "13188.26"}
    assert any("3.470,40 kr. / 13.881,60 kr." in line for line in comparison.lines_da())
    comparison.refund_step = "1-4"
    assert comparison.to_dict()["finance_shares"]["before"] == {"state": "13881.60", "municipality": "3470.40"}
    # Before the ladder's parameters begin (2016) there is no split, and the run says so.
    old = Comparison(month="2015-03", reform="x")
    assert old.to_dict()["finance_shares"] is None
    assert any("ingen refusionssats" in line for line in old.lines_da())


def test_an_unknown_refund_step_is_refused_by_name() -> None:
    from flexcalc.errors import InputError
    from flexcalc.reforms.compare import check_refund_step

    with pytest.raises(InputError) as caught:
        check_refund_step("week 60", "refund-step")
    assert caught.value.field == "refund-step"
