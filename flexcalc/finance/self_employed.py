"""The self-employed subsidy's money in the finance report (LAB § 126; BEK 233/2024 § 8).

**The refund rule.** STAR's booking rules for function 5.58.81 say that from 2016 the refund of
fleksløntilskud *and of the subsidy to the self-employed* follows the weeks on public support: 80 % in weeks
1–4, 40 % in weeks 5–26, 30 % in weeks 27–52, 20 % from week 53 (the refund ladder, LBK 221/2021 § 5, stk. 2;
star.dk/ydelser/budget-og-konteringsvejledning/funktionsomraader/5-58-81-fleksjob-loentilskudsstillinger-i-maalgruppe-2-nr-6/),
while the self-employed under the old rules (LAB § 136, granted before 2013) keep the fixed 65 % (grouping 013;
not modelled here, as the flow is not). So a self-employed case's month is refunded by ``refund_for_period``,
the same ladder as the new scheme.

**The weeks counted.** A self-employed case has no employer, wage reports or refund-history rows; its own paid
months are its benefit periods (a month paid above 0 kr. is the calendar month with a § 3 benefit, as a paid
month of fleksløntilskud is for a fleksjob case), and the weeks before a month are counted by the ladder's own
``weeks_before`` (with the restart after 52 weeks of self-support, § 6). Benefits from other systems before
the subsidy began are not known to flexcalc and not counted (said in the report's ``weeks_source``).

**What is booked in a month.** Everything the payment run paid in that month's run: the month's 1/12 and the
back payments after a settlement (the month they are paid). An overpayment is a repayment review and is not
booked until it is collected (not built for this flow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.finance.accounts import Chart, booked_lines, load_chart
from flexcalc.finance.history import Period, weeks_before
from flexcalc.finance.ladder import ladder_text_da, refund_for_period
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month

CHART = Path(__file__).with_name("self_employed_accounts.yaml")
REFUND_PROVISION = "LBK 221/2021 § 5, stk. 2; STAR's konteringsregler 5.58.81 (tilskud til selvstændig virksomhed)"


def refund_rule(month: Month) -> dict[str, str]:
    """The refund rule of ``month``, its rates in words from the ladder's dated parameters."""
    return {"rule": "refund_ladder", "text_da": ladder_text_da(month), "provision": REFUND_PROVISION}


def self_employed_chart() -> Chart:
    return load_chart(CHART)


@dataclass(frozen=True, slots=True)
class SelfEmployedLine:
    """One payment of the month: its amount, the weeks counted before the month and the refund."""

    case_id: str
    kind: str
    amount: Decimal
    weeks_before: int
    refund: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "kind": self.kind, "amount": amount_str(self.amount),
                "weeks_before": self.weeks_before, "refund": amount_str(self.refund)}


@dataclass(frozen=True, slots=True)
class SelfEmployedFinance:
    """The month's self-employed figures: paid (monthly and back payments), the refund and the accounts."""

    month: Month
    lines: list[SelfEmployedLine] = field(default_factory=list)

    @property
    def subsidy(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def refund(self) -> Decimal:
        return sum((line.refund for line in self.lines), ZERO)

    def accounts(self) -> list[dict[str, Any]]:
        return booked_lines(self_employed_chart(),
                            (("self_employed_subsidy", self.subsidy), ("self_employed_refund", self.refund)))

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": "self_employed", "month": str(self.month), "payments": len(self.lines),
                "subsidy": amount_str(self.subsidy), "refund_rule": refund_rule(self.month),
                "refund": amount_str(self.refund),
                "net_expense": amount_str(self.subsidy - self.refund),
                "weeks_source": "the case's own paid months of the subsidy (other benefits not known)",
                "lines": [line.to_dict() for line in self.lines], "accounts": self.accounts()}


def self_employed_finance(factory: Callable[[], Session], month: Month) -> SelfEmployedFinance:
    """The self-employed figures of ``month`` from the payments stored in the ledger (made in its run)."""
    from flexcalc.ledger.self_employed import SelfEmployedPayment

    with factory() as session:
        rows = list(session.execute(select(SelfEmployedPayment.case_id, SelfEmployedPayment.kind,
                                           SelfEmployedPayment.month, SelfEmployedPayment.amount)
                                    .order_by(SelfEmployedPayment.case_id, SelfEmployedPayment.id)))
    earlier: dict[str, list[Period]] = {}
    for case_id, kind, paid_month, amount in rows:
        if kind == "monthly" and amount > 0 and paid_month < month:
            earlier.setdefault(case_id, []).append(
                Period("benefit", paid_month.first_day(), paid_month.last_day(), "tilskud til selvstændig"))
    lines = []
    for case_id, kind, paid_month, amount in rows:
        if paid_month != month:
            continue
        weeks = weeks_before(earlier.get(case_id, []), month.first_day())
        refund = refund_for_period(month, amount, weeks).refund if amount > 0 else ZERO
        lines.append(SelfEmployedLine(case_id, kind, amount, weeks, refund))
    return SelfEmployedFinance(month, lines)
