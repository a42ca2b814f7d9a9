"""Possible double submissions: two original reports of one employer for the same wage period and the
same amount, under different report ids (issue 12).

Both are stored and both count (LAB § 123 stk. 2: all wage paid counts, and several payments in one
month can be legitimate, e.g. a bonus paid separately), so they are never refused; they are flagged
for the caseworker to check with the employer, who sends a reversal (tilbageførsel) of the one that was
sent twice. A group stops being flagged once all but one of its chains are reversed or corrected to
different amounts: the flag looks at each chain's effective (latest) report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Report
from .reports import WageReport, order_key
from .store import load_facts

DuplicateKey = tuple[str, str, str, Decimal]


def _chains(reports: Iterable[WageReport]) -> dict[tuple[str, str], list[WageReport]]:
    by_key = {(r.employer_id, r.report_id): r for r in reports}
    chains: dict[tuple[str, str], list[WageReport]] = defaultdict(list)
    for report in by_key.values():
        current = report
        while current.corrects is not None and (current.employer_id, current.corrects) in by_key:
            current = by_key[(current.employer_id, current.corrects)]
        chains[(current.employer_id, current.report_id)].append(report)
    return chains


def duplicate_groups(reports: Iterable[WageReport]) -> list[tuple[str, list[str]]]:
    """The groups ``(employer_id, original report ids)`` that look like one payment reported twice: same
    employer, same wage period, same total (wage + pensions) in effect, different report ids. Sorted;
    each group has at least two ids."""
    groups: dict[DuplicateKey, list[str]] = defaultdict(list)
    for (employer_id, root_id), members in _chains(reports).items():
        effective = max(members, key=order_key)
        if effective.kind == "reversal":
            continue
        key = (employer_id, effective.period_start.isoformat(), effective.period_end.isoformat(), effective.total)
        groups[key].append(root_id)
    return sorted((key[0], sorted(ids)) for key, ids in groups.items() if len(ids) > 1)


def flagged_reports(reports: Iterable[WageReport]) -> set[tuple[str, str]]:
    """``(employer_id, report_id)`` of every report in a chain whose original is in a duplicate group."""
    reports = list(reports)
    chains = _chains(reports)
    flagged: set[tuple[str, str]] = set()
    for employer, group in duplicate_groups(reports):
        for root_id in group:
            flagged |= {(r.employer_id, r.report_id) for r in chains[(employer, root_id)]}
    return flagged


def possible_duplicates(session: Session, case_id: str | None = None) -> list[dict[str, object]]:
    """Every possible double submission stored (of one case, or of all): for the caseworker's worklist.

    Each item: ``{"case_id", "employer_id", "report_ids": [...]}``. The candidate cases are found in the
    database (two or more originals of one employer for one wage period); the flag itself is decided on each
    case's chains as above."""
    candidates = (select(Report.case_id).where(Report.kind == "original")
                  .group_by(Report.case_id, Report.employer_id, Report.period_start, Report.period_end)
                  .having(func.count() > 1))
    if case_id is not None:
        candidates = candidates.where(Report.case_id == case_id)
    out: list[dict[str, object]] = []
    for cid in sorted(set(session.scalars(candidates))):
        for employer, group in duplicate_groups(load_facts(session, cid).reports):
            out.append({"case_id": cid, "employer_id": employer, "report_ids": group})
    return out
