"""The hearing (partshøring) of a possible repayment: that a hearing letter was sent, and the reply.

Before the municipality decides to collect a possible repayment it hears the person (forvaltningsloven
§ 19: the person is told of the facts that count against them and given a time to reply; repayment
further needs that the person knew or should have known, Ankestyrelsen PM 6-23). The ledger records
the hearing as **append-only events** of a correction, never updated:

- **hearing sent** (``sent``): the letter's date (``sent_on``), the reply date (``reply_by``, by default
  14 days after ``sent_on``), who sent it and, when the letter is kept in the case file, its id;
- **reply received** (``reply``): the date the reply came (``received_on``), a short summary, who
  recorded it.

Only a possible repayment (a correction with status ``repayment_review``) without a decision takes a
hearing. The same event recorded again is a no-op that says so (a retried request). A second hearing
letter (e.g. after new facts) is a new ``sent`` event; the latest one counts. The state of the hearing
on a day (``hearing_state``): ``not_sent``, ``awaiting_reply``, ``reply_overdue`` (the reply date has
passed without a reply) or ``replied``.

Deciding is not refused without a recorded hearing: a waiver is wholly in the person's favour and needs
none (forvaltningsloven § 19, stk. 1 concerns facts to the person's disadvantage), and some
municipalities hear orally (docs/decisions.md, "Workbench").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.db import Base
from flexcalc.errors import InputError, require
from flexcalc.identifiers import check_identifier
from flexcalc.inputs import parse_date

from .models import Correction, Decision, UTCDateTime, append_only
from .types import CorrectionStatus

REPLY_DAYS = 14
"""The default time to reply: 14 days from the letter's date (the issue's default; forvaltningsloven
§ 19 sets no fixed time, only "a time to reply")."""

SENT = "sent"
REPLY = "reply"


class HearingEvent(Base):
    """One event of a correction's hearing: a hearing letter sent, or the reply received. Append-only."""

    __tablename__ = "ledger_hearing_event"
    __table_args__ = (
        CheckConstraint("kind IN ('sent', 'reply')", name="kind"),
        CheckConstraint("(kind = 'sent') = (sent_on IS NOT NULL AND reply_by IS NOT NULL)", name="sent_dates"),
        CheckConstraint("(kind = 'reply') = (received_on IS NOT NULL)", name="reply_date"),
        Index("ix_ledger_hearing_event_correction", "correction_id"),
        Index("ix_ledger_hearing_event_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("ledger_correction.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    kind: Mapped[str] = mapped_column(String(8))
    sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    letter_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "correction_id": self.correction_id, "case_id": self.case_id,
                               "kind": self.kind, "by": self.recorded_by, "recorded_at": self.recorded_at.isoformat()}
        if self.kind == SENT:
            out.update({"sent_on": _iso(self.sent_on), "reply_by": _iso(self.reply_by), "letter_id": self.letter_id})
        else:
            out.update({"received_on": _iso(self.received_on), "summary": self.summary})
        return out


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


append_only(HearingEvent)


def today_local() -> dt.date:
    """Today in Danish time (the day a letter is dated and a reply date runs out)."""
    from .reports import LOCAL_ZONE

    return dt.datetime.now(LOCAL_ZONE).date()


def _date(value: dt.date | str | None, field: str) -> dt.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(field, "is required (a date written YYYY-MM-DD)", "skal udfyldes (en dato skrevet ÅÅÅÅ-MM-DD)",
                         code="missing")
    return parse_date(value, field)


def _who(by: str | None) -> str:
    from flexcalc.security.redact import redact

    who = redact((by or "").strip())
    if not who:
        raise InputError("by", "say who records it", "angiv hvem der registrerer det", code="missing")
    if len(who) > 64:
        raise InputError("by", "must be at most 64 characters", "må højst være 64 tegn", code="too_long")
    return who


def _correction(session: Session, case_id: str, correction_id: int) -> Correction:
    """The correction, if it is a possible repayment of the case without a decision yet."""
    correction = session.get(Correction, correction_id)
    if correction is None or correction.case_id != case_id:
        raise InputError("correction", f"case {case_id} has no correction {correction_id}",
                         f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    if correction.status != CorrectionStatus.REPAYMENT_REVIEW or correction.track == "regulation":
        raise InputError("correction", "only a possible repayment (a negative correction) takes a hearing",
                         "kun en mulig tilbagebetaling (en negativ efterregulering) skal i partshøring",
                         code="not_repayment")
    if session.scalar(select(Decision.id).where(Decision.correction_id == correction_id)) is not None:
        raise InputError("correction", f"the correction {correction_id} has a decision already",
                         f"efterreguleringen {correction_id} har allerede en afgørelse", code="decided")
    return correction


def _events(session: Session, correction_id: int) -> list[HearingEvent]:
    return list(session.scalars(select(HearingEvent).where(HearingEvent.correction_id == correction_id)
                                .order_by(HearingEvent.id)))


@dataclass(slots=True)
class Recorded:
    """A hearing event as stored (or found stored already: ``already_recorded``)."""

    event: HearingEvent
    already_recorded: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.event.to_dict(), "already_recorded": self.already_recorded}


def record_hearing_sent(session: Session, case_id: str, correction_id: int, sent_on: dt.date | str,
                        reply_by: dt.date | str | None, by: str, letter_id: str | None = None) -> Recorded:
    """Record that a hearing letter on the possible repayment ``correction_id`` was sent on ``sent_on``
    with the reply date ``reply_by`` (``None``: 14 days later), inside the caller's transaction.

    ``InputError`` naming the field, nothing stored: not a correction of the case (``correction``), not a
    possible repayment or decided already (``correction``), a letter dated before the correction was made
    (``sent_on``), a reply date not after the letter's date (``reply_by``), no ``by``. The same letter
    recorded again is a no-op (``already_recorded``)."""
    from .caserows import lock_case
    from .reports import LOCAL_ZONE
    from .store import now

    correction = _correction(session, case_id, correction_id)
    sent = _date(sent_on, "sent_on")
    made = correction.as_of.astimezone(LOCAL_ZONE).date()
    if sent < made:
        raise InputError("sent_on", f"{sent} is before the correction was made ({made})",
                         f"{sent} ligger før efterreguleringen blev foretaget ({made})", code="before_correction")
    due = sent + dt.timedelta(days=REPLY_DAYS) if reply_by is None or reply_by == "" else _date(reply_by, "reply_by")
    if due <= sent:
        raise InputError("reply_by", f"the reply date {due} must be after the letter's date {sent}",
                         f"svarfristen {due} skal ligge efter brevets dato {sent}", code="reply_before_sent")
    letter = None if letter_id is None or str(letter_id).strip() == "" else check_identifier(
        str(letter_id).strip(), "letter_id")
    who = _who(by)
    lock_case(session, case_id)
    for stored in _events(session, correction_id):
        if stored.kind == SENT and (stored.sent_on, stored.reply_by, stored.letter_id) == (sent, due, letter):
            return Recorded(stored, True)
    row = HearingEvent(correction_id=correction_id, case_id=case_id, kind=SENT, sent_on=sent, reply_by=due,
                       letter_id=letter, recorded_by=who, recorded_at=now())
    session.add(row)
    session.flush()
    return Recorded(row, False)


def record_hearing_reply(session: Session, case_id: str, correction_id: int, received_on: dt.date | str,
                         summary: str, by: str, *, today: dt.date | None = None) -> Recorded:
    """Record the person's reply to the hearing (received ``received_on``, in short ``summary``).

    ``InputError`` naming the field: no hearing letter recorded, or a reply dated before the latest
    letter (``received_on``), a reply dated after today (``received_on``), no summary (``summary``), no
    ``by``; the correction checks as ``record_hearing_sent``. The same reply again is a no-op."""
    from flexcalc.security.redact import redact

    from .caserows import lock_case
    from .store import now

    _correction(session, case_id, correction_id)
    received = _date(received_on, "received_on")
    text = redact((summary or "").strip())
    if not text:
        raise InputError("summary", "say in short what the reply says", "skriv kort, hvad svaret siger",
                         code="missing")
    if len(text) > 2000:
        raise InputError("summary", "must be at most 2000 characters", "må højst være 2000 tegn", code="too_long")
    who = _who(by)
    lock_case(session, case_id)
    events = _events(session, correction_id)
    letters = [e for e in events if e.kind == SENT]
    if not letters:
        raise InputError("received_on", "no hearing letter is recorded for this correction: record it first",
                         "der er ikke registreret et høringsbrev for efterreguleringen: registrér det først",
                         code="reply_before_sent")
    latest = max(letters, key=lambda e: (e.sent_on, e.id))
    sent_on = require(latest.sent_on, "sent_on")
    if received < sent_on:
        raise InputError("received_on", f"the reply {received} is dated before the hearing letter of "
                         f"{sent_on}", f"svaret {received} ligger før høringsbrevet af {sent_on}",
                         code="reply_before_sent")
    if received > (today or today_local()):
        raise InputError("received_on", f"{received} is in the future", f"{received} ligger i fremtiden",
                         code="date_future")
    for stored in events:
        if stored.kind == REPLY and (stored.received_on, stored.summary) == (received, text):
            return Recorded(stored, True)
    row = HearingEvent(correction_id=correction_id, case_id=case_id, kind=REPLY, received_on=received,
                       summary=text, recorded_by=who, recorded_at=now())
    session.add(row)
    session.flush()
    return Recorded(row, False)


STATE_LABELS_DA = {"not_sent": "partshøring ikke sendt", "awaiting_reply": "afventer svar på partshøring",
                   "reply_overdue": "svarfristen er udløbet uden svar", "replied": "svar på partshøring modtaget"}


@dataclass(frozen=True, slots=True)
class HearingState:
    """Where a correction's hearing stands on a day."""

    status: str
    """``not_sent``, ``awaiting_reply``, ``reply_overdue`` or ``replied``."""
    sent_on: dt.date | None = None
    reply_by: dt.date | None = None
    letter_id: str | None = None
    received_on: dt.date | None = None
    summary: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "status_da": STATE_LABELS_DA[self.status], "sent_on": _iso(self.sent_on),
                "reply_by": _iso(self.reply_by), "letter_id": self.letter_id,
                "received_on": _iso(self.received_on), "summary": self.summary}


