"""A job that starts or ends within the month, and a ceiling that changes within the month.

The sources have no written rule for the subsidy of a part month. Decided (docs/decisions.md,
"Job start and end, changes within a month"):
- The subsidy is paid monthly in arrears and the reduction for a month's wage falls in the following
  month (LAB § 123, stk. 1; PM 48-22); each month's calculation rests on one wage month, the basis
  month. When the employment covers only some calendar days of the basis month (the job started or
  ended in it), the monthly amounts of that calculation — M (98 % of the highest dagpengesats), the
  threshold T and the ceiling — are taken for those days only: amount × employed calendar days /
  calendar days of the month, rounded to øre. This is the rule BEK 1344/2015 § 1, stk. 3 gives for
  the ATP of the subsidy ("For beregningsperioder på mindre end en måned, beregnes ATP-bidraget
  forholdsmæssigt i forhold til antallet af kalenderdage i måneden"), applied to the subsidy itself.
  So every wage month is deducted exactly once, against M for the same days: the first subsidy is
  the one for the month after the start (on the first, part month's wage — at first the contract
  wage, regulated when the real wage is reported, as Ishøj Kommune describes it), and the last is
  the one for the month after the end (on the last, part month's wage).
- The ceiling is compared with the basis month's wage, so a change of the ceiling (new pay rates,
  new supplements) within the basis month gives a ceiling weighted by calendar days: Σ ceiling ×
  days in force / days of the month, rounded to øre (LAB § 123, stk. 3; PM 48-22: the employer
  reports changes).
- A change of hours within the month needs no rule: the wage income and the reported paid hours are
  monthly totals (LAB § 123, stk. 2; § 138, stk. 2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexcalc.events import CeilingChange
from flexcalc.money import round_ore
from flexcalc.period import Month
from flexcalc.provisions import base

PROVISION_EMPLOYMENT = base("partial_month_employment")
PROVISION_CEILING = base("partial_month_ceiling")


def days_in_month(month: Month) -> int:
    return (month.last_day() - month.first_day()).days + 1


def employment_share(employed: int, month: Month) -> Decimal:
    """Employed calendar days / calendar days of the month (exact)."""
    total = days_in_month(month)
    return Decimal(1) if employed >= total else Decimal(employed) / Decimal(total)


def weighted_ceiling(ceiling: Decimal, changes: tuple[CeilingChange, ...], month: Month) -> Decimal:
    """The ceiling of ``month`` when it changes within the month: weighted by calendar days."""
    if not changes:
        return ceiling
    total = days_in_month(month)
    pieces: list[tuple[dt.date, Decimal]] = [(month.first_day(), ceiling)]
    for change in changes:
        if change.start == month.first_day():
            pieces[0] = (change.start, change.ceiling)
        else:
            pieces.append((change.start, change.ceiling))
    weighted = Decimal(0)
    for index, (start, value) in enumerate(pieces):
        end = pieces[index + 1][0] if index + 1 < len(pieces) else month.last_day() + dt.timedelta(days=1)
        weighted += value * (end - start).days
    return round_ore(weighted / total)
