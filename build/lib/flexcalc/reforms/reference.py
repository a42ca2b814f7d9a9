"""The reform of one person in ``Decimal``, through the Decimal core: the reference the vector code is tested against.

For parameter overrides, a single reduction rate, an agreement ceiling and a minimum gain per hour
this is ``calculate_month`` itself with the reform's rates or ceiling. For the hourly reduction the
subsidy before the ceiling is computed here with exact fractions (``fractions.Fraction``), then the
ceiling and the own ATP share come from the rule modules (``flexcalc.rules.ceiling``,
``flexcalc.rules.atp``), as in ``calculate_month``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from flexcalc.calculate import MonthInput, calculate_month
from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.period import Month
from flexcalc.reforms.parameters import reform_rates
from flexcalc.reforms.spec import Reform
from flexcalc.rules import atp, ceiling, wage_income
from flexcalc.rules.fleksjob_wage import has_fleksjob_wage


@dataclass(frozen=True, slots=True)
class Person:
    """One person of a basis month, in kroner."""

    wage: Decimal
    ceiling: Decimal
    hours: int
    other_wage: Decimal = ZERO
    other_income: Decimal = ZERO
    agreement: str | None = None


@dataclass(frozen=True, slots=True)
class PersonResult:
    subsidy_before_ceiling: Decimal
    subsidy: Decimal
    atp_own: Decimal
    payout: Decimal


def _fraction_to_ore(value: Fraction) -> Decimal:
    """A non-negative exact fraction of kroner rounded to whole øre, half up."""
    ore = value * 100
    whole, rest = divmod(ore.numerator, ore.denominator)
    if 2 * rest >= ore.denominator:
        whole += 1
    return Decimal(whole) / 100


def today(month: Month, person: Person) -> PersonResult:
    result = calculate_month(MonthInput(month, person.wage, person.ceiling, person.other_wage, person.other_income))
    return PersonResult(result.subsidy_before_ceiling, result.subsidy, result.atp_own, result.payout)


def reform_person(month: Month, reform: Reform, person: Person) -> PersonResult:
    """The month of one person under ``reform``, in Decimal (see the module docstring)."""
    rates = reform_rates(month, reform)
    rules = reform.rules
    if rules.single_reduction_rate is not None:
        rate = rules.single_reduction_rate.rate
        rates = dataclasses.replace(rates, reduction_rate_low=rate, reduction_rate_high=rate)
    full_time = person.ceiling
    if rules.agreement_ceilings is not None:
        table = rules.agreement_ceilings
        if person.agreement in table.ceilings:
            full_time = table.ceilings[person.agreement]
        elif table.missing == "error":
            raise InputError("agreement", "not in the table", "findes ikke i tabellen")
    the_ceiling = full_time
    if rules.minimum_gain_per_hour is not None:
        the_ceiling = full_time + rules.minimum_gain_per_hour.amount * person.hours
    hourly = rules.hourly_reduction
    if hourly is None:
        result = calculate_month(MonthInput(month, person.wage, the_ceiling, person.other_wage,
                                            person.other_income), rates)
        return PersonResult(result.subsidy_before_ceiling, result.subsidy, result.atp_own, result.payout)
    flat = hourly.flat_subsidy if hourly.flat_subsidy is not None else rates.max_subsidy
    base = full_time if hourly.base == "ceiling" else flat
    exact = Fraction(flat) - person.hours * hourly.per_hour * Fraction(base)
    before = _fraction_to_ore(max(exact, Fraction(0)))
    if not has_fleksjob_wage(person.wage):
        before = _fraction_to_ore(Fraction(0))  # no fleksjob wage, no subsidy (rules/fleksjob_wage.py)
    w = wage_income.wage_income(person.wage, person.other_wage, person.other_income)
    subsidy, _cut, _room = ceiling.apply_ceiling(before, the_ceiling, w)
    atp_own = atp.own_atp_share(subsidy, rates)
    return PersonResult(before, subsidy, atp_own, subsidy - atp_own)

