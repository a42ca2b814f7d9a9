"""A case's scheme and the old scheme's employer claims in the ledger: register, compute, pay, correct.

- **Scheme** (``scheme_at``): the newest statement in force on a day as known at an instant; a case without
  one is in the new scheme (``new_2013``). An old-scheme job belongs to an employer (CVR), the payee, and
  has a fraction (½ or ⅔) that a reassessment may change from a date (LAB § 133, stk. 2).
- **Job change** (``change_job``): the old rules keep only the fleksjob begun before 1 January 2013 (LAB § 133,
  stk. 1); a new fleksjob is under the new scheme (LAB § 123) from its first day, and there is no way back.
- **Claims** (``register_claim``): the employer claims a period; a corrected claim replaces the one the
  caseworker saw (a claim already replaced is a conflict: a stale write).
- **Settlement** (``settle_period``): the period is computed by ``flexcalc.old_scheme`` from the newest claim
  known at the as-of instant and the scheme in force on the period's first day; the first settlement is a
  payment, a later different amount a correction with its causes (``OldSchemeCause``). Nothing is updated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import ConflictError, InputError
from flexcalc.ledger.caserows import get_case, now
from flexcalc.ledger.scheme_models import SCHEMES, CaseScheme, OldSchemeClaim, OldSchemeSettlement
from flexcalc.money import ZERO, amount_str
from flexcalc.old_scheme import OldSchemeInput, calculate_old_scheme, parse_fraction, scheme_after_job_change
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.period import Month

OLD_RULES_END = dt.date(2013, 1, 1)
"""The old rules cover fleksjob begun before this day (LAB § 133, stk. 1)."""


class OldSchemeCause(StrEnum):
    """Why a settled period of the old scheme was corrected."""

    CLAIM_CORRECTED = "claim_corrected"
    FRACTION_CHANGED = "fraction_changed"
    RATES_CHANGED = "rates_changed"
    LEFT_OLD_SCHEME = "left_old_scheme"
    RECALCULATION = "recalculation"


CAUSE_DA = {
    OldSchemeCause.CLAIM_CORRECTED: "arbejdsgiveren har rettet sin anmodning",
    OldSchemeCause.FRACTION_CHANGED: "tilskudsbrøken er ændret ved en revurdering",
    OldSchemeCause.RATES_CHANGED: "satserne er ændret",
    OldSchemeCause.LEFT_OLD_SCHEME: "personen er overgået til de nye regler (nyt fleksjob)",
    OldSchemeCause.RECALCULATION: "perioden er genberegnet",
}


@dataclass(frozen=True, slots=True)
class SchemeState:
    """A case's scheme on a day: the statement in force (``row_id`` None: no statement, the new scheme)."""

    scheme: str
    effective_from: dt.date | None = None
    employer_id: str | None = None
    fraction: str | None = None
    job_start: dt.date | None = None
    reason: str | None = None
    row_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "effective_from": None if self.effective_from is None
                else self.effective_from.isoformat(), "employer_id": self.employer_id, "fraction": self.fraction,
                "reason": self.reason, "row_id": self.row_id}


NEW_SCHEME = SchemeState("new_2013")


def _state(row: CaseScheme) -> SchemeState:
    return SchemeState(row.scheme, row.effective_from, row.employer_id, row.fraction, row.job_start, row.reason,
                       row.id)


def _rows(session: Session, case_id: str, as_of: dt.datetime | None) -> list[CaseScheme]:
    query = select(CaseScheme).where(CaseScheme.case_id == case_id)
    if as_of is not None:
        query = query.where(CaseScheme.known_at <= as_of)
    return list(session.scalars(query.order_by(CaseScheme.effective_from, CaseScheme.known_at, CaseScheme.id)))


def scheme_at(session: Session, case_id: str, day: dt.date, as_of: dt.datetime | None = None) -> SchemeState:
    """The scheme of ``case_id`` on ``day`` as known at ``as_of`` (default: everything known)."""
    found = [row for row in _rows(session, case_id, as_of) if row.effective_from <= day]
    return _state(found[-1]) if found else NEW_SCHEME


