"""The ledger's read model: query functions returning typed rows, for the API (and any other reader).

A reader asks here instead of building a query on the ORM tables; an ORM object never leaves. Each list
is keyset-paged: ``after`` is the last key of the previous page, ``limit`` the most rows returned (the
API asks for one more than it shows, to know whether a next page follows). A case that does not exist
is a ``NotFoundError`` naming ``case``, a correction that is not the case's one naming ``correction``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import NotFoundError

from .caserows import get_case
from .corrections import correction_dict
from .models import Case, Correction, Decision


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One case in the list of cases: its id, first and last benefit month, and whether a CPR number is
    registered (never the number)."""

    case_id: str
    first_month: str
    last_month: str | None
    cpr_registered: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def case_summaries(session: Session, *, after: str | None = None, limit: int) -> list[CaseSummary]:
    """The cases ordered by case id, those after ``after``, at most ``limit``."""
    query = select(Case.id, Case.first_month, Case.last_month, Case.cpr.is_not(None)).order_by(Case.id)
    if after is not None:
        query = query.where(Case.id > after)
    return [CaseSummary(case_id=case_id, first_month=str(first), last_month=None if last is None else str(last),
                        cpr_registered=bool(cpr))
            for case_id, first, last, cpr in session.execute(query.limit(limit))]


def case_corrections(session: Session, case_id: str, *, after: int | None = None,
                     limit: int) -> list[dict[str, Any]]:
    """The case's corrections with their decisions, by correction id (``correction_dict`` rows)."""
    get_case(session, case_id)
    query = select(Correction, Decision).outerjoin(
        Decision, Decision.correction_id == Correction.id).where(Correction.case_id == case_id)
    if after is not None:
        query = query.where(Correction.id > after)
    return [correction_dict(correction, decision)
            for correction, decision in session.execute(query.order_by(Correction.id).limit(limit))]


def check_correction_of_case(session: Session, case_id: str, correction_id: int) -> None:
    """``NotFoundError`` (field ``correction``) unless ``correction_id`` is a correction of ``case_id``."""
    correction = session.get(Correction, correction_id)
    if correction is None or correction.case_id != case_id:
        raise NotFoundError("correction", f"case {case_id} has no correction {correction_id}",
                            f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")


def held_unpaid_count(session: Session) -> int:
    """Benefit months held (wage unknown) and not paid since: the ``flexcalc_held_months`` gauge."""
    from sqlalchemy import and_, func

    from .models import Hold, Payment

    query = (select(func.count()).select_from(Hold)
             .outerjoin(Payment, and_(Payment.case_id == Hold.case_id, Payment.benefit_month == Hold.benefit_month))
             .where(Payment.id.is_(None)))
    return int(session.scalar(query) or 0)
