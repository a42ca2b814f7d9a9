"""The batch kernel gives exactly what the Decimal core gives: hand-checked cases, every row of a
100.000-person population, and Hypothesis batches aimed at the edges of the rules."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixtures import load_yaml
from fixtures.population import generate
from flexcalc.batch.kernel import MAX_INPUT_ORE, KernelRates, compute_month
from flexcalc.law.params import coverage, rates_for
from flexcalc.money import ORE, to_ore
from flexcalc.month import MonthInput, calculate_month
from flexcalc.period import Month, month_range
from tests.support.strategies import benefit_months

D = Decimal
FIELDS = ("wage_income", "subsidy_before_ceiling", "ceiling_room", "ceiling_cut", "subsidy", "atp_own", "payout")


def kernel_one(month: str, wage: str, ceiling: str, other_wage: str = "0") -> dict[str, Decimal]:
    rates = KernelRates.for_month(Month.parse(month))
    result = compute_month(rates, [to_ore(D(wage))], [to_ore(D(ceiling))], [to_ore(D(other_wage))])
    return result.row(0)


def core_rows(month: Month, wage: np.ndarray, ceiling: np.ndarray, other_wage: np.ndarray,
              other_income: np.ndarray) -> dict[str, list[int]]:
    """Every row through ``calculate_month``; each amount back to integer øre."""
    rates = rates_for(month)
    out: dict[str, list[int]] = {name: [] for name in (*FIELDS, "reduction_x10000")}
    for w, c, o, i in zip(wage.tolist(), ceiling.tolist(), other_wage.tolist(), other_income.tolist(), strict=True):
        r = calculate_month(MonthInput(month, D(w) / 100, D(c) / 100, D(o) / 100, D(i) / 100), rates)
        for name in FIELDS:
            out[name].append(to_ore(getattr(r, name)))
        reduction = r.reduction * 10_000
        assert reduction == reduction.to_integral_value()
        out["reduction_x10000"].append(int(reduction))
    return out


def assert_same_as_core(month: Month, wage: np.ndarray, ceiling: np.ndarray, other_wage: np.ndarray,
                        other_income: np.ndarray) -> None:
    kernel_rates = KernelRates.for_month(month)
    result = compute_month(kernel_rates, wage, ceiling, other_wage, other_income)
    expected = core_rows(month, wage, ceiling, other_wage, other_income)
    for name in FIELDS:
        got = getattr(result, name)
        want = np.array(expected[name], dtype=np.int64)
        differing = np.flatnonzero(got != want)
        assert differing.size == 0, (
            f"{name} differs in {differing.size} rows, first row {differing[0]}: "
            f"kernel {got[differing[0]]} øre, core {want[differing[0]]} øre")
    assert kernel_rates.scale == 100  # 0,30 and 0,55: the reduction is in 1/100 øre = 1/10000 kr.
    np.testing.assert_array_equal(result.reduction_scaled, np.array(expected["reduction_x10000"], np.int64))


# --- hand-checked cases -----------------------------------------------------------------------------

def test_star_2024_official_example() -> None:
    # STAR's calculator: 200 kr./h × 18 h × 52/12 = 15.600; M 19.952 − 0,30 × 15.600 = 15.272.
    example = {e["id"]: e for e in load_yaml("official_examples.yaml")}["star-calculator-2024"]
    row = kernel_one(example["benefit_month"], example["input"]["wage"], example["input"]["ceiling"])
    assert row["subsidy"] == D(example["expected"]["subsidy"]) == D("15272")
    assert row["reduction"] == D(example["expected"]["reduction"])
    assert row["atp_own"] == D("500")  # 5 % of 15.272 = 763,60 → capped at 500
    assert row["payout"] == D("14772.00")


def test_hand_checked_ceiling_binds_2024() -> None:
    # 26.000 kr.: 0,30 × 16.323 = 4.896,90; 0,55 × 9.677 = 5.322,35; 19.952 − 10.219,25 = 9.732,75;
    # room 32.066,67 − 26.000 = 6.066,67 binds; ATP 5 % = 303,33 → 303; payout 5.763,67.
    row = kernel_one("2024-05", "26000", "32066.67")
    assert row["reduction"] == D("10219.25")
    assert row["subsidy_before_ceiling"] == D("9732.75")
    assert row["subsidy"] == D("6066.67")
    assert row["ceiling_cut"] == D("3666.08")
    assert row["atp_own"] == D("303")
    assert row["payout"] == D("5763.67")


def test_half_up_rounding_of_the_subsidy() -> None:
    # 10.000,05 kr. in 2024: 0,30 × 10.000,05 = 3.000,015; 19.952 − 3.000,015 = 16.951,985 → 16.951,99
    # (half up; half-even or truncation would give 16.951,98).
    row = kernel_one("2024-03", "10000.05", "40000")
    assert row["reduction"] == D("3000.015")
    assert row["subsidy_before_ceiling"] == D("16951.99")
    # above T: 16.323,10 kr.: 0,30 × 16.323 + 0,55 × 0,10 = 4.896,90 + 0,055 = 4.896,955;
    # 19.952 − 4.896,955 = 15.055,045 → 15.055,05.
    row = kernel_one("2024-03", "16323.10", "40000")
    assert row["subsidy_before_ceiling"] == D("15055.05")


def test_half_up_rounding_of_the_atp_share() -> None:
    # Subsidy 9.010,00 (ceiling room): 5 % = 450,50 → 451; 9.989,99: 499,4995 → 499; 9.990: 499,50 → 500.
    for room, atp in (("9010.00", "451"), ("9989.99", "499"), ("9990.00", "500"), ("10000.00", "500")):
        row = kernel_one("2024-03", "1000", str(D("1000") + D(room)))
        assert row["subsidy"] == D(room)
        assert row["atp_own"] == D(atp), room


def test_zero_wage_ceiling_below_wage_and_zero_point() -> None:
    # Zero wage from the fleksjob employer: no subsidy (vejl. 9154/2022 pkt. 2.1; PM 6-23), not the whole
    # maximum of 19.952 the engine paid before the one pipeline; a wage from another employer alone opens nothing.
    zero = kernel_one("2024-03", "0", "40000")
    assert zero["subsidy"] == zero["subsidy_before_ceiling"] == zero["atp_own"] == zero["payout"] == D("0")
    other_only = kernel_one("2024-03", "0", "40000", other_wage="5000")
    assert other_only["wage_income"] == D("5000") and other_only["subsidy"] == D("0")
    assert other_only["reduction"] == D("1500")  # 0,30 × 5.000, shown as computed; the month pays nothing
    # Wage above the ceiling: room is negative, the subsidy is 0 and the ATP share 0.
    row = kernel_one("2024-03", "30000", "25000")
    assert row["ceiling_room"] == D("-5000")
    assert row["subsidy"] == D("0") and row["atp_own"] == D("0") and row["payout"] == D("0")
    # The zero point 2024: W0 = 16.323 + (19.952 − 4.896,90)/0,55 = 43.695,909…: at 43.695,90 the
    # subsidy is 15.055,10 − 0,55 × 27.372,90 = 15.055,10 − 15.055,095 = 0,005 → 0,01 (half up);
    # at 43.695,91 it would be −0,0005, floored to 0.
    assert kernel_one("2024-03", "43695.90", "99999")["subsidy"] == D("0.01")
    assert kernel_one("2024-03", "43695.91", "99999")["subsidy"] == D("0.00")
    assert kernel_one("2024-03", "60000", "99999")["subsidy_before_ceiling"] == D("0")


def test_other_wage_counts_in_the_wage_income() -> None:
    # 2024: 12.000 + 3.000 = 15.000 < T; 19.952 − 4.500 = 15.452; ceiling 25.000 − 15.000 = 10.000 binds.
    row = kernel_one("2024-03", "12000", "25000", other_wage="3000")
    assert row["wage_income"] == D("15000")
    assert row["subsidy"] == D("10000")


# --- rates ------------------------------------------------------------------------------------------

def test_kernel_rates_come_from_the_rates_table_for_every_month() -> None:
    first, last = coverage()
    for month in month_range(first, last):
        rates, k = rates_for(month), KernelRates.for_month(month)
        assert D(k.max_subsidy_ore) / 100 == rates.max_subsidy
        assert D(k.threshold_ore) / 100 == rates.threshold
        assert D(k.low_num) / k.scale == rates.reduction_rate_low
        assert D(k.high_num) / k.scale == rates.reduction_rate_high
        assert D(k.atp_num) / k.atp_scale == rates.atp_own_share_rate
        assert D(k.atp_cap_ore) / 100 == rates.atp_own_share_cap


def test_kernel_rates_refuse_what_they_cannot_hold_exactly() -> None:
    from dataclasses import replace

    rates = rates_for(Month(2024, 3))
    with pytest.raises(ValueError, match="six decimals"):
        KernelRates.of(replace(rates, reduction_rate_low=D("0.1234567")))
    with pytest.raises(ValueError, match="non-negative"):
        KernelRates.of(replace(rates, reduction_rate_high=D("-0.55")))
    with pytest.raises(ValueError, match="two decimals"):
        KernelRates.of(replace(rates, threshold=D("16323.005")))
    # A rate with three decimals is held exactly (scale 1000) and still matches the core.
    odd = replace(rates, reduction_rate_low=D("0.305"))
    k = KernelRates.of(odd)
    assert (k.low_num, k.high_num, k.scale) == (305, 550, 1000)
    wage = np.array([1_000_001, 1_632_301, 2_500_007], np.int64)
    ceiling = np.full(3, 9_999_999, np.int64)
    result = compute_month(k, wage, ceiling)
    for i, w in enumerate(wage.tolist()):
        core = calculate_month(MonthInput(Month(2024, 3), D(w) / 100, D("99999.99")), odd)
        assert result.subsidy[i] == to_ore(core.subsidy)
        assert result.reduction(i) == core.reduction


def test_kernel_checks_its_inputs() -> None:
    rates = KernelRates.for_month(Month(2024, 3))
    with pytest.raises(ValueError, match="0 … "):
        compute_month(rates, [-1], [0])
    with pytest.raises(ValueError, match="0 … "):
        compute_month(rates, [0], [MAX_INPUT_ORE + 1])
    with pytest.raises(TypeError, match="integer øre"):
        compute_month(rates, np.array([1.5]), [0])
    with pytest.raises(ValueError, match="rows"):
        compute_month(rates, [1, 2], [1])
    empty = compute_month(rates, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(empty) == 0


# --- the whole population -----------------------------------------------------------------------------

@pytest.mark.slow
def test_every_row_of_a_100000_person_population_matches_the_core() -> None:
    table = generate(100_000, seed=8)
    cols = {name: table.column(f"{name}_ore").to_numpy() for name in ("wage", "ceiling", "other_wage",
                                                                       "other_income")}
    assert_same_as_core(Month(2024, 3), cols["wage"], cols["ceiling"], cols["other_wage"], cols["other_income"])


def test_a_population_sample_in_every_year_matches_the_core() -> None:
    table = generate(2_000, seed=11)
    cols = {name: table.column(f"{name}_ore").to_numpy() for name in ("wage", "ceiling", "other_wage",
                                                                       "other_income")}
    first, last = coverage()
    for year in range(first.year, last.year + 1):
        assert_same_as_core(Month(year, 6), cols["wage"], cols["ceiling"], cols["other_wage"], cols["other_income"])


# --- Hypothesis: random batches aimed at the edges ------------------------------------------------------

def _edges(month: Month) -> list[int]:
    """Wage incomes (øre) on the edges of the rules in ``month``."""
    r = rates_for(month)
    t = to_ore(r.threshold)
    zero_point = r.threshold + (r.max_subsidy - r.reduction_rate_low * r.threshold) / r.reduction_rate_high
    z = to_ore(zero_point.quantize(ORE, rounding="ROUND_FLOOR"))
    return [0, 1, t - 1, t, t + 1, z - 1, z, z + 1, z + 2]


@st.composite
def batches(draw: st.DrawFn) -> tuple[Month, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    month = draw(benefit_months())
    edges = _edges(month)
    t = to_ore(rates_for(month).threshold)
    wage_income = st.one_of(
        st.sampled_from(edges),
        st.integers(0, 8_000_000),                                    # anything up to 80.000 kr.
        st.integers(0, t // 10).map(lambda k: 10 * k + 5),            # below T: 0,30 × W ends in ½ øre
        st.integers(t // 20, 5_000_000 // 20).map(lambda k: 20 * k + 10),  # above T: 0,55 × (W − T) ends in ½ øre
        st.integers(MAX_INPUT_ORE - 100, MAX_INPUT_ORE),              # the largest accepted amounts
    )
    rows = draw(st.lists(st.tuples(wage_income, st.integers(0, 4), st.integers(-3_000_000, 3_000_000),
                                   st.integers(0, 1_000_000)), min_size=1, max_size=40))
    wage, ceiling, other_wage, other_income = [], [], [], []
    for w, split, room, other in rows:
        # Split W between the fleksjob wage, another employer and other income in different ways.
        o = min(other, w) if split in (1, 3) else 0
        i = min(other, w - o) if split in (2, 3) else 0
        wage.append(w - o - i)
        other_wage.append(o)
        other_income.append(i)
        # The ceiling: below the wage (room < 0), at it, just around the subsidy, or far above.
        ceiling.append(min(MAX_INPUT_ORE, max(0, w + room if split != 4 else w + 5_000)))
    arr = lambda xs: np.array(xs, dtype=np.int64)  # noqa: E731
    return month, arr(wage), arr(ceiling), arr(other_wage), arr(other_income)


@given(batches())
def test_random_batches_match_the_core(batch: tuple[Month, np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> None:
    assert_same_as_core(*batch)


@given(benefit_months(), st.integers(0, 8_000_000))
def test_subsidy_hits_the_ceiling_exactly_when_room_is_smaller(month: Month, wage: int) -> None:
    # Put the ceiling exactly at wage + subsidy, one øre below and one above: cut is 0, 1 øre, 0.
    k = KernelRates.for_month(month)
    free = compute_month(k, [wage], [MAX_INPUT_ORE])
    before = int(free.subsidy[0])
    ceilings = [wage + before, max(0, wage + before - 1), wage + before + 1]
    r = compute_month(k, [wage] * 3, ceilings)
    assert r.ceiling_cut.tolist() == [0, 1 if before > 0 else 0, 0]
    assert_same_as_core(month, np.array([wage] * 3), np.array(ceilings), np.zeros(3, np.int64),
                        np.zeros(3, np.int64))


def test_blocks_do_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel works in cache-sized blocks; tiny blocks must give the same rows as one big block,
    # and the input check must see every block.
    import flexcalc.batch.kernel as kernel

    table = generate(5_003, seed=4)
    cols = [table.column(f"{name}_ore").to_numpy() for name in ("wage", "ceiling", "other_wage", "other_income")]
    rates = KernelRates.for_month(Month(2024, 3))
    monkeypatch.setattr(kernel, "BLOCK_ROWS", 1_000_000)
    whole = compute_month(rates, *cols)
    monkeypatch.setattr(kernel, "BLOCK_ROWS", 7)
    blocked = compute_month(rates, *cols)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(blocked, name), getattr(whole, name))
    bad_ceiling = cols[1].copy()
    bad_ceiling[5_001] = -1
    with pytest.raises(ValueError, match="ceiling"):
        compute_month(rates, cols[0], bad_ceiling)