def scheme_history(session: Session, case_id: str) -> list[SchemeState]:
    """Every statement of the case's scheme, in the order they take effect."""
    return [_state(row) for row in _rows(session, case_id, None)]


def set_scheme(session: Session, case_id: str, scheme: str, effective_from: dt.date, *, reason: str,
               known_at: dt.datetime, recorded_by: str, employer_id: str | None = None,
               fraction: str | None = None, job_start: dt.date | None = None,
               expected_row: int | None = None) -> SchemeState:
    """State the case's scheme from ``effective_from``. ``expected_row``: the newest statement the user saw
    (``None``: none); a newer one stored meanwhile is a conflict (a stale write)."""
    get_case(session, case_id)
    if scheme not in SCHEMES:
        raise InputError("scheme", f"'{scheme}' is not a scheme: new_2013, old or self_employed",
                         f"'{scheme}' er ikke en ordning: new_2013, old eller self_employed", code="scheme")
    if scheme == "self_employed":  # the self-employed case's own table is the truth (flexcalc.ledger.read.schemes)
        raise InputError("scheme", "a self-employed person is a self-employed case (flexcalc self-employed case "
                         "create), not a fleksjob case's scheme", "en selvstændig er en sag om selvstændig "
                         "(flexcalc self-employed case create), ikke en ordning på en fleksjobsag",
                         code="self_employed_case")
    rows = _rows(session, case_id, None)
    newest = max((row.id for row in rows), default=None)
    if newest != expected_row:
        raise ConflictError("expected_row", "the case's scheme was changed meanwhile: read it again",
                            "sagens ordning er ændret i mellemtiden: læs den igen", code="stale")
    if scheme == "old":
        employer_id = check_identifier(employer_id, "employer_id", kind="employer")
        fraction = parse_fraction(fraction, "fraction").value
        earlier_old = [row for row in rows if row.scheme == "old"]
        job_start = job_start or (earlier_old[0].job_start if earlier_old else None)
        if job_start is None or job_start >= OLD_RULES_END:
            raise InputError("job_start", "the old scheme covers only a fleksjob begun before 1 January 2013 "
                             "(LAB § 133, stk. 1)", "den gamle ordning gælder kun et fleksjob begyndt før 1. januar "
                             "2013 (LAB § 133, stk. 1)", code="old_scheme_start")
        if any(row.scheme == "new_2013" and row.effective_from <= effective_from for row in rows):
            raise InputError("scheme", "a case that has moved to the new scheme cannot go back to the old one",
                             "en sag, der er overgået til de nye regler, kan ikke gå tilbage til de gamle",
                             code="no_way_back")
    elif employer_id is not None or fraction is not None:
        raise InputError("fraction", "only an old-scheme job has a payee employer and a fraction",
                         "kun et fleksjob efter de gamle regler har en arbejdsgiver som modtager og en brøk",
                         code="not_old_scheme")
    row = CaseScheme(case_id=case_id, scheme=scheme, effective_from=effective_from, employer_id=employer_id,
                     fraction=fraction, job_start=job_start if scheme == "old" else None, reason=reason,
                     known_at=known_at, recorded_by=recorded_by, recorded_at=now())
    session.add(row)
    session.flush()
    return _state(row)


def reassess_fraction(session: Session, case_id: str, effective_from: dt.date, fraction: str, *,
                      known_at: dt.datetime, recorded_by: str, expected_row: int | None) -> SchemeState:
    """A reassessment changes the fraction of an old-scheme job from ``effective_from`` (LAB § 133, stk. 2)."""
    current = scheme_at(session, case_id, effective_from)
    if current.scheme != "old":
        raise InputError("fraction", "the case is not in the old scheme on that day",
                         "sagen er ikke i den gamle ordning den dag", code="not_old_scheme")
    return set_scheme(session, case_id, "old", effective_from, reason="reassessment", known_at=known_at,
                      recorded_by=recorded_by, employer_id=current.employer_id, fraction=fraction,
                      expected_row=expected_row)


