"""The month's finance report of a municipality, after a payment run.

For every payment of the benefit month: the subsidy (and the own ATP withheld from it, and the payout),
the municipality's ATP (LAB § 138), the OP contribution, the state refund by step (§ 5 stk. 2, or the
previous rules, § 30), the særligt fleksbidrag (§ 7), the refunds of ATP and OP, and the net municipal
cost; each booked on its account (``accounts``). The totals of subsidy, own ATP and payout are those of
the payment run to the øre (the report is built from the same stored payments; a test replays the
ledger fixtures and compares).

The place on the ladder comes from the case's own refund history in the ledger
(``flexcalc.ledger.refund_history``: its paid months, imported earlier benefit periods, the visitation
date and fleksjob starts), counted with ``history.weeks_before`` across job changes and ledighedsydelse.
A refund profile given by hand (``profiles``) still takes precedence for its case. A case whose cohort
cannot be established (no visitation date and no fleksjob start from 1 July 2014) is not given a guessed
refund: its subsidy is listed under ``cohort_unknown`` with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from flexcalc.errors import InputError, NoRatesError, require
from flexcalc.law.params import rates_for
from flexcalc.ledger.read.paid_months import PaidMonth, benefit_months, paid_months
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month

from . import accounts
from .cohort import Cohort, cohort_from_history, cohort_of
from .contributions import municipal_atp, op_contribution, state_refund_of
from .fleksbidrag import fleksbidrag
from .history import Period, weeks_before
from .ladder import RefundResult, refund_for_period, refund_outside_ladder
from .money_lines import MoneyLine, money_lines
from .profiles import RefundProfile, weeks_before_month

if TYPE_CHECKING:
    import datetime as dt

    from flexcalc.ledger.refund_history import CaseRefundHistory

STEP_KEYS = {0: "before_ladder", 1: "weeks_1_4", 2: "weeks_5_26", 3: "weeks_27_52", 4: "week_53_on"}
UNKNOWN = "cohort_unknown"
NOT_ESTABLISHED_EN = ("cohort not established: no visitation date and no fleksjob start from 1 July 2014 recorded; "
                      "refund not computed")
NOT_ESTABLISHED_DA = ("årgangen kan ikke fastslås: ingen visitationsdato og ingen fleksjobstart fra 1. juli 2014 "
                      "registreret; refusionen er ikke beregnet")
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
    sources: list[str] = field(default_factory=list)

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
                "cohort": self.cohort, "history_sources": self.sources,
                **{k: amount_str(v) for k, v in self.amounts.items()},
                "refund_steps": [p.to_dict() for p in self.refund.parts] if self.refund else [],
                "bookings": self.bookings()}


@dataclass(slots=True)
class FinanceReport:
    month: Month
    lines: list[FinanceLine] = field(default_factory=list)
    money_lines: list[MoneyLine] = field(default_factory=list)
    """Back payments, regulations, repayments, set-offs and collections booked in the month (``money_lines``)."""

    def totals_with_lines(self) -> dict[str, Decimal]:
        """The month's payments and its money lines together: subsidy, refund and net municipal cost."""
        totals = self.totals()
        subsidy = totals["subsidy"] + sum((m.subsidy for m in self.money_lines), ZERO)
        refund = totals["refund"] + sum((m.refund for m in self.money_lines), ZERO)
        net = totals["net_municipal_cost"] + sum((m.net_municipal_cost for m in self.money_lines), ZERO)
        return {"subsidy": subsidy, "refund": refund, "net_municipal_cost": net}

    def totals(self) -> dict[str, Decimal]:
        return {k: sum((line.amounts[k] for line in self.lines), ZERO) for k in AMOUNTS}

    def refund_by_step(self) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = {key: {"subsidy": ZERO, "refund": ZERO} for key in
                                              (*STEP_KEYS.values(), UNKNOWN)}
        for line in self.lines:
            if line.refund is None:
                out[UNKNOWN]["subsidy"] += line.amounts["subsidy"]
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
            if kind == "subsidy":
                total += sum((m.subsidy for m in self.money_lines), ZERO)
            elif kind == "refund":
                total += sum((m.refund for m in self.money_lines), ZERO)
            account, signed = accounts.book(kind, total)
            sums[account.id] += signed
            kinds[account.id].append(kind)
            found[account.id] = account
        return [{**found[a].to_dict(), "kinds": kinds[a], "amount": amount_str(sums[a])} for a in sorted(found)]

    def to_dict(self) -> dict[str, Any]:
        from .lines import money_line_kinds
        from .money_lines import line_totals

        return {
            "month": str(self.month), "payments": len(self.lines),
            "line_kinds": {k.kind.value: "booked" if k.built else "not_yet_booked" for k in money_line_kinds()},
            "totals": {k: amount_str(v) for k, v in self.totals().items()},
            "money_lines": [m.to_dict() for m in self.money_lines],
            "money_line_totals": line_totals(self.money_lines),
            "totals_with_lines": {k: amount_str(v) for k, v in self.totals_with_lines().items()},
            "refund_by_step": {k: {kk: amount_str(vv) for kk, vv in v.items()}
                               for k, v in self.refund_by_step().items()},
            "accounts": self.by_account(),
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True, slots=True)
class LadderPlace:
    """Where a payment stands: the cohort (``None``: not established) and the weeks counted before it."""

    cohort: Cohort | None
    weeks_before: int | None
    sources: tuple[str, ...] = ()


