"""The kinds of money lines the finance report books (pengelinjer).

Today the report is built from one kind: the month's **payment** of fleksløntilskud (``report.finance_line``).
The others are named here as the seam where they join once the ledger holds them (regulation and collection
live on their own track): corrections paid out (efterbetalinger), regulations netted against a later payment,
repayments decided, claims collected and claims set off. Each will be booked to the month and account it
concerns, with the refund of the benefit month it concerns. Nothing computes them yet: a report says which
kinds it holds (``BUILT``), so a reader never takes a missing kind for 0 kr.
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
    LineKindInfo(LineKind.EFTERBETALING, "efterbetaling efter en efterregulering", False),
    LineKindInfo(LineKind.REGULATION, "regulering modregnet i en senere udbetaling", False),
    LineKindInfo(LineKind.REPAYMENT, "tilbagebetalingskrav efter afgørelse (LAB § 125)", False),
    LineKindInfo(LineKind.CLAIM_COLLECTED, "indbetaling på et krav", False),
    LineKindInfo(LineKind.CLAIM_SET_OFF, "krav modregnet i en udbetaling", False),
)
BUILT = tuple(k.kind for k in KINDS if k.built)


def money_line_kinds() -> tuple[LineKindInfo, ...]:
    """Every kind of money line finance knows, with whether the report books it yet."""
    return KINDS
