"""The one way in for a period of the old scheme: the CLI and the API parse their fields here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flexcalc.money import ZERO
from flexcalc.old_scheme.calculation import OldSchemeInput
from flexcalc.old_scheme.rules import parse_fraction
from flexcalc.parsing.inputs import parse_amount, parse_quantity
from flexcalc.period import Month

MAX_HOURS_A_MONTH = Decimal(744)
"""31 days × 24 hours: more paid hours in a month is a typing error."""


def old_scheme_input(*, month: Any, agreement_wage: Any, fraction: Any, employer_contributions: Any = None,
                     hours: Any = None, sick_refund_days: Any = None, sick_refund_amount: Any = None) -> OldSchemeInput:
    """Parse a period's fields (strings or numbers) into an ``OldSchemeInput``; an ``InputError`` names the
    first bad field in Danish and English."""
    inp = OldSchemeInput(
        month=Month.parse(month, "month"),
        agreement_wage=parse_amount(agreement_wage, "agreement_wage"),
        fraction=parse_fraction(fraction, "fraction"),
        employer_contributions=ZERO if employer_contributions is None
        else parse_amount(employer_contributions, "employer_contributions"),
        hours=None if hours is None else parse_quantity(hours, "hours", maximum=MAX_HOURS_A_MONTH,
                                                        unit="hours", unit_da="timer"),
        sick_refund_days=0 if sick_refund_days is None
        else int(parse_quantity(sick_refund_days, "sick_refund_days", maximum=Decimal(31), decimals=0)),
        sick_refund_amount=ZERO if sick_refund_amount is None
        else parse_amount(sick_refund_amount, "sick_refund_amount"),
    )
    inp.check()
    return inp
