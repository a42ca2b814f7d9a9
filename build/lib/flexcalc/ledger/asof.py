"""The as-of calculation: the subsidy of benefit month *m* knowing only the reports received up to an
instant.

The basis month is *m − 1* (LAB § 123 stk. 1, paid in arrears; ``flexcalc.rules.timing``). Its wage
income is the sum, over every employer (known to the case or not: all wage counts, LAB § 123
stk. 2), of the effective report of each chain of reports whose payment date falls in it: the report
of the chain received last wins, and a chain ending in a reversal counts nothing. The subsidy itself
is always ``flexcalc.calculate.calculate_month``; nothing here repeats the formula.

The ceiling is the one in force in the **benefit** month (docs/decisions.md, "Ledger"): the newest
entry of the ceiling history whose effective month is at or before *m*, among the entries known at
the instant (the ceiling's history is bitemporal like the reports).

The month's events (``flexcalc.ledger.registrations``) known at the instant and the employments'
start and end dates go into the same ``MonthInput`` as ``events``: one pipeline computes every month
(``compute_case_month``). A month whose reports show no wage from the fleksjob employer is paid 0
("no wage, no subsidy"), unless an event opens it; that is not the same as a month held because a
report is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import InputError
from flexcalc.events import MonthEvents, period_days
from flexcalc.money import ZERO
from flexcalc.period import Month
from flexcalc.rules import timing
from flexcalc.trace import Step

from .reports import WageReport, known, order_key
from .types import MonthReason

if TYPE_CHECKING:
    from .registrations import Registration


@dataclass(frozen=True, slots=True)
class CeilingEntry:
    effective_month: Month
    amount: Decimal
    seq: int = 0
    """Order of recording: of two entries for the same month, the one recorded later wins."""
    known_at: dt.datetime | None = None
    """When the entry became known (``None``: always known, e.g. in a calculation without a ledger)."""


@dataclass(frozen=True, slots=True)
class EmploymentEntry:
    employer_id: str
    first_basis_month: Month
    last_basis_month: Month | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def expects_report(self, basis_month: Month) -> bool:
        return self.first_basis_month <= basis_month and (
            self.last_basis_month is None or basis_month <= self.last_basis_month)


@dataclass(slots=True)
class BasisMonth:
    """What is known of one basis month's wage."""

    month: Month
    by_employer: dict[str, Decimal] = field(default_factory=dict)
    reported_employers: set[str] = field(default_factory=set)
    report_ids: set[str] = field(default_factory=set)
    """Every report touching the month: members of any chain with a payment date in it."""
    kinds: dict[str, str] = field(default_factory=dict)


def basis_view(reports: Iterable[WageReport], as_of: dt.datetime | None) -> dict[Month, BasisMonth]:
    """The wage of every basis month as known at ``as_of`` (``None``: everything received)."""
    # report ids are unique per employer (issue 12): a chain is keyed by (employer, report id)
    chains: dict[tuple[str, str], list[WageReport]] = defaultdict(list)
    seen = known(reports, as_of)
    by_id = {(r.employer_id, r.report_id): r for r in seen}
    roots: dict[tuple[str, str], tuple[str, str]] = {}

    def root(report: WageReport) -> tuple[str, str]:
        key = (report.employer_id, report.report_id)
        found = roots.get(key)
        if found is None:
            found = key if report.corrects is None else root(by_id[(report.employer_id, report.corrects)])
            roots[key] = found
        return found

    for report in seen:
        chains[root(report)].append(report)
    view: dict[Month, BasisMonth] = {}

    def month_of(m: Month) -> BasisMonth:
        entry = view.get(m)
        if entry is None:
            entry = view[m] = BasisMonth(m)
        return entry

    months = {r.report_id: r.basis_month for r in seen}  # computed once per report
    for members in chains.values():
        effective = max(members, key=order_key)
        touched = {months[r.report_id] for r in members}
        for m in touched:
            entry = month_of(m)
            for r in members:
                entry.report_ids.add(r.report_id)
                entry.kinds[r.report_id] = r.kind
                if months[r.report_id] == m:
                    entry.reported_employers.add(r.employer_id)
        if effective.kind != "reversal":
            entry = month_of(months[effective.report_id])
            entry.by_employer[effective.employer_id] = (
                entry.by_employer.get(effective.employer_id, ZERO) + effective.total)
    return view


