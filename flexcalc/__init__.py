"""flexcalc: an open, exact engine for the Danish fleksløntilskud (LAB §§ 123–124, 137).

The public API is ``__all__`` below: one benefit month (``calculate_month(MonthInput(...))`` →
``MonthResult`` with its trace; with events, ``MonthEvents`` → ``EventMonthResult``), the rates in
force (``rates_for``) and the errors a caller can meet. Everything else is reached by its module
(``flexcalc.citizen.scenarios``, ``flexcalc.ledger.store`` …); ``docs/architecture.md`` shows the rooms.
"""

from flexcalc.errors import FlexcalcError, InputError, NoRatesError
from flexcalc.law.params import Rates, rates_for
from flexcalc.month import EventMonthResult, MonthInput, MonthResult, calculate_month
from flexcalc.month.events import MonthEvents
from flexcalc.period import Month
from flexcalc.version import RULE_VERSION

__all__ = [
    "RULE_VERSION",
    "EventMonthResult",
    "FlexcalcError",
    "InputError",
    "Month",
    "MonthEvents",
    "MonthInput",
    "MonthResult",
    "NoRatesError",
    "Rates",
    "calculate_month",
    "rates_for",
]
