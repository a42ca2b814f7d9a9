"""Formula versions as data: a benefit month runs the stages of the dated version in force on its first
day; from January 2027 a month with a transition event is held for a manual decision, not guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flexcalc.errors import ManualDecisionRequired
from flexcalc.month import MonthInput, calculate_month
from flexcalc.month.events import MonthEvents, Period
from flexcalc.month.pipeline import FORMULA_VERSIONS, STAGES, stages_for, transition_2027_stage
from flexcalc.period import Month


def test_each_month_runs_the_stages_of_its_dated_version() -> None:
    assert [start for start, _ in FORMULA_VERSIONS] == [dt.date(2013, 1, 1), dt.date(2027, 1, 1)]
    law_order = tuple(stage for _, stage in STAGES)
    assert stages_for(Month(2026, 12), events=True) == law_order
    assert stages_for(Month(2027, 1), events=True) == (transition_2027_stage, *law_order)
    assert transition_2027_stage not in stages_for(Month(2027, 1), events=False)  # a plain month has no events


@pytest.mark.parametrize("kind", ["resource_benefit_jobafklaring", "sickness_reduced_rate"])
def test_a_2027_transition_event_is_not_computed_by_a_guess(kind: str) -> None:
    events = MonthEvents(periods=(Period(kind, dt.date(2026, 12, 7), dt.date(2026, 12, 11)),))  # type: ignore[arg-type]
    with pytest.raises(ManualDecisionRequired) as caught:
        calculate_month(MonthInput(Month(2027, 1), Decimal("9000"), Decimal("30000"), events=events))
    assert caught.value.code == "manual_decision" and caught.value.field == "events.periods"
    assert "sagsbehandler" in caught.value.reason_da
    # the same month without the event is computed (M 22.280 − 30 % × 9.000 = 19.580)
    plain = calculate_month(MonthInput(Month(2027, 1), Decimal("9000"), Decimal("30000"), events=MonthEvents()))
    assert plain.subsidy == Decimal("19580.00")
