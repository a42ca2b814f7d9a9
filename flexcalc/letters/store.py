"""Letters in the case file: a draft is stored as rendered, approved once, marked sent once. Append-only:
a new version of a letter is a new draft. Nothing here sends anything anywhere — "sent" is the caseworker's
record that the letter went out.

``mark_letter_sent`` is the moment a hearing opens: it returns the letter's row (kind, case, correction
ids, reply date), so the hearing record can be opened from it in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.ledger.caserows import now
from flexcalc.security.redact import redact
from flexcalc.text_da.format import date_da

from .document import Letter, content_hash, html_to_pdf
from .errors import letter_error
from .models import CHANNELS, LetterApproval, LetterRow, LetterSending

CHANNEL_DA = {"digital_post": "Digital Post", "paper": "papirbrev", "post": "brev med posten",
              "in_person": "udleveret personligt"}


def _who(value: str | None, field: str) -> str:
    text = redact((value or "").strip())
    if not text:
        raise letter_error(field, "missing")
    return text[:64]


def save_letter(session: Session, letter: Letter, created_by: str) -> LetterRow:
    """Store a draft as rendered (text and HTML, with their SHA-256)."""
    by = _who(created_by, "by")
    text, html = letter.text(), letter.html()
    row = LetterRow(case_id=letter.case_id, kind=letter.kind, correction_ids=[str(i) for i in letter.correction_ids],
                    benefit_month=letter.benefit_month, letter_date=letter.letter_date, reply_by=letter.reply_by,
                    complaint_deadline=letter.complaint_deadline, subject=letter.title, text=text, html=html,
                    content_sha256=content_hash(text, html), created_by=by, created_at=now(),
                    channel=letter.channel)
    session.add(row)
    session.flush()
    return row


def get_letter(session: Session, letter_id: int, field: str = "letter") -> LetterRow:
    row = session.get(LetterRow, letter_id)
    if row is None:
        raise letter_error(field, "unknown_letter", id=letter_id)
    return row


def _approval(session: Session, letter_id: int) -> LetterApproval | None:
    return session.scalar(select(LetterApproval).where(LetterApproval.letter_id == letter_id))


def _sending(session: Session, letter_id: int) -> LetterSending | None:
    return session.scalar(select(LetterSending).where(LetterSending.letter_id == letter_id))


SENT_BY = {"digital_post": ("digital_post",), "paper": ("post", "in_person")}
"""How a letter drafted for a channel may be recorded as sent: its stated deadline must stay right (a paper
letter handed over in person is received earlier than the letter assumes, which only favours the person)."""


def newer_draft(session: Session, row: LetterRow) -> LetterRow | None:
    """A later draft of the same letter (same case and kind; same corrections, or for a specification the
    same month), if one exists: the older draft is then superseded and may not be approved or sent."""
    query = select(LetterRow).where(LetterRow.case_id == row.case_id, LetterRow.kind == row.kind,
                                    LetterRow.id > row.id).order_by(LetterRow.id.desc())
    for other in session.scalars(query):
        if row.kind == "specification":
            if other.benefit_month == row.benefit_month:
                return other
        elif sorted(other.correction_ids) == sorted(row.correction_ids):
            return other
    return None


def check_current(session: Session, row: LetterRow, expect_sha256: str | None) -> None:
    """Refuse a write on a draft the user did not see as it is: another content (``expect_sha256``) or a
    draft superseded by a newer one."""
    if expect_sha256 is not None and expect_sha256.strip().lower() != row.content_sha256:
        raise letter_error("content_sha256", "stale_letter", id=row.id, actual=row.content_sha256[:12],
                           expected=expect_sha256.strip()[:12])
    newer = newer_draft(session, row)
    if newer is not None:
        raise letter_error("letter", "superseded", id=row.id, newer=newer.id)


def approve_letter(session: Session, letter_id: int, approved_by: str,
                   expect_sha256: str | None = None) -> LetterApproval:
    """Approve a draft (once). An approved letter is what may be sent; the system still sends nothing.
    ``expect_sha256``: the content the approver saw (refused if it is not this draft's); a superseded
    draft is refused either way."""
    row = get_letter(session, letter_id)
    by = _who(approved_by, "by")
    existing = _approval(session, row.id)
    if existing is not None:
        raise letter_error("letter", "already_approved", id=row.id, by=existing.approved_by,
                           at=existing.approved_at.isoformat())
    check_current(session, row, expect_sha256)
    approval = LetterApproval(letter_id=row.id, approved_by=by, approved_at=now())
    session.add(approval)
    session.flush()
    return approval


def mark_letter_sent(session: Session, letter_id: int, sent_by: str, channel: str,
                     sent_at: dt.datetime | None = None, expect_sha256: str | None = None,
                     message_id: str | None = None) -> LetterRow:
    """Record that an approved letter went out (by Digital Post, post or in person), once. Returns the
    letter's row: for a hearing letter, the moment the hearing record opens (its ``correction_ids`` and
    ``reply_by``). ``message_id``: the MeMo message UUID of a Digital Post letter (only that channel)."""
    row = get_letter(session, letter_id)
    by = _who(sent_by, "by")
    channel = (channel or "").strip().lower()
    if channel not in CHANNELS:
        raise letter_error("channel", "channel")
    if message_id is not None:
        from flexcalc.formats.memo import check_message_id

        message_id = check_message_id(message_id, channel)
    approval = _approval(session, row.id)
    if approval is None:
        raise letter_error("letter", "not_approved", id=row.id)
    existing = _sending(session, row.id)
    if existing is not None:
        raise letter_error("letter", "already_sent", id=row.id, by=existing.sent_by, at=existing.sent_at.isoformat())
    check_current(session, row, expect_sha256)
    if row.channel is not None and channel not in SENT_BY[row.channel]:
        raise letter_error("channel", "channel_mismatch", id=row.id, drafted=row.channel, channel=channel,
                           drafted_da=CHANNEL_DA[row.channel], channel_da=CHANNEL_DA[channel])
    stamp = now()
    at = sent_at or stamp
    if at > stamp:
        raise letter_error("sent_at", "sent_in_future", at=at.isoformat())
    if at < approval.approved_at:
        raise letter_error("sent_at", "sent_before_approval", at=at.isoformat(),
                           approved=approval.approved_at.isoformat())
    session.add(LetterSending(letter_id=row.id, sent_by=by, sent_at=at, channel=channel, message_id=message_id))
    session.flush()
    if row.kind == "hearing":
        # The hearing opens with the letter (forvaltningsloven § 19): its date and reply date, in the
        # case's hearing record, in the same transaction (a refusal there stores neither).
        from flexcalc.ledger.hearings import record_hearing_sent

        for correction_id in row.correction_ids:
            record_hearing_sent(session, row.case_id, int(correction_id), row.letter_date, row.reply_by, by,
                                letter_id=str(row.id))
    return row


def letter_status(approval: LetterApproval | None, sending: LetterSending | None) -> str:
    return "sent" if sending is not None else "approved" if approval is not None else "draft"


def letter_dict(row: LetterRow, approval: LetterApproval | None, sending: LetterSending | None,
                *, content: bool = False) -> dict[str, Any]:
    """A letter for the API and the CLI (``content``: with its text and HTML)."""
    out: dict[str, Any] = {
        "id": row.id, "case_id": row.case_id, "kind": row.kind,
        "correction_ids": [int(i) for i in row.correction_ids],
        "benefit_month": None if row.benefit_month is None else str(row.benefit_month),
        "letter_date": row.letter_date.isoformat(), "letter_date_da": date_da(row.letter_date),
        "reply_by": None if row.reply_by is None else row.reply_by.isoformat(),
        "complaint_deadline": None if row.complaint_deadline is None else row.complaint_deadline.isoformat(),
        "subject": row.subject, "content_sha256": row.content_sha256,
        "created_by": row.created_by, "created_at": row.created_at.isoformat(),
        "status": letter_status(approval, sending),
        "approved_by": None if approval is None else approval.approved_by,
        "approved_at": None if approval is None else approval.approved_at.isoformat(),
        "sent_by": None if sending is None else sending.sent_by,
        "sent_at": None if sending is None else sending.sent_at.isoformat(),
        "channel": None if sending is None else sending.channel,
        "message_id": None if sending is None else sending.message_id,
        "draft_channel": row.channel,
    }
    if content:
        out["text"], out["html"] = row.text, row.html
    return out


def letter_with_status(session: Session, row: LetterRow, *, content: bool = False) -> dict[str, Any]:
    return letter_dict(row, _approval(session, row.id), _sending(session, row.id), content=content)


def list_letters(session: Session, case_id: str, *, drafts: bool = True, after: int | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
    """A case's letters by id (``drafts=False``: only approved or sent ones — what a citizen sees)."""
    query = (select(LetterRow, LetterApproval, LetterSending)
             .outerjoin(LetterApproval, LetterApproval.letter_id == LetterRow.id)
             .outerjoin(LetterSending, LetterSending.letter_id == LetterRow.id)
             .where(LetterRow.case_id == case_id).order_by(LetterRow.id))
    if not drafts:
        query = query.where(LetterApproval.id.is_not(None))
    if after is not None:
        query = query.where(LetterRow.id > after)
    if limit is not None:
        query = query.limit(limit)
    return [letter_dict(row, approval, sending) for row, approval, sending in session.execute(query)]


def letter_pdf(row: LetterRow) -> bytes:
    """The PDF of a stored letter, rendered from its stored HTML (the approved content, unchanged)."""
    return html_to_pdf(row.html)
