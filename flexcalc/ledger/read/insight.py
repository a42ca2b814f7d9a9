"""Reading the facts of management information and supervision from the ledger: the one place the insight
package (``flexcalc.insight``) touches the ledger's schema. Counts are made by the database where the rows are
many (cases, payments, reports); the few rows of corrections, decisions, hearings, claims and complaints are
returned as typed rows for the insight package to count.

Every reader takes ``as_of``: a fact recorded after it is not read (the figures of a month drawn again later
are the same figures). ``Window`` is the activity period of a benefit month: its calendar month in Danish time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from flexcalc.money import ZERO
from flexcalc.period import Month

from ..claim_models import Claim, ClaimEvent
from ..hearings import HearingEvent, HearingException
from ..models import Case, Ceiling, Correction, Decision, EventRegistration, Hold, Payment, Report
from ..oversight import Complaint, ComplaintEvent, Finding, FindingDone, SupervisionResult, SupervisionRun
from ..reports import LOCAL_ZONE as LOCAL_ZONE  # re-exported: the figures count days in Danish time
from ..tracks import track_of


def _of_cases(query: Any, column: Any, case_ids: Sequence[str] | None) -> Any:
    """``query`` limited to the cases ``case_ids`` (by ``column``), or unchanged when ``case_ids`` is None."""
    return query if case_ids is None else query.where(column.in_(list(case_ids)))


def month_start(month: Month) -> dt.datetime:
    """The first instant of ``month`` in Danish time, as UTC."""
    first = month.first_day()
    return dt.datetime(first.year, first.month, 1, tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def local_month(instant: dt.datetime) -> Month:
    return Month.of(instant.astimezone(LOCAL_ZONE).date())


def scheme_of_cases(session: Session, months: Sequence[Month],
                    as_of: dt.datetime | None = None) -> dict[Month, dict[str, int]]:
    """The caseload of each month by scheme (``flexcalc.ledger.read.schemes``): ``new`` and ``old`` are the
    fleksjob cases active in the month by their scheme on its first day (as stated by ``as_of``); ``self_employed``
    the self-employed cases whose subsidy has begun by the month (their own table)."""
    from ..scheme_models import CaseScheme
    from ..self_employed import SelfEmployedCase

    total = caseload(session, months)
    query = select(CaseScheme.case_id, CaseScheme.scheme, CaseScheme.effective_from)
    if as_of is not None:
        query = query.where(CaseScheme.known_at <= as_of)
    statements = list(session.execute(query.order_by(CaseScheme.effective_from, CaseScheme.known_at,
                                                     CaseScheme.id)))
    spans: dict[str, tuple[Month, Month | None]] = {c: (first, last) for c, first, last in session.execute(
        select(Case.id, Case.first_month, Case.last_month).where(
            Case.id.in_({c for c, _, _ in statements})))} if statements else {}

    def active(case_id: str, m: Month) -> bool:
        first, last = spans[case_id]
        return first <= m and (last is None or last >= m)

    first_years = list(session.scalars(select(SelfEmployedCase.first_year)))
    out: dict[Month, dict[str, int]] = {}
    for m in months:
        day = m.first_day()
        latest: dict[str, str] = {}
        for case_id, scheme, since in statements:
            if since <= day:
                latest[case_id] = scheme  # the last in scheme_at's order wins
        old = sum(1 for case_id, scheme in latest.items() if scheme == "old" and case_id in spans
                  and active(case_id, m))
        out[m] = {"new": total[m] - old, "old": old, "self_employed": sum(1 for y in first_years if y <= m.year)}
    return out


def caseload(session: Session, months: Sequence[Month]) -> dict[Month, int]:
    """The cases active in each month (first month on or before it, last month none or on or after it), in
    one scan of the cases."""
    if not months:
        return {}
    columns = [func.sum(case((and_(Case.first_month <= str(m),
                                   or_(Case.last_month.is_(None), Case.last_month >= str(m))), 1), else_=0))
               for m in months]
    row = session.execute(select(*columns)).one()
    return {m: int(v or 0) for m, v in zip(months, row, strict=True)}


@dataclass(frozen=True, slots=True)
class MonthPayments:
    count: int
    subsidy: Decimal
    payout: Decimal
    provisional: int


def payments(session: Session, first: Month, last: Month, as_of: dt.datetime) -> dict[Month, MonthPayments]:
    """The payments of each benefit month ``first``…``last`` made by ``as_of``: count and totals."""
    query = (select(Payment.benefit_month, func.count(), func.sum(Payment.subsidy), func.sum(Payment.payout),
                    func.sum(case((Payment.kind == "provisional", 1), else_=0)))
             .where(Payment.benefit_month >= str(first), Payment.benefit_month <= str(last),
                    Payment.created_at <= as_of)
             .group_by(Payment.benefit_month))
    return {Month.parse(m): MonthPayments(int(n), subsidy or ZERO, payout or ZERO, int(prov or 0))
            for m, n, subsidy, payout, prov in session.execute(query)}


@dataclass(frozen=True, slots=True)
class HeldMonth:
    benefit_month: Month
    held_at: dt.datetime
    paid_at: dt.datetime | None
    """When the month was paid after all (released or paid on the report), by ``as_of``; ``None``: still held."""


def held_months(session: Session, first: Month, last: Month, as_of: dt.datetime) -> list[HeldMonth]:
    """Every hold of a benefit month ``first``…``last`` made by ``as_of``, with its payment if any."""
    query = (select(Hold.benefit_month, Hold.as_of, Payment.created_at)
             .outerjoin(Payment, and_(Payment.case_id == Hold.case_id, Payment.benefit_month == Hold.benefit_month,
                                      Payment.created_at <= as_of))
             .where(Hold.benefit_month >= str(first), Hold.benefit_month <= str(last), Hold.created_at <= as_of))
    return [HeldMonth(m, held, paid) for m, held, paid in session.execute(query)]


@dataclass(frozen=True, slots=True)
class CorrectionFact:
    case_id: str
    benefit_month: Month
    created_at: dt.datetime
    reasons: tuple[str, ...]
    track: str
    difference: Decimal
    caused_by: tuple[str, ...]


def corrections(session: Session, since: dt.datetime, as_of: dt.datetime,
                case_ids: Sequence[str] | None = None) -> list[CorrectionFact]:
    """The corrections made from ``since`` up to ``as_of`` (of ``case_ids``, when given)."""
    query = select(Correction).where(Correction.created_at >= since, Correction.created_at <= as_of)
    query = _of_cases(query, Correction.case_id, case_ids)
    return [CorrectionFact(c.case_id, c.benefit_month, c.created_at, tuple(c.reasons or ()), str(track_of(c)),
                           c.difference, tuple(c.caused_by or ()))
            for c in session.scalars(query.order_by(Correction.id))]


@dataclass(frozen=True, slots=True)
class DecisionFact:
    decision_id: int
    case_id: str
    correction_id: int
    outcome: str
    decided_at: dt.datetime
    amount: Decimal
    """The amount decided on (the overpayment: the correction's difference as a positive amount)."""


def decisions(session: Session, since: dt.datetime, as_of: dt.datetime,
              case_ids: Sequence[str] | None = None) -> list[DecisionFact]:
    query = (select(Decision.id, Correction.case_id, Correction.id, Decision.outcome, Decision.decided_at,
                    Correction.difference)
             .join(Correction, Correction.id == Decision.correction_id)
             .where(Decision.decided_at >= since, Decision.decided_at <= as_of))
    query = _of_cases(query, Correction.case_id, case_ids)
    return [DecisionFact(i, c, k, str(o), at, abs(d)) for i, c, k, o, at, d in session.execute(query)]


@dataclass(frozen=True, slots=True)
class HearingFact:
    case_id: str
    correction_id: int
    sent_on: dt.date
    reply_by: dt.date
    replied_on: dt.date | None
    """The first reply received on or after the letter's day (recorded by ``as_of``), if any."""


def hearings(session: Session, first_day: dt.date, as_of: dt.datetime,
             case_ids: Sequence[str] | None = None) -> list[HearingFact]:
    """Each hearing sent on or after ``first_day`` (recorded by ``as_of``) with its first reply."""
    query = select(HearingEvent).where(HearingEvent.recorded_at <= as_of)
    query = _of_cases(query, HearingEvent.case_id, case_ids)
    events = list(session.scalars(query.order_by(HearingEvent.id)))
    replies: dict[int, list[dt.date]] = defaultdict(list)
    for e in events:
        if e.kind == "reply" and e.received_on is not None:
            replies[e.correction_id].append(e.received_on)
    out = []
    for e in events:
        if e.kind == "sent" and e.sent_on is not None and e.reply_by is not None and (
                case_ids is not None or e.sent_on >= first_day):
            later = sorted(d for d in replies.get(e.correction_id, []) if d >= e.sent_on)
            out.append(HearingFact(e.case_id, e.correction_id, e.sent_on, e.reply_by, later[0] if later else None))
    return out


def hearing_exceptions(session: Session, case_ids: Sequence[str]) -> dict[int, list[dt.datetime]]:
    """The instants hearing exceptions were recorded, by correction."""
    out: dict[int, list[dt.datetime]] = defaultdict(list)
    for correction_id, at in session.execute(select(HearingException.correction_id, HearingException.recorded_at)
                                             .where(HearingException.case_id.in_(list(case_ids)))):
        out[correction_id].append(at)
    return out


@dataclass(frozen=True, slots=True)
class ClaimFact:
    case_id: str
    status: str
    balance: Decimal
    limitation_date: dt.date
    decided_on: dt.date
    known_on: dt.date
    paid_on: dt.date


def claims(session: Session, on: dt.date, as_of: dt.datetime,
           case_ids: Sequence[str] | None = None) -> list[ClaimFact]:
    """Every claim created by ``as_of`` as it stands on ``on`` (``flexcalc.ledger.claims.claim_state``)."""
    from ..claims import claim_state

    query = select(Claim).where(Claim.created_at <= as_of)
    query = _of_cases(query, Claim.case_id, case_ids)
    rows = list(session.scalars(query.order_by(Claim.id)))
    if not rows:
        return []
    events: dict[int, list[ClaimEvent]] = defaultdict(list)
    for e in session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id.in_([c.id for c in rows]),
                                                      ClaimEvent.recorded_at <= as_of).order_by(ClaimEvent.id)):
        events[e.claim_id].append(e)
    out = []
    for c in rows:
        state = claim_state(c, events.get(c.id, []), on)
        out.append(ClaimFact(c.case_id, state.status, state.balance, state.limitation_date, c.decided_on,
                             c.known_on, c.paid_on))
    return out


