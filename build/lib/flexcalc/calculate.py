"""One benefit month: ``calculate_month(MonthInput(...))`` → ``MonthResult`` with its trace.

The calculation is the one pipeline of ``flexcalc.month`` (wage income → maximum → reduction →
sickness top-up → ceiling → holiday on ledighedsydelse → own ATP → state ATP); this module keeps the
names every caller imports (``from flexcalc.calculate import calculate_month, MonthInput,
MonthResult``).
"""

from __future__ import annotations

from flexcalc.month.input import MonthInput
from flexcalc.month.pipeline import calculate_month
from flexcalc.month.result import MonthResult
from flexcalc.provisions import base

ROUNDING_PROVISION = base("rounding")

__all__ = ["ROUNDING_PROVISION", "MonthInput", "MonthResult", "calculate_month"]
