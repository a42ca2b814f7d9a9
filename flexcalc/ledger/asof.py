"""The as-of calculation: the subsidy of benefit month *m* knowing only the reports received up to an
instant.

The basis month is *m − 1* (LAB § 123 stk. 1, paid in arrears; ``flexcalc.rules.timing``). Its wage
income is the sum, over every employer (known to the case or not: all wage counts, LAB § 123
stk. 2), of the effective report of each chain of reports whose payment date falls in it: the report
of the chain received last wins, and a chain ending in a reversal counts nothing. The subsidy itself
is always ``flexcalc.calculate.calculate_month``; nothing here repeats the formula.

The ceiling is the one in force in the **benefit** month (docs/decisions.md, "Ledger"): the newest
entry of the ceiling history whose effective month is at or before *m*.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.period import Month
from flexcalc.rules import timing

from .reports import WageReport, known, order_key


@dataclass(frozen=True, slots=True)
class CeilingEntry:
    effective_month: Month
    amount: Decimal
    seq: int = 0
    """Order of recording: of two entries for the same month, the one recorded later wins."""


@dataclass(frozen=True, slots=True)
class EmploymentEntry:
    employer_id: str
    first_basis_month: Month
    last_basis_month: Month | None = None

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

    for members in chains.values():
        effective = max(members, key=order_key)
        touched = {r.basis_month for r in members}
        for m in touched:
            entry = month_of(m)
            for r in members:
                entry.report_ids.add(r.report_id)
                entry.kinds[r.report_id] = r.kind
                if r.basis_month == m:
                    entry.reported_employers.add(r.employer_id)
        if effective.kind != "reversal":
            entry = month_of(effective.basis_month)
            entry.by_employer[effective.employer_id] = (
                entry.by_employer.get(effective.employer_id, ZERO) + effective.total)
    return view


def ceiling_for(ceilings: Sequence[CeilingEntry], benefit_month: Month) -> Decimal:
    """The lønloft in force in ``benefit_month``: the newest entry taking effect at or before it."""
    best: CeilingEntry | None = None
    for entry in ceilings:
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

    @property
    def complete(self) -> bool:
        return not self.missing_employers

    @property
    def basis_wage(self) -> Decimal:
        return self.known_wage + self.other_wage


def month_due(
    benefit_month: Month,
    view: dict[Month, BasisMonth],
    ceilings: Sequence[CeilingEntry],
    employments: Sequence[EmploymentEntry],
    documented_wage: Decimal | None = None,
) -> MonthDue:
    """The subsidy of ``benefit_month`` from the basis-month view.

    Every known employment expected to report in the basis month must have reported (a report of
    any kind); otherwise the month is incomplete (``missing_employers``) and, unless a
    ``documented_wage`` (payslip/contract) stands in for the missing employers, has no result.
    """
    basis = timing.basis_month_of(benefit_month)
    entry = view.get(basis) or BasisMonth(basis)
    ceiling = ceiling_for(ceilings, benefit_month)
    known_ids = {e.employer_id for e in employments}
    missing = sorted(e.employer_id for e in employments
                     if e.expects_report(basis) and e.employer_id not in entry.reported_employers)
    known_wage = sum((v for k, v in entry.by_employer.items() if k in known_ids), ZERO)
    other_wage = sum((v for k, v in entry.by_employer.items() if k not in known_ids), ZERO)
    result = None
    if not missing or documented_wage is not None:
        wage = known_wage + (documented_wage if missing and documented_wage is not None else ZERO)
        result = calculate_month(MonthInput(benefit_month=benefit_month, wage=wage, ceiling=ceiling,
                                            other_wage=other_wage))
        if missing and documented_wage is not None:
            known_wage = wage
    return MonthDue(benefit_month, basis, ceiling, known_wage, other_wage, missing,
                    frozenset(entry.report_ids), result)