@dataclass(frozen=True, slots=True)
class ComplaintFact:
    case_id: str
    received_on: dt.date
    steps: tuple[tuple[str, dt.date, str | None, str | None], ...]
    """(kind, day, result, effect) of each step recorded by ``as_of``."""


def complaints(session: Session, as_of: dt.datetime) -> list[ComplaintFact]:
    rows = list(session.scalars(select(Complaint).where(Complaint.recorded_at <= as_of).order_by(Complaint.id)))
    steps: dict[int, list[tuple[str, dt.date, str | None, str | None]]] = defaultdict(list)
    for e in session.scalars(select(ComplaintEvent).where(ComplaintEvent.recorded_at <= as_of)
                             .order_by(ComplaintEvent.complaint_id, ComplaintEvent.sequence)):
        steps[e.complaint_id].append((e.kind, e.on_date, e.result, e.effect))
    return [ComplaintFact(r.case_id, r.received_on, tuple(steps.get(r.id, []))) for r in rows]


def ceiling_changes(session: Session, since: dt.datetime, as_of: dt.datetime) -> list[dt.datetime]:
    """When each change of a lønloft was recorded (an entry after the case's first), from ``since`` to ``as_of``."""
    older = Ceiling.__table__.alias("older")
    query = (select(Ceiling.recorded_at)
             .where(Ceiling.recorded_at >= since, Ceiling.recorded_at <= as_of,
                    select(older.c.id).where(older.c.case_id == Ceiling.case_id, older.c.id < Ceiling.id).exists()))
    return list(session.scalars(query))