def place_from_profile(profile: RefundProfile, month: Month, benefit_months: list[Month]) -> LadderPlace:
    cohort = cohort_of(profile.visitation_date, profile.job_start, month.last_day())
    weeks = weeks_before_month(profile, month, benefit_months) if cohort.on_ladder else None
    return LadderPlace(cohort, weeks, ("refund profile",))


def place_from_history(history: CaseRefundHistory, month: Month) -> LadderPlace:
    """The place of ``month`` from a case's refund history (LBK 221/2021 §§ 3, 6, 30)."""
    day = month.last_day()
    cohort = cohort_from_history(history.visitation_date, [d for d, _ in history.job_starts], day)
    if cohort is None or not cohort.on_ladder:
        return LadderPlace(cohort, None)
    first = month.first_day()
    periods = [Period(p.kind, p.start, p.end, p.benefit) for p in history.periods  # type: ignore[arg-type]
               if p.start < first]
    counted = [(d, n) for d, n, _ in history.counted_weeks if d <= first]
    used = {_source_kind(p.source) for p in history.periods if p.start < first}
    used |= {_source_kind(s) for d, _, s in history.counted_weeks if d <= first}
    return LadderPlace(cohort, weeks_before(periods, first, counted), tuple(sorted(used)))


def _source_kind(source: str) -> str:
    return "paid months" if source.startswith("paid month") else source


def finance_line(paid: PaidMonth, place: LadderPlace | None) -> FinanceLine:
    """The finance of one payment (the rules are those of ``ladder``, ``fleksbidrag`` and ``contributions``)."""
    month = paid.benefit_month
    atp = municipal_atp(month, paid.subsidy, paid.fleksjob_hours)
    op = op_contribution(month, paid.subsidy, paid.atp_own)
    refund: RefundResult | None = None
    weeks: int | None = None
    cohort_text = NOT_ESTABLISHED_EN
    bidrag = ZERO
    if place is not None and place.cohort is not None:
        cohort_text = place.cohort.reason_en
        if place.cohort.on_ladder:
            weeks = place.weeks_before
            refund = refund_for_period(month, paid.subsidy, require(weeks, "weeks before the month"))
            bidrag = fleksbidrag(refund, paid.wage_excl_pension).amount
        else:
            refund = refund_outside_ladder(month, paid.subsidy, place.cohort.reason_en)
    refund_amount = refund.refund if refund else ZERO
    atp_refund = state_refund_of(month, atp)
    op_refund = state_refund_of(month, op)
    amounts = {
        "subsidy": paid.subsidy, "atp_own": paid.atp_own, "payout": paid.payout, "municipal_atp": atp, "op": op,
        "refund": refund_amount, "fleksbidrag": bidrag, "municipal_atp_refund": atp_refund, "op_refund": op_refund,
    }
    amounts["net_municipal_cost"] = (paid.subsidy + atp + op - refund_amount - bidrag - atp_refund - op_refund)
    return FinanceLine(paid.case_id, month, amounts, refund, weeks, cohort_text,
                       list(place.sources) if place else [])


