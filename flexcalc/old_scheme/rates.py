"""The old scheme's rates of a month, read from the dated parameter files (``law/parameters/old_scheme``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flexcalc.law.params import ParameterValue, entries_in_force, load_parameters, values_of, weakest_status
from flexcalc.period import Month

OLD_SCHEME_RATE_NAMES = ("old_scheme_annual_cap", "old_scheme_hourly_cap", "days_per_month")
"""The parameters a month of the old scheme uses (``flexcalc rates`` shows the first two with their sources)."""

REFUND_RATE_NAME = "old_scheme_state_refund_rate"


@dataclass(frozen=True, slots=True)
class OldSchemeRates:
    """The caps in force in a month, the days of a month for the per-day sickness reduction, and the
    entries they came from (status, source)."""

    month: Month
    annual_cap: Decimal
    hourly_cap: Decimal
    days_per_month: Decimal
    entries: dict[str, ParameterValue]

    @property
    def kind(self) -> str:
        """The weakest status of the month's rates: assumed, else computed, else published."""
        return weakest_status(entry.status for entry in self.entries.values())


def old_scheme_rates(month: Month) -> OldSchemeRates:
    """The old scheme's rates of ``month``; ``NoRatesError`` for a month the tables do not cover."""
    entries = entries_in_force(load_parameters(), OLD_SCHEME_RATE_NAMES, month)
    values = values_of(entries, month)
    return OldSchemeRates(month, values["old_scheme_annual_cap"], values["old_scheme_hourly_cap"],
                          values["days_per_month"], entries)


def state_refund_rate(month: Month) -> Decimal:
    """The fixed state refund of the old scheme's subsidy in ``month`` (65 %)."""
    return load_parameters()[REFUND_RATE_NAME].value_at(month.first_day())