def events_after_payment(session: Session, since: dt.datetime, as_of: dt.datetime) -> list[dt.datetime]:
    """When each event registration was received that came after its month was paid (from ``since`` to ``as_of``)."""
    query = (select(EventRegistration.received_at)
             .join(Payment, and_(Payment.case_id == EventRegistration.case_id,
                                 Payment.benefit_month == EventRegistration.benefit_month))
             .where(EventRegistration.received_at >= since, EventRegistration.recorded_at <= as_of,
                    EventRegistration.received_at > Payment.created_at))
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class ReportFlag:
    """A report received late (after the payment run of the month it concerns), or a correction or reversal."""

    employer_id: str
    case_id: str
    received_at: dt.datetime
    kind: str
    late: bool


def flagged_reports(session: Session, since: dt.datetime, until: dt.datetime) -> list[ReportFlag]:
    """The reports received from ``since`` up to ``until`` that came after the payment run of the benefit month
    they feed (the month after their basis month: a payment or a hold of it made before the report arrived),
    or that correct or reverse an earlier report."""
    bases = [str(b) for b in session.scalars(select(Report.basis_month).distinct()
                                             .where(Report.received_at >= since, Report.received_at < until))]
    if not bases:
        return []
    feeds = case({b: str(Month.parse(b).next()) for b in bases}, value=Report.__table__.c.basis_month)
    pay = Payment.__table__.alias("pay")
    hold = Hold.__table__.alias("held")
    late = or_(pay.c.created_at < Report.received_at, hold.c.created_at < Report.received_at)
    query = (select(Report.employer_id, Report.case_id, Report.received_at, Report.kind, late)
             .outerjoin(pay, and_(pay.c.case_id == Report.case_id, pay.c.benefit_month == feeds))
             .outerjoin(hold, and_(hold.c.case_id == Report.case_id, hold.c.benefit_month == feeds))
             .where(Report.received_at >= since, Report.received_at < until,
                    or_(Report.kind != "original", late)))
    return [ReportFlag(e, c, at, str(k), bool(is_late)) for e, c, at, k, is_late in session.execute(query)]


