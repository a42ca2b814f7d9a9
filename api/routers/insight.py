"""Management information and supervision.

- ``GET /v1/insight/{month}``: the month in figures and the 12 months before it, for the ``manager`` role
  only: figures and employers' CVR numbers, no person (no case id, no CPR number; counts 1–4 shown as "<5",
  amounts of 1–4 items withheld: ``flexcalc.insight.figures.manager_view``).
- ``/v1/supervisions``: a management supervision of sampled cases (``supervisor``), its results and the trend.
- ``/v1/cases/{case_id}/findings``: a supervisor's finding on a case; ``/v1/findings/{id}/done``: the
  caseworker's follow-up.
- ``/v1/cases/{case_id}/complaints``: the complaint register (caseworker writes; each step states the
  complaint's ``version`` it was made on, a stale one is 409).

Every read and write is audited; bad input is 422 problem+json naming the field (en + da).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.ledger_common import factory, ledger_session
from api.security import (
    AUTH_RESPONSES,
    CaseReaderDep,
    CaseworkerDep,
    CaseWriterDep,
    ManagerDep,
    SupervisorDep,
    audit_event,
    authorize_case,
)
from api.strict_json import StrictJSONRoute
from flexcalc.security.audit import AuditEvent

RowId = Annotated[int, Path(ge=1, le=2**62, description="The row's id.")]
"""A stored row's id in a path: bounded so a huge number is a 422, not a database overflow."""

router = APIRouter(tags=["insight"], route_class=StrictJSONRoute, responses=AUTH_RESPONSES)


class EmployerFiguresOut(BaseModel):
    """An employer's reports in the month: late, corrected, reversed, and the cases touched (a number)."""

    employer_cvr: str
    late: int | str
    corrected: int | str
    reversed: int | str
    cases_touched: int | str


class InsightOut(BaseModel):
    """The month in figures without persons: counts 1–4 as "<5", amounts of 1–4 items null."""

    month: str
    as_of: str
    small_number_threshold: int = Field(description="Counts from 1 to this less one are shown as suppressed_as.")
    suppressed_as: str
    current: dict[str, Any] = Field(description="The benefit month's figures.")
    held_by_age_days: dict[str, int | str]
    employers: list[EmployerFiguresOut]
    trend: list[dict[str, Any]] = Field(description="The month and the 12 before it, oldest first.")


class SupervisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    period_start: str = Field(description="The period's first day, YYYY-MM-DD.", examples=["2024-01-01"])
    period_end: str = Field(description="The period's last day, YYYY-MM-DD.", examples=["2024-03-31"])
    size: int = Field(description="Cases to sample (1–500).", examples=[20])
    seed: int | None = Field(default=None, description="The seed (default: drawn and recorded).")
    reconcile_days: int = Field(default=30, description="Days allowed from a late report to its correction.")


class SupervisionOut(BaseModel):
    """A stored supervision: its sample (seed recorded), the checks with their provisions, the result of each
    check on each case, and the share of cases passing each check."""

    id: int
    period_start: str
    period_end: str
    seed: int
    size: int
    population: int
    sampled: int
    reconcile_days: int
    checklist: str
    by: str
    drawn_at: str
    checks: list[dict[str, str]]
    shares: dict[str, dict[str, Any]]
    cases_passing: int
    cases: list[dict[str, Any]]


class SupervisionTrendOut(BaseModel):
    """Every supervision's share of cases passing each check, oldest first."""

    supervisions: list[dict[str, Any]]


class FindingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    finding: str = Field(description="What the supervisor found.")
    follow_up: str = Field(description="What the caseworker is to do.")
    run_id: int | None = Field(default=None, ge=1, le=2**62, description="The supervision it came from.")
    check_id: str | None = Field(default=None, description="The check it concerns.")
    due_on: str | None = Field(default=None, description="When it is to be done, YYYY-MM-DD.")


class FindingDoneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str = Field(description="What was done.")


class FindingOut(BaseModel):
    id: int
    case_id: str
    run_id: int | None
    check_id: str | None
    finding: str
    follow_up: str
    due_on: str | None
    by: str
    recorded_at: str
    status: str
    done: dict[str, str] | None


class FindingsOut(BaseModel):
    findings: list[FindingOut]


class ComplaintRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    received_on: str = Field(description="The day the complaint was received, YYYY-MM-DD.")
    subject: str = Field(description="What the complaint is about (no CPR number).")
    decision_id: int | None = Field(default=None, ge=1, le=2**62, description="The decision complained about.")


class ComplaintStepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(description="reconsidered | sent_to_ankestyrelsen | outcome")
    on_date: str = Field(description="The step's day, YYYY-MM-DD.")
    version: int | None = Field(default=None, description="The complaint's version as you saw it (its number of "
                                                         "steps): a step stored since is refused (409).")
    result: str | None = Field(default=None, description="kept | changed (reconsidered); upheld | changed | "
                                                          "remitted | rejected | withdrawn (outcome).")
    effect: str | None = Field(default=None, description="none | amount_changed | repayment_cancelled | "
                                                          "new_decision (with an outcome or a change).")
    note: str | None = None


class ComplaintOut(BaseModel):
    id: int
    case_id: str
    received_on: str
    decision_id: int | None
    subject: str
    status: str
    version: int
    by: str
    events: list[dict[str, Any]]


class ComplaintsOut(BaseModel):
    complaints: list[ComplaintOut]


@router.get("/v1/insight/{month}", response_model=InsightOut,
            summary="The month in figures and the 12 months before it, without persons (manager)")
