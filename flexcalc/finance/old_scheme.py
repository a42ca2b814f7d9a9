"""The old scheme's money in the finance report: what was paid to employers for a period (payments and
corrections, from the ledger's settlements), the fixed 65 % state refund of it (``old_scheme_state_refund_rate``;
outside the refund ladder) and the old scheme's own accounts (``old_scheme_accounts.yaml``).

``finance_by_scheme`` puts the old scheme and the self-employed (``flexcalc.finance.self_employed``: the refund
ladder) beside the new scheme's report of the same month, each with its refund rule, so the three are booked
apart; ``total`` adds them (the subsidy paid, the refund, the net expense)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.finance.accounts import Chart, booked_lines, load_chart
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.old_scheme import state_refund_rate
from flexcalc.period import Month

CHART = Path(__file__).with_name("old_scheme_accounts.yaml")


def old_scheme_chart() -> Chart:
    return load_chart(CHART)


@dataclass(frozen=True, slots=True)
class OldSchemeFinance:
    """A period's old-scheme figures: paid to employers (net of corrections), the refund and the accounts."""

    month: Month
    settlements: int
    subsidy: Decimal
    refund_rate: Decimal
    refund: Decimal

    def accounts(self) -> list[dict[str, Any]]:
        return booked_lines(old_scheme_chart(),
                            (("old_scheme_subsidy", self.subsidy), ("old_scheme_refund", self.refund)))

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": "old", "month": str(self.month), "settlements": self.settlements,
                "subsidy": amount_str(self.subsidy), "refund_rate": str(self.refund_rate),
                "refund": amount_str(self.refund), "net_expense": amount_str(self.subsidy - self.refund),
                "accounts": self.accounts()}


def old_scheme_refund(month: Month, subsidy: Decimal) -> Decimal:
    """The state's fixed refund of the old scheme's subsidy (65 %), in øre."""
    return round_ore(subsidy * state_refund_rate(month))


def old_scheme_finance(factory: Callable[[], Session], month: Month) -> OldSchemeFinance:
    """The old scheme's figures of period ``month`` from the settlements stored in the ledger."""
    from flexcalc.ledger.scheme_models import OldSchemeSettlement

    with factory() as session:
        differences = list(session.scalars(select(OldSchemeSettlement.difference).where(
            OldSchemeSettlement.period == month)))
    subsidy = sum(differences, ZERO)
    return OldSchemeFinance(month, len(differences), subsidy, state_refund_rate(month),
                            old_scheme_refund(month, subsidy))


def _percent_da(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}".replace(".", ",")


def finance_by_scheme(factory: Callable[[], Session], month: Month) -> dict[str, Any]:
    """The month's figures by scheme: the new scheme's totals and refund (the ladder) beside the old scheme's."""
    from flexcalc.finance.report import finance_report

    report = finance_report(factory, month)
    totals = report.totals()
    new = {"scheme": "new_2013", "month": str(month), "payments": len(report.lines),
           "refund_rule": {"rule": "refund_ladder", "provision": "LBK 221/2021 § 5, stk. 2; § 30 (cohort)"},
           "totals": {k: amount_str(v) for k, v in totals.items()}, "accounts": report.by_account()}
    old = {**old_scheme_finance(factory, month).to_dict(),
           "refund_rule": {"rule": "fixed", "rate": str(state_refund_rate(month)),
                           "provision": "STAR's konteringsregler 5.58.81, gruppering 013 "
                                          f"({_percent_da(state_refund_rate(month))} pct. refusion)"}}
    from flexcalc.finance.self_employed import self_employed_finance

    self_employed = self_employed_finance(factory, month)
    subsidy = {"new_2013": totals.get("subsidy", ZERO), "old": Decimal(old["subsidy"]),
               "self_employed": self_employed.subsidy}
    refund = {"new_2013": totals.get("refund", ZERO), "old": Decimal(old["refund"]),
              "self_employed": self_employed.refund}
    total = {"subsidy": amount_str(sum(subsidy.values(), ZERO)), "refund": amount_str(sum(refund.values(), ZERO)),
             "net_expense": amount_str(sum(subsidy.values(), ZERO) - sum(refund.values(), ZERO))}
    return {"month": str(month), "schemes": {"new_2013": new, "old": old, "self_employed": self_employed.to_dict()},
            "total": total}