def change_job(session: Session, case_id: str, change_date: dt.date, *, new_employer_id: str | None,
               new_employer: bool, new_tasks_and_terms: bool, dismissed_and_rehired: bool = False,
               same_tasks_moved: bool = False, known_at: dt.datetime, recorded_by: str,
               expected_row: int | None) -> SchemeState:
    """A person in the old scheme changes job on ``change_date``: a new fleksjob moves the case to the new
    scheme from that day (LAB § 133, stk. 1; § 123); the same job with a new employer id (a merger, a transfer
    of the same tasks) stays in the old scheme with the new payee."""
    current = scheme_at(session, case_id, change_date)
    if current.scheme != "old":
        raise InputError("change_date", "the case is not in the old scheme on that day",
                         "sagen er ikke i den gamle ordning den dag", code="not_old_scheme")
    after = scheme_after_job_change(new_employer=new_employer, new_tasks_and_terms=new_tasks_and_terms,
                                    dismissed_and_rehired=dismissed_and_rehired, same_tasks_moved=same_tasks_moved)
    if after.new_fleksjob:
        return set_scheme(session, case_id, "new_2013", change_date, reason="job_change", known_at=known_at,
                          recorded_by=recorded_by, expected_row=expected_row)
    return set_scheme(session, case_id, "old", change_date, reason="job_change_same_job", known_at=known_at,
                      recorded_by=recorded_by, employer_id=new_employer_id or current.employer_id,
                      fraction=current.fraction, expected_row=expected_row)


def old_state_in(session: Session, case_id: str, period: Month, as_of: dt.datetime | None = None) -> SchemeState:
    """The old-scheme statement a period is claimed under: the one in force on its first day, or the first
    one starting within it; ``NEW_SCHEME`` (or another scheme) when the case is not in the old scheme then."""
    state = scheme_at(session, case_id, period.first_day(), as_of)
    if state.scheme == "old":
        return state
    last = period.next().first_day() - dt.timedelta(days=1)
    for row in _rows(session, case_id, as_of):
        if row.scheme == "old" and period.first_day() <= row.effective_from <= last:
            return _state(row)
    return state


def register_claim(session: Session, case_id: str, inp: OldSchemeInput, *, employer_id: str,
                   received_at: dt.datetime, recorded_by: str, replaces: int | None = None) -> OldSchemeClaim:
    """Store the employer's claim for a period (validated as a calculation would be). A correction names the
    claim it ``replaces``, which must be the newest one of the period."""
    get_case(session, case_id)
    employer_id = check_identifier(employer_id, "employer_id", kind="employer")
    state = old_state_in(session, case_id, inp.month)
    if state.scheme != "old":
        raise InputError("month", "the case is not in the old scheme in that period",
                         "sagen er ikke i den gamle ordning i den periode", code="not_old_scheme")
    if state.employer_id != employer_id:
        raise InputError("employer_id", "the claim must come from the employer the subsidy is paid to",
                         "anmodningen skal komme fra den arbejdsgiver, tilskuddet udbetales til",
                         code="not_payee")
    inp.check()
    newest = _newest_claim(session, case_id, inp.month, None)
    if (newest.id if newest else None) != replaces:
        raise ConflictError("replaces", "name the newest claim of the period (a claim was stored meanwhile, or "
                            "none is there to replace)", "angiv periodens nyeste anmodning (der er kommet en ny i "
                            "mellemtiden, eller der er ingen at erstatte)", code="stale")
    claim = OldSchemeClaim(case_id=case_id, employer_id=employer_id, period=inp.month,
                           agreement_wage=inp.agreement_wage, employer_contributions=inp.employer_contributions,
                           hours=inp.hours, sick_refund_days=inp.sick_refund_days,
                           sick_refund_amount=inp.sick_refund_amount, replaces=replaces, received_at=received_at,
                           recorded_by=recorded_by, recorded_at=now())
    session.add(claim)
    session.flush()
    return claim


