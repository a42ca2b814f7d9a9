"""The money lines beside the month's payments: back payments paid (efterbetalinger), regulations netted,
repayments decided, claims set off and collected — each booked in the month it is paid or collected, at the
refund of the benefit month it concerns (docs/finance.md, "Money lines"; docs/decisions.md, "Finance: money
lines and their refund").

Each line is read from the ledger: the settlement lines of a payment (``ledger_settlement``; a line released
at once is booked in the month of its release), the payments registered on claims (``ledger_claim_event``) and
the claims decided (``ledger_claim``). Its amounts:

- ``amount``: the money paid or recovered (payout terms, as the person saw it);
- ``subsidy``: the subsidy it moves, signed as an expense (+ paid, − recovered): the payout grossed up by the own
  ATP share of the month it concerns (the month's subsidy difference over its payout difference; exact when the
  line settles the month whole, shared pro rata otherwise, øre half up);
- ``refund``: the state refund of that subsidy at the step of the month it concerns (the case's place on the
  ladder then, ``report.place_from_history``; ``ladder.refund_for_period``), signed alike;
- ``refund_month``: the month the refund is settled in the state's statement — the booking month.

A repayment decided is a receivable: shown with its amount, moving neither the expense nor the refund until it is
set off or collected (so nothing is counted twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month

from . import accounts
from .lines import LineKind

EXPENSE_SIGN = {LineKind.EFTERBETALING: 1, LineKind.REGULATION: -1, LineKind.CLAIM_SET_OFF: -1,
                LineKind.CLAIM_COLLECTED: -1, LineKind.REPAYMENT: 0}
LINE_AMOUNTS = ("amount", "subsidy", "atp_own", "refund", "net_municipal_cost")


@dataclass(slots=True)
class MoneyLine:
    case_id: str
    kind: LineKind
    booked_month: Month
    concerns_month: Month
    amount: Decimal
    subsidy: Decimal
    refund: Decimal
    source: str
    cause: str
    cohort: str
    step: str = ""

    @property
    def refund_month(self) -> Month:
        return self.booked_month

    @property
    def atp_own(self) -> Decimal:
        """The own ATP share the line moves (settled with ATP by finance, not with the person)."""
        return self.subsidy - EXPENSE_SIGN[self.kind] * self.amount

    @property
    def net_municipal_cost(self) -> Decimal:
        return self.subsidy - self.refund

    def bookings(self) -> list[dict[str, str]]:
        out = []
        for kind, value in (("subsidy", self.subsidy), ("refund", self.refund)):
            if value != 0:
                account, signed = accounts.book(kind, value)
                out.append({"account": account.id, "kind": kind, "amount": amount_str(signed)})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "kind": self.kind.value, "booked_month": str(self.booked_month),
                "concerns_month": str(self.concerns_month), "refund_month": str(self.refund_month),
                "amount": amount_str(self.amount), "subsidy": amount_str(self.subsidy),
                "atp_own": amount_str(self.atp_own), "refund": amount_str(self.refund),
                "net_municipal_cost": amount_str(self.net_municipal_cost), "refund_step": self.step,
                "cohort": self.cohort, "cause": self.cause, "source": self.source, "bookings": self.bookings()}


def line_totals(lines: list[MoneyLine]) -> dict[str, dict[str, str]]:
    """Per kind (and ``all``): the sum of each amount (``amount`` unsigned, the others signed)."""
    out: dict[str, dict[str, str]] = {}
    for key in [k.value for k in LineKind if k is not LineKind.PAYMENT] + ["all"]:
        chosen = [m for m in lines if key == "all" or m.kind.value == key]
        out[key] = {name: amount_str(sum((getattr(m, name) for m in chosen), ZERO)) for name in LINE_AMOUNTS}
        out[key]["lines"] = str(len(chosen))
    return out


def money_lines(factory: Callable[[], Session], month: Month, as_of: dt.datetime | None,
                place_of: Callable[[Any, Month], Any], step_keys: dict[int, str], unknown: str) -> list[MoneyLine]:
    """The money lines booked in ``month``, each refunded at the step of the month it concerns: ``place_of``
    (the report's ``place_from_history``) gives the case's place on the ladder in that month; ``step_keys``
    name the steps, ``unknown`` the cohort not established."""
    from flexcalc.errors import require
    from flexcalc.ledger.read.money_lines import money_line_rows
    from flexcalc.ledger.refund_history import refund_histories

    from .ladder import refund_for_period, refund_outside_ladder

    with factory() as session:
        raw = money_line_rows(session, month)
        histories = refund_histories(session, sorted({r[0] for r in raw}), as_of) if raw else {}
    out: list[MoneyLine] = []
    for case_id, kind_name, concerns, amount, gross, source, cause in raw:
        kind = LineKind(kind_name)
        sign = EXPENSE_SIGN[kind]
        refund, cohort, step = ZERO, unknown, ""
        history = histories.get(case_id)
        place = place_of(history, concerns) if history is not None else None
        if place is not None and place.cohort is not None and gross != 0:
            cohort = place.cohort.reason_en
            if place.cohort.on_ladder:
                result = refund_for_period(concerns, gross, require(place.weeks_before, "weeks before the month"))
            else:
                result = refund_outside_ladder(concerns, gross, place.cohort.reason_en)
            refund = result.refund
            step = "+".join(step_keys[p.step.number] for p in result.parts)
        signed_refund = sign * refund if refund else ZERO
        out.append(MoneyLine(case_id, kind, month, concerns, amount, sign * gross if gross else ZERO, signed_refund,
                             source, cause, cohort, step))
    return out
