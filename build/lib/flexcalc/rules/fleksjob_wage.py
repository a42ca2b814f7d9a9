"""No wage from the fleksjob employer, no subsidy — and the exceptions.

Vejledning nr. 9154 af 25/2/2022, pkt. 2.1: "Udbetaling af fleksløntilskud fra kommunen
forudsætter, at der er en lønudbetaling fra arbejdsgiveren." Ankestyrelsen PM 6-23: without a wage
from the employer no subsidy can be computed. Wage from *another* employer does not open a month:
only the fleksjob wage (``MonthInput.wage``) does.

The exceptions, each named in the trace (issue 11 item 1; docs/decisions.md, "No fleksjob wage"):
- sickness or maternity without pay in the basis month: the top-up of the dagpenge (LAB § 124, stk. 3);
- ressourceforløbsydelse instead of wage in the basis month: the same top-up (LAB § 124, stk. 3);
- holiday paid from FerieKonto (LAB § 124, stk. 1; BEK 227/2024 § 6), or holiday pay from the
  employer reported as its own income (LAB § 124, stk. 1; BEK § 5);
- from the date in ``law_dates.yaml`` (2024-01): tabt arbejdsfortjeneste and plejevederlag
  (BEK 1806/2023 § 11); before it they do not open a month. Which income kinds open a month, and
  from when, is the ``opens_month_from`` column of ``income_kinds.yaml``.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.events import RESOURCE_ABSENCE, SICKNESS_ABSENCE, MonthEvents, period_days
from flexcalc.lawdata import income_kind
from flexcalc.period import Month

ZERO = Decimal(0)

EXCEPTION_PROVISION_KEY = {
    "unpaid_absence": "exception_unpaid_absence",
    "resource_benefit": "resource_benefit",
    "feriekonto": "exception_feriekonto",
    "employer_holiday_pay": "exception_employer_holiday_pay",
    "tabt_arbejdsfortjeneste": "exception_tabt_arbejdsfortjeneste",
    "plejevederlag": "exception_plejevederlag",
}


def has_fleksjob_wage(wage: Decimal) -> bool:
    """Whether the fleksjob employer paid a wage in the basis month."""
    return wage > 0


def exceptions(events: MonthEvents | None, basis: Month, benefit_month: Month) -> tuple[str, ...]:
    """The exceptions that let a month without fleksjob wage be computed, in a fixed order (empty: none)."""
    if events is None:
        return ()
    found: list[str] = []
    if period_days(events.periods, basis, SICKNESS_ABSENCE):
        found.append("unpaid_absence")
    if period_days(events.periods, basis, RESOURCE_ABSENCE):
        found.append("resource_benefit")
    if any(pay.net + pay.tax_withheld > 0 for pay in events.feriekonto):
        found.append("feriekonto")
    for income in events.incomes:
        if income.amount > 0 and income.kind not in found and income_kind(income.kind).opens_month(benefit_month):
            found.append(income.kind)
    return tuple(found)
