"""Holiday: pay during holiday, feriegodtgørelse through FerieKonto, holiday on ledighedsydelse.

- LAB § 124, stk. 1: a person who during holiday receives wage, ferieydelse or feriegodtgørelse keeps
  the subsidy; § 123, stk. 2 applies to the calculation.
- BEK 227/2024 § 5: feriegodtgørelse paid by the employer when the holiday is taken is part of the
  wage in the income register and counts as wage (``employer_holiday_pay``).
- BEK 227/2024 § 6: feriegodtgørelse paid into FerieKonto, a feriekasse etc. is taken out of the wage
  income when it is earned (stk. 2) and counts when the holiday is taken (stk. 1): the net amount is
  grossed up by adding back tax and AM-bidrag (stk. 3) and counts "som en forholdsmæssig andel …
  sat i forhold til antallet af feriedage, som afholdes" (stk. 4).
- BEK 227/2024 § 10: holiday without earned holiday pay may be taken on ledighedsydelse, together
  with paid holiday at most 25 days (stk. 1); no subsidy for the days with ledighedsydelse: the
  subsidy computed under § 3 is reduced in proportion to those days, and the next month, whose
  subsidy rests on the lower wage of the holiday month, is regulated on the real wage of the month
  after the holiday (stk. 2). The days are set against 21,6667 days a month (§ 2, stk. 2;
  docs/decisions.md, "Holiday on ledighedsydelse").
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.events import FerieKontoPayment
from flexcalc.money import ZERO, round_ore
from flexcalc.provisions import base

PROVISION_EMPLOYER = base("holiday_employer")
PROVISION_FERIEKONTO = base("holiday_feriekonto")
PROVISION_FERIEKONTO_EARNED = base("holiday_feriekonto_earned")
PROVISION_LEDIGHEDSYDELSE = base("holiday_ledighedsydelse")
PROVISION_REGULATION = base("holiday_regulation")
PROVISION_LIMIT = base("holiday_limit")


def feriekonto_counted(payment: FerieKontoPayment) -> tuple[Decimal, Decimal]:
    """(gross, counted): gross = net + tax and AM-bidrag withheld; counted = gross × days taken / days
    covered, rounded to øre (half up)."""
    gross = payment.net + payment.tax_withheld
    if payment.days_taken == payment.days_covered:
        return gross, gross
    return gross, round_ore(gross * payment.days_taken / payment.days_covered)


def ledighedsydelse_reduction(subsidy: Decimal, days: Decimal, days_per_month: Decimal) -> Decimal:
    """The part of the subsidy not paid for ``days`` with ledighedsydelse: subsidy × days / 21,6667,
    at most the whole subsidy, rounded to øre (half up)."""
    if days <= 0 or subsidy <= 0:
        return ZERO
    if days >= days_per_month:
        return subsidy
    return round_ore(subsidy * days / days_per_month)
