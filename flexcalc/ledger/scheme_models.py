"""The tables of a case's scheme and of the old scheme's employer claims (append-only, bitemporal).

- ``ledger_case_scheme``: which scheme a case is in from a date (``new_2013`` — the default when a case has no
  row —, ``old`` or ``self_employed``), with the employer (CVR, the payee) and the fraction of an old-scheme
  job; a reassessment of the fraction, a job change or a merger is a new row, never an update.
  ``effective_from`` is when it holds, ``known_at`` when the municipality learned it.
- ``ledger_old_scheme_claim``: the employer's claim for one period (the wage under the agreement, the
  employer's contributions, paid hours, sickness refund days and amount). A corrected claim is a new row
  that ``replaces`` the earlier one; ``received_at`` is when the claim came in.
- ``ledger_old_scheme_settlement``: what was paid for a period: the first payment and each correction (with
  its causes), the difference against what was paid before; the sum of differences is what the employer
  has been paid for the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexcalc.ledger.db import Base
from flexcalc.ledger.models import Ore, UTCDateTime, append_only
from flexcalc.ledger.types import ListColumn, MonthColumn
from flexcalc.period import Month

SCHEMES = ("new_2013", "old", "self_employed")


class CaseScheme(Base):
    """One dated statement of a case's scheme (see the module text). Append-only."""

    __tablename__ = "ledger_case_scheme"
    __table_args__ = (
        CheckConstraint("scheme IN ('new_2013', 'old', 'self_employed')", name="scheme"),
        CheckConstraint("scheme <> 'old' OR (employer_id IS NOT NULL AND fraction IS NOT NULL)", name="old_payee"),
        CheckConstraint("fraction IS NULL OR fraction IN ('1/2', '2/3')", name="fraction"),
        Index("ix_ledger_case_scheme_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    scheme: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    employer_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    fraction: Mapped[str | None] = mapped_column(String(3), nullable=True)
    job_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(String(32))
    known_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class OldSchemeClaim(Base):
    """The employer's claim for one period of an old-scheme fleksjob. Append-only."""

    __tablename__ = "ledger_old_scheme_claim"
    __table_args__ = (Index("ix_ledger_old_scheme_claim_case_period", "case_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    employer_id: Mapped[str] = mapped_column(String(16))
    period: Mapped[Month] = mapped_column(MonthColumn())
    agreement_wage: Mapped[Decimal] = mapped_column(Ore())
    employer_contributions: Mapped[Decimal] = mapped_column(Ore())
    hours: Mapped[Decimal | None] = mapped_column(Ore(), nullable=True)
    sick_refund_days: Mapped[int] = mapped_column(Integer)
    sick_refund_amount: Mapped[Decimal] = mapped_column(Ore())
    replaces: Mapped[int | None] = mapped_column(ForeignKey("ledger_old_scheme_claim.id"), nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class OldSchemeSettlement(Base):
    """A payment or a correction of one period's subsidy to the employer. Append-only."""

    __tablename__ = "ledger_old_scheme_settlement"
    __table_args__ = (
        UniqueConstraint("case_id", "period", "sequence", name="uq_ledger_old_scheme_settlement_case_period_seq"),
        CheckConstraint("kind IN ('payment', 'correction')", name="kind"),
        Index("ix_ledger_old_scheme_settlement_period", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("ledger_case.id"))
    period: Mapped[Month] = mapped_column(MonthColumn())
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    employer_id: Mapped[str] = mapped_column(String(16))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_old_scheme_claim.id"), nullable=True)
    fraction: Mapped[str | None] = mapped_column(String(3), nullable=True)
    basis: Mapped[Decimal] = mapped_column(Ore())
    cap: Mapped[Decimal] = mapped_column(Ore())
    due: Mapped[Decimal] = mapped_column(Ore())
    previous: Mapped[Decimal] = mapped_column(Ore())
    difference: Mapped[Decimal] = mapped_column(Ore())
    causes: Mapped[list[str]] = mapped_column(ListColumn())
    explanation_da: Mapped[str] = mapped_column(Text)
    rule_version: Mapped[str] = mapped_column(String(32))
    rates_fingerprint: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


append_only(CaseScheme, OldSchemeClaim, OldSchemeSettlement)
