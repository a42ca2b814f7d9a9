"""The letters kept in the case file (migration ``0007_letters``): drafts, approvals and the record that a
letter was sent. All three are append-only, in the database (triggers) and here (``before_flush``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexcalc.ledger.db import Base
from flexcalc.ledger.models import UTCDateTime, append_only
from flexcalc.ledger.types import ListColumn, MonthColumn
from flexcalc.period import Month

KINDS = ("hearing", "decision", "specification")
CHANNELS = ("digital_post", "post", "in_person")
"""How a letter went out: Digital Post, a paper letter, handed over at a meeting."""


class LetterRow(Base):
    """One draft of a letter, as rendered. A new version is a new row; none is ever changed."""

    __tablename__ = "ledger_letter"
    __table_args__ = (
        CheckConstraint("kind IN ('hearing', 'decision', 'specification')", name="kind"),
        Index("ix_ledger_letter_case", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id", name="fk_ledger_letter_case"))
    kind: Mapped[str] = mapped_column(String(16))
    correction_ids: Mapped[list[str]] = mapped_column(ListColumn())
    """The corrections a hearing or decision letter is about (ids as text); for a specification, the
    corrections it lists."""
    benefit_month: Mapped[Month | None] = mapped_column(MonthColumn(), nullable=True)
    letter_date: Mapped[dt.date] = mapped_column(Date)
    reply_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    complaint_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    """How the letter is to be sent, chosen when drafted (``digital_post``/``paper``): its deadline depends on
    it. None for drafts stored before migration ``0011_letters_channel``."""


class LetterApproval(Base):
    """A caseworker's approval of a draft: at most one per letter."""

    __tablename__ = "ledger_letter_approval"
    __table_args__ = (UniqueConstraint("letter_id", name="uq_ledger_letter_approval_letter_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("ledger_letter.id", name="fk_ledger_letter_approval_letter"))
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class LetterSending(Base):
    """The caseworker's record that an approved letter went out: at most one per letter."""

    __tablename__ = "ledger_letter_sending"
    __table_args__ = (
        UniqueConstraint("letter_id", name="uq_ledger_letter_sending_letter_id"),
        CheckConstraint("channel IN ('digital_post', 'post', 'in_person')", name="channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("ledger_letter.id", name="fk_ledger_letter_sending_letter"))
    sent_by: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The MeMo message UUID of a letter sent by Digital Post (``letters memo``; migration
    ``0018_tax_cards_payouts``); None for other channels and for letters recorded before."""


LETTER_TABLES = (LetterRow, LetterApproval, LetterSending)
append_only(*LETTER_TABLES)