def ceiling_for(ceilings: Sequence[CeilingEntry], benefit_month: Month, as_of: dt.datetime | None = None) -> Decimal:
    """The lønloft in force in ``benefit_month`` as known at ``as_of`` (``None``: everything recorded):
    the newest entry taking effect at or before it."""
    best: CeilingEntry | None = None
    for entry in ceilings:
        if as_of is not None and entry.known_at is not None and entry.known_at > as_of:
            continue
        if entry.effective_month <= benefit_month and (
                best is None or (entry.effective_month, entry.seq) > (best.effective_month, best.seq)):
            best = entry
    if best is None:
        raise InputError("ceiling", f"the case has no ceiling (lønloft) in force in {benefit_month}",
                         f"sagen har intet lønloft i {benefit_month}", code="no_ceiling")
    return best.amount


@dataclass(slots=True)
class MonthDue:
    """The subsidy of one benefit month as known at an instant, or why it cannot be computed yet."""

    benefit_month: Month
    basis_month: Month
    ceiling: Decimal
    known_wage: Decimal
    other_wage: Decimal
    missing_employers: list[str]
    report_ids: frozenset[str]
    result: MonthResult | None
    registration: Registration | None = None
    """The event registration the month was computed with."""
    reason: MonthReason | None = None
    """``no_fleksjob_wage`` (paid 0) or ``events_invalid`` (held: the events do not fit the reports)."""
    error: InputError | None = None
    inp: MonthInput | None = None
    """The inputs the month was computed with (``None`` when it could not be): what a month-to-month
    explanation of the case starts from (``flexcalc.month_change``; the monthly specification letter)."""

    @property
    def complete(self) -> bool:
        return not self.missing_employers

    @property
    def basis_wage(self) -> Decimal:
        return self.known_wage + self.other_wage


NO_FLEKSJOB_WAGE = MonthReason.NO_FLEKSJOB_WAGE
EVENTS_INVALID = MonthReason.EVENTS_INVALID
NO_WAGE_PROVISION = ("Vejledning 9154/2022 afsnit 2.1; Ankestyrelsen PM 6-23 (uden løn fra fleksjobarbejdsgiveren "
                     "intet tilskud); undtagelser LAB § 124, stk. 1 og 3; BEK 1806/2023 § 11")
OPENING_INCOMES_FROM_2024 = frozenset({"tabt_arbejdsfortjeneste", "plejevederlag"})
UNPAID_ABSENCE = frozenset({"sickness_unpaid", "maternity_unpaid"})


def events_open_month(events: MonthEvents | None, benefit_month: Month) -> bool:
    """Whether the month's events open a subsidy month without wage from the fleksjob employer:
    unpaid sickness or maternity in the basis month (LAB § 124, stk. 3), holiday paid from FerieKonto
    (LAB § 124, stk. 1; BEK 227/2024 § 6), and from 2024 tabt arbejdsfortjeneste or plejevederlag
    (BEK 1806/2023 § 11). Wage from another employer alone does not."""
    if events is None:
        return False
    if period_days(events.periods, benefit_month.previous(), UNPAID_ABSENCE):
        return True
    if events.feriekonto:
        return True
    return benefit_month >= Month(2024, 1) and any(i.kind in OPENING_INCOMES_FROM_2024 for i in events.incomes)


def no_wage_result(result: MonthResult) -> MonthResult:
    """The month's result when there was no wage from the fleksjob employer: 0, with the reason as
    the trace's last step. (When the core pipeline applies the rule itself, its result is 0 already
    and this changes nothing but adds the ledger's reason.)"""
    step = Step(NO_FLEKSJOB_WAGE, "Ingen løn fra fleksjobarbejdsgiveren i basismåneden: intet tilskud",
                NO_WAGE_PROVISION, ZERO, {"subsidy_by_formula": result.subsidy}, -result.subsidy, "subsidy")
    return dataclasses.replace(result, subsidy=ZERO, atp_own=ZERO, payout=ZERO, steps=[*result.steps, step])


