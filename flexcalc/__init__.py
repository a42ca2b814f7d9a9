"""flexcalc: an open, exact engine for the Danish fleksløntilskud (LAB §§ 123–124, 137)."""

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import FlexcalcError, InputError, NoRatesError
from flexcalc.period import Month

RULE_VERSION = "2026.11.1"
"""Version of the rules. Bump it whenever a rule or a parameter value changes a result."""

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
