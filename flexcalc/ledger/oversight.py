"""The tables of management oversight (migration ``0022_insight_supervision``), all append-only:

- ``Complaint`` and ``ComplaintEvent``: the complaint register. A complaint is received on a day about a case
  (and, where known, a decision); then the municipality reconsiders it (genvurdering, retssikkerhedsloven
  § 66: it keeps or changes its decision), sends it on to Ankestyrelsen (§ 67), and records Ankestyrelsen's
  outcome with its effect on the case. Each step is a new event; nothing is changed.
- ``SupervisionRun`` and ``SupervisionResult``: a management supervision (ledelsestilsyn): the seeded sample
  of cases drawn for a period, and the result of each check on each case (``flexcalc.insight.supervision``).
- ``Finding`` and ``FindingDone``: a supervisor's finding on a case with the follow-up asked for; the
  caseworker sees it in the worklist until the follow-up is recorded done.

Every write here acts on the state its user saw: an event on a complaint states the complaint's ``version``
(the number of events the user saw); a follow-up is recorded done once (a second is a conflict).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import ConflictError, InputError, NotFoundError
from flexcalc.ledger.db import Base
from flexcalc.parsing.inputs import parse_date

from .models import UTCDateTime, append_only

COMPLAINT_STEPS = ("reconsidered", "sent_to_ankestyrelsen", "outcome")
RECONSIDER_RESULTS = ("kept", "changed")
"""The municipality's reconsideration: the decision is kept (and the complaint goes on), or changed."""
OUTCOMES = ("upheld", "changed", "remitted", "rejected", "withdrawn")
"""Ankestyrelsen's outcome: stadfæstet, ændret, hjemvist, afvist; or the complaint withdrawn."""
EFFECTS = ("none", "amount_changed", "repayment_cancelled", "new_decision")
"""The effect on the case: none, the amount changed, the repayment cancelled, a new decision to be made."""
RESULTS = ("pass", "fail", "not_applicable")


