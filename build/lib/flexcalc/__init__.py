"""flexcalc: an open, exact engine for the Danish fleksløntilskud (LAB §§ 123–124, 137)."""

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import FlexcalcError, InputError, NoRatesError
from flexcalc.period import Month
from flexcalc.version import RULE_VERSION

__all__ = [
    "RULE_VERSION",
    "FlexcalcError",
    "InputError",
    "Month",
    "MonthInput",
    "MonthResult",
    "NoRatesError",
    "calculate_month",
]