def month_insight(request: Request, month: str, principal: ManagerDep,
                  as_of: str | None = Query(None, description="Count what was recorded by this instant "
                                                              "(ISO 8601; default now, at most the month's end).")
                  ) -> JSONResponse:
    from flexcalc.insight.figures import manager_view, month_figures
    from flexcalc.parsing.inputs import parse_month

    audit_event(request, AuditEvent(action="read", principal=principal))
    when = _instant(as_of)
    return JSONResponse(manager_view(month_figures(factory(), parse_month(month, "month"), when)))


def _instant(value: str | None) -> Any:
    import datetime as dt

    from flexcalc.errors import InputError

    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError("as_of", "must be an instant (ISO 8601)", "skal være et tidspunkt (ISO 8601)",
                         code="instant") from None
    if parsed.tzinfo is None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo("Europe/Copenhagen"))
    return parsed


@router.post("/v1/supervisions", response_model=SupervisionOut, status_code=201,
             summary="Draw a seeded sample of a period's cases and run the supervision checklist (supervisor)")
def create_supervision(request: Request, body: SupervisionRequest, principal: SupervisorDep) -> JSONResponse:
    from api.security import audit_before_write
    from flexcalc.insight.supervision import run_supervision

    audit_event(request, AuditEvent(action="write", principal=principal))
    audit_before_write(request)
    out = run_supervision(factory(), body.period_start, body.period_end, body.size, principal.key_id,
                          seed=body.seed, reconcile_days=body.reconcile_days)
    return JSONResponse(out, status_code=201)


@router.get("/v1/supervisions", response_model=SupervisionTrendOut,
            summary="Every supervision's share of cases passing each check (supervisor)")
def list_supervisions(request: Request, principal: SupervisorDep) -> JSONResponse:
    from flexcalc.insight.supervision import supervision_trend

    audit_event(request, AuditEvent(action="read", principal=principal))
    return JSONResponse({"supervisions": supervision_trend(factory())})


@router.get("/v1/supervisions/{supervision_id}", response_model=SupervisionOut,
            summary="A stored supervision with every check on every case (supervisor)")
def get_supervision_run(request: Request, supervision_id: RowId, principal: SupervisorDep) -> JSONResponse:
    from flexcalc.insight.supervision import get_supervision

    out = get_supervision(factory(), supervision_id)
    for case in out["cases"]:
        audit_event(request, AuditEvent(action="read", case_id=case["case_id"], principal=principal))
    return JSONResponse(out)


@router.post("/v1/cases/{case_id}/findings", response_model=FindingOut, status_code=201,
             summary="Record a supervisor's finding on a case and the follow-up asked for (supervisor)")
def create_finding(request: Request, case_id: str, body: FindingRequest, principal: SupervisorDep) -> JSONResponse:
    from flexcalc.ledger.oversight import record_finding

    audit_event(request, AuditEvent(action="write", case_id=case_id, principal=principal))
    with ledger_session(write=True) as session:
        out = record_finding(session, case_id, body.finding, body.follow_up, principal.key_id, run_id=body.run_id,
                             check_id=body.check_id, due_on=body.due_on)
        _audit_in(request, session, 201)
    return JSONResponse(out, status_code=201)


@router.get("/v1/cases/{case_id}/findings", response_model=FindingsOut,
            summary="The supervisors' findings on a case and their follow-up")
def list_case_findings(case_id: str, principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.caserows import get_case
    from flexcalc.ledger.read.insight import findings

    with ledger_session() as session:
        get_case(session, case_id)
        return JSONResponse({"findings": findings(session, case_id)})


@router.post("/v1/findings/{finding_id}/done", response_model=FindingOut,
             summary="Record a finding's follow-up done (caseworker; once)")
def finish_finding(request: Request, finding_id: RowId, body: FindingDoneRequest,
                   principal: CaseworkerDep) -> JSONResponse:
    from flexcalc.ledger.oversight import record_finding_done

    with ledger_session(write=True) as session:
        out = record_finding_done(session, finding_id, body.note, principal.key_id)
        authorize_case(request, principal, out["case_id"], "write")
        _audit_in(request, session, 200)
    return JSONResponse(out)


@router.post("/v1/cases/{case_id}/complaints", response_model=ComplaintOut, status_code=201,
             summary="Register a complaint received about a case")
def create_complaint(request: Request, case_id: str, body: ComplaintRequest, principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.oversight import record_complaint

    with ledger_session(write=True) as session:
        out = record_complaint(session, case_id, body.received_on, body.subject, principal.key_id, body.decision_id)
        _audit_in(request, session, 201)
    return JSONResponse(out, status_code=201)


@router.get("/v1/cases/{case_id}/complaints", response_model=ComplaintsOut,
            summary="A case's complaints with their steps and versions")
def list_case_complaints(case_id: str, principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.oversight import case_complaints

    with ledger_session() as session:
        return JSONResponse({"complaints": case_complaints(session, case_id)})


@router.post("/v1/cases/{case_id}/complaints/{complaint_id}/steps", response_model=ComplaintOut,
             summary="Add a step to a complaint: reconsidered, sent to Ankestyrelsen, outcome (stale version: 409)")
def add_complaint_step(request: Request, case_id: str, complaint_id: RowId, body: ComplaintStepRequest,
                       principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.oversight import record_complaint_step

    with ledger_session(write=True) as session:
        out = record_complaint_step(session, case_id, complaint_id, body.kind, body.on_date, principal.key_id,
                                    version=body.version, result=body.result, effect=body.effect, note=body.note)
        _audit_in(request, session, 200)
    return JSONResponse(out)


def _audit_in(request: Request, session: Any, status: int) -> None:
    """The write's audit rows in the write's own transaction (a write that cannot be audited is not made)."""
    from api.security import write_audit_in

    write_audit_in(request, session, status)
