"""The old scheme's rules, one small function each (fleksjob begun before 1 January 2013).

- LAB § 133, stk. 2: the subsidy is paid to the employer and is ½ or ⅔ of the wage, by the degree of the
  reduced working capacity (the fraction is set when the job is approved and may change on reassessment).
- LAB § 133, stk. 3, 1. pkt.: it is computed on the wage plus the employer's ATP and other employer
  contributions (the wage basis); 2. pkt.: at most on the wage of the collective agreement (the agreement
  wage is what the municipality enters, so a wage above it is not subsidised); 3. pkt.: at most on an
  annual amount (527.091 kr., 2019-niveau) or an hourly amount (273,93 kr., 2019-niveau), regulated.
- LAB § 133, stk. 4: the subsidy is reduced by the refund the employer is entitled to for sickness or
  maternity, reckoned per day with refund.

How a month is computed (docs/decisions.md, "The old scheme"): the monthly cap is the annual cap / 12 and,
where the month's paid hours are given, the hourly cap × hours, whichever is lower; the subsidy is the
fraction of the capped basis, rounded to øre half up; a day with refund loses at most that day's share of
the subsidy (the subsidy / 21,6667 days), and never more than the refund.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from flexcalc.errors import InputError
from flexcalc.money import ZERO, round_ore


class SubsidyFraction(Enum):
    """The fraction of the wage basis the employer receives (LAB § 133, stk. 2, 2. pkt.)."""

    HALF = "1/2"
    TWO_THIRDS = "2/3"

    @property
    def numerator(self) -> int:
        return 1 if self is SubsidyFraction.HALF else 2

    @property
    def denominator(self) -> int:
        return 2 if self is SubsidyFraction.HALF else 3

    @property
    def label_da(self) -> str:
        return "halvdelen" if self is SubsidyFraction.HALF else "to tredjedele"


def parse_fraction(value: object, field: str = "fraction") -> SubsidyFraction:
    """``1/2`` or ``2/3`` (also ``½``/``⅔``); anything else is an input error naming ``field``."""
    text = str(value).strip().replace("½", "1/2").replace("⅔", "2/3") if value is not None else ""
    for fraction in SubsidyFraction:
        if text == fraction.value:
            return fraction
    raise InputError(field, f"'{value}' is not a subsidy fraction: write 1/2 or 2/3",
                     f"'{value}' er ikke en tilskudsbrøk: skriv 1/2 eller 2/3", code="fraction")


def wage_basis(agreement_wage: Decimal, employer_contributions: Decimal) -> Decimal:
    """The wage with the employer's ATP and other employer contributions (LAB § 133, stk. 3, 1. pkt.)."""
    return agreement_wage + employer_contributions


def monthly_cap(annual_cap: Decimal, hourly_cap: Decimal, hours: Decimal | None) -> Decimal:
    """The month's cap on the basis: annual cap / 12, or hourly cap × paid hours when lower
    (LAB § 133, stk. 3, 3. pkt.), in øre."""
    by_year = round_ore(annual_cap / 12)
    if hours is None:
        return by_year
    return min(by_year, round_ore(hourly_cap * hours))


def capped_basis(basis: Decimal, cap: Decimal) -> Decimal:
    """The part of the basis within the cap."""
    return min(basis, cap)


def fraction_of(amount: Decimal, fraction: SubsidyFraction) -> Decimal:
    """½ or ⅔ of ``amount``, rounded to øre half up (the one rounding of the subsidy)."""
    return round_ore(amount * fraction.numerator / fraction.denominator)


def sickness_reduction(subsidy: Decimal, refund_days: int, refund_amount: Decimal,
                       days_per_month: Decimal) -> Decimal:
    """The reduction for the employer's sickness or maternity refund (LAB § 133, stk. 4): per day with
    refund, the refund of that day, but no more than that day's share of the subsidy; in all at most the
    subsidy."""
    if refund_days <= 0 or refund_amount <= 0:
        return ZERO
    share_of_days = round_ore(subsidy * refund_days / days_per_month)
    return min(refund_amount, share_of_days, subsidy)


@dataclass(frozen=True, slots=True)
class SchemeAfterJobChange:
    """Which scheme a person in the old scheme is in after a change at work, and why."""

    scheme: str
    new_fleksjob: bool
    reason_da: str


def scheme_after_job_change(*, new_employer: bool, new_tasks_and_terms: bool, dismissed_and_rehired: bool = False,
                            same_tasks_moved: bool = False) -> SchemeAfterJobChange:
    """The old rules keep only the fleksjob begun before 1 January 2013 (LAB § 133, stk. 1); a new fleksjob is
    under the new scheme (LAB § 123). What counts as a new fleksjob follows STAR's and Cabi's practice:
    another employer, or new tasks and terms, or a dismissal and a new hiring, is a new fleksjob; a change
    of hours or of the needs for consideration, a promotion in the same field, a move of the same tasks to
    another workplace of the same employer, or a merger/transfer with unchanged tasks and terms is not."""
    if same_tasks_moved and not dismissed_and_rehired and not new_tasks_and_terms:
        return SchemeAfterJobChange("old", False, "samme arbejdsopgaver og vilkår: ikke et nyt fleksjob")
    if new_employer or new_tasks_and_terms or dismissed_and_rehired:
        return SchemeAfterJobChange("new_2013", True, "nyt fleksjob: de nye regler gælder fra ansættelsen")
    return SchemeAfterJobChange("old", False, "ændring i timer, skånehensyn eller jobbeskrivelse: ikke et nyt fleksjob")
