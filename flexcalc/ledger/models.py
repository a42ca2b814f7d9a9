"""The ledger's tables: cases, employments, the ceiling history, wage reports, payments, holds,
corrections and decisions.

Wage reports are **append-only** (bitemporal: each carries the payment date that places it in a
basis month *and* the instant it was received). A correction or a reversal is a new row pointing at
the report it corrects; no report is ever updated or deleted. That is enforced here, in the ORM
(``before_flush``: an update or delete of a report, payment, correction, hold release or decision
raises ``AppendOnlyError``), and tested in ``tests/ledger/test_ledger_store.py``.

Amounts are stored as whole øre (integers) and read back as ``Decimal`` kroner, so no float ever
holds an amount on SQLite either. Instants are stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from flexcalc.errors import AppendOnlyError
from flexcalc.ledger.db import Base
from flexcalc.money import from_ore, to_ore
from flexcalc.period import Month

from .types import (
    CorrectionStatus,
    EnumColumn,
    ListColumn,
    MonthColumn,
    MonthReason,
    Outcome,
    PaymentKind,
    ReportKind,
)


class Ore(TypeDecorator[Decimal]):
    """An amount in kroner (``Decimal`` with two decimals) stored as an integer number of øre."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_ore(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_ore(int(value))


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware instant stored as naive UTC (SQLite keeps no zone); read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must carry a time zone")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Case(Base):
    """A case (sag): a pseudonymous id. The CPR number, where given, is stored but never logged,
    never put in an error message, and kept out of ``repr``/``str``."""

    __tablename__ = "ledger_case"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cpr: Mapped[str | None] = mapped_column(String(10), nullable=True)
    first_month: Mapped[Month] = mapped_column(MonthColumn())
    last_month: Mapped[Month | None] = mapped_column(MonthColumn(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped as the first statement of every transaction that pays or reconciles the case: the
    row lock that serialises two processes working on one case (see ``store.lock_case``)."""

    def __repr__(self) -> str:
        return f"Case(id={self.id!r}, first_month={self.first_month!r}, cpr={'<set>' if self.cpr else None})"

    __str__ = __repr__


class Employment(Base):
    """A known employment of a case: employer id (CVR) and the first basis month it reports wage."""

    __tablename__ = "ledger_employment"
    __table_args__ = (UniqueConstraint("case_id", "employer_id", name="uq_ledger_employment_case_employer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"), index=True)
    employer_id: Mapped[str] = mapped_column(String(16))
    first_basis_month: Mapped[Month] = mapped_column(MonthColumn())
    last_basis_month: Mapped[Month | None] = mapped_column(MonthColumn(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    """The fleksjob's first day, when known: it becomes the month's ``employment_start`` event
    (``flexcalc.rules.partial_month``; docs/decisions.md, "Job start and end decided once")."""
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Ceiling(Base):
    """One entry of the ceiling history (lønloft): the amount, the benefit month it takes effect, and
    the instant it became known (``known_at``; bitemporal like reports: a ceiling raised back in time
    is not known to a payment made before it was). An entry without ``known_at`` (the case's first
    ceiling, rows from before 0004) is taken as always known."""

    __tablename__ = "ledger_ceiling"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"), index=True)
    effective_month: Mapped[Month] = mapped_column(MonthColumn())
    amount: Mapped[Decimal] = mapped_column(Ore())
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    known_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Report(Base):
    """A wage report as the income register (eIndkomst) gives it. Append-only."""

    __tablename__ = "ledger_report"
    __table_args__ = (
        CheckConstraint("kind IN ('original', 'correction', 'reversal')", name="kind"),
        CheckConstraint("(kind = 'original') = (corrects IS NULL)", name="corrects_iff_not_original"),
        ForeignKeyConstraint(["employer_id", "corrects"], ["ledger_report.employer_id", "ledger_report.report_id"],
                             name="fk_ledger_report_corrects_ledger_report"),
        Index("ix_ledger_report_case_basis", "case_id", "basis_month"),
        Index("ix_ledger_report_basis_month", "basis_month"),
        Index("ix_ledger_report_root", "root_id"),
    )

    # A report id is unique per employer: two employers' ids never meet, so no employer can
    # claim another's id first or learn anything about another's reports from a conflict.
    employer_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    payment_date: Mapped[dt.date] = mapped_column(Date)
    basis_month: Mapped[Month] = mapped_column(MonthColumn())
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    wage: Mapped[Decimal] = mapped_column(Ore())
    pension_own: Mapped[Decimal] = mapped_column(Ore())
    pension_employer: Mapped[Decimal] = mapped_column(Ore())
    hours: Mapped[Decimal] = mapped_column(Ore())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    kind: Mapped[ReportKind] = mapped_column(EnumColumn(ReportKind, 10))
    corrects: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The report (of the same employer) this one corrects or reverses."""
    root_id: Mapped[str] = mapped_column(String(64))
    """The original report at the root of the chain of corrections (itself for an original)."""
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    """When the server stored the report."""
    stated_received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    """The receipt instant the sender stated. For a report sent with an employer key ``received_at`` is
    the server's instant of receipt and this is only kept beside it; for the income register's own
    reports (a caseworker's or a bulk import) both are the register's timestamp."""


class Payment(Base):
    """The payment of one benefit month of one case. At most one per case and month."""

    __tablename__ = "ledger_payment"
    __table_args__ = (
        UniqueConstraint("case_id", "benefit_month", name="uq_ledger_payment_case_month"),
        CheckConstraint("kind IN ('regular', 'provisional')", name="kind"),
        Index("ix_ledger_payment_month", "benefit_month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    benefit_month: Mapped[Month] = mapped_column(MonthColumn())
    kind: Mapped[PaymentKind] = mapped_column(EnumColumn(PaymentKind, 12))
    basis_wage: Mapped[Decimal] = mapped_column(Ore())
    ceiling: Mapped[Decimal] = mapped_column(Ore())
    subsidy: Mapped[Decimal] = mapped_column(Ore())
    atp_own: Mapped[Decimal] = mapped_column(Ore())
    payout: Mapped[Decimal] = mapped_column(Ore())
    report_ids: Mapped[list[str]] = mapped_column(ListColumn())
    """The reports touching the basis month known at the as-of instant."""
    rule_version: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    documentation: Mapped[str | None] = mapped_column(Text, nullable=True)
    released_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_registration: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The event registration the month was computed with (``None``: a month without events)."""
    reason: Mapped[MonthReason | None] = mapped_column(EnumColumn(MonthReason, 32), nullable=True)
    """Why the amount is what it is when that is not the formula alone: ``no_fleksjob_wage`` (paid 0)."""


class Hold(Base):
    """A benefit month held as "awaiting report": the basis month lacks a report of a known employment."""

    __tablename__ = "ledger_hold"
    __table_args__ = (UniqueConstraint("case_id", "benefit_month", name="uq_ledger_hold_case_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    benefit_month: Mapped[Month] = mapped_column(MonthColumn())
    missing_employers: Mapped[list[str]] = mapped_column(ListColumn())
    reason: Mapped[str] = mapped_column(Text)
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RatesConfirmation(Base):
    """A confirmation that a benefit month's assumed rates may be paid: who, when, on what source or
    decision, and the fingerprint of the values confirmed (``flexcalc.law.params.rates_fingerprint``). A
    payment run holds a month whose rates are assumed until one is recorded for the same values.
    Append-only: a new confirmation is a new row."""

    __tablename__ = "ledger_rates_confirmation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    benefit_month: Mapped[Month] = mapped_column(MonthColumn())
    fingerprint: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Correction(Base):
    """A correction (efterregulering) of a paid month: paid so far, now due, the difference, why."""

    __tablename__ = "ledger_correction"
    __table_args__ = (
        UniqueConstraint("case_id", "benefit_month", "sequence", name="uq_ledger_correction_case_month_seq"),
        CheckConstraint("status IN ('payable', 'repayment_review')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    benefit_month: Mapped[Month] = mapped_column(MonthColumn())
    sequence: Mapped[int] = mapped_column(Integer)
    previous_subsidy: Mapped[Decimal] = mapped_column(Ore())
    due_subsidy: Mapped[Decimal] = mapped_column(Ore())
    difference: Mapped[Decimal] = mapped_column(Ore())
    previous_payout: Mapped[Decimal] = mapped_column(Ore())
    due_payout: Mapped[Decimal] = mapped_column(Ore())
    basis_wage: Mapped[Decimal] = mapped_column(Ore())
    ceiling: Mapped[Decimal] = mapped_column(Ore())
    report_ids: Mapped[list[str]] = mapped_column(ListColumn())
    """Every report touching the basis month known at ``as_of`` (the basis of ``due_subsidy``)."""
    caused_by: Mapped[list[str]] = mapped_column(ListColumn())
    """The report ids that caused this correction."""
    reasons: Mapped[list[str]] = mapped_column(ListColumn())
    """Reason codes (``types.Cause``): late_report, corrected_report, reversal, ceiling_change, …"""
    explanation_da: Mapped[str] = mapped_column(Text)
    explanation_en: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    earliest_affected_month: Mapped[Month] = mapped_column(MonthColumn())
    status: Mapped[CorrectionStatus] = mapped_column(EnumColumn(CorrectionStatus, 20))
    rule_version: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    event_registration: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The event registration ``due_subsidy`` was computed with (``None``: no events)."""
    previous_rule_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """The rule version the month was settled under before this correction ("satser ændret")."""
    event_cause: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The event registration in words when it caused the correction ("sygdom registreret 20. marts 2024")."""
    track: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """``regulation`` or ``repayment_review`` (``flexcalc.ledger.tracks``); ``None`` for a correction stored
    before tracks (read with ``tracks.track_of``)."""


class EventRegistration(Base):
    """The events of one benefit month of a case as registered by a caseworker: append-only, like
    reports. A later registration for the same month restates the month's events (the one known
    last at an instant wins); an empty ``events`` object says nothing happened after all."""

    __tablename__ = "ledger_event_registration"
    __table_args__ = (Index("ix_ledger_event_registration_case_month", "case_id", "benefit_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    benefit_month: Mapped[Month] = mapped_column(MonthColumn())
    events: Mapped[str] = mapped_column(Text)
    """The ``events`` object (the API's shape) as canonical JSON."""
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of ``events``: the same events registered twice are found, and ties are broken by it."""
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    """When the municipality learned of the events (the bitemporal instant)."""
    registered_by: Mapped[str] = mapped_column(String(64))
    document: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Decision(Base):
    """A caseworker's decision on a possible repayment: collect or waive, the reason, who decided."""

    __tablename__ = "ledger_decision"
    __table_args__ = (
        UniqueConstraint("correction_id", name="uq_ledger_decision_correction_id"),
        CheckConstraint("outcome IN ('collect', 'waive')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("ledger_correction.id"))
    outcome: Mapped[Outcome] = mapped_column(EnumColumn(Outcome, 10))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    knowledge: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """The caseworker's assessment of "vidste eller burde vide" (PM 6-23): ``knew``, ``should_have_known``
    or ``did_not_know``; ``None`` for a decision recorded before it was asked (0007_letters)."""
    reply_summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    """What the person replied to the hearing, in the caseworker's words for the decision letter."""
    reply_weighing: Mapped[str | None] = mapped_column(Text, nullable=True)
    """How the reply was weighed, for the decision letter."""
    internal_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The caseworker's internal note: kept in the case file, never put in a letter."""


APPEND_ONLY: tuple[type, ...] = (Report, Payment, Correction, Decision, Hold, Ceiling, EventRegistration,
                                  RatesConfirmation)
"""Tables whose rows are never changed or deleted once written. (A case's ``revision`` and an
employment's end month may change; a hold stays as the record that the month was held.) Models
defined elsewhere join with ``append_only``."""


def append_only(*classes: type) -> None:
    """Add models to the append-only guard (the letters' tables, the hearing record)."""
    global APPEND_ONLY
    APPEND_ONLY = tuple(dict.fromkeys((*APPEND_ONLY, *classes)))


@event.listens_for(Session, "before_flush")
def _refuse_updates(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj, include_collections=False):
            raise AppendOnlyError(f"{type(obj).__name__} records are append-only: they are never changed")
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY):
            raise AppendOnlyError(f"{type(obj).__name__} records are append-only: they are never deleted")
