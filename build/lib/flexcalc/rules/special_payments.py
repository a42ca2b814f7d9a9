"""Special payments and the ceiling in the month they are paid.

Ankestyrelsen PM 14-22: payments from a fritvalgsordning or a søgnehelligdagskonto, ferietillæg and
feriedifference are wage income and count in the calculation of the subsidy *when they are paid*.
Ankestyrelsen's summary adds that the ceiling must be raised in that situation ("Lønloftet skal hæves,
når der …", ast.dk 2022; the full sentence could not be read). The ceiling is the pay of an ordinary
full-timer in the same position incl. the supplements such a person gets (LAB § 123, stk. 3; PM 48-22),
and an ordinary full-timer receives the same special payment in that month.

Decision (docs/decisions.md, "Special payments"): in the month paid the ceiling is raised by the
full-time equivalent the employer states (``ceiling_raise``) or, when none is given, by the amount
paid — so that the special payment itself never turns into a cut through the ceiling.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.events import SPECIAL_PAYMENT_KINDS, Income
from flexcalc.provisions import base

PROVISION = base("special_payments")


def ceiling_raise(income: Income) -> Decimal | None:
    """How much ``income`` raises the ceiling of the month it is paid in (None: not a special payment)."""
    if income.kind not in SPECIAL_PAYMENT_KINDS:
        return None
    return income.amount if income.ceiling_raise is None else income.ceiling_raise