def build_report(month: Month, payments: list[PaidMonth], places: Mapping[str, LadderPlace]) -> FinanceReport:
    """The report of ``payments``, each at its case's place on the ladder."""
    rates_for(month)  # a month outside the rates is an error before anything is computed
    report = FinanceReport(month)
    for paid in payments:
        try:
            report.lines.append(finance_line(paid, places.get(paid.case_id)))
        except NoRatesError:
            raise
        except InputError as error:  # a history or profile that does not fit: name the case
            raise InputError(f"history.{paid.case_id}.{error.field}", error.reason_en, error.reason_da,
                             code=error.code) from None
    return report


@contextmanager
def _naming(what: str, case_id: str) -> Iterator[None]:
    """An input error of a case's profile or history names the case."""
    try:
        yield
    except InputError as error:
        raise InputError(f"{what}.{case_id}.{error.field}", error.reason_en, error.reason_da,
                         code=error.code) from None


def finance_report(factory: Callable[[], Session], month: Month,
                   profiles: Mapping[str, RefundProfile] | None = None, as_of: dt.datetime | None = None,
                   ) -> FinanceReport:
    """The finance report of benefit ``month`` from the payments stored in the ledger; each case's place on
    the ladder from its refund history known at ``as_of`` (default now), or from a profile given by hand."""
    from flexcalc.ledger.refund_history import refund_histories

    profiles = profiles or {}
    payments = paid_months(factory, month)
    with_profile = sorted({p.case_id for p in payments if p.case_id in profiles})
    rates_for(month)
    places: dict[str, LadderPlace] = {}
    if with_profile:
        first = min(profiles[c].month for c in with_profile)
        histories = benefit_months(factory, first, month, with_profile)
        for case_id in with_profile:
            with _naming("profiles", case_id):
                places[case_id] = place_from_profile(profiles[case_id], month, histories.get(case_id, []))
    others = sorted({p.case_id for p in payments} - set(with_profile))
    with factory() as session:
        for case_id, history in refund_histories(session, others, as_of).items():
            with _naming("history", case_id):
                places[case_id] = place_from_history(history, month)
    report = build_report(month, payments, places)
    report.money_lines = money_lines(factory, month, as_of, place_from_history, STEP_KEYS, NOT_ESTABLISHED_EN)
    return report


def year_figures(factory: Callable[[], Session], month: Month, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """The year's figures from January to ``month``: each month's totals, or ``no_data`` (no payments) or
    ``no_rates`` (the rates do not cover it) said as such — never 0 kr. — and the sum of the months with data."""
    from flexcalc.period import Month as M

    sums = {k: ZERO for k in AMOUNTS}
    months: list[dict[str, Any]] = []
    for number in range(1, month.month + 1):
        current = M(month.year, number)
        try:
            report = finance_report(factory, current, as_of=as_of)
        except NoRatesError:
            months.append({"month": str(current), "status": "no_rates", "payments": 0, "totals": None})
            continue
        if not report.lines:
            months.append({"month": str(current), "status": "no_data", "payments": 0, "totals": None})
            continue
        totals = report.totals()
        for key in AMOUNTS:
            sums[key] += totals[key]
        months.append({"month": str(current), "status": "ok", "payments": len(report.lines),
                       "totals": {k: amount_str(v) for k, v in totals.items()}})
    return {"year": month.year, "through": str(month), "months": months,
            "months_with_data": sum(1 for m in months if m["status"] == "ok"),
            "totals": {k: amount_str(v) for k, v in sums.items()}}
