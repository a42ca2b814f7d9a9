"""The kinds of money lines the finance report books (pengelinjer).

The month's **payment** of fleksløntilskud (``report.finance_line``) and the money lines beside it
(``money_lines``): corrections paid out (efterbetalinger), regulations netted against a later payment, repayments
decided, claims collected and claims set off, each booked in the month it is paid or collected with the refund of
the benefit month it concerns. A report says which kinds it holds (``BUILT``), so a reader never takes a missing
kind for 0 kr.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LineKind(StrEnum):
    PAYMENT = "payment"
    EFTERBETALING = "efterbetaling"
    REGULATION = "regulation"
    REPAYMENT = "repayment"
    CLAIM_COLLECTED = "claim_collected"
    CLAIM_SET_OFF = "claim_set_off"


@dataclass(frozen=True, slots=True)
class LineKindInfo:
    kind: LineKind
    label_da: str
    built: bool


KINDS = (
    LineKindInfo(LineKind.PAYMENT, "udbetaling af månedens fleksløntilskud", True),
    LineKindInfo(LineKind.EFTERBETALING, "efterbetaling efter en efterregulering", True),
    LineKindInfo(LineKind.REGULATION, "regulering modregnet i en senere udbetaling", True),
    LineKindInfo(LineKind.REPAYMENT, "tilbagebetalingskrav efter afgørelse (LAB § 125)", True),
    LineKindInfo(LineKind.CLAIM_COLLECTED, "indbetaling på et krav", True),
    LineKindInfo(LineKind.CLAIM_SET_OFF, "krav modregnet i en udbetaling", True),
)
BUILT = tuple(k.kind for k in KINDS if k.built)


def money_line_kinds() -> tuple[LineKindInfo, ...]:
    """Every kind of money line finance knows, with whether the report books it yet."""
    return KINDS
