"""Month-to-month explanation: hand-checked cases, the extension points, and exact sums (Hypothesis)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexcalc.citizen.month_change import (
    STAGES,
    Adjustment,
    MonthSide,
    Part,
    Stage,
    StageChange,
    explain_case_change,
    explain_month_change,
)
from flexcalc.month import MonthInput, MonthResult, calculate_month
from flexcalc.period import Month
from tests.support.strategies import amounts, benefit_months

D = Decimal


def side(month: str, wage: str, ceiling: str, *adjustments: Adjustment, **extra: str) -> MonthSide:
    inp = MonthInput(Month.parse(month), D(wage), D(ceiling), **{k: D(v) for k, v in extra.items()})
    return MonthSide(inp, tuple(adjustments))


def causes(change: object) -> dict[str, Decimal]:
    return {c.key: c.amount for c in change.causes}  # type: ignore[attr-defined]


def test_new_rates_on_1_january() -> None:
    # Same wage 15.600 and ceiling: 2024 19.952 − 4.680 = 15.272; 2025 20.670 − 4.680 = 15.990.
    # The own ATP is 500 (the cap) in both months, so the whole difference is the rates: +718.
    change = explain_month_change(side("2024-12", "15600", "32067"), side("2025-01", "15600", "32067"))
    assert change.first_payout == D("14772.00") and change.second_payout == D("15490.00")
    assert causes(change) == {"rates": D("718.00")}
    text = change.causes[0].text_da
    assert text.startswith("Nye satser fra 1. januar 2025:")
    assert "19.952 kr. til 20.670 kr." in text and "16.323 kr. til 16.911 kr." in text
    assert text.endswith("Det giver 718,00 kr. mere i udbetaling.")
    assert "kr.." not in text
    assert change.summary_da() == ("Du får 718,00 kr. mere udbetalt for januar 2025 end for december 2024: "
                                   "15.490,00 kr. mod 14.772,00 kr. før skat.")


def test_wage_rise_through_both_regions_into_the_ceiling() -> None:
    # 2024, ceiling 32.067. Wage 15.600 → 20.000:
    # 30 % part: 0,30 × (16.323 − 15.600) = 216,90; 55 % part: 0,55 × (20.000 − 16.323) = 2.022,35;
    # before the ceiling 19.952 − 4.896,90 − 2.022,35 = 13.032,75; room 32.067 − 20.000 = 12.067,
    # so the ceiling cuts 965,75. Payout 14.772 → 11.567 (ATP 500 both): −3.205.
    change = explain_month_change(side("2024-03", "15600", "32067"), side("2024-04", "20000", "32067"))
    assert causes(change) == {"wage_low": D("-216.90"), "wage_high": D("-2022.35"), "ceiling": D("-965.75")}
    assert change.difference == D("-3205.00")
    texts = {c.key: c.text_da for c in change.causes}
    assert "under grænsen på 16.323 kr., steg med 723,00 kr." in texts["wage_low"]
    assert "over grænsen på 16.323 kr., steg med 3.677,00 kr." in texts["wage_high"]
    assert "skærer loftet 965,75 kr. af tilskuddet mod 0,00 kr. før" in texts["ceiling"]
    assert all("kr.." not in t for t in texts.values())


def test_on_the_plateau_the_wage_rise_is_taken_krone_for_krone() -> None:
    # Ceiling 25.000 binds in both months: subsidy 5.000 → 4.000 (ATP 250 → 200).
    # Of the 1.000 lost: 55 % reduction 550, the ceiling the other 450; ATP +50. Payout −950.
    change = explain_month_change(side("2024-03", "20000", "25000"), side("2024-04", "21000", "25000"))
    assert causes(change) == {"wage_high": D("-550.00"), "ceiling": D("-450.00"), "atp": D("50.00")}
    assert change.difference == D("-950.00")
    atp_text = next(c.text_da for c in change.causes if c.key == "atp")
    assert "200,00 kr. for april 2024 mod 250,00 kr. for marts 2024" in atp_text


def test_ceiling_amount_changed() -> None:
    # Wage 10.000: before the ceiling 19.952 − 3.000 = 16.952; the ceiling room 10.000 → 16.000.
    change = explain_month_change(side("2024-03", "10000", "20000"), side("2024-04", "10000", "26000"))
    assert causes(change) == {"ceiling_amount": D("6000.00")}
    assert "Dit lønloft steg fra 20.000,00 kr. til 26.000,00 kr." in change.causes[0].text_da


def test_a_change_without_effect_is_a_note_not_a_cause() -> None:
    change = explain_month_change(side("2024-03", "15600", "32067"), side("2024-04", "15600", "35000"))
    assert change.causes == [] and change.difference == 0
    assert change.notes_da == ["Dit lønloft steg fra 32.067,00 kr. til 35.000,00 kr., men loftet begrænsede ikke "
                               "tilskuddet, så det ændrede ikke udbetalingen."]
    assert change.summary_da().startswith("Du får det samme udbetalt for april 2024 som for marts 2024")


def test_correction_of_an_earlier_month() -> None:
    correction = Adjustment("correction", D("300.00"), Month(2024, 2))
    change = explain_month_change(side("2024-03", "15600", "32067"),
                                  side("2024-04", "15600", "32067", correction))
    assert causes(change) == {"correction": D("300.00")}
    assert change.second_payout == D("15072.00")
    assert "efterregulering af en tidligere måned på +300,00 kr." in change.causes[0].text_da
    assert change.to_dict()["second"]["adjustments"][0]["text_da"] == (
        "efterregulering af en tidligere måned for februar 2024: +300,00 kr.")


def test_subore_reductions_are_rounded_and_the_remainder_is_kept() -> None:
    # 10.000,01 → 10.000,02: exact 30 % parts differ by 0,003; the subsidies 16.951,997 → 16.952,00 and
    # 16.951,994 → 16.951,99 differ by 0,01, which the 30 % cause carries.
    change = explain_month_change(side("2024-03", "10000.01", "40000"), side("2024-04", "10000.02", "40000"))
    assert causes(change) == {"wage_low": D("-0.01")}


def test_to_dict_shape() -> None:
    data = explain_month_change(side("2024-03", "15600", "32067"), side("2024-04", "20000", "32067")).to_dict()
    assert data["difference"] == "-3205.00"
    assert [c["key"] for c in data["causes"]] == ["wage_low", "wage_high", "ceiling"]
    assert data["first"]["payout"] == "14772.00" and data["second"]["basis_month"] == "2024-03"
    assert all(c["provision"] for c in data["causes"])


# ---------------------------------------------------------------- extension points

@dataclasses.dataclass(slots=True)
class EventInput(MonthInput):
    """A test double for the month events: days the fake calculator pays 100 kr. less for."""

    unpaid_days: int = 0


def fake_event_calculator(inp: MonthInput) -> MonthResult:
    result = calculate_month(inp)
    days = inp.unpaid_days if isinstance(inp, EventInput) else 0
    less = min(result.subsidy, D(100 * days))
    return dataclasses.replace(result, subsidy=result.subsidy - less, payout=result.payout - less)


def event_side(month: str, days: int) -> MonthSide:
    return MonthSide(EventInput(Month.parse(month), D("15600"), D("32067"), unpaid_days=days))


def test_inputs_no_stage_covers_fall_to_other_and_the_sum_stays_exact() -> None:
    change = explain_month_change(event_side("2024-03", 0), event_side("2024-04", 3), calculate=fake_event_calculator)
    assert causes(change) == {"other": D("-300.00")}


def test_a_registered_stage_names_its_cause() -> None:
    def split(change: StageChange) -> list[Part]:
        return [Part("holiday_sickness", change.subsidy_change,
                     lambda amount: f"Ferie uden løn: {amount}", "BEK 227/2024 § 10", exact_in_ore=True)]

    stage = Stage("holiday_sickness",
                  lambda cur, tgt: dataclasses.replace(cur, unpaid_days=tgt.unpaid_days),  # type: ignore[arg-type]
                  split)
    change = explain_month_change(event_side("2024-12", 0), event_side("2025-01", 2),
                                  calculate=fake_event_calculator, stages=[*STAGES, stage])
    assert causes(change) == {"rates": D("718.00"), "holiday_sickness": D("-200.00")}


def test_a_stored_case_plugs_in() -> None:
    class Case:
        def month_side(self, benefit_month: Month) -> MonthSide:
            wages = {Month(2024, 3): "15600", Month(2024, 4): "20000"}
            return side(str(benefit_month), wages[benefit_month], "32067")

    change = explain_case_change(Case(), Month(2024, 3), Month(2024, 4))
    assert change.difference == D("-3205.00")


def test_a_stage_whose_parts_do_not_add_up_is_refused() -> None:
    broken = Stage("rates", STAGES[0].substitute, lambda change: [])
    with pytest.raises(AssertionError):
        explain_month_change(side("2024-12", "15600", "32067"), side("2025-01", "15600", "32067"),
                             stages=[broken, *STAGES[1:]])


# ---------------------------------------------------------------- properties

adjustment_lists = st.lists(st.integers(-500_000, 500_000).map(
    lambda ore: Adjustment("correction", D(ore) / 100)), max_size=2)


@given(benefit_months(), benefit_months(), amounts(0, 60_000), amounts(0, 60_000), amounts(0, 80_000),
       amounts(0, 80_000), amounts(0, 3_000), amounts(0, 3_000), adjustment_lists, adjustment_lists)
def test_causes_add_up_to_the_difference_exactly(m1: Month, m2: Month, w1: Decimal, w2: Decimal, c1: Decimal,
                                                 c2: Decimal, o1: Decimal, o2: Decimal, a1: list[Adjustment],
                                                 a2: list[Adjustment]) -> None:
    first = MonthSide(MonthInput(m1, w1, c1, other_wage=o1), tuple(a1))
    second = MonthSide(MonthInput(m2, w2, c2, other_income=o2), tuple(a2))
    change = explain_month_change(first, second)
    expected = (calculate_month(second.inp).payout + sum((a.amount for a in a2), D(0))
                - calculate_month(first.inp).payout - sum((a.amount for a in a1), D(0)))
    assert change.difference == expected
    assert sum((c.amount for c in change.causes), D(0)) == expected
    keys = [c.key for c in change.causes]
    assert len(keys) == len(set(keys))
    for cause in change.causes:
        assert cause.amount != 0 and cause.amount == cause.amount.quantize(D("0.01"))
        assert cause.text_da and "kr.." not in cause.text_da and cause.provision
    if m1.year == m2.year:
        assert "rates" not in keys
    assert "other" not in keys


@given(benefit_months(), st.data())
def test_a_wage_change_below_the_threshold_is_30_ore_a_krone(month: Month, data: st.DataObject) -> None:
    from flexcalc.law.params import rates_for

    threshold = int(rates_for(month).threshold)
    # from 1 kr.: a month without fleksjob wage pays nothing, its own cause
    w1, w2 = data.draw(st.integers(1, threshold)), data.draw(st.integers(1, threshold))
    change = explain_month_change(side(str(month), str(w1), "100000"), side(str(month), str(w2), "100000"))
    got = causes(change)
    assert got.get("wage_low", D(0)) == -D("0.30") * (w2 - w1)
    assert set(got) <= {"wage_low", "atp"}


def test_holiday_on_ledighedsydelse_is_named_as_its_own_cause() -> None:
    """July plain, August with 5 days of holiday on ledighedsydelse in the benefit month (BEK § 10).

    Both months: W = 15.600 (2024), subsidy 15.272,00 before the holiday. The events stage alone must carry
    the whole difference, and the causes must still add up to the payout difference to the øre.
    """
    import datetime as dt

    from flexcalc.month.events import MonthEvents, Period

    plain = MonthInput(Month(2024, 8), Decimal("15600"), Decimal("32067"))
    events = MonthEvents(periods=(Period("holiday_ledighedsydelse", dt.date(2024, 8, 5), dt.date(2024, 8, 9)),))
    with_holiday = dataclasses.replace(plain, events=events)
    change = explain_month_change(MonthSide(plain), MonthSide(with_holiday))
    first, second = calculate_month(plain), calculate_month(with_holiday)
    assert change.difference == second.payout - first.payout
    assert sum(c.amount for c in change.causes) == change.difference
    keys = [c.key for c in change.causes]
    assert "events" in keys and "other" not in keys
    events_cause = next(c for c in change.causes if c.key == "events")
    assert events_cause.amount == second.subsidy - first.subsidy
    assert second.subsidy < first.subsidy
