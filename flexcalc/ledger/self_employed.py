"""The self-employed in the ledger: a person's year, its monthly payments and the settlement on the tax
assessment (LAB § 126; BEK 233/2024 § 8).

Tables of their own (``self_employed_*``), beside the new scheme's, on the same ``Base``:

- ``self_employed_case``: the person (a pseudonymous id; the CPR number stored, never logged);
- ``self_employed_basis``: the profit a year is computed on, **append-only and bitemporal**: each row is a
  year's expected profit (``expected``, the provisional basis) or the profit the final tax assessment states
  (``assessed``), with the instant the municipality learned it (``known_at``). A new expectation is a new
  row; nothing is overwritten. The basis in force at an instant is the newest assessed row known by then,
  else the newest expected row;
- ``self_employed_payment``: a month's payment (``monthly``: 1/12 of the year's amount, December the rest)
  or a back payment after a settlement (``back_payment``), append-only; a month is never paid twice;
- ``self_employed_settlement``: the correction after the tax assessment, with its cause
  (``tax_assessment``): what the months paid should have been, what was paid, the difference and how it is
  treated: an underpayment is paid by the next payment run (efterbetaling); an overpayment awaits the
  municipality's decision on repayment (BEK 233/2024 § 8, stk. 3, 2. pkt.), never set off by itself;
- ``self_employed_decision``: that decision (collect after a hearing, or waive), with its reason.

Every write states the version of the year it acts on (``year_version``: a hash of the year's stored
facts): none is refused (``VersionRequired``, HTTP 428), another one too (``StaleVersion``, HTTP 412), before
anything is stored. The doors (CLI, API) audit each write in its own transaction.

``self_employed_payments_for_month(session, month, as_of)`` is what a payment run calls for a month: it pays
every self-employed case's month on the basis in force, and the back payments that are due.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from flexcalc.errors import FlexcalcError, InputError, NoRatesError, NotFoundError
from flexcalc.money import ZERO, amount_str
from flexcalc.parsing.identifiers import safe_identifier
from flexcalc.period import Month
from flexcalc.self_employed import SettlementResult, calculate_year, settle_year
from flexcalc.self_employed.parameters import check_year

from .db import Base
from .models import Ore, UTCDateTime, append_only
from .types import MonthColumn

BASIS_KINDS = ("expected", "assessed")
PAYMENT_KINDS = ("monthly", "back_payment")


class SelfEmployedCase(Base):
    """A self-employed person with the subsidy of LAB § 126. The CPR number is kept out of ``repr``."""

    __tablename__ = "self_employed_case"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cpr: Mapped[str | None] = mapped_column(String(10), nullable=True)
    first_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped first in every write on the case: the row lock that serialises two writers."""

    def __repr__(self) -> str:
        return f"SelfEmployedCase(id={self.id!r}, first_year={self.first_year}, cpr={'<set>' if self.cpr else None})"

    __str__ = __repr__


