"""A bonus that covers several months is spread evenly over them (Ankestyrelsen PM 27-23).

PM 27-23: a payment from the employer as A- or B-income is presumed to be wage; a bonus or tantieme
from the person's own work is wage income; "hvis der er tale om en lønindtægt, der dækker flere
måneder … skal bonussen fordeles ligeligt over de måneder som lønnen dækker. Fleksløntilskuddet skal
derfor beregnes/genberegnes for de måneder." A cash Christmas gift is "arbejdsfri indtægt" and does
not count.

Decided (docs/decisions.md, "Bonus over several months"): the bonus is split in whole øre, equal
shares, the øre that do not divide go one each to the earliest months, so the shares add up to the
bonus exactly. Each share counts as wage of its basis month; the month the bonus was paid in loses it.
The recomputation itself is ``flexcalc.month_events.spread_bonus``.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.money import from_ore, to_ore
from flexcalc.provisions import base

PROVISION = base("bonus")


def shares(bonus: Decimal, months: int) -> list[Decimal]:
    """``bonus`` split into ``months`` shares of whole øre that add up to it exactly."""
    if months < 1:
        raise ValueError("a bonus is spread over at least one month")
    whole, rest = divmod(to_ore(bonus), months)
    return [from_ore(whole + (1 if index < rest else 0)) for index in range(months)]