def employment_events(employments: Sequence[EmploymentEntry], basis: Month,
                      events: MonthEvents | None) -> MonthEvents | None:
    """The job's start or end within the basis month, from the employments' dates, as the month's
    ``employment_start``/``employment_end`` events (the one rule of ``flexcalc.rules.partial_month``;
    docs/decisions.md, "Job start and end decided once"). Only when every employment reporting in
    the basis month starts (or ends) in it: a job that runs all month is not a part month. Dates the
    registered events give themselves win."""
    active = [e for e in employments if e.expects_report(basis)]
    if not active:
        return events
    first, last = basis.first_day(), basis.last_day()
    starts = [e.start_date for e in active]
    ends = [e.end_date for e in active]
    start = min(starts) if all(d is not None and d > first for d in starts) else None  # type: ignore[type-var]
    end = max(ends) if all(d is not None and d < last for d in ends) else None  # type: ignore[type-var]
    if start is not None and start > last:
        start = None
    if end is not None and end < first:
        end = None
    if start is None and end is None:
        return events
    base = events or MonthEvents()
    return dataclasses.replace(base, employment_start=base.employment_start or start,
                               employment_end=base.employment_end or end)


def month_due(
    benefit_month: Month,
    view: dict[Month, BasisMonth],
    ceilings: Sequence[CeilingEntry],
    employments: Sequence[EmploymentEntry],
    documented_wage: Decimal | None = None,
    *,
    as_of: dt.datetime | None = None,
    registration: Registration | None = None,
) -> MonthDue:
    """The subsidy of ``benefit_month`` from the basis-month view, the ceiling history and the
    event registration known at ``as_of``.

    Every known employment expected to report in the basis month must have reported (a report of
    any kind); otherwise the month is incomplete (``missing_employers``) and, unless a
    ``documented_wage`` (payslip/contract) stands in for the missing employers, has no result.
    The known employments are the fleksjob: their wage is ``wage``; other employers' wage is
    ``other_wage``.
    """
    basis = timing.basis_month_of(benefit_month)
    entry = view.get(basis) or BasisMonth(basis)
    ceiling = ceiling_for(ceilings, benefit_month, as_of)
    known_ids = {e.employer_id for e in employments}
    missing = sorted(e.employer_id for e in employments
                     if e.expects_report(basis) and e.employer_id not in entry.reported_employers)
    known_wage = sum((v for k, v in entry.by_employer.items() if k in known_ids), ZERO)
    other_wage = sum((v for k, v in entry.by_employer.items() if k not in known_ids), ZERO)
    result = None
    reason = None
    error = None
    inp = None
    if not missing or documented_wage is not None:
        wage = known_wage + (documented_wage if missing and documented_wage is not None else ZERO)
        events = employment_events(employments, basis, registration.events if registration else None)
        inp = MonthInput(benefit_month=benefit_month, wage=wage, ceiling=ceiling, other_wage=other_wage,
                         events=events)
        try:
            result = calculate_month(inp)
        except InputError as failed:  # the registered events do not fit the month's reports
            reason, error = EVENTS_INVALID, failed
        if result is not None and wage == ZERO and not events_open_month(events, benefit_month):
            result, reason = no_wage_result(result), NO_FLEKSJOB_WAGE
        if missing and documented_wage is not None:
            known_wage = wage
    return MonthDue(benefit_month, basis, ceiling, known_wage, other_wage, missing,
                    frozenset(entry.report_ids), result, registration, reason, error,
                    inp if result is not None else None)


def rule_version_of(benefit_month: Month) -> str:
    """The rule version a month is computed under: the code's version and the fingerprint of the
    parameter values in force for the month (``flexcalc.params.rates_fingerprint``). A paid month
    keeps the version it was paid under; reconciliation compares it with the version now."""
    from flexcalc import RULE_VERSION
    from flexcalc.params import rates_fingerprint

    return f"{RULE_VERSION}+{rates_fingerprint(benefit_month)}"


def reason_words(due: MonthDue) -> tuple[str, str] | None:
    """Why a computed month is paid as it is when that is not the formula alone (English, Danish)."""
    if due.reason == NO_FLEKSJOB_WAGE:
        from flexcalc.format import month_name

        return (f"no wage from the fleksjob employer in {due.basis_month}: no subsidy (paid 0)",
                f"ingen løn fra fleksjobarbejdsgiveren i {month_name(due.basis_month)}: intet tilskud (udbetalt 0 kr.)")
    if due.reason == EVENTS_INVALID and due.error is not None:
        return (f"the registered events do not fit the month: {due.error.field}: {due.error.reason_en}",
                f"de registrerede hændelser passer ikke til måneden: {due.error.field}: {due.error.reason_da}")
    return None
