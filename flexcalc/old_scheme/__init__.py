"""The old fleksjob scheme (fleksjob begun before 1 January 2013, LAB §§ 133-135): the employer is paid a
subsidy of ½ or ⅔ of the wage basis within the caps. Rules in ``rules``, rates in ``rates``, one period in
``calculation``. LAB § 136 (self-employed under the old rules) is not modelled (docs/decisions.md)."""

from flexcalc.old_scheme.calculation import OldSchemeInput, OldSchemeResult, calculate_old_scheme
from flexcalc.old_scheme.rates import OLD_SCHEME_RATE_NAMES, OldSchemeRates, old_scheme_rates, state_refund_rate
from flexcalc.old_scheme.rules import (
    SchemeAfterJobChange,
    SubsidyFraction,
    parse_fraction,
    scheme_after_job_change,
)

__all__ = [
    "OLD_SCHEME_RATE_NAMES",
    "OldSchemeInput",
    "OldSchemeRates",
    "OldSchemeResult",
    "SchemeAfterJobChange",
    "SubsidyFraction",
    "calculate_old_scheme",
    "old_scheme_rates",
    "parse_fraction",
    "scheme_after_job_change",
    "state_refund_rate",
]
