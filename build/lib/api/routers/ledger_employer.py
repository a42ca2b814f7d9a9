"""Employer-facing endpoint: wage reports as the income register gives them (idempotent by report id).

``POST /v1/employer/wage-reports`` takes a batch; the batch is stored whole or not at all. A report id
already stored with the same content is reported as ``already_stored`` (a no-op); with other content
it is a 409 conflict naming the fields that differ.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import conflict_or_raise
from api.security import AUTH_RESPONSES, authorize_employer, require_principal, require_role
from flexcalc.errors import InputError
from flexcalc.security.keys import Principal

# Security (issue 7): an employer key sends reports of its own CVR number only, a caseworker key any;
# each (employer, case) is audited; Idempotency-Key is tied to the ingestion's transaction.
router = APIRouter(prefix="/v1/employer", tags=["employer"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)


class WageReportIn(BaseModel):
    """One report; fields as in the CSV file. Amounts as strings or numbers with at most two decimals."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "report_id": "R-2024-02-1", "case_id": "demo-1", "employer_id": "12345678",
        "payment_date": "2024-02-29", "period_start": "2024-02-01", "period_end": "2024-02-29",
        "wage": "14000.00", "pension_own": "600.00", "pension_employer": "1000.00", "hours": "64",
        "received_at": "2024-03-05T09:00:00+01:00", "kind": "original", "corrects": None}]})

    report_id: str
    case_id: str
    employer_id: str
    payment_date: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    wage: Any = None
    pension_own: Any = None
    pension_employer: Any = None
    hours: Any = None
    received_at: str | None = Field(default=None, description=(
        "When the income register received the report. With an employer key the server records its own "
        "instant of receipt and keeps this beside it (stated_received_at); a caseworker's import of the "
        "register's reports must give it."))
    kind: str
    corrects: str | None = None


class WageReportBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reports: list[WageReportIn] = Field(min_length=1, max_length=10000)


@router.post("/wage-reports", summary="Ingest wage reports (all or none; idempotent by report id)")
def ingest_reports(body: WageReportBatch, request: Request,
                   principal: Principal = Depends(require_role("employer", "caseworker"))) -> Any:
    from api.ledger_common import factory
    from flexcalc.ledger.reports import parse_report
    from flexcalc.ledger.store import IngestResult, ingest, now, run_in_transaction

    for employer_id, case_id in sorted({(r.employer_id, r.case_id) for r in body.reports}):
        authorize_employer(request, principal, employer_id, case_id=case_id, action="write")
    # An employer key reports only for its own employments, and the server records when it received
    # the report (issue 12); a caseworker imports the income register's reports with their timestamps.
    reporter = principal.employer_cvr if principal.role == "employer" else None
    try:
        where = [f"reports.{i}" for i in range(len(body.reports))]
        received = now().isoformat()
        reports = [parse_report({**r.model_dump(), **({"received_at": received} if reporter and r.received_at is None
                                                     else {})}, where[i]) for i, r in enumerate(body.reports)]

        def work(session: Session) -> IngestResult:
            result = ingest(session, reports, where, reporter=reporter)
            # the Idempotency-Key and the audit rows commit with the reports, or not at all
            mark_applied(request, session, 201 if result.stored else 200)
            return result

        result = run_in_transaction(factory(), work)
    except InputError as error:
        if error.code == "unknown_case":
            raise  # a report for an unknown case is bad input (422), not a missing path resource
        return conflict_or_raise(error)
    status = 201 if result.stored else 200
    return JSONResponse(result.to_dict(), status_code=status)


@router.get("/{employer_id}/employments", summary="An employer's own employments, ceilings and report status")
def list_employer_employments(employer_id: str, request: Request,
                         principal: Principal = Depends(require_principal)) -> Any:
    """For the employer (its own CVR number only) or a caseworker: the employments by pseudonymous case
    id with their ceiling history, and every wage report the employer has sent with its status. Nothing
    of the subsidy or the payments."""
    from api.ledger_common import ledger_session
    from flexcalc.ledger.employer_view import employer_view

    authorize_employer(request, principal, employer_id, action="read")
    with ledger_session() as session:
        return JSONResponse(employer_view(session, employer_id))
