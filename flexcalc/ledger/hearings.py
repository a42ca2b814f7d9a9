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

A hearing is held by letter or orally (``channel``; an oral hearing names who held it). A ``collect``
decision is refused (``missing_for_collect``) unless a hearing is on file and its reply date has passed or
a reply is recorded, or the caseworker recorded an exception with its legal ground (``HearingException``,
``EXCEPTION_GROUNDS``). A waiver is wholly in the person's favour and needs none (forvaltningsloven § 19,
stk. 1 concerns facts to the person's disadvantage); docs/decisions.md, "No repayment without a hearing".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import ConflictError, InputError, NotFoundError, require
from flexcalc.ledger.db import Base
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.parsing.inputs import parse_date

from .free_text import required_text
from .models import Correction, Decision, UTCDateTime, append_only
from .types import CorrectionStatus

REPLY_DAYS = 14
"""The default time to reply: 14 days from the letter's date (the issue's default; forvaltningsloven
§ 19 sets no fixed time, only "a time to reply")."""

SENT = "sent"
REPLY = "reply"

LETTER = "letter"
ORAL = "oral"
CHANNELS = (LETTER, ORAL)
"""How the hearing was held: a letter, or orally (a meeting or a phone call, recorded with its date and who
held it)."""

EXCEPTION_GROUNDS: dict[str, tuple[str, str]] = {
    "own_information": ("Forvaltningsloven § 19, stk. 1 (gælder ikke)",
                        "Oplysningerne imod borgeren kommer fra borgeren selv, så der er ikke pligt til partshøring."),
    "fvl_19_2_1": ("Forvaltningsloven § 19, stk. 2, nr. 1",
                   "Det er ubetænkeligt at træffe afgørelse på det foreliggende grundlag."),
    "fvl_19_2_2": ("Forvaltningsloven § 19, stk. 2, nr. 2",
                   "En udsættelse vil overskride en lovbestemt frist for afgørelsen."),
    "fvl_19_2_3": ("Forvaltningsloven § 19, stk. 2, nr. 3",
                   "Formålet med afgørelsen vil ellers forspildes."),
    "fvl_19_2_4": ("Forvaltningsloven § 19, stk. 2, nr. 4",
                   "Borgeren har ikke ret til aktindsigt i oplysningerne (forvaltningslovens kapitel 4)."),
    "fvl_19_2_5": ("Forvaltningsloven § 19, stk. 2, nr. 5",
                   "Væsentlige hensyn til offentlige eller private interesser (jf. § 15) taler imod."),
}
"""Why no hearing is needed before a repayment is collected: the person supplied the facts (then § 19, stk. 1
does not apply), or a ground of § 19, stk. 2 (docs/decisions.md, "No repayment without a hearing")."""


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
    channel: Mapped[str | None] = mapped_column(String(8), nullable=True)
    """``letter`` or ``oral`` for a hearing held (None on rows from before it was recorded: a letter)."""
    held_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """Who held an oral hearing (and who took part)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "correction_id": self.correction_id, "case_id": self.case_id,
                               "kind": self.kind, "by": self.recorded_by, "recorded_at": self.recorded_at.isoformat()}
        if self.kind == SENT:
            out.update({"sent_on": _iso(self.sent_on), "reply_by": _iso(self.reply_by), "letter_id": self.letter_id,
                        "channel": self.channel or LETTER, "held_by": self.held_by})
        else:
            out.update({"received_on": _iso(self.received_on), "summary": self.summary})
        return out


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


append_only(HearingEvent)


class HearingException(Base):
    """The caseworker's record that a possible repayment may be decided without a hearing, with its legal
    ground (``EXCEPTION_GROUNDS``) and why it applies here. Append-only."""

    __tablename__ = "ledger_hearing_exception"
    __table_args__ = (Index("ix_ledger_hearing_exception_correction", "correction_id"),
                      Index("ix_ledger_hearing_exception_case", "case_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("ledger_correction.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    ground: Mapped[str] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    def to_dict(self) -> dict[str, Any]:
        provision, meaning = EXCEPTION_GROUNDS.get(self.ground, (self.ground, ""))
        return {"id": self.id, "correction_id": self.correction_id, "case_id": self.case_id, "ground": self.ground,
                "provision": provision, "ground_da": meaning, "explanation": self.explanation,
                "by": self.recorded_by, "recorded_at": self.recorded_at.isoformat()}


append_only(HearingException)


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
    return required_text(by, "by", 64, "say who records it", "angiv hvem der registrerer det")


def _held_by(value: str | None) -> str | None:
    from flexcalc.security.redact import redact

    text = redact((value or "").strip())
    if len(text) > 200:
        raise InputError("held_by", "must be at most 200 characters", "må højst være 200 tegn", code="too_long")
    return text or None


def _correction(session: Session, case_id: str, correction_id: int) -> Correction:
    """The correction, if it is a possible repayment of the case without a decision yet."""
    correction = session.get(Correction, correction_id)
    if correction is None or correction.case_id != case_id:
        raise NotFoundError("correction", f"case {case_id} has no correction {correction_id}",
                         f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    if correction.status != CorrectionStatus.REPAYMENT_REVIEW or correction.track == "regulation":
        raise InputError("correction", "only a possible repayment (a negative correction) takes a hearing",
                         "kun en mulig tilbagebetaling (en negativ efterregulering) skal i partshøring",
                         code="not_repayment")
    if session.scalar(select(Decision.id).where(Decision.correction_id == correction_id)) is not None:
        raise ConflictError("correction", f"the correction {correction_id} has a decision already",
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
                        reply_by: dt.date | str | None, by: str, letter_id: str | None = None, *,
                        channel: str = LETTER, held_by: str | None = None) -> Recorded:
    """Record that a hearing letter on the possible repayment ``correction_id`` was sent on ``sent_on``
    with the reply date ``reply_by`` (``None``: 14 days later), inside the caller's transaction.

    ``InputError`` naming the field, nothing stored: not a correction of the case (``correction``), not a
    possible repayment or decided already (``correction``), a letter dated before the correction was made
    (``sent_on``), a reply date not after the letter's date (``reply_by``), no ``by``. The same letter
    recorded again is a no-op (``already_recorded``).

    ``channel``: ``letter`` (default) or ``oral``; an oral hearing's ``sent_on`` is the day it was held,
    ``held_by`` says who held it (required for an oral hearing), and its ``reply_by`` is the time the
    person has to add to what was said."""
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
    way = (channel or LETTER).strip().lower()
    if way not in CHANNELS:
        raise InputError("channel", "must be letter or oral", "skal være letter (brev) eller oral (mundtlig)",
                         code="channel")
    holder = _held_by(held_by) if way == ORAL else None
    if way == ORAL and holder is None:
        raise InputError("held_by", "an oral hearing is recorded with who held it",
                         "en mundtlig partshøring registreres med, hvem der holdt den", code="missing")
    who = _who(by)
    lock_case(session, case_id)
    for stored in _events(session, correction_id):
        if stored.kind == SENT and (stored.sent_on, stored.reply_by, stored.letter_id, stored.channel or LETTER,
                                    stored.held_by) == (sent, due, letter, way, holder):
            return Recorded(stored, True)
    row = HearingEvent(correction_id=correction_id, case_id=case_id, kind=SENT, sent_on=sent, reply_by=due,
                       letter_id=letter, recorded_by=who, recorded_at=now(), channel=way, held_by=holder)
    session.add(row)
    session.flush()
    return Recorded(row, False)


def record_hearing_reply(session: Session, case_id: str, correction_id: int, received_on: dt.date | str,
                         summary: str, by: str, *, today: dt.date | None = None) -> Recorded:
    """Record the person's reply to the hearing (received ``received_on``, in short ``summary``).

    ``InputError`` naming the field: no hearing letter recorded, or a reply dated before the latest
    letter (``received_on``), a reply dated after today (``received_on``), no summary (``summary``), no
    ``by``; the correction checks as ``record_hearing_sent``. The same reply again is a no-op."""

    from .caserows import lock_case
    from .store import now

    _correction(session, case_id, correction_id)
    received = _date(received_on, "received_on")
    text = required_text(summary, "summary", 2000, "say in short what the reply says",
                         "skriv kort, hvad svaret siger")
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
    channel: str | None = None
    held_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "status_da": STATE_LABELS_DA[self.status], "sent_on": _iso(self.sent_on),
                "reply_by": _iso(self.reply_by), "letter_id": self.letter_id,
                "received_on": _iso(self.received_on), "summary": self.summary, "channel": self.channel,
                "held_by": self.held_by}


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
    channel = latest.channel or LETTER
    if replies:
        reply = max(replies, key=lambda e: (e.received_on, e.id))
        return HearingState("replied", sent_on, reply_by, latest.letter_id, reply.received_on, reply.summary,
                            channel, latest.held_by)
    return HearingState("reply_overdue" if today > reply_by else "awaiting_reply", sent_on, reply_by,
                        latest.letter_id, channel=channel, held_by=latest.held_by)


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
        raise NotFoundError("correction", f"case {case_id} has no correction {correction_id}",
                         f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    events = _events(session, correction_id)
    decided = session.scalar(select(Decision.id).where(Decision.correction_id == correction_id)) is not None
    exceptions = _exceptions(session, correction_id)
    return {"case_id": case_id, "correction_id": correction_id, "decided": decided,
            **hearing_state(events, today or today_local()).to_dict(), "events": [e.to_dict() for e in events],
            "exceptions": [x.to_dict() for x in exceptions]}


def _exceptions(session: Session, correction_id: int) -> list[HearingException]:
    return list(session.scalars(select(HearingException).where(HearingException.correction_id == correction_id)
                                .order_by(HearingException.id)))


def record_hearing_exception(session: Session, case_id: str, correction_id: int, ground: str, explanation: str,
                             by: str) -> dict[str, Any]:
    """Record why the possible repayment ``correction_id`` may be decided without a hearing: ``ground`` is a
    key of ``EXCEPTION_GROUNDS`` and ``explanation`` says why it applies in this case. ``InputError`` naming
    the field, nothing stored: an unknown ground (``ground``), no explanation, no ``by``; the correction
    checks as ``record_hearing_sent``. The same record again is a no-op (``already_recorded``)."""

    from .caserows import lock_case
    from .store import now

    _correction(session, case_id, correction_id)
    key = (ground or "").strip()
    if key not in EXCEPTION_GROUNDS:
        raise InputError("ground", f"must be one of {', '.join(EXCEPTION_GROUNDS)}",
                         f"skal være en af {', '.join(EXCEPTION_GROUNDS)}", code="ground")
    text = required_text(explanation, "explanation", 2000, "say why the ground applies in this case",
                         "skriv, hvorfor grunden gælder i denne sag")
    who = _who(by)
    lock_case(session, case_id)
    for stored in _exceptions(session, correction_id):
        if (stored.ground, stored.explanation) == (key, text):
            return {**stored.to_dict(), "already_recorded": True}
    row = HearingException(correction_id=correction_id, case_id=case_id, ground=key, explanation=text,
                           recorded_by=who, recorded_at=now())
    session.add(row)
    session.flush()
    return {**row.to_dict(), "already_recorded": False}


def counts_for_decision(event: HearingEvent, decided_on: dt.date) -> bool:
    """Whether a hearing event counts for a decision dated ``decided_on``: a hearing letter only if it was
    sent before the decision's day (the person must have had it before the decision), an oral hearing if
    it was held on or before that day, a reply only if received on or before it (docs/decisions.md,
    "No repayment without a hearing": the order of hearing and decision)."""
    if event.kind == SENT:
        sent = require(event.sent_on, "sent_on")
        return sent <= decided_on if (event.channel or LETTER) == ORAL else sent < decided_on
    return event.received_on is not None and event.received_on <= decided_on


def state_at_decision(session: Session, correction_id: int, decided_on: dt.date) -> HearingState:
    """The hearing's state as it stood for a decision dated ``decided_on`` (later events do not count)."""
    return hearing_state([e for e in _events(session, correction_id) if counts_for_decision(e, decided_on)],
                         decided_on)


