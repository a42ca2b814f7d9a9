"""The old scheme in the ledger over HTTP: create an old-scheme case, state a case's scheme (a reassessment of
the fraction), register an employer's claim, record a job change, and read the scheme history with the
settlements. The payment run (``POST /v1/payment-runs``) pays the old-scheme cases in its ``schemes`` part.
Every write is audited (the case's write access) and names the state it acts on (``expected_row``, ``replaces``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import created, ledger_session
from api.responses import CaseSchemeOut, FinanceBySchemeOut, OldSchemeClaimOut, SchemeStateOut
from api.security import (
    AUTH_RESPONSES,
    CaseReaderDep,
    CaseworkerDep,
    CaseWriterDep,
    FinanceDep,
    audit_event,
    authorize_case,
)
from flexcalc.period import Month

router = APIRouter(prefix="/v1", tags=["old scheme"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)


def _instant(value: str | None, field: str) -> dt.datetime:
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import now

    return now() if value is None else parse_instant(value, field, end_of_day=True)


def _day(value: str, field: str) -> dt.date:
    from flexcalc.ledger.reports import parse_date

    return parse_date(value, field)


class OldSchemeCaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "case_id": "G-1", "first_month": "2024-01", "employer_id": "12345678", "fraction": "2/3",
        "job_start": "2010-05-01"}]})

    case_id: str
    first_month: str
    employer_id: str = Field(description="The employer's CVR: the payee.")
    fraction: str = Field(description="1/2 or 2/3.")
    job_start: str = Field(description="The fleksjob's first day, before 2013-01-01.")
    known_at: str | None = None


class SchemeStatement(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scheme: str = Field(description="new_2013, old or self_employed.")
    effective_from: str
    reason: str = Field(default="reassessment", max_length=32)
    employer_id: str | None = None
    fraction: str | None = None
    job_start: str | None = None
    known_at: str | None = None
    expected_row: int | None = Field(description="The newest statement you saw (row_id); null if none.")


class ClaimCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    month: str
    employer_id: str
    agreement_wage: str | int
    employer_contributions: str | int | None = None
    hours: str | int | None = None
    sick_refund_days: str | int | None = None
    sick_refund_amount: str | int | None = None
    replaces: int | None = Field(default=None, description="The claim this one corrects (the newest of the period).")
    received_at: str | None = None


class JobChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: str
    new_employer_id: str | None = None
    new_tasks_and_terms: bool = False
    dismissed_and_rehired: bool = False
    same_tasks_moved: bool = False
    known_at: str | None = None
    expected_row: int | None


@router.post("/old-scheme/cases", response_model=SchemeStateOut, status_code=201,
             summary="Create a case in the old scheme (fleksjob begun before 2013) with its payee and fraction")
def create_old_scheme_case(body: OldSchemeCaseCreate, request: Request, principal: CaseworkerDep) -> JSONResponse:
    from flexcalc.ledger.schemes import create_old_scheme_case as create

    authorize_case(request, principal, body.case_id, "write")
    with ledger_session(write=True) as session:
        mark_applied(request, session)
        state = create(session, body.case_id, Month.parse(body.first_month, "first_month"),
                       employer_id=body.employer_id, fraction=body.fraction,
                       job_start=_day(body.job_start, "job_start"),
                       known_at=_instant(body.known_at, "known_at"), recorded_by=principal.key_id)
    return created(state.to_dict())


@router.post("/cases/{case_id}/scheme", response_model=SchemeStateOut, status_code=201,
             summary="State a case's scheme from a date (a reassessment of the fraction is a new statement)")
def add_scheme_statement(case_id: str, body: SchemeStatement, request: Request,
                         principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.schemes import set_scheme

    with ledger_session(write=True) as session:
        mark_applied(request, session)
        state = set_scheme(session, case_id, body.scheme, _day(body.effective_from, "effective_from"),
                           reason=body.reason, known_at=_instant(body.known_at, "known_at"),
                           recorded_by=principal.key_id, employer_id=body.employer_id, fraction=body.fraction,
                           job_start=None if body.job_start is None else _day(body.job_start, "job_start"),
                           expected_row=body.expected_row)
    return created(state.to_dict())


@router.post("/cases/{case_id}/job-change", response_model=SchemeStateOut, status_code=201,
             summary="A person in the old scheme changes job: a new fleksjob moves the case to the new scheme")
def record_job_change(case_id: str, body: JobChange, request: Request, principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.schemes import change_job

    with ledger_session(write=True) as session:
        mark_applied(request, session)
        state = change_job(session, case_id, _day(body.date, "date"), new_employer_id=body.new_employer_id,
                           new_employer=body.new_employer_id is not None,
                           new_tasks_and_terms=body.new_tasks_and_terms,
                           dismissed_and_rehired=body.dismissed_and_rehired, same_tasks_moved=body.same_tasks_moved,
                           known_at=_instant(body.known_at, "known_at"), recorded_by=principal.key_id,
                           expected_row=body.expected_row)
    return created(state.to_dict())


@router.post("/cases/{case_id}/old-scheme/claims", response_model=OldSchemeClaimOut, status_code=201,
             summary="Register an employer's claim for a period of an old-scheme job")
def register_old_scheme_claim(case_id: str, body: ClaimCreate, request: Request,
                              principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.schemes import register_claim
    from flexcalc.old_scheme.inputs import old_scheme_input

    inp = old_scheme_input(month=body.month, agreement_wage=body.agreement_wage, fraction="1/2",
                           employer_contributions=body.employer_contributions, hours=body.hours,
                           sick_refund_days=body.sick_refund_days, sick_refund_amount=body.sick_refund_amount)
    with ledger_session(write=True) as session:
        mark_applied(request, session)
        row = register_claim(session, case_id, inp, employer_id=body.employer_id,
                             received_at=_instant(body.received_at, "received_at"), recorded_by=principal.key_id,
                             replaces=body.replaces)
        out: dict[str, Any] = {"id": row.id, "case_id": case_id, "employer_id": row.employer_id,
                               "period": str(row.period), "replaces": row.replaces,
                               "received_at": row.received_at.isoformat()}
    return created(out)


@router.get("/cases/{case_id}/scheme", response_model=CaseSchemeOut,
            summary="A case's scheme history and the old scheme's payments and corrections")
def get_case_scheme(case_id: str, principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.caserows import get_case
    from flexcalc.ledger.schemes import scheme_history, settlements
    from flexcalc.money import amount_str

    with ledger_session() as session:
        get_case(session, case_id)
        body = {"case_id": case_id, "schemes": [s.to_dict() for s in scheme_history(session, case_id)],
                "settlements": [{"id": s.id, "period": str(s.period), "sequence": s.sequence, "kind": s.kind,
                                 "employer_id": s.employer_id, "due": amount_str(s.due),
                                 "previous": amount_str(s.previous), "difference": amount_str(s.difference),
                                 "causes": s.causes, "explanation_da": s.explanation_da,
                                 "as_of": s.as_of.isoformat()} for s in settlements(session, case_id)]}
    return JSONResponse(body)


@router.get("/finance/schemes", response_model=FinanceBySchemeOut,
            summary="A month's finance figures by scheme (the old scheme's fixed 65 % refund on its own accounts)")
def get_finance_by_scheme(month: str, request: Request, principal: FinanceDep) -> JSONResponse:
    from api.ledger_common import factory
    from flexcalc.finance.old_scheme import finance_by_scheme
    from flexcalc.security.audit import AuditEvent

    audit_event(request, AuditEvent(action="read", principal=principal))
    return JSONResponse(finance_by_scheme(factory(), Month.parse(month, "month")))
