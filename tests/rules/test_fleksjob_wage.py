"""``flexcalc.rules.fleksjob_wage``: no wage from the fleksjob employer, no subsidy — unless a named
exception applies (vejledning 9154/2022 pkt. 2.1; docs/decisions.md, "No fleksjob wage, no subsidy")."""

from __future__ import annotations

from decimal import Decimal

from flexcalc.month.events import FerieKontoPayment, Income, MonthEvents
from flexcalc.period import Month
from flexcalc.rules import fleksjob_wage

D = Decimal
BASIS, BENEFIT = Month(2024, 2), Month(2024, 3)


def test_a_wage_of_one_ore_is_a_wage() -> None:
    assert not fleksjob_wage.has_fleksjob_wage(D("0"))
    assert fleksjob_wage.has_fleksjob_wage(D("0.01"))


def test_no_events_no_exception() -> None:
    assert fleksjob_wage.exceptions(None, BASIS, BENEFIT) == ()
    assert fleksjob_wage.exceptions(MonthEvents(), BASIS, BENEFIT) == ()


def test_holiday_pay_from_the_feriekonto_is_an_exception() -> None:
    events = MonthEvents(feriekonto=(FerieKontoPayment(D("1000"), D("333.33"), D("3"), D("1")),))
    assert fleksjob_wage.exceptions(events, BASIS, BENEFIT) == ("feriekonto",)


def test_plejevederlag_opens_a_month_from_2024_only() -> None:
    events = MonthEvents(incomes=(Income("plejevederlag", D("4000")),))
    assert fleksjob_wage.exceptions(events, BASIS, BENEFIT) == ("plejevederlag",)
    assert fleksjob_wage.exceptions(events, Month(2023, 11), Month(2023, 12)) == ()
    # a wage from another employer alone opens nothing
    other = MonthEvents(incomes=(Income("wage_other_employer", D("4000")),))
    assert fleksjob_wage.exceptions(other, BASIS, BENEFIT) == ()
