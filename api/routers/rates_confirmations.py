"""Confirmations of assumed rates (finance and admin keys): a payment run holds a benefit month whose
rates are assumed until one is recorded (``flexcalc.ledger.confirmations``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import ledger_session
from api.security import AUTH_RESPONSES, audit_event, require_role
from flexcalc.parsing.model import MonthField, validate_benefit_month
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal

router = APIRouter(prefix="/v1", tags=["rates"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
FinanceOrAdminDep = Annotated[Principal, Depends(require_role("finance", "admin"))]


class RatesConfirmationOut(BaseModel):
    """A recorded confirmation of a benefit month's assumed rates."""

    id: int
    month: str
    fingerprint: str = Field(description="The fingerprint of the values confirmed; a change of them holds again.")
    source: str
    confirmed_by: str
    key_id: str | None
    role: str
    confirmed_at: str
    assumed: list[str] = Field(description="The parameters whose values for the month are assumed.")


class RatesConfirmationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    month: MonthField = Field(description="The benefit month whose assumed rates are confirmed, YYYY-MM.")
    source: str = Field(min_length=1, max_length=2000, description="The publication or decision the rates are "
                                                                   "confirmed on.")
    by: str = Field(min_length=1, max_length=64, description="Who confirms (name or initials).")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        return validate_benefit_month(value, "month")


@router.post("/rates/confirmations", response_model=RatesConfirmationOut, status_code=201,
             summary="Confirm a benefit month's assumed rates")
def confirm(body: RatesConfirmationCreate, request: Request, principal: FinanceOrAdminDep) -> JSONResponse:
    """Recorded append-only and audited with the key, the name, the time, the source and the fingerprint
    of the values confirmed; the next payment run of the month pays the cases it held. A month whose
    rates are not assumed is refused (422, ``rates_not_assumed``)."""
    from flexcalc.ledger.confirmations import confirm_rates, confirmation_dict

    audit_event(request, AuditEvent(action="write", principal=principal))
    with ledger_session(write=True) as session:
        mark_applied(request, session)
        row = confirm_rates(session, Month.parse(body.month), body.source, body.by, role=principal.role,
                            key_id=principal.key_id)
        data = confirmation_dict(row)
    return JSONResponse(data, status_code=201)


@router.get("/rates/confirmations", response_model=list[RatesConfirmationOut],
            summary="The confirmations of assumed rates")
def list_confirmations(request: Request, principal: FinanceOrAdminDep,
                       month: str | None = Query(default=None, description="YYYY-MM")) -> Any:
    from flexcalc.ledger.confirmations import confirmations

    audit_event(request, AuditEvent(action="read", principal=principal))
    with ledger_session() as session:
        return confirmations(session, Month.parse(month, "month") if month else None)
