"""Payment runs, reconciliation and the list of held months (the benefits office's batch work)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute
from api.ledger_common import factory, ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.security import AUTH_RESPONSES, audit_before_write, audit_event, require_role
from flexcalc.model import MonthField, validate_benefit_month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal

# Security (issue 7): caseworkers only; audited (they touch every case); Idempotency-Key accepted.
router = APIRouter(prefix="/v1", tags=["payment runs"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
caseworker = require_role("caseworker")


class PaymentRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    month: MonthField = Field(description="The benefit month to pay, YYYY-MM.")
    as_of: str = Field(description="Instant: the reports received up to it are known (ISO 8601).",
                       examples=["2024-03-06T12:00:00+01:00"])

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        return validate_benefit_month(value, "month")


MAX_RECONCILE_CASES = 10_000
"""The most case ids one reconciliation request may name (issue 12): a larger list is a 422 naming
``case_ids``; without the list every case is reconciled."""


class ReconciliationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    as_of: str = Field(examples=["2024-04-30T23:59:59+02:00"])
    case_ids: list[str] | None = Field(default=None, max_length=MAX_RECONCILE_CASES, description=(
        f"Only these cases (at most {MAX_RECONCILE_CASES} per request; leave it out for every case)."))


@router.post("/payment-runs", status_code=201, summary="Pay a benefit month for every active case")
def run_payments(body: PaymentRunCreate, request: Request, principal: Principal = Depends(caseworker)) -> Any:
    """The run is answered when it is done (201), with every paid and held month and the month's totals
    (``total_subsidy``, ``total_atp_own``, ``total_payout``). Synchronous by design (issue 14,
    docs/decisions.md "Payment run at batch speed"): the set-based run pays 100.000 cases in a few
    seconds, inside an ordinary request timeout; chunks are committed as they are paid, so a request
    cut off midway is finished by sending it again (a re-run pays only what is left)."""
    audit_event(request, AuditEvent(action="write", principal=principal))
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.period import Month

    as_of = parse_instant(body.as_of, "as_of", end_of_day=True)
    audit_before_write(request)  # many transactions: the audit row first, or no write (issue 12)
    result = pay_month(factory(), Month.parse(body.month), as_of)
    return JSONResponse(result.to_dict(), status_code=201)


@router.post("/reconciliations", status_code=201, summary="Reconcile paid months against newer reports")
def run_reconciliation(body: ReconciliationCreate, request: Request,
                   principal: Principal = Depends(caseworker)) -> Any:
    """Answered when done (201). At most 10.000 named case ids per request (without ``case_ids`` every
    case is reconciled, set-based: 100.000 cases in seconds); see docs/decisions.md, "Payment run at
    batch speed"."""
    audit_event(request, AuditEvent(action="write", principal=principal))
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.reports import parse_instant

    as_of = parse_instant(body.as_of, "as_of", end_of_day=True)
    audit_before_write(request)  # many transactions: the audit row first, or no write (issue 12)
    result = reconcile(factory(), as_of, body.case_ids)
    return JSONResponse(result.to_dict(), status_code=201)


@router.get("/held-months", summary="Every month held as awaiting report, with the reason",
            responses={200: PAGED})
def list_held_months(request: Request, page: PageRequest = Depends(page_params("held", 2)),
                     principal: Principal = Depends(caseworker)) -> Any:
    """Ordered by case id and benefit month; ``?cursor=`` from ``X-Next-Cursor`` for the next page."""
    audit_event(request, AuditEvent(action="read", principal=principal))
    from flexcalc.ledger.payments import open_holds

    with ledger_session() as session:
        after = (str(page.after[0]), str(page.after[1])) if page.after else None
        rows = open_holds(session, after=after, limit=page.limit + 1)
    items, next_key = page_of(rows, lambda h: (h["case_id"], h["benefit_month"]), page)
    return paged_response(request, "held", items, next_key)


@router.get("/possible-duplicates", summary="Reports that may be one payment sent twice (caseworkers' worklist)")
def possible_duplicates(request: Request, case_id: str | None = Query(default=None, max_length=64),
                        principal: Principal = Depends(caseworker)) -> Any:
    """Groups of original reports of one employer for the same wage period with the same amount under
    different report ids. They are stored and counted (several payments in a month can be right); the
    caseworker checks them with the employer (issue 12)."""
    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    from flexcalc.ledger.duplicates import possible_duplicates as find

    with ledger_session() as session:
        return JSONResponse(find(session, case_id))