def hearing_state(events: Iterable[HearingEvent], today: dt.date) -> HearingState:
    """The state of a hearing from its events on ``today``: the latest letter counts; a reply dated on
    or after it answers it; without one the hearing is overdue the day after the reply date."""
    events = list(events)
    letters = [e for e in events if e.kind == SENT]
    if not letters:
        return HearingState("not_sent")
    latest = max(letters, key=lambda e: (e.sent_on, e.id))
    sent_on, reply_by = require(latest.sent_on, "sent_on"), require(latest.reply_by, "reply_by")
    replies = [e for e in events if e.kind == REPLY and e.received_on is not None
               and e.received_on >= sent_on]
    if replies:
        reply = max(replies, key=lambda e: (e.received_on, e.id))
        return HearingState("replied", sent_on, reply_by, latest.letter_id, reply.received_on, reply.summary)
    return HearingState("reply_overdue" if today > reply_by else "awaiting_reply", sent_on, reply_by,
                        latest.letter_id)


def hearings_by_correction(session: Session, *, case_id: str | None = None,
                           correction_ids: Iterable[int] | None = None) -> dict[int, list[HearingEvent]]:
    """The hearing events, by correction (of one case, of some corrections, or all)."""
    query = select(HearingEvent).order_by(HearingEvent.id)
    if case_id is not None:
        query = query.where(HearingEvent.case_id == case_id)
    if correction_ids is not None:
        query = query.where(HearingEvent.correction_id.in_(list(correction_ids)))
    out: dict[int, list[HearingEvent]] = defaultdict(list)
    for row in session.scalars(query):
        out[row.correction_id].append(row)
    return out


def hearing_file(session: Session, case_id: str, correction_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """A correction's hearing for the caseworker: the state on ``today`` and every event, oldest first."""
    correction = session.get(Correction, correction_id)
    if correction is None or correction.case_id != case_id:
        raise InputError("correction", f"case {case_id} has no correction {correction_id}",
                         f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    events = _events(session, correction_id)
    decided = session.scalar(select(Decision.id).where(Decision.correction_id == correction_id)) is not None
    return {"case_id": case_id, "correction_id": correction_id, "decided": decided,
            **hearing_state(events, today or today_local()).to_dict(), "events": [e.to_dict() for e in events]}
