"""Repayment claims (LAB § 125; BEK 585/2023): caseworkers list, read and act on claims; a citizen reads
their own claims and plan through their case. Thin: the rules are ``flexcalc.ledger.claims``.

Every write names the balance the caseworker saw (``balance_seen``): a claim changed since (a set-off in a
payment run, a payment registered by someone else) is refused with 409, nothing stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import ledger_session
from api.security import AUTH_RESPONSES, CaseReaderDep, CaseworkerDep, audit_event, authorize_case
from flexcalc.parsing.model import AmountField, validate_amount
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1", tags=["claims"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
CLAIM_ID = Path(ge=1, le=2**62, description="The claim's id.")


def _date(value: str | None, field: str) -> dt.date:
    from flexcalc.ledger.hearings import today_local
    from flexcalc.parsing.inputs import parse_date

    return parse_date(value, field) if value else today_local()


class _Write(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    balance_seen: AmountField = Field(description="The claim's balance as the caseworker saw it (stale writes "
                                                  "are refused).")
    by: RedactedText = Field(min_length=1, max_length=64, description="Who records it.")
    on: str | None = Field(default=None, description="The date, YYYY-MM-DD (default today).")

    @field_validator("balance_seen", mode="before")
    @classmethod
    def _seen(cls, value: Any) -> Decimal:
        return validate_amount(value, "balance_seen")


class PlanCreate(_Write):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "method": "setoff", "monthly_amount": "300.00", "first_month": "2024-08", "reason": "afdrag ikke betalt",
        "balance_seen": "419.25", "by": "sb-7", "on": "2024-07-12"}]})

    method: str = Field(description="instalment (afdrag), setoff (modregning i tilskuddet) or deferral (henstand).")
    monthly_amount: AmountField | None = Field(default=None, description="The monthly amount (not for deferral).")
    first_month: str | None = Field(default=None, description="The first month, YYYY-MM.")
    reason: RedactedText = Field(min_length=1, max_length=500)
    net_income: AmountField | None = Field(default=None, description="The person's annual net income: the monthly "
                                           "amount from the table of the debt-collection order (not with "
                                           "monthly_amount).")
    provider: bool = Field(default=False, description="The person supports children (the table's lower rate).")

    @field_validator("net_income", mode="before")
    @classmethod
    def _income(cls, value: Any) -> Decimal | None:
        return None if value is None else validate_amount(value, "net_income")

    @field_validator("monthly_amount", mode="before")
    @classmethod
    def _monthly(cls, value: Any) -> Decimal | None:
        return None if value is None else validate_amount(value, "monthly_amount")


class PaymentCreate(_Write):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "amount": "500.00", "on": "2024-06-03", "reference": "bank 0603", "balance_seen": "919.25", "by": "sb-7"}]})

    amount: AmountField
    reference: RedactedText | None = Field(default=None, max_length=200)

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        return validate_amount(value, "amount")


class HandoverCreate(_Write):
    pass


class ClaimPlanOut(BaseModel):
    method: str
    monthly_amount: str
    first_month: str | None
    reason: str
    on_date: str
    by: str


class ClaimHandoverOut(BaseModel):
    on_date: str
    file: str | None
    by: str


class ClaimEventOut(BaseModel):
    id: int
    kind: str
    on_date: str
    amount: str | None
    method: str | None
    monthly_amount: str | None
    first_month: str | None
    reference: str | None
    by: str


class HandoverFileOut(BaseModel):
    name: str | None
    content_type: str
    content: str


class ClaimOut(BaseModel):
    """A repayment claim as it stands on ``as_of``: amount, what is paid, set off and written off, the balance,
    the dates (due, limitation) and the plan (LAB § 125; BEK 585/2023; forældelsesloven)."""

    id: int
    case_id: str
    correction_id: int
    decision_id: int
    concerns_month: str
    amount: str
    paid: str
    set_off: str
    written_off: str
    balance: str
    status: str
    claim_type: str = Field(description="Gældsstyrelsen's claim type (KTBRFLX for fleksløntilskud).")
    paid_on: str
    known_on: str
    decided_on: str
    due_date: str
    limitation_date: str
    as_of: str
    plan: ClaimPlanOut | None
    handover: ClaimHandoverOut | None
    events: list[ClaimEventOut]
    legal_basis: str
    letter_da: str | None = Field(default=None, description="The demand letter's text (the citizen's view).")
    handover_file: HandoverFileOut | None = Field(default=None, description="The file to send (handover only).")


WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"description": "The balance is not the one seen (stale), or the claim is closed: nothing stored"},
    404: {"description": "No such claim"}}


def _act(request: Request, principal: Principal, claim_id: int, body: _Write, work: Any) -> JSONResponse:
    from flexcalc.ledger.claims import claim_for_write, get_claim

    day = _date(body.on, "on")
    with ledger_session(write=True) as session:
        authorize_case(request, principal, get_claim(session, claim_id, day).claim.case_id, "write")
        state = claim_for_write(session, claim_id, day, body.balance_seen)
        extra = work(session, state, day)
        out = get_claim(session, claim_id, day).to_dict()
        mark_applied(request, session)  # the audit row commits with the write
    return JSONResponse({**out, **(extra or {})}, status_code=201)


@router.get("/claims", response_model=list[ClaimOut],
            summary="Every repayment claim (caseworkers), with balance, plan and dates")
def list_all_claims(request: Request, principal: CaseworkerDep,
                    case: str | None = Query(default=None, description="Only this case."),
                    as_of: str | None = Query(default=None, description="The date, YYYY-MM-DD (default today).")
                    ) -> list[dict[str, Any]]:
    from flexcalc.ledger.claims import list_claims

    audit_event(request, AuditEvent(action="read", case_id=case, principal=principal))
    with ledger_session() as session:
        return [s.to_dict() for s in list_claims(session, _date(as_of, "as_of"), case)]


@router.get("/cases/{case_id}/claims", response_model=list[ClaimOut],
            summary="A case's repayment claims and plans (the citizen sees their own)")
def list_case_claims(case_id: str, principal: CaseReaderDep,
                     as_of: str | None = Query(default=None, description="YYYY-MM-DD.")) -> list[dict[str, Any]]:
    from flexcalc.ledger.claims import list_claims
    from flexcalc.letters.demand import demand_letter

    with ledger_session() as session:
        return [{**s.to_dict(), "letter_da": demand_letter(s)}
                for s in list_claims(session, _date(as_of, "as_of"), case_id)]


@router.get("/claims/{claim_id}", response_model=ClaimOut, summary="One claim with its events (caseworkers)",
            responses={404: {"description": "No such claim"}})
def get_one_claim(request: Request, principal: CaseworkerDep, claim_id: int = CLAIM_ID,
                  as_of: str | None = Query(default=None, description="YYYY-MM-DD.")) -> dict[str, Any]:
    from flexcalc.ledger.claims import get_claim

    with ledger_session() as session:
        state = get_claim(session, claim_id, _date(as_of, "as_of"))
    authorize_case(request, principal, state.claim.case_id, "read")
    return state.to_dict()


@router.post("/claims/{claim_id}/plan", response_model=ClaimOut, status_code=201, responses=WRITE_RESPONSES,
             summary="Record an instalment plan (afdragsordning)")
def post_plan(body: PlanCreate, request: Request, principal: CaseworkerDep,
              claim_id: int = CLAIM_ID) -> JSONResponse:
    from flexcalc.ledger.claims import record_plan
    from flexcalc.period import Month

    first = Month.parse(body.first_month, "first_month") if body.first_month else None
    return _act(request, principal, claim_id, body, lambda session, state, day: record_plan(
        session, claim_id, body.method, body.monthly_amount, body.reason, body.by, day, first,
        net_income=body.net_income, provider=body.provider) and None)


@router.post("/claims/{claim_id}/payments", response_model=ClaimOut, status_code=201, responses=WRITE_RESPONSES,
             summary="Register a payment on a claim")
def post_payment(body: PaymentCreate, request: Request, principal: CaseworkerDep,
                 claim_id: int = CLAIM_ID) -> JSONResponse:
    from flexcalc.ledger.claims import record_payment

    return _act(request, principal, claim_id, body, lambda session, state, day: record_payment(
        session, claim_id, body.amount, day, body.reference or "", body.by) and None)


@router.post("/claims/{claim_id}/handover", response_model=ClaimOut, status_code=201, responses=WRITE_RESPONSES,
             summary="Hand a claim over to Gældsstyrelsen (KTBRFLX); the answer holds the file to send")
def post_handover(body: HandoverCreate, request: Request, principal: CaseworkerDep,
                  claim_id: int = CLAIM_ID) -> JSONResponse:
    from flexcalc.ledger.claims import handover

    def work(session: Any, state: Any, day: dt.date) -> dict[str, Any]:
        event, text = handover(session, claim_id, day, body.by)
        return {"handover_file": {"name": event.reference, "content_type": "text/csv", "content": text}}

    return _act(request, principal, claim_id, body, work)


@router.get("/claims/{claim_id}/handover-file", response_class=Response,
            summary="The handover file of a claim handed over to Gældsstyrelsen (CSV), made again from the ledger",
            responses={200: {"description": "The same file as the one the handover gave", "content": {"text/csv": {}}},
                       404: {"description": "No such claim, or it has not been handed over"}})
def get_handover_file(request: Request, principal: CaseworkerDep, claim_id: int = CLAIM_ID) -> Response:
    from flexcalc.ledger.claims import get_claim, handover_file

    with ledger_session() as session:
        case_id = get_claim(session, claim_id, dt.date.max).claim.case_id
        authorize_case(request, principal, case_id, "read")
        name, text = handover_file(session, claim_id)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


LETTER_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The letter as text, HTML or the tagged PDF (PDF/UA).",
          "content": {"text/plain": {}, "text/html": {},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    404: {"description": "No such claim of the case"}}


@router.get("/cases/{case_id}/claims/{claim_id}/letter", response_class=Response, responses=LETTER_CONTENT,
            summary="A claim's demand letter or instalment-plan letter as text, HTML or PDF (the citizen their own)")
def claim_letter(case_id: str, principal: CaseReaderDep, claim_id: int = CLAIM_ID,
                 kind: str = Query(default="demand", pattern="^(demand|plan)$",
                                   description="demand (opkrævning) or plan (afdragsordning)."),
                 format: str = Query(default="pdf", pattern="^(text|html|pdf)$", description="The rendering."),
                 as_of: str | None = Query(default=None, description="The letter's date, YYYY-MM-DD (default "
                                                                     "today).")) -> Response:
    from flexcalc.ledger.claims import get_claim
    from flexcalc.letters.demand import demand_document, plan_document

    day = _date(as_of, "as_of")
    with ledger_session() as session:
        state = get_claim(session, claim_id, day, case_id=case_id)
        letter = plan_document(state, day) if kind == "plan" else demand_document(state, day)
    if format == "text":
        return PlainTextResponse(letter.text())
    if format == "html":
        return HTMLResponse(letter.html())
    return Response(letter.pdf(), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="krav-{claim_id}-{kind}.pdf"'})
