"""The version of a worklist item: a fingerprint of the facts the item rests on.

Worklist items are computed on request (``flexcalc.ledger.worklist``), so an item has no row to carry a
version number. Its version is instead a short hash of the ids and times of every stored fact of its
case and benefit month that an action on it depends on:

- the month's hold and payment (a release, a payment run);
- the reports of the month's basis month (a report that came in since);
- the month's corrections, their hearing events, hearing exceptions and decisions;
- the month's event registrations;
- the settlement lines concerning the month (a back payment paid or released, a regulation netted).

Every write that acts on an item (release a held month, record a hearing sent or its reply, record an
exception from the hearing, decide, register events, reconcile the month) states the version it acts
on; ``check_version`` refuses a missing one (``VersionRequired``) or another one (``StaleVersion``,
with the month's items as they are now) before anything is stored. Any new fact on the month changes
the version, so a form shown for one state can never act on another (docs/decisions.md, "Worklist
item versions").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import FlexcalcError, NotFoundError
from flexcalc.period import Month

from .models import Correction, Decision, EventRegistration, Hold, Payment, Report

if TYPE_CHECKING:
    from .worklist import WorkItem

Key = tuple[str, Month]


class VersionError(FlexcalcError):
    """A write on a worklist item without the version it acts on, or with another one than the item's now."""

    def __init__(self, case_id: str, month: Month, current: str, expected: str | None,
                 items: list[dict[str, Any]]) -> None:
        super().__init__(f"case {case_id} month {month}: version {expected!r}, now {current!r}")
        self.case_id = case_id
        self.month = month
        self.current = current
        self.expected = expected
        self.items = items


class VersionRequired(VersionError):
    """No version stated (HTTP 428)."""


class StaleVersion(VersionError):
    """The stated version is not the item's version now (HTTP 412)."""


def _stamp(value: dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


def _chunk_facts(session: Session, part: list[str], facts: dict[Key, list[str]],
                 correction_month: dict[int, Key]) -> None:
    """Add what each month of the cases ``part`` rests on (holds, payments, reports, events, corrections and
    their settlement and hearing rows) to ``facts``; note each correction's month in ``correction_month``."""
    from .hearings import HearingEvent, HearingException

    for cid, month, hid, as_of in session.execute(select(Hold.case_id, Hold.benefit_month, Hold.id, Hold.as_of)
                                                  .where(Hold.case_id.in_(part))):
        facts[(cid, month)].append(f"hold:{hid}:{_stamp(as_of)}")
    for cid, month, pid, created in session.execute(
            select(Payment.case_id, Payment.benefit_month, Payment.id, Payment.created_at)
            .where(Payment.case_id.in_(part))):
        facts[(cid, month)].append(f"payment:{pid}:{_stamp(created)}")
    for cid, basis, employer, rid, ingested in session.execute(
            select(Report.case_id, Report.basis_month, Report.employer_id, Report.report_id, Report.ingested_at)
            .where(Report.case_id.in_(part))):
        facts[(cid, basis.next())].append(f"report:{employer}:{rid}:{_stamp(ingested)}")
    for cid, month, registration, recorded in session.execute(
            select(EventRegistration.case_id, EventRegistration.benefit_month, EventRegistration.id,
                   EventRegistration.recorded_at).where(EventRegistration.case_id.in_(part))):
        facts[(cid, month)].append(f"events:{registration}:{_stamp(recorded)}")
    for cid, month, corr, created in session.execute(
            select(Correction.case_id, Correction.benefit_month, Correction.id, Correction.created_at)
            .where(Correction.case_id.in_(part))):
        correction_month[corr] = (cid, month)
        facts[(cid, month)].append(f"correction:{corr}:{_stamp(created)}")
    from .claim_models import Settlement

    for cid, month, sid, created in session.execute(
            select(Settlement.case_id, Settlement.concerns_month, Settlement.id, Settlement.created_at)
            .where(Settlement.case_id.in_(part), Settlement.kind != "setoff")):
        facts[(cid, month)].append(f"settlement:{sid}:{_stamp(created)}")
    for corr, eid, kind, recorded in session.execute(
            select(HearingEvent.correction_id, HearingEvent.id, HearingEvent.kind, HearingEvent.recorded_at)
            .where(HearingEvent.case_id.in_(part))):
        if corr in correction_month:
            facts[correction_month[corr]].append(f"hearing:{eid}:{kind}:{_stamp(recorded)}")
    for corr, xid, recorded in session.execute(
            select(HearingException.correction_id, HearingException.id, HearingException.recorded_at)
            .where(HearingException.case_id.in_(part))):
        if corr in correction_month:
            facts[correction_month[corr]].append(f"exception:{xid}:{_stamp(recorded)}")


def month_versions(session: Session, keys: Iterable[Key]) -> dict[Key, str]:
    """The version of each (case, benefit month), read in a few queries for many months at once."""
    wanted = set(keys)
    if not wanted:
        return {}
    cases = sorted({case for case, _ in wanted})
    facts: dict[Key, list[str]] = defaultdict(list)
    correction_month: dict[int, Key] = {}

    def chunks() -> Iterable[list[str]]:
        for start in range(0, len(cases), 500):
            yield cases[start:start + 500]

    for part in chunks():
        _chunk_facts(session, part, facts, correction_month)
    ids = [c for c, key in correction_month.items() if key in wanted]
    for start in range(0, len(ids), 1000):
        for corr, did, decided in session.execute(select(Decision.correction_id, Decision.id, Decision.decided_at)
                                                  .where(Decision.correction_id.in_(ids[start:start + 1000]))):
            facts[correction_month[corr]].append(f"decision:{did}:{_stamp(decided)}")
    return {key: _digest(key, facts.get(key, [])) for key in wanted}


def _digest(key: Key, facts: list[str]) -> str:
    text = "\n".join([key[0], str(key[1]), *sorted(facts)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def month_version(session: Session, case_id: str, month: Month) -> str:
    return month_versions(session, [(case_id, month)])[(case_id, month)]


def correction_month(session: Session, case_id: str, correction_id: int) -> Month:
    """The benefit month of the case's correction (its item's month); ``InputError`` if there is none."""
    month = session.scalar(select(Correction.benefit_month).where(Correction.id == correction_id,
                                                                  Correction.case_id == case_id))
    if month is None:
        raise NotFoundError("correction", f"case {case_id} has no correction {correction_id}",
                         f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    return Month.parse(str(month))


def check_version(session: Session, case_id: str, month: Month, expected: str | None,
                  today: dt.date | None = None) -> str:
    """Refuse the write unless ``expected`` is the version of (``case_id``, ``month``) now; returns it.

    Call it inside the write's transaction after taking the case's lock (``caserows.lock_case``), so no
    other write slips in between the check and the write. The refusal carries the month's items now
    (``worklist``), so the caller can show what changed."""
    current = month_version(session, case_id, month)
    given = (expected or "").strip()
    if given and given == current:
        return current
    from .hearings import today_local
    from .worklist import WorklistFilter, worklist

    day = today or today_local()
    items = [i.to_dict(day, current) for i in worklist(session, day, WorklistFilter(case_id=case_id, month=month))]
    error = VersionRequired if not given else StaleVersion
    raise error(case_id, month, current, given or None, items)


def with_versions(session: Session, items: list[WorkItem], today: dt.date) -> list[dict[str, Any]]:
    """The worklist items as JSON, each with its version (a few queries for the whole page)."""
    versions = month_versions(session, [(i.case_id, i.month) for i in items])
    return [i.to_dict(today, versions[(i.case_id, i.month)]) for i in items]
