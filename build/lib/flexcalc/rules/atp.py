"""The subsidy recipient's own ATP contribution, withheld from the subsidy.

LAB § 137; BEK 1344/2015 § 2: 5 % of the subsidy, at most 500 kr. a month, rounded to whole kroner.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import round_krone
from flexcalc.params import Rates
from flexcalc.provisions import base

PROVISION = base("atp_own")


def own_atp_share(subsidy: Decimal, rates: Rates) -> Decimal:
    """5 % of the subsidy, capped at 500 kr., in whole kroner (half up)."""
    return round_krone(min(rates.atp_own_share_rate * subsidy, rates.atp_own_share_cap))