def _newest_claim(session: Session, case_id: str, period: Month, as_of: dt.datetime | None) -> OldSchemeClaim | None:
    query = select(OldSchemeClaim).where(OldSchemeClaim.case_id == case_id, OldSchemeClaim.period == period)
    if as_of is not None:
        query = query.where(OldSchemeClaim.received_at <= as_of)
    return session.scalars(query.order_by(OldSchemeClaim.received_at.desc(), OldSchemeClaim.id.desc())).first()


def settlements(session: Session, case_id: str, period: Month | None = None) -> list[OldSchemeSettlement]:
    query = select(OldSchemeSettlement).where(OldSchemeSettlement.case_id == case_id)
    if period is not None:
        query = query.where(OldSchemeSettlement.period == period)
    return list(session.scalars(query.order_by(OldSchemeSettlement.period, OldSchemeSettlement.sequence)))


@dataclass(slots=True)
class PeriodOutcome:
    """What settling a period did: ``paid`` (first payment), ``corrected``, ``unchanged`` or ``held``."""

    case_id: str
    period: Month
    status: str
    due: Decimal = ZERO
    paid_before: Decimal = ZERO
    difference: Decimal = ZERO
    employer_id: str | None = None
    causes: list[str] = field(default_factory=list)
    reason_da: str | None = None
    settlement_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "period": str(self.period), "status": self.status,
                "due": amount_str(self.due), "paid_before": amount_str(self.paid_before),
                "difference": amount_str(self.difference), "employer_id": self.employer_id,
                "causes": self.causes, "reason_da": self.reason_da, "settlement_id": self.settlement_id}


def settle_period(session: Session, case_id: str, period: Month, as_of: dt.datetime) -> PeriodOutcome:
    """Compute the period on what is known at ``as_of`` and write a payment or a correction where the amount
    due differs from what the employer has been paid (see the module text)."""
    from flexcalc.law.params import rates_fingerprint
    from flexcalc.ledger.asof import rule_version_of

    state = old_state_in(session, case_id, period, as_of)
    claim = _newest_claim(session, case_id, period, as_of)
    done = settlements(session, case_id, period)
    paid_before = sum((s.difference for s in done), ZERO)
    if not done and (claim is None or state.scheme != "old"):
        return PeriodOutcome(case_id, period, "held", reason_da="afventer arbejdsgiverens anmodning"
                             if state.scheme == "old" else "sagen er ikke i den gamle ordning i perioden")
    fingerprint = rates_fingerprint(period)
    if state.scheme == "old" and claim is not None:
        result = calculate_old_scheme(OldSchemeInput(
            period, claim.agreement_wage, parse_fraction(state.fraction), claim.employer_contributions, claim.hours,
            claim.sick_refund_days, claim.sick_refund_amount))
        due, basis, cap, payee = result.subsidy, result.basis, result.cap, claim.employer_id
    else:  # left the old scheme (or its claim withdrawn): nothing is due for the period any more
        due, basis, cap, payee = ZERO, ZERO, ZERO, done[-1].employer_id
    if done and due == paid_before:
        return PeriodOutcome(case_id, period, "unchanged", due, paid_before, ZERO, payee)
    causes = _causes(done[-1], state, claim, fingerprint) if done else []
    explanation = "; ".join(CAUSE_DA[OldSchemeCause(c)] for c in causes) or "første udbetaling af perioden"
    row = OldSchemeSettlement(
        case_id=case_id, period=period, sequence=len(done) + 1, kind="correction" if done else "payment",
        employer_id=payee, claim_id=claim.id if claim is not None else None,
        fraction=state.fraction if state.scheme == "old" else None, basis=basis, cap=cap, due=due,
        previous=paid_before, difference=due - paid_before, causes=causes, explanation_da=explanation,
        rule_version=rule_version_of(period), rates_fingerprint=fingerprint, as_of=as_of, created_at=now())
    session.add(row)
    session.flush()
    return PeriodOutcome(case_id, period, "corrected" if done else "paid", due, paid_before, due - paid_before,
                         payee, causes, explanation, row.id)