# --- supervision -----------------------------------------------------------------------------------

def cases_active(session: Session, first: Month, last: Month) -> list[str]:
    """The ids of the cases active at some time in ``first``…``last``, sorted (the population of a sample)."""
    query = (select(Case.id).where(Case.first_month <= str(last),
                                   or_(Case.last_month.is_(None), Case.last_month >= str(first)))
             .order_by(Case.id))
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What the checklist reads of one case."""

    case_id: str
    decisions: list[DecisionFact]
    hearings: list[HearingFact]
    exceptions: dict[int, list[dt.datetime]]
    decision_letters: list[tuple[tuple[str, ...], str, dt.date | None, bool]]
    """(correction ids, text, complaint deadline, sent) of each decision letter."""
    released: list[tuple[Month, str | None, str | None]]
    """(benefit month, documentation, released by) of each provisional payment."""
    ceilings: list[tuple[Month, str | None]]
    events: list[tuple[Month, str | None]]
    corrections: list[CorrectionFact]
    report_received: dict[str, dt.datetime]
    claims: list[ClaimFact]


def case_records(session: Session, case_ids: Sequence[str], as_of: dt.datetime) -> dict[str, CaseRecord]:
    """The facts of each of ``case_ids`` the checklist reads, recorded by ``as_of``."""
    from flexcalc.letters.models import LetterRow, LetterSending

    ids = list(case_ids)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    by_case: dict[str, dict[str, list[object]]] = {c: defaultdict(list) for c in ids}
    for d in decisions(session, epoch, as_of, ids):
        by_case[d.case_id]["decisions"].append(d)
    for h in hearings(session, dt.date(1970, 1, 1), as_of, ids):
        by_case[h.case_id]["hearings"].append(h)
    for fact in corrections(session, epoch, as_of, ids):
        by_case[fact.case_id]["corrections"].append(fact)
    for claim in claims(session, as_of.astimezone(LOCAL_ZONE).date(), as_of, ids):
        by_case[claim.case_id]["claims"].append(claim)
    for case_id, corrections_text, text, deadline, sending in session.execute(
            select(LetterRow.case_id, LetterRow.correction_ids, LetterRow.text, LetterRow.complaint_deadline,
                   LetterSending.id).outerjoin(LetterSending, LetterSending.letter_id == LetterRow.id)
            .where(LetterRow.case_id.in_(ids), LetterRow.kind == "decision", LetterRow.created_at <= as_of)):
        by_case[case_id]["letters"].append((tuple(corrections_text or ()), text, deadline, sending is not None))
    for case_id, month, doc, by in session.execute(
            select(Payment.case_id, Payment.benefit_month, Payment.documentation, Payment.released_by)
            .where(Payment.case_id.in_(ids), Payment.kind == "provisional", Payment.created_at <= as_of)):
        by_case[case_id]["released"].append((month, doc, by))
    for case_id, month, note in session.execute(
            select(Ceiling.case_id, Ceiling.effective_month, Ceiling.note)
            .where(Ceiling.case_id.in_(ids), Ceiling.recorded_at <= as_of).order_by(Ceiling.id)):
        by_case[case_id]["ceilings"].append((month, note))
    for case_id, month, doc in session.execute(
            select(EventRegistration.case_id, EventRegistration.benefit_month, EventRegistration.document)
            .where(EventRegistration.case_id.in_(ids), EventRegistration.recorded_at <= as_of)):
        by_case[case_id]["events"].append((month, doc))
    received: dict[str, dict[str, dt.datetime]] = {c: {} for c in ids}
    for case_id, report_id, at in session.execute(select(Report.case_id, Report.report_id, Report.received_at)
                                                  .where(Report.case_id.in_(ids))):
        received[case_id][report_id] = at
    exceptions = hearing_exceptions(session, ids) if ids else {}
    out: dict[str, CaseRecord] = {}
    for case_id in ids:
        f: dict[str, Any] = by_case[case_id]
        out[case_id] = CaseRecord(case_id, f["decisions"], f["hearings"], exceptions, f["letters"], f["released"],
                                  f["ceilings"], f["events"], f["corrections"], received[case_id], f["claims"])
    return out


@dataclass(frozen=True, slots=True)
class StoredRun:
    run_id: int
    period_start: dt.date
    period_end: dt.date
    seed: int
    size: int
    population: int
    reconcile_days: int
    checklist: str
    drawn_by: str
    drawn_at: dt.datetime
    results: list[tuple[str, str, str, str]]


def supervision_runs(session: Session, run_id: int | None = None) -> list[StoredRun]:
    """The stored supervisions (or the one ``run_id``) with their results, oldest first."""
    query = select(SupervisionRun).order_by(SupervisionRun.id)
    if run_id is not None:
        query = query.where(SupervisionRun.id == run_id)
    runs = list(session.scalars(query))
    results: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    if runs:
        for r in session.scalars(select(SupervisionResult).where(SupervisionResult.run_id.in_([x.id for x in runs]))
                                 .order_by(SupervisionResult.id)):
            results[r.run_id].append((r.case_id, r.check_id, r.result, r.detail))
    return [StoredRun(r.id, r.period_start, r.period_end, r.seed, r.size, r.population, r.reconcile_days, r.checklist,
                      r.drawn_by, r.drawn_at, results.get(r.id, [])) for r in runs]


def findings(session: Session, case_id: str | None = None) -> list[dict[str, object]]:
    """The supervisors' findings (of ``case_id``), with the follow-up's state."""
    from ..oversight import finding_dict

    query = select(Finding, FindingDone).outerjoin(FindingDone, FindingDone.finding_id == Finding.id)
    if case_id is not None:
        query = query.where(Finding.case_id == case_id)
    return [finding_dict(f, d) for f, d in session.execute(query.order_by(Finding.id))]
