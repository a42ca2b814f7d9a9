"""The refund history of each case (refusionshistorik): what the refund ladder of LBK 221/2021 needs
that the payments alone do not say — and the read model finance uses to get it.

Stored rows (``ledger_refund_history``, migration 0013_refund_history), append-only and bitemporal:
- ``benefit``: days with a public benefit of § 3 (dagpenge, kontanthjælp, sygedagpenge, ledighedsydelse,
  fleksløntilskud from another system …);
- ``subsidised_work``: days in a job with a wage subsidy (never self-support, § 6 stk. 2);
- ``visitation``: the date the person was visiteret to fleksjob (the cohort, § 30);
- ``job_start``: the first day of a fleksjob (the 2013–mid-2014 cohort, § 30 stk. 3);
- ``counted_weeks``: a count of benefit weeks before the calendar week of ``start_date`` taken over
  from another system (a refund profile file);
- ``retraction``: withdraws the row ``retracts`` from the instant it is known.
``start_date``/``end_date`` say when it was true, ``known_at`` when the municipality learned it, and
``source`` where it came from. Nothing is changed or deleted (ORM guard and database triggers).

The read model (``refund_histories``) adds the case's own months from the ledger: a paid month with a
subsidy above 0 is a benefit period (fleksløntilskud, source "paid month"), a paid month of 0 kr. is
subsidised work (the person is in a fleksjob); an employment's recorded first day is a job start.
Everything is read as known at ``as_of`` (default: now).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import InputError
from flexcalc.ledger.db import Base
from flexcalc.period import Month

from .caserows import now
from .models import Case, Employment, Payment, UTCDateTime, append_only

KINDS = ("benefit", "subsidised_work", "visitation", "job_start", "counted_weeks", "retraction")
PERIOD_KINDS = ("benefit", "subsidised_work")
PAID_MONTH = "paid month"
EMPLOYMENT = "employment"
CHUNK = 900


class RefundHistoryRow(Base):
    """One fact of a case's refund history (see the module text). Append-only."""

    __tablename__ = "ledger_refund_history"
    __table_args__ = (CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    weeks: Mapped[int | None] = mapped_column(Integer, nullable=True)
    benefit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source: Mapped[str] = mapped_column(String(200))
    retracts: Mapped[int | None] = mapped_column(ForeignKey("ledger_refund_history.id"), nullable=True)
    known_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    digest: Mapped[str] = mapped_column(String(64), unique=True)


append_only(RefundHistoryRow)


@dataclass(frozen=True, slots=True)
class HistoryFact:
    """A fact to record (already checked by its reader; the case is known)."""

    case_id: str
    kind: str
    start: dt.date | None
    end: dt.date | None = None
    weeks: int | None = None
    benefit: str = ""
    source: str = "import"
    known_at: dt.datetime | None = None
    retracts: int | None = None

    def digest(self) -> str:
        """The same fact, known at the same instant, recorded twice is found (a re-import is a no-op)."""
        data = [self.case_id, self.kind, self.start and self.start.isoformat(), self.end and self.end.isoformat(),
                self.weeks, self.benefit, self.source, self.known_at and self.known_at.isoformat(), self.retracts]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class HistoryPeriod:
    kind: str
    start: dt.date
    end: dt.date
    benefit: str
    source: str


@dataclass(slots=True)
class CaseRefundHistory:
    """A case's refund history as known at one instant."""

    case_id: str
    periods: list[HistoryPeriod] = field(default_factory=list)
    visitation_date: dt.date | None = None
    visitation_source: str = ""
    job_starts: list[tuple[dt.date, str]] = field(default_factory=list)
    counted_weeks: list[tuple[dt.date, int, str]] = field(default_factory=list)


def cases_by_cpr(session: Session, cprs: Iterable[str]) -> dict[str, str]:
    """The case id of each CPR number that a case has stored (a number without a case is left out).
    The numbers are compared as stored: ten digits, no hyphen or space."""
    wanted = sorted({c.replace("-", "").replace(" ", "").strip() for c in cprs})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(select(Case.cpr, Case.id).where(Case.cpr.in_(wanted[start:start + CHUNK])))
        for cpr, case_id in rows:
            if cpr is not None:
                found.setdefault(cpr, case_id)
    return found


def known_cases(session: Session, case_ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(case_ids))
    out: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        out.update(session.scalars(select(Case.id).where(Case.id.in_(wanted[start:start + CHUNK]))))
    return out


def record_history(session: Session, facts: Sequence[HistoryFact], recorded_by: str) -> tuple[int, int]:
    """Store ``facts`` (all or nothing: the caller's transaction); returns (stored, already stored).
    A retraction must point at a stored row of the same case."""
    stamp = now()
    digests = [f.digest() for f in facts]
    existing: set[str] = set()
    for start in range(0, len(digests), CHUNK):
        existing.update(session.scalars(select(RefundHistoryRow.digest).where(
            RefundHistoryRow.digest.in_(digests[start:start + CHUNK]))))
    stored = 0
    for fact, digest in zip(facts, digests, strict=True):
        if digest in existing:
            continue
        if fact.retracts is not None:
            target = session.get(RefundHistoryRow, fact.retracts)
            if target is None or target.case_id != fact.case_id:
                raise InputError("retracts", "is not a stored history row of the case",
                                 "er ikke en gemt historikrække på sagen", code="unknown_history_row")
        existing.add(digest)
        session.add(RefundHistoryRow(
            case_id=fact.case_id, kind=fact.kind, start_date=fact.start, end_date=fact.end, weeks=fact.weeks,
            benefit=fact.benefit or None, source=fact.source[:200], retracts=fact.retracts,
            known_at=fact.known_at or stamp, recorded_by=recorded_by[:64], recorded_at=stamp, digest=digest))
        stored += 1
    session.flush()
    return stored, len(facts) - stored


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A stored row as the read model gives it (no ORM object leaves the ledger)."""

    id: int
    kind: str
    start: dt.date | None
    end: dt.date | None
    weeks: int | None
    benefit: str | None
    source: str
    retracts: int | None
    known_at: dt.datetime
    recorded_by: str


def history_rows(session: Session, case_id: str) -> list[StoredRow]:
    """Every stored row of a case, in the order recorded (for the case's history listing)."""
    return [StoredRow(r.id, r.kind, r.start_date, r.end_date, r.weeks, r.benefit, r.source, r.retracts, r.known_at,
                      r.recorded_by)
            for r in session.scalars(select(RefundHistoryRow).where(RefundHistoryRow.case_id == case_id)
                                     .order_by(RefundHistoryRow.id))]


def refund_histories(session: Session, case_ids: Sequence[str], as_of: dt.datetime | None = None,
                     ) -> dict[str, CaseRefundHistory]:
    """Each case's refund history as known at ``as_of`` (default now): its stored rows less the ones
    retracted, its paid months and its employments' first days."""
    as_of = as_of or now()
    ids = sorted(set(case_ids))
    out = {c: CaseRefundHistory(c) for c in ids}
    rows: list[RefundHistoryRow] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows.extend(session.scalars(select(RefundHistoryRow).where(RefundHistoryRow.case_id.in_(chunk),
                                                                   RefundHistoryRow.known_at <= as_of)))
        for case_id, month, subsidy, payment_id in session.execute(
                select(Payment.case_id, Payment.benefit_month, Payment.subsidy, Payment.id).where(
                    Payment.case_id.in_(chunk), Payment.created_at <= as_of)):
            m = Month.parse(month)
            kind = "benefit" if subsidy > 0 else "subsidised_work"
            out[case_id].periods.append(HistoryPeriod(kind, m.first_day(), m.last_day(), "fleksloentilskud",
                                                      f"{PAID_MONTH} {m} (payment {payment_id})"))
        for case_id, start_date, employer in session.execute(
                select(Employment.case_id, Employment.start_date, Employment.employer_id).where(
                    Employment.case_id.in_(chunk), Employment.start_date.is_not(None))):
            if start_date is not None:
                out[case_id].job_starts.append((start_date, f"{EMPLOYMENT} {employer}"))
    retracted = {r.retracts for r in rows if r.kind == "retraction"}
    visitations: dict[str, tuple[dt.datetime, int, dt.date, str]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        if row.id in retracted or row.kind == "retraction" or row.start_date is None:
            continue
        history = out[row.case_id]
        if row.kind in PERIOD_KINDS:
            history.periods.append(HistoryPeriod(row.kind, row.start_date, row.end_date or row.start_date,
                                                 row.benefit or "", row.source))
        elif row.kind == "visitation":
            best = visitations.get(row.case_id)
            if best is None or (row.known_at, row.id) > best[:2]:
                visitations[row.case_id] = (row.known_at, row.id, row.start_date, row.source)
        elif row.kind == "job_start":
            history.job_starts.append((row.start_date, row.source))
        elif row.kind == "counted_weeks" and row.weeks is not None:
            history.counted_weeks.append((row.start_date, row.weeks, row.source))
    for case_id, (_, _, date, source) in visitations.items():
        out[case_id].visitation_date, out[case_id].visitation_source = date, source
    for history in out.values():
        history.periods.sort(key=lambda p: (p.start, p.end, p.kind))
        history.job_starts.sort()
        history.counted_weeks.sort()
    return out
