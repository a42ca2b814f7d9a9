"""The one month pipeline: its stages are named and ordered as the law's; in a plain month the event
stages add nothing; every trace key is one of flexcalc.month.steps."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given

from flexcalc.law.params import rates_for
from flexcalc.month import STAGES, MonthInput, calculate_month, steps
from flexcalc.month.pipeline import MonthState, context_for
from flexcalc.period import Month
from tests.support.strategies import amounts, benefit_months

KEYS = {value for name, value in vars(steps).items() if name.isupper() and isinstance(value, str)}


def test_the_stages_are_named_in_the_laws_order() -> None:
    assert tuple(name for name, _ in STAGES) == steps.STAGES == (
        "wage_income", "maximum", "reduction", "sickness_top_up", "ceiling", "holiday_on_ledighedsydelse",
        "own_atp", "state_atp")


@given(benefit_months(), amounts(0, 60_000), amounts(0, 90_000))
def test_event_stages_add_nothing_to_a_plain_month(month: Month, wage: Decimal, ceiling: Decimal) -> None:
    inp = MonthInput(month, wage, ceiling)
    state = MonthState(inp, context_for(rates_for(month)), month, True)
    added: dict[str, list[str]] = {}
    for name, stage in STAGES:
        before = len(state.steps)
        stage(state)
        added[name] = [s.key for s in state.steps[before:]]
    # so a plain month may skip them (flexcalc.month.pipeline.PLAIN_STAGES)
    assert added["holiday_on_ledighedsydelse"] == [] and added["state_atp"] == []
    assert added["maximum"] == ["max_subsidy"]
    result = calculate_month(inp)
    assert [s.key for s in result.steps] == [key for keys in added.values() for key in keys]
    assert {s.key for s in result.steps} <= KEYS
    assert state.subsidy == result.subsidy and state.payout == result.payout