class SelfEmployedBasis(Base):
    """A year's profit: expected (provisional) or assessed (the tax assessment), with when it was known."""

    __tablename__ = "self_employed_basis"
    __table_args__ = (CheckConstraint("kind IN ('expected', 'assessed')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("self_employed_case.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    profit: Mapped[Decimal] = mapped_column(Ore())
    other_income: Mapped[Decimal] = mapped_column(Ore())
    known_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)


class SelfEmployedSettlement(Base):
    """The correction of a year after the tax assessment (cause ``tax_assessment``)."""

    __tablename__ = "self_employed_settlement"
    __table_args__ = (
        CheckConstraint("outcome IN ('underpayment', 'overpayment', 'none')", name="outcome"),
        CheckConstraint("treatment IN ('back_payment', 'repayment_review', 'none')", name="treatment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("self_employed_case.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    basis_id: Mapped[int] = mapped_column(ForeignKey("self_employed_basis.id"))
    cause: Mapped[str] = mapped_column(String(20))
    months_paid: Mapped[str] = mapped_column(String(40))
    entitled: Mapped[Decimal] = mapped_column(Ore())
    paid: Mapped[Decimal] = mapped_column(Ore())
    settled_before: Mapped[Decimal] = mapped_column(Ore())
    difference: Mapped[Decimal] = mapped_column(Ore())
    outcome: Mapped[str] = mapped_column(String(12))
    treatment: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))


class SelfEmployedDecision(Base):
    """The municipality's decision on an overpayment found by a settlement (BEK 233/2024 § 8, stk. 3, 2. pkt.):
    collect (after a hearing, forvaltningsloven § 19) or waive, with the reason and who decided."""

    __tablename__ = "self_employed_decision"
    __table_args__ = (
        UniqueConstraint("settlement_id", name="uq_self_employed_decision_settlement_id"),
        CheckConstraint("outcome IN ('collect', 'waive')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("self_employed_settlement.id",
                                                          name="fk_self_employed_decision_settlement"))
    case_id: Mapped[str] = mapped_column(ForeignKey("self_employed_case.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Ore())
    reason: Mapped[str] = mapped_column(Text)
    hearing_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SelfEmployedPayment(Base):
    """A payment: a month's 1/12 (``monthly``, ``month`` = the month paid for) or a back payment after a
    settlement (``back_payment``, ``month`` = the run's month, ``settlement_ref`` = the settlement)."""

    __tablename__ = "self_employed_payment"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "month", "settlement_ref", name="uq_self_employed_payment_once"),
        CheckConstraint("kind IN ('monthly', 'back_payment')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("self_employed_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    month: Mapped[Month] = mapped_column(MonthColumn())
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Ore())
    annual: Mapped[Decimal | None] = mapped_column(Ore(), nullable=True)
    basis_id: Mapped[int | None] = mapped_column(ForeignKey("self_employed_basis.id"), nullable=True)
    settlement_ref: Mapped[int] = mapped_column(Integer, default=0)
    """The settlement a back payment pays (0 for a monthly payment): a settlement is paid once."""
    basic_status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


append_only(SelfEmployedBasis, SelfEmployedSettlement, SelfEmployedPayment, SelfEmployedDecision)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- the case ---------------------------------------------------------------------------------------

def create_case(session: Session, case_id: str, first_year: int, by: str, cpr: str | None = None) -> SelfEmployedCase:
    """A new self-employed case; a case id used already is refused (nothing stored)."""
    from .store import CPR_RE, check_case_id

    check_case_id(case_id)
    if cpr is not None:
        cpr = cpr.strip().replace("-", "")
        if not CPR_RE.match(cpr):
            raise InputError("cpr", "must be 10 digits (DDMMYY-XXXX)", "skal være 10 cifre (DDMMÅÅ-XXXX)",
                             code="cpr_format")
    check_year(first_year, "first_year")
    from .case_ids import case_id_taken  # a fleksjob case's id is taken too

    if case_id_taken(session, case_id):
        shown = safe_identifier(case_id)
        raise InputError("case", f"the case '{shown}' exists already", f"sagen '{shown}' findes allerede",
                         code="case_exists")
    row = SelfEmployedCase(id=case_id, cpr=cpr, first_year=first_year,
                           created_at=_now(), created_by=by, revision=0)
    session.add(row)
    session.flush()
    return row


def get_case(session: Session, case_id: str) -> SelfEmployedCase:
    row = session.get(SelfEmployedCase, case_id)
    if row is None:
        shown = safe_identifier(case_id)
        raise NotFoundError("case", f"there is no self-employed case '{shown}'",
                            f"der er ingen sag om selvstændig '{shown}'", code="unknown_case")
    return row


def _lock(session: Session, case_id: str) -> None:
    get_case(session, case_id)
    session.execute(update(SelfEmployedCase).where(SelfEmployedCase.id == case_id)
                    .values(revision=SelfEmployedCase.revision + 1))


# --- versions ---------------------------------------------------------------------------------------

def _stamp(value: dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


def year_version(session: Session, case_id: str, year: int) -> str:
    """The version of a case's year: a hash of the ids and times of its bases, payments and settlements."""
    facts = [f"basis:{i}:{_stamp(t)}" for i, t in session.execute(
        select(SelfEmployedBasis.id, SelfEmployedBasis.recorded_at)
        .where(SelfEmployedBasis.case_id == case_id, SelfEmployedBasis.year == year))]
    facts += [f"payment:{i}:{_stamp(t)}" for i, t in session.execute(
        select(SelfEmployedPayment.id, SelfEmployedPayment.created_at)
        .where(SelfEmployedPayment.case_id == case_id, SelfEmployedPayment.year == year))]
    facts += [f"settlement:{i}:{_stamp(t)}" for i, t in session.execute(
        select(SelfEmployedSettlement.id, SelfEmployedSettlement.created_at)
        .where(SelfEmployedSettlement.case_id == case_id, SelfEmployedSettlement.year == year))]
    facts += [f"decision:{i}:{_stamp(t)}" for i, t in session.execute(
        select(SelfEmployedDecision.id, SelfEmployedDecision.decided_at)
        .where(SelfEmployedDecision.case_id == case_id, SelfEmployedDecision.year == year))]
    text = "\n".join(["self-employed", case_id, str(year), *sorted(facts)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class YearVersionError(FlexcalcError):
    """A write on a self-employed year without the version it acts on, or with another one than the year's now
    (the same contract as the worklist items' ``If-Match``: ``flexcalc.ledger.item_version``)."""

    def __init__(self, case_id: str, year: int, current: str, expected: str | None) -> None:
        super().__init__(f"case {case_id} year {year}: version {expected!r}, now {current!r}")
        self.case_id = case_id
        self.year = year
        self.current = current
        self.expected = expected


class YearVersionRequired(YearVersionError):
    """No version stated (HTTP 428)."""


class YearStaleVersion(YearVersionError):
    """The stated version is not the year's version now (HTTP 412)."""


def check_year_version(session: Session, case_id: str, year: int, expected: str | None) -> str:
    """Refuse the write unless ``expected`` is the year's version now (call after ``_lock``)."""
    current = year_version(session, case_id, year)
    given = (expected or "").strip().strip('"')
    if given and given == current:
        return current
    error = YearVersionRequired if not given else YearStaleVersion
    raise error(case_id, year, current, given or None)


# --- the year's basis -------------------------------------------------------------------------------

def _bases(session: Session, case_id: str, year: int) -> list[SelfEmployedBasis]:
    return list(session.scalars(select(SelfEmployedBasis).where(
        SelfEmployedBasis.case_id == case_id, SelfEmployedBasis.year == year)
        .order_by(SelfEmployedBasis.known_at, SelfEmployedBasis.id)))


def basis_in_force(session: Session, case_id: str, year: int, as_of: dt.datetime | None = None
                   ) -> SelfEmployedBasis | None:
    """The basis a payment made at ``as_of`` (default: now) uses: the newest assessed row known by then,
    else the newest expected row; ``None`` when no basis was known."""
    instant = as_of or _now()
    known = [b for b in _bases(session, case_id, year) if b.known_at <= instant]
    assessed = [b for b in known if b.kind == "assessed"]
    chosen = assessed or known
    return chosen[-1] if chosen else None


def _checked_year(session: Session, case_id: str, year: int) -> int:
    check_year(year)
    case = get_case(session, case_id)
    if year < case.first_year:
        raise InputError("year", f"the case's subsidy starts in {case.first_year}",
                         f"sagens tilskud begynder i {case.first_year}", code="year_before_case")
    return year


def record_expected(session: Session, case_id: str, year: int, profit: Decimal, other_income: Decimal, *,
                    source: str, by: str, expected_version: str | None,
                    known_at: dt.datetime | None = None) -> SelfEmployedBasis:
    """Record the profit (and other work income) the municipality expects for ``year``: the provisional
    basis of the months not yet paid. Refused once the year's tax assessment is recorded (``settle``)."""
    _lock(session, case_id)
    _checked_year(session, case_id, year)
    calculate_year(year, profit, other_income)  # the amounts and the year's rates are checked first
    check_year_version(session, case_id, year, expected_version)
    if any(b.kind == "assessed" for b in _bases(session, case_id, year)):
        raise InputError("year", f"the tax assessment of {year} is recorded: a new one is a settlement",
                         f"årsopgørelsen for {year} er registreret: en ny er en efterregulering",
                         code="year_assessed")
    now = _now()
    row = SelfEmployedBasis(case_id=case_id, year=year, kind="expected", profit=profit, other_income=other_income,
                            known_at=known_at or now, recorded_at=now, recorded_by=by, source=source)
    session.add(row)
    session.flush()
    return row


def _monthly_paid(session: Session, case_id: str, year: int) -> dict[int, Decimal]:
    return {p.month.month: p.amount for p in session.scalars(select(SelfEmployedPayment).where(
        SelfEmployedPayment.case_id == case_id, SelfEmployedPayment.year == year,
        SelfEmployedPayment.kind == "monthly"))}


def _settled_before(session: Session, case_id: str, year: int) -> Decimal:
    return sum(session.scalars(select(SelfEmployedSettlement.difference).where(
        SelfEmployedSettlement.case_id == case_id, SelfEmployedSettlement.year == year)), ZERO)


def preview_settlement(session: Session, case_id: str, year: int, assessed_profit: Decimal,
                       assessed_other_income: Decimal = ZERO) -> SettlementResult:
    """What ``settle`` would find, without storing anything."""
    _checked_year(session, case_id, year)
    return settle_year(year, _monthly_paid(session, case_id, year), assessed_profit, assessed_other_income,
                       _settled_before(session, case_id, year))


def settle(session: Session, case_id: str, year: int, assessed_profit: Decimal,
           assessed_other_income: Decimal = ZERO, *, source: str, by: str, expected_version: str | None,
           known_at: dt.datetime | None = None) -> tuple[SelfEmployedSettlement, SettlementResult]:
    """Record the profit the final tax assessment states and settle the months already paid against it
    (BEK 233/2024 § 8, stk. 3). The months not yet paid are paid on the assessed profit."""
    _lock(session, case_id)
    _checked_year(session, case_id, year)
    result = settle_year(year, _monthly_paid(session, case_id, year), assessed_profit, assessed_other_income,
                         _settled_before(session, case_id, year))
    check_year_version(session, case_id, year, expected_version)
    now = _now()
    basis = SelfEmployedBasis(case_id=case_id, year=year, kind="assessed", profit=assessed_profit,
                              other_income=assessed_other_income, known_at=known_at or now, recorded_at=now,
                              recorded_by=by, source=source)
    session.add(basis)
    session.flush()
    row = SelfEmployedSettlement(
        case_id=case_id, year=year, basis_id=basis.id, cause="tax_assessment",
        months_paid=",".join(str(m) for m in result.months_paid), entitled=result.entitled, paid=result.paid,
        settled_before=result.settled_before, difference=result.difference, outcome=result.outcome,
        treatment=result.treatment, created_at=now, created_by=by)
    session.add(row)
    session.flush()
    return row, result


def decide_repayment(session: Session, case_id: str, settlement_id: int, outcome: str, reason: str, *, by: str,
                     expected_version: str | None, hearing_on: dt.date | None = None) -> SelfEmployedDecision:
    """Decide on the overpayment a settlement found (BEK 233/2024 § 8, stk. 3, 2. pkt.): ``collect`` needs the
    date of the hearing (forvaltningsloven § 19) and a reason; ``waive`` a reason. A settlement without an
    overpayment, or one decided already, is refused; nothing is ever set off without this decision."""
    row = session.get(SelfEmployedSettlement, settlement_id)
    if row is None or row.case_id != case_id:
        raise NotFoundError("settlement", f"case {safe_identifier(case_id)} has no settlement {settlement_id}",
                            f"sag {safe_identifier(case_id)} har ingen efterregulering {settlement_id}",
                            code="unknown_settlement")
    _lock(session, case_id)
    check_year_version(session, case_id, row.year, expected_version)
    if outcome not in ("collect", "waive"):
        raise InputError("outcome", "must be collect or waive", "skal være collect eller waive", code="outcome")
    if not reason.strip():
        raise InputError("reason", "is required", "skal angives", code="missing")
    if row.treatment != "repayment_review":
        raise InputError("settlement", "found no overpayment: there is nothing to decide",
                         "fandt intet for meget udbetalt: der er intet at afgøre", code="not_overpaid")
    if outcome == "collect" and hearing_on is None:
        raise InputError("hearing_on", "a repayment is decided only after a hearing (forvaltningsloven § 19): "
                         "give its date", "tilbagebetaling afgøres først efter partshøring (forvaltningsloven "
                         "§ 19): angiv datoen", code="hearing_required")
    if session.scalar(select(SelfEmployedDecision.id).where(SelfEmployedDecision.settlement_id == settlement_id)):
        raise InputError("settlement", "is decided already", "er allerede afgjort", code="decided")
    decision = SelfEmployedDecision(settlement_id=settlement_id, case_id=case_id, year=row.year, outcome=outcome,
                                    amount=-row.difference, reason=reason.strip(), hearing_on=hearing_on,
                                    decided_by=by, decided_at=_now())
    session.add(decision)
    session.flush()
    return decision


# --- the payment run --------------------------------------------------------------------------------

@dataclass(slots=True)
class SelfEmployedRun:
    """What a payment run did for the self-employed in one month."""

    month: Month
    paid: list[dict[str, Any]] = field(default_factory=list)
    back_payments: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    already_paid: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((Decimal(p["amount"]) for p in (*self.paid, *self.back_payments)), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "paid": self.paid, "back_payments": self.back_payments,
                "held": self.held, "already_paid": self.already_paid, "total": amount_str(self.total)}


HOLD_TEXTS = {
    "no_basis": ("no expected profit is recorded for the year", "der er ikke registreret et forventet overskud "
                 "for året"),
    "assumed_rates": ("the year's basic amount is assumed, not published", "årets grundbeløb er antaget, ikke "
                      "offentliggjort"),
    "no_rates": ("the rates table has no basic amount for the year", "satstabellen har intet grundbeløb for året"),
}


def _hold(run: SelfEmployedRun, case_id: str, reason: str) -> None:
    en, da = HOLD_TEXTS[reason]
    run.held.append({"case_id": case_id, "month": str(run.month), "reason": reason, "text": en, "text_da": da})


def _pay_monthly(session: Session, run: SelfEmployedRun, case_id: str, as_of: dt.datetime, now: dt.datetime) -> None:
    month = run.month
    basis = basis_in_force(session, case_id, month.year, as_of)
    if basis is None:
        _hold(run, case_id, "no_basis")
        return
    try:
        result = calculate_year(month.year, basis.profit, basis.other_income)
    except NoRatesError:
        _hold(run, case_id, "no_rates")
        return
    if result.status == "assumed":
        _hold(run, case_id, "assumed_rates")
        return
    amount = result.months[month.month - 1]
    session.add(SelfEmployedPayment(case_id=case_id, kind="monthly", month=month, year=month.year, amount=amount,
                                    annual=result.annual, basis_id=basis.id, settlement_ref=0,
                                    basic_status=result.status, created_at=now))
    run.paid.append({"case_id": case_id, "month": str(month), "amount": amount_str(amount),
                     "annual": amount_str(result.annual), "basis": basis.kind,
                     "basic_amount_status": result.status})


def _pay_back_payments(session: Session, run: SelfEmployedRun, case_id: str, now: dt.datetime) -> None:
    paid = set(session.scalars(select(SelfEmployedPayment.settlement_ref).where(
        SelfEmployedPayment.case_id == case_id, SelfEmployedPayment.kind == "back_payment")))
    for settlement in session.scalars(select(SelfEmployedSettlement).where(
            SelfEmployedSettlement.case_id == case_id, SelfEmployedSettlement.treatment == "back_payment")
            .order_by(SelfEmployedSettlement.id)):
        if settlement.id in paid:
            continue
        session.add(SelfEmployedPayment(case_id=case_id, kind="back_payment", month=run.month, year=settlement.year,
                                        amount=settlement.difference, annual=None, basis_id=settlement.basis_id,
                                        settlement_ref=settlement.id, basic_status="settled", created_at=now))
        run.back_payments.append({"case_id": case_id, "month": str(run.month), "year": settlement.year,
                                  "settlement_id": settlement.id, "amount": amount_str(settlement.difference)})


def self_employed_payments_for_month(session: Session, month: Month, as_of: dt.datetime | None = None,
                                     case_ids: Sequence[str] | None = None) -> SelfEmployedRun:
    """Pay ``month`` for every self-employed case (or ``case_ids``) whose subsidy has begun, on the basis in
    force at ``as_of`` (default: now), and every back payment due; in the caller's transaction.

    A month paid already is not paid again; a case without a basis for the year, or whose year's basic
    amount is assumed or missing, is held with the reason (in English and Danish). The caller commits."""
    instant = as_of or _now()
    now = _now()
    run = SelfEmployedRun(month)
    query = select(SelfEmployedCase.id).where(SelfEmployedCase.first_year <= month.year).order_by(SelfEmployedCase.id)
    if case_ids is not None:
        query = query.where(SelfEmployedCase.id.in_(list(case_ids)))
    for case_id in list(session.scalars(query)):
        _lock(session, case_id)
        done = session.scalar(select(SelfEmployedPayment.id).where(
            SelfEmployedPayment.case_id == case_id, SelfEmployedPayment.kind == "monthly",
            SelfEmployedPayment.month == month))
        if done is not None:
            run.already_paid.append(case_id)
        else:
            _pay_monthly(session, run, case_id, instant, now)
        _pay_back_payments(session, run, case_id, now)
    session.flush()
    return run


def pay_self_employed_month(factory: Callable[[], Session], month: Month, as_of: dt.datetime | None = None,
                            case_ids: Sequence[str] | None = None) -> SelfEmployedRun:
    """``self_employed_payments_for_month`` in a transaction of its own (retried on a serialisation
    conflict; the unique payment constraint keeps a second run from paying a month twice)."""
    from .store import run_in_transaction

    return run_in_transaction(factory, lambda s: self_employed_payments_for_month(s, month, as_of, case_ids))


# --- reading ----------------------------------------------------------------------------------------

def _basis_dict(b: SelfEmployedBasis) -> dict[str, Any]:
    return {"id": b.id, "kind": b.kind, "profit": amount_str(b.profit), "other_income": amount_str(b.other_income),
            "known_at": b.known_at.isoformat(), "recorded_at": b.recorded_at.isoformat(),
            "recorded_by": b.recorded_by, "source": b.source}


def settlement_dict(s: SelfEmployedSettlement) -> dict[str, Any]:
    return {"id": s.id, "year": s.year, "basis_id": s.basis_id, "cause": s.cause,
            "months_paid": [int(m) for m in s.months_paid.split(",") if m], "entitled": amount_str(s.entitled),
            "paid": amount_str(s.paid), "settled_before": amount_str(s.settled_before),
            "difference": amount_str(s.difference), "outcome": s.outcome, "treatment": s.treatment,
            "created_at": s.created_at.isoformat(), "created_by": s.created_by}


def year_state(session: Session, case_id: str, year: int) -> dict[str, Any]:
    """A case's year as the caseworker sees it: the bases (oldest first), the year's amount on the basis in
    force, the payments, the settlements and the version a write must state."""
    _checked_year(session, case_id, year)
    basis = basis_in_force(session, case_id, year)
    calculation = None
    if basis is not None:
        try:
            calculation = calculate_year(year, basis.profit, basis.other_income).to_dict()
        except NoRatesError:
            calculation = None
    payments = list(session.scalars(select(SelfEmployedPayment).where(
        SelfEmployedPayment.case_id == case_id, SelfEmployedPayment.year == year).order_by(SelfEmployedPayment.id)))
    settlements = list(session.scalars(select(SelfEmployedSettlement).where(
        SelfEmployedSettlement.case_id == case_id, SelfEmployedSettlement.year == year)
        .order_by(SelfEmployedSettlement.id)))
    return {
        "case_id": case_id, "year": year, "version": year_version(session, case_id, year),
        "bases": [_basis_dict(b) for b in _bases(session, case_id, year)],
        "basis_in_force": None if basis is None else _basis_dict(basis),
        "calculation": calculation,
        "payments": [{"id": p.id, "kind": p.kind, "month": str(p.month), "amount": amount_str(p.amount),
                      "settlement_id": p.settlement_ref or None, "created_at": p.created_at.isoformat()}
                     for p in payments],
        "paid_total": amount_str(sum((p.amount for p in payments), ZERO)),
        "settlements": [settlement_dict(s) for s in settlements],
        "decisions": [{"id": d.id, "settlement_id": d.settlement_id, "outcome": d.outcome,
                       "amount": amount_str(d.amount), "reason": d.reason,
                       "hearing_on": None if d.hearing_on is None else d.hearing_on.isoformat(),
                       "decided_by": d.decided_by, "decided_at": d.decided_at.isoformat()}
                      for d in session.scalars(select(SelfEmployedDecision).where(
                          SelfEmployedDecision.case_id == case_id, SelfEmployedDecision.year == year)
                          .order_by(SelfEmployedDecision.id))],
    }


def stored_settlement(session: Session, case_id: str, settlement_id: int) -> SettlementResult:
    """A stored settlement as the rules' result (for its letter): the assessed year computed from its basis,
    the figures as stored."""
    from flexcalc.self_employed import SettlementResult as Result

    row = session.get(SelfEmployedSettlement, settlement_id)
    if row is None or row.case_id != case_id:
        raise NotFoundError("settlement", f"case {safe_identifier(case_id)} has no settlement {settlement_id}",
                            f"sag {safe_identifier(case_id)} har ingen efterregulering {settlement_id}",
                            code="unknown_settlement")
    basis = session.get(SelfEmployedBasis, row.basis_id)
    if basis is None:  # the foreign key keeps it; a named error all the same
        raise NotFoundError("settlement", "its basis is missing", "grundlaget mangler", code="unknown_settlement")
    return Result(row.year, calculate_year(row.year, basis.profit, basis.other_income),
                  tuple(int(m) for m in row.months_paid.split(",") if m), row.entitled, row.paid,
                  row.settled_before, row.difference, row.outcome, row.treatment)  # type: ignore[arg-type]
