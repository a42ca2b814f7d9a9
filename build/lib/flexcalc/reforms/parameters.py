"""Today's parameters with a reform's dated overrides laid over them, without touching the global ones.

``load_parameters()`` is cached and shared by every calculation in the process; a reform never
changes it. Instead each overridden parameter is copied (pydantic ``model_copy``) with the reform's
dated values merged into its own, and the month's ``Rates`` are read from that copy, the same way
``flexcalc.params.rates_for`` reads them from the originals.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.errors import NoRatesError, require
from flexcalc.params import RATE_NAMES, Parameter, ParameterValue, Rates, load_parameters, rates_for
from flexcalc.period import Month
from flexcalc.reforms.spec import Reform

REFORM_STATUS_NOTE = "reform override"


def overridden_parameters(reform: Reform) -> dict[str, Parameter]:
    """Every parameter, with the reform's dated values merged in (a new dict; the originals are untouched)."""
    parameters = dict(load_parameters())
    for name, dated in reform.parameters.items():
        original = parameters[name]
        by_start = {entry.start: entry for entry in original.values}
        for start, value in dated.items():
            by_start[start] = ParameterValue(start=start, value=value, status="derived",
                                             source=f"reform: {reform.name}", note=REFORM_STATUS_NOTE)
        values = tuple(by_start[start] for start in sorted(by_start))
        parameters[name] = original.model_copy(update={"values": values})
    return parameters


def reform_rates(month: Month, reform: Reform) -> Rates:
    """The rates of benefit ``month`` under ``reform``'s parameter overrides (today's rates when it has none)."""
    if not reform.parameters:
        return rates_for(month)
    parameters = overridden_parameters(reform)
    day = month.first_day()
    entries: dict[str, ParameterValue] = {}
    for name in RATE_NAMES:
        try:
            entries[name] = parameters[name].entry_at(day)
        except NoRatesError:
            raise NoRatesError(str(month)) from None
    values: dict[str, Decimal] = {}
    for name, entry in entries.items():
        values[name] = require(entry.value, f"the value of {name} for {month}")
    return Rates(month=month, entries=entries, **values)