def _causes(last: OldSchemeSettlement, state: SchemeState, claim: OldSchemeClaim | None,
            fingerprint: str) -> list[str]:
    causes: list[str] = []
    if state.scheme != "old":
        return [OldSchemeCause.LEFT_OLD_SCHEME.value]
    if claim is not None and last.claim_id != claim.id:
        causes.append(OldSchemeCause.CLAIM_CORRECTED.value)
    if last.fraction != state.fraction:
        causes.append(OldSchemeCause.FRACTION_CHANGED.value)
    if last.rates_fingerprint != fingerprint:
        causes.append(OldSchemeCause.RATES_CHANGED.value)
    return causes or [OldSchemeCause.RECALCULATION.value]


def old_scheme_cases(session: Session, period: Month, as_of: dt.datetime | None = None) -> list[str]:
    """The cases in the old scheme in ``period`` (on its first day, or from a day within it) as known at ``as_of``,
    and the cases paid for it before (a paid period may need a correction). Two queries."""
    first, last = period.first_day(), period.next().first_day() - dt.timedelta(days=1)
    query = select(CaseScheme.case_id, CaseScheme.scheme, CaseScheme.effective_from).where(
        CaseScheme.effective_from <= last)
    if as_of is not None:
        query = query.where(CaseScheme.known_at <= as_of)
    on_first: dict[str, str] = {}
    starting: set[str] = set()
    for case_id, scheme, since in session.execute(query.order_by(CaseScheme.effective_from, CaseScheme.known_at,
                                                                 CaseScheme.id)):
        if since <= first:
            on_first[case_id] = scheme
        elif scheme == "old":
            starting.add(case_id)
    ids = {c for c, scheme in on_first.items() if scheme == "old"} | starting
    ids |= set(session.scalars(select(OldSchemeSettlement.case_id).where(OldSchemeSettlement.period == period)))
    return sorted(ids)


def cases_outside_new_scheme(session: Session, month: Month, as_of: dt.datetime | None = None) -> set[str]:
    """The cases the new scheme's payment run leaves to their own flow in benefit ``month``: those whose scheme
    on the last day of the basis month (the month before) is not ``new_2013``. One query for every case with a
    statement (the payment run calls it once per run)."""
    day = month.first_day() - dt.timedelta(days=1)
    query = select(CaseScheme.case_id, CaseScheme.scheme).where(CaseScheme.effective_from <= day)
    if as_of is not None:
        query = query.where(CaseScheme.known_at <= as_of)
    latest: dict[str, str] = {}
    for case_id, scheme in session.execute(query.order_by(CaseScheme.effective_from, CaseScheme.known_at,
                                                          CaseScheme.id)):
        latest[case_id] = scheme  # the last in the order scheme_at uses wins
    return {case_id for case_id, scheme in latest.items() if scheme != "new_2013"}


def create_old_scheme_case(session: Session, case_id: str, first_period: Month, *, employer_id: str, fraction: str,
                           job_start: dt.date, known_at: dt.datetime, recorded_by: str) -> SchemeState:
    """A new case in the old scheme from ``first_period``: the case (no lønloft: the old scheme has none) and
    its first scheme statement with the employer (the payee) and the fraction set when the job was approved."""
    from flexcalc.ledger.models import Case
    from flexcalc.ledger.store import check_case_id

    case_id = check_case_id(case_id)
    from flexcalc.ledger.case_ids import case_id_taken

    if case_id_taken(session, case_id):
        raise ConflictError("case", f"the case '{case_id}' exists already", f"sagen '{case_id}' findes allerede",
                            code="case_exists")
    session.add(Case(id=case_id, first_month=first_period, created_at=now(), revision=0))
    session.flush()
    return set_scheme(session, case_id, "old", first_period.first_day(), reason="visitation", known_at=known_at,
                      recorded_by=recorded_by, employer_id=employer_id, fraction=fraction, job_start=job_start)