def missing_for_collect(session: Session, correction_id: int, today: dt.date) -> list[tuple[str, str, str]]:
    """What a ``collect`` decision dated ``today`` on the possible repayment still lacks, as (field, English,
    Danish); empty when it may be made. A hearing is on file before the decision (a letter sent before its
    day, or an oral hearing held by then, with who held it) and its reply date has passed or a reply is
    recorded; or an exception is recorded with its legal ground (forvaltningsloven § 19, stk. 1 does not
    apply, or a ground of § 19, stk. 2). A hearing dated on or after the decision
    does not count: the decision is refused and says so."""
    if _exceptions(session, correction_id):  # a legal ground applies or not, whenever it was written down
        return []
    events = _events(session, correction_id)
    state = state_at_decision(session, correction_id, today)
    if state.status == "not_sent":
        late = sorted(require(e.sent_on, "sent_on") for e in events if e.kind == SENT)
        if late:
            return [("hearing", f"the hearing of {late[0]} is not before the decision dated {today}: a hearing "
                     "counts only if it was sent before the decision (forvaltningsloven § 19)",
                     f"partshøringen af {late[0]} ligger ikke før afgørelsen dateret {today}: en partshøring "
                     "tæller kun, hvis den er sendt før afgørelsen (forvaltningsloven § 19)")]
        return [("hearing", "no hearing is on file (a letter sent or an oral hearing) and no exception with its "
                 "legal ground is recorded (forvaltningsloven § 19)",
                 "der er ingen partshøring (brev sendt eller mundtlig høring) og ingen registreret undtagelse med "
                 "hjemmel (forvaltningsloven § 19)")]
    if state.status == "awaiting_reply":
        reply_by = require(state.reply_by, "reply_by")
        return [("hearing", f"the reply date {reply_by} has not passed and no reply is recorded",
                 f"svarfristen {reply_by} er ikke udløbet, og der er ikke registreret et svar")]
    return []