class Complaint(Base):
    """A complaint received about a case. Append-only."""

    __tablename__ = "ledger_complaint"
    __table_args__ = (Index("ix_ledger_complaint_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The decision complained about (``ledger_decision.id``), when it is one of the ledger's."""
    subject: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ComplaintEvent(Base):
    """A step of a complaint: reconsidered, sent to Ankestyrelsen, or its outcome with the effect. Append-only."""

    __tablename__ = "ledger_complaint_event"
    __table_args__ = (
        CheckConstraint("kind IN ('reconsidered', 'sent_to_ankestyrelsen', 'outcome')", name="kind"),
        UniqueConstraint("complaint_id", "sequence", name="uq_ledger_complaint_event_seq"),
        Index("ix_ledger_complaint_event_complaint", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("ledger_complaint.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    """1, 2, …: the complaint's version after this event (two writers that saw the same version cannot both
    store theirs: the unique key refuses the second)."""
    kind: Mapped[str] = mapped_column(String(24))
    on_date: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(24), nullable=True)
    effect: Mapped[str | None] = mapped_column(String(24), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SupervisionRun(Base):
    """One supervision: the period, the seed and size of the sample, the population it was drawn from."""

    __tablename__ = "ledger_supervision_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    seed: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer)
    reconcile_days: Mapped[int] = mapped_column(Integer)
    checklist: Mapped[str] = mapped_column(String(32))
    """The version of the checklist the cases were checked against."""
    drawn_by: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SupervisionResult(Base):
    """The result of one check on one sampled case. Append-only."""

    __tablename__ = "ledger_supervision_result"
    __table_args__ = (
        CheckConstraint("result IN ('pass', 'fail', 'not_applicable')", name="result"),
        UniqueConstraint("run_id", "case_id", "check_id", name="uq_ledger_supervision_result"),
        Index("ix_ledger_supervision_result_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ledger_supervision_run.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    check_id: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)


class Finding(Base):
    """A supervisor's finding on a case and the follow-up the caseworker is to do. Append-only."""

    __tablename__ = "ledger_finding"
    __table_args__ = (Index("ix_ledger_finding_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_supervision_run.id"), nullable=True)
    check_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    finding: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class FindingDone(Base):
    """The caseworker's record that a finding's follow-up is done. At most one per finding. Append-only."""

    __tablename__ = "ledger_finding_done"
    __table_args__ = (UniqueConstraint("finding_id", name="uq_ledger_finding_done_finding"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("ledger_finding.id"))
    note: Mapped[str] = mapped_column(Text)
    done_by: Mapped[str] = mapped_column(String(64))
    done_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


OVERSIGHT_TABLES = (Complaint, ComplaintEvent, SupervisionRun, SupervisionResult, Finding, FindingDone)
append_only(*OVERSIGHT_TABLES)


# --- writes ----------------------------------------------------------------------------------------

def _text(value: str | None, field: str, *, required: bool = True, limit: int = 2000) -> str | None:
    from flexcalc.security.redact import redact

    text = redact((value or "").strip())
    if not text:
        if required:
            raise InputError(field, "is required", "skal udfyldes", code="missing")
        return None
    if len(text) > limit:
        raise InputError(field, f"must be at most {limit} characters", f"må højst være {limit} tegn", code="too_long")
    return text


def _who(by: str | None) -> str:
    who = _text(by, "by", limit=64)
    return who or ""


def _case(session: Session, case_id: str) -> None:
    from .caserows import get_case

    get_case(session, case_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def complaint_dict(complaint: Complaint, events: list[ComplaintEvent]) -> dict[str, Any]:
    """The complaint with its steps and its ``version`` (the number of steps) that the next step states."""
    status = "received"
    for e in events:
        status = e.kind
    return {"id": complaint.id, "case_id": complaint.case_id, "received_on": complaint.received_on.isoformat(),
            "decision_id": complaint.decision_id, "subject": complaint.subject, "status": status,
            "version": len(events), "by": complaint.recorded_by,
            "events": [{"sequence": e.sequence, "kind": e.kind, "on_date": e.on_date.isoformat(), "result": e.result,
                        "effect": e.effect, "note": e.note, "by": e.recorded_by} for e in events]}


def _complaint_events(session: Session, complaint_id: int) -> list[ComplaintEvent]:
    return list(session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
                                .order_by(ComplaintEvent.sequence)))


def record_complaint(session: Session, case_id: str, received_on: dt.date | str, subject: str, by: str,
                     decision_id: int | None = None, at: dt.datetime | None = None) -> dict[str, Any]:
    """Register a complaint received about ``case_id`` (and its decision ``decision_id``, when named)."""
    from .models import Correction, Decision

    _case(session, case_id)
    day = parse_date(received_on, "received_on")
    text = _text(subject, "subject") or ""
    who = _who(by)
    if decision_id is not None:
        owner = session.scalar(select(Correction.case_id).join(Decision, Decision.correction_id == Correction.id)
                               .where(Decision.id == decision_id))
        if owner != case_id:
            raise NotFoundError("decision_id", f"case {case_id} has no decision {decision_id}",
                                f"sag {case_id} har ingen afgørelse {decision_id}", code="unknown_decision")
    row = Complaint(case_id=case_id, received_on=day, decision_id=decision_id, subject=text, recorded_by=who,
                    recorded_at=at or _now())
    session.add(row)
    session.flush()
    return complaint_dict(row, [])


def get_complaint(session: Session, case_id: str, complaint_id: int) -> dict[str, Any]:
    row = session.get(Complaint, complaint_id)
    if row is None or row.case_id != case_id:
        raise NotFoundError("complaint", f"case {case_id} has no complaint {complaint_id}",
                            f"sag {case_id} har ingen klage {complaint_id}", code="unknown_complaint")
    return complaint_dict(row, _complaint_events(session, complaint_id))


def case_complaints(session: Session, case_id: str) -> list[dict[str, Any]]:
    _case(session, case_id)
    rows = list(session.scalars(select(Complaint).where(Complaint.case_id == case_id).order_by(Complaint.id)))
    return [complaint_dict(r, _complaint_events(session, r.id)) for r in rows]


def record_complaint_step(session: Session, case_id: str, complaint_id: int, kind: str, on_date: dt.date | str,
                          by: str, *, version: int | None, result: str | None = None, effect: str | None = None,
                          note: str | None = None, at: dt.datetime | None = None) -> dict[str, Any]:
    """Add a step to a complaint. ``version`` is the complaint's version the user saw: another one (a step
    stored since) is a ``ConflictError`` naming ``version`` and nothing is stored."""
    current = get_complaint(session, case_id, complaint_id)
    if version is None:
        raise InputError("version", "state the complaint's version you saw (its number of steps)",
                         "angiv klagens version, som du så den (antal trin)", code="version_required")
    if version != current["version"]:
        raise ConflictError("version", f"the complaint is at version {current['version']}, not {version}: "
                            "reload it", f"klagen er i version {current['version']}, ikke {version}: hent den igen",
                            code="stale")
    if kind not in COMPLAINT_STEPS:
        raise InputError("kind", f"must be one of {', '.join(COMPLAINT_STEPS)}",
                         f"skal være en af {', '.join(COMPLAINT_STEPS)}", code="kind")
    day = parse_date(on_date, "on_date")
    if day < dt.date.fromisoformat(current["received_on"]):
        raise InputError("on_date", "is before the complaint was received", "er før klagen blev modtaget",
                         code="before_received")
    kinds = [e["kind"] for e in current["events"]]
    if "outcome" in kinds:
        raise ConflictError("kind", "the complaint has its outcome already", "klagen har allerede sit udfald",
                            code="closed")
    allowed = {"reconsidered": RECONSIDER_RESULTS, "outcome": OUTCOMES, "sent_to_ankestyrelsen": ()}[kind]
    if allowed and result not in allowed:
        raise InputError("result", f"must be one of {', '.join(allowed)}", f"skal være en af {', '.join(allowed)}",
                         code="result")
    if not allowed and result:
        raise InputError("result", "is not stated for this step", "angives ikke for dette trin", code="result")
    closing = kind == "outcome" or (kind == "reconsidered" and result == "changed")
    if closing and effect not in EFFECTS:
        raise InputError("effect", f"must be one of {', '.join(EFFECTS)}", f"skal være en af {', '.join(EFFECTS)}",
                         code="effect")
    if not closing and effect:
        raise InputError("effect", "is stated only with the outcome", "angives kun med udfaldet", code="effect")
    if kind == "sent_to_ankestyrelsen" and "reconsidered" not in kinds:
        raise InputError("kind", "reconsider the decision before sending it on (retssikkerhedsloven § 66)",
                         "genvurdér afgørelsen, før klagen sendes videre (retssikkerhedsloven § 66)",
                         code="not_reconsidered")
    row = ComplaintEvent(complaint_id=complaint_id, sequence=version + 1, kind=kind, on_date=day, result=result,
                         effect=effect, note=_text(note, "note", required=False), recorded_by=_who(by),
                         recorded_at=at or _now())
    session.add(row)
    session.flush()
    return get_complaint(session, case_id, complaint_id)


def record_finding(session: Session, case_id: str, finding: str, follow_up: str, by: str, *,
                   run_id: int | None = None, check_id: str | None = None, due_on: dt.date | str | None = None,
                   at: dt.datetime | None = None) -> dict[str, Any]:
    """A supervisor's finding on ``case_id`` and the follow-up asked of the caseworker."""
    _case(session, case_id)
    if run_id is not None and session.get(SupervisionRun, run_id) is None:
        raise NotFoundError("run_id", f"no supervision {run_id}", f"intet tilsyn {run_id}", code="unknown_run")
    row = Finding(case_id=case_id, run_id=run_id, check_id=_text(check_id, "check_id", required=False, limit=40),
                  finding=_text(finding, "finding") or "", follow_up=_text(follow_up, "follow_up") or "",
                  due_on=None if due_on in (None, "") else parse_date(due_on, "due_on"), recorded_by=_who(by),
                  recorded_at=at or _now())
    session.add(row)
    session.flush()
    return finding_dict(row, None)


def finding_dict(row: Finding, done: FindingDone | None) -> dict[str, Any]:
    return {"id": row.id, "case_id": row.case_id, "run_id": row.run_id, "check_id": row.check_id,
            "finding": row.finding, "follow_up": row.follow_up,
            "due_on": None if row.due_on is None else row.due_on.isoformat(), "by": row.recorded_by,
            "recorded_at": row.recorded_at.isoformat(), "status": "done" if done else "open",
            "done": None if done is None else {"note": done.note, "by": done.done_by,
                                               "at": done.done_at.isoformat()}}


def record_finding_done(session: Session, finding_id: int, note: str, by: str,
                        at: dt.datetime | None = None) -> dict[str, Any]:
    """The caseworker's record that the follow-up of ``finding_id`` is done (once: a second is a conflict)."""
    row = session.get(Finding, finding_id)
    if row is None:
        raise NotFoundError("finding", f"no finding {finding_id}", f"intet fund {finding_id}", code="unknown_finding")
    if session.scalar(select(func.count()).select_from(FindingDone).where(FindingDone.finding_id == finding_id)):
        raise ConflictError("finding", f"the follow-up of finding {finding_id} is recorded done already",
                            f"opfølgningen på fund {finding_id} er allerede registreret som udført", code="done")
    done = FindingDone(finding_id=finding_id, note=_text(note, "note") or "", done_by=_who(by), done_at=at or _now())
    session.add(done)
    session.flush()
    return finding_dict(row, done)


def open_findings(session: Session, case_id: str | None = None) -> list[Finding]:
    """The findings whose follow-up is not recorded done (the worklist's ``supervision_follow_up``)."""
    query = (select(Finding).outerjoin(FindingDone, FindingDone.finding_id == Finding.id)
             .where(FindingDone.id.is_(None)))
    if case_id is not None:
        query = query.where(Finding.case_id == case_id)
    return list(session.scalars(query.order_by(Finding.id)))


def store_supervision(session: Session, *, period_start: dt.date, period_end: dt.date, seed: int, size: int,
                      population: int, reconcile_days: int, checklist: str, by: str,
                      results: list[tuple[str, str, str, str]], at: dt.datetime | None = None) -> int:
    """Store a supervision and its results ``(case_id, check_id, result, detail)``; its id."""
    run = SupervisionRun(period_start=period_start, period_end=period_end, seed=seed, size=size,
                         population=population, reconcile_days=reconcile_days, checklist=checklist,
                         drawn_by=_who(by), drawn_at=at or _now())
    session.add(run)
    session.flush()
    session.add_all([SupervisionResult(run_id=run.id, case_id=c, check_id=k, result=r, detail=d)
                     for c, k, r, d in results])
    session.flush()
    return run.id
