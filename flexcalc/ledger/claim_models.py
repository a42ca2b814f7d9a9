"""The tables of settlement and collection (migration ``0012_regulation_claims``), all append-only:

- ``Settlement``: a line of a payment beside the month's due payout — an efterbetaling paid (its cause and
  the month it concerns), a regulation deducted, a claim set off. The payment states the month's payout, the
  lines, and the net payout.
- ``Claim``: a repayment claim created by a ``collect`` decision (LAB § 125): amount, the decision, due date,
  the limitation date (forældelsesloven §§ 2–3), claim type for Gældsstyrelsen.
- ``ClaimEvent``: what happens to a claim — an instalment plan, a payment, a set-off, the handover to
  Gældsstyrelsen, the write-off at its limitation date. The balance is the amount less the events.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexcalc.ledger.db import Base
from flexcalc.period import Month

from .models import Ore, UTCDateTime, append_only
from .types import MonthColumn

SETTLEMENT_KINDS = ("efterbetaling", "regulation", "setoff")
EVENT_KINDS = ("plan", "payment", "setoff", "handover", "written_off")
PLAN_METHODS = ("instalment", "setoff", "deferral")


class Settlement(Base):
    """One line of the payment of ``payment_month``: an amount paid on top of the month's payout
    (``efterbetaling``) or deducted from it (``regulation``, ``setoff``), always positive."""

    __tablename__ = "ledger_settlement"
    __table_args__ = (
        CheckConstraint("kind IN ('efterbetaling', 'regulation', 'setoff')", name="kind"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(kind = 'setoff') = (claim_id IS NOT NULL)", name="setoff_has_claim"),
        UniqueConstraint("case_id", "payment_month", "kind", "correction_id", "claim_id",
                         name="uq_ledger_settlement_line"),
        Index("ix_ledger_settlement_case", "case_id", "payment_month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    payment_month: Mapped[Month] = mapped_column(MonthColumn())
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Ore())
    concerns_month: Mapped[Month] = mapped_column(MonthColumn())
    """The benefit month the money belongs to (finance books it there)."""
    cause: Mapped[str] = mapped_column(Text)
    """The correction's reason codes (space-separated), or ``claim`` for a set-off."""
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_correction.id"), nullable=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_claim.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    """When a caseworker released this back payment at once (``None``: paid with a month's payment)."""
    released_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Claim(Base):
    """A repayment claim (tilbagebetalingskrav) resting on a ``collect`` decision."""

    __tablename__ = "ledger_claim"
    __table_args__ = (
        UniqueConstraint("decision_id", name="uq_ledger_claim_decision"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_ledger_claim_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    correction_id: Mapped[int] = mapped_column(ForeignKey("ledger_correction.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("ledger_decision.id"))
    concerns_month: Mapped[Month] = mapped_column(MonthColumn())
    amount: Mapped[Decimal] = mapped_column(Ore())
    paid_on: Mapped[dt.date] = mapped_column(Date)
    """When the overpaid amount was paid out (forældelsesloven § 2: the claim could be demanded then)."""
    known_on: Mapped[dt.date] = mapped_column(Date)
    """When the municipality knew or should have known of the claim (§ 3, stk. 2: the period runs from then)."""
    decided_on: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    limitation_date: Mapped[dt.date] = mapped_column(Date)
    """The limitation date as the claim was created (3 years from ``known_on``, at most 10 years from
    ``paid_on``); a payment or a plan the debtor accepts starts a new period (§§ 15, 19)."""
    claim_type: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ClaimEvent(Base):
    """An event on a claim: ``plan`` (method, monthly amount, first month, reason), ``payment`` (amount,
    date, reference), ``setoff`` (amount, the payment month), ``handover`` (date, file), ``written_off``
    (amount, the limitation date)."""

    __tablename__ = "ledger_claim_event"
    __table_args__ = (
        CheckConstraint("kind IN ('plan', 'payment', 'setoff', 'handover', 'written_off')", name="kind"),
        CheckConstraint("(kind = 'plan') = (method IS NOT NULL)", name="plan_has_method"),
        CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
        Index("ix_ledger_claim_event_claim", "claim_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("ledger_claim.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    kind: Mapped[str] = mapped_column(String(12))
    on_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Ore(), nullable=True)
    method: Mapped[str | None] = mapped_column(String(12), nullable=True)
    monthly_amount: Mapped[Decimal | None] = mapped_column(Ore(), nullable=True)
    first_month: Mapped[Month | None] = mapped_column(MonthColumn(), nullable=True)
    reference: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The plan's reason, the payment's reference, the handover file's name."""
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


append_only(Settlement, Claim, ClaimEvent)
