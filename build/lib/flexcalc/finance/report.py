"""The month's finance report of a municipality, after a payment run.

For every payment of the benefit month: the subsidy (and the own ATP withheld from it, and the payout),
the municipality's ATP (LAB § 138), the OP contribution, the state refund by step (§ 5 stk. 2, or the
previous rules, § 30), the særligt fleksbidrag (§ 7), the refunds of ATP and OP, and the net municipal
cost; each booked on its account (``accounts``). The totals of subsidy, own ATP and payout are those of
the payment run to the øre (the report is built from the same stored payments; a test replays the
ledger fixtures and compares).

A case without a refund profile is not given a refund by default: its subsidy is listed under
"no refund profile" (step ``None``) and its refund is 0 until a profile is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import InputError, NoRatesError
from flexcalc.money import ZERO, amount_str
from flexcalc.params import rates_for
from flexcalc.period import Month

from . import accounts
from .cohort import cohort_of
from .contributions import municipal_atp, op_contribution, state_refund_of
from .fleksbidrag import fleksbidrag
from .ladder import RefundResult, refund_for_period, refund_outside_ladder
from .profiles import RefundProfile, weeks_before_month
from .source import PaidMonth, benefit_months, paid_months

STEP_KEYS = {0: "before_ladder", 1: "weeks_1_4", 2: "weeks_5_26", 3: "weeks_27_52", 4: "week_53_on"}
AMOUNTS = ("subsidy", "atp_own", "payout", "municipal_atp", "op", "refund", "fleksbidrag", "municipal_atp_refund",
           "op_refund", "net_municipal_cost")


@dataclass(slots=True)
class FinanceLine:
    case_id: str
    month: Month
    amounts: dict[str, Decimal]
    refund: RefundResult | None
    weeks_before: int | None
    cohort: str

    def bookings(self) -> list[dict[str, str]]:
        """This payment's amounts on their accounts (expenses +, income −); zero amounts left out."""
        out = []
        for kind in accounts.KINDS:
            if self.amounts[kind] != 0:
                account, signed = accounts.book(kind, self.amounts[kind])
                out.append({"account": account.id, "kind": kind, "amount": amount_str(signed)})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "benefit_month": str(self.month), "weeks_before": self.weeks_before,
                "cohort": self.cohort, **{k: amount_str(v) for k, v in self.amounts.items()},
                "refund_steps": [p.to_dict() for p in self.refund.parts] if self.refund else [],
                "bookings": self.bookings()}


@dataclass(slots=True)
class FinanceReport:
    month: Month
    lines: list[FinanceLine] = field(default_factory=list)

    def totals(self) -> dict[str, Decimal]:
        return {k: sum((line.amounts[k] for line in self.lines), ZERO) for k in AMOUNTS}

    def refund_by_step(self) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = {key: {"subsidy": ZERO, "refund": ZERO} for key in
                                              (*STEP_KEYS.values(), "no_profile")}
        for line in self.lines:
            if line.refund is None:
                out["no_profile"]["subsidy"] += line.amounts["subsidy"]
                continue
            for part in line.refund.parts:
                key = STEP_KEYS[part.step.number]
                out[key]["subsidy"] += part.subsidy
                out[key]["refund"] += part.refund
        return out

    def by_account(self) -> list[dict[str, Any]]:
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        kinds: dict[str, list[str]] = defaultdict(list)
        found: dict[str, accounts.Account] = {}
        for kind in accounts.KINDS:
            total = self.totals()[kind]
            account, signed = accounts.book(kind, total)
            sums[account.id] += signed
            kinds[account.id].append(kind)
            found[account.id] = account
        return [{**found[a].to_dict(), "kinds": kinds[a], "amount": amount_str(sums[a])} for a in sorted(found)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month), "payments": len(self.lines),
            "totals": {k: amount_str(v) for k, v in self.totals().items()},
            "refund_by_step": {k: {kk: amount_str(vv) for kk, vv in v.items()}
                               for k, v in self.refund_by_step().items()},
            "accounts": self.by_account(),
            "lines": [line.to_dict() for line in self.lines],
        }


def finance_line(paid: PaidMonth, profile: RefundProfile | None, benefit_months: list[Month]) -> FinanceLine:
    """The finance of one payment (the rules are those of ``ladder``, ``fleksbidrag`` and ``contributions``)."""
    month = paid.benefit_month
    atp = municipal_atp(month, paid.subsidy, paid.fleksjob_hours)
    op = op_contribution(month, paid.subsidy, paid.atp_own)
    refund: RefundResult | None = None
    weeks: int | None = None
    cohort_text = "no refund profile: refund not computed"
    bidrag = ZERO
    if profile is not None:
        cohort = cohort_of(profile.visitation_date, profile.job_start, month.last_day())
        cohort_text = cohort.reason_en
        if cohort.on_ladder:
            weeks = weeks_before_month(profile, month, benefit_months)
            refund = refund_for_period(month, paid.subsidy, weeks)
            bidrag = fleksbidrag(refund, paid.wage_excl_pension).amount
        else:
            refund = refund_outside_ladder(month, paid.subsidy, cohort.reason_en)
    refund_amount = refund.refund if refund else ZERO
    atp_refund = state_refund_of(month, atp)
    op_refund = state_refund_of(month, op)
    amounts = {
        "subsidy": paid.subsidy, "atp_own": paid.atp_own, "payout": paid.payout, "municipal_atp": atp, "op": op,
        "refund": refund_amount, "fleksbidrag": bidrag, "municipal_atp_refund": atp_refund, "op_refund": op_refund,
    }
    amounts["net_municipal_cost"] = (paid.subsidy + atp + op - refund_amount - bidrag - atp_refund - op_refund)
    return FinanceLine(paid.case_id, month, amounts, refund, weeks, cohort_text)


def build_report(month: Month, payments: list[PaidMonth], profiles: Mapping[str, RefundProfile],
                 histories: Mapping[str, list[Month]]) -> FinanceReport:
    """The report of ``payments``; ``histories`` holds each profiled case's months with benefits."""
    rates_for(month)  # a month outside the rates is an error before anything is computed
    report = FinanceReport(month)
    for paid in payments:
        try:
            report.lines.append(finance_line(paid, profiles.get(paid.case_id), histories.get(paid.case_id, [])))
        except NoRatesError:
            raise
        except InputError as error:  # a profile that does not fit: name the case
            raise InputError(f"profiles.{paid.case_id}.{error.field}", error.reason_en, error.reason_da,
                             code=error.code) from None
    return report


def finance_report(factory: Callable[[], Session], month: Month,
                   profiles: Mapping[str, RefundProfile] | None = None) -> FinanceReport:
    """The finance report of benefit ``month`` from the payments stored in the ledger."""
    profiles = profiles or {}
    payments = paid_months(factory, month)
    with_profile = sorted({p.case_id for p in payments if p.case_id in profiles})
    first = min((profiles[c].month for c in with_profile), default=month)
    histories = benefit_months(factory, first, month, with_profile) if with_profile else {}
    return build_report(month, payments, profiles, histories)
