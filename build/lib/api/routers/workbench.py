"""The caseworker's workbench (issue 15): the worklist across cases and the hearing (partshøring) of a
possible repayment. Thin: the rules are ``flexcalc.ledger.worklist`` and ``flexcalc.ledger.hearings``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import conflict_or_raise, ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.security import AUTH_RESPONSES, audit_event, read_case, require_role, write_case
from flexcalc.errors import InputError
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1", tags=["workbench"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
caseworker = require_role("caseworker")
CORRECTION_ID = Path(ge=1, le=2**62, description="The correction's id.")


class HearingSentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "sent_on": "2024-05-02", "by": "sb-17", "letter_id": "L-42"}]})

    sent_on: str = Field(description="The hearing letter's date, YYYY-MM-DD.")
    reply_by: str | None = Field(default=None, description="The reply date, YYYY-MM-DD (default 14 days after "
                                                           "sent_on); after sent_on.")
    by: RedactedText = Field(min_length=1, max_length=64, description="Who sent it.")
    letter_id: str | None = Field(default=None, max_length=64, description="The letter's id in the case file.")


class HearingReplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "received_on": "2024-05-10", "summary": "Vidste ikke, at bijobbet talte med", "by": "sb-17"}]})

    received_on: str = Field(description="The day the reply came, YYYY-MM-DD (not before the letter).")
    summary: RedactedText = Field(min_length=1, max_length=2000, description="What the reply says, in short.")
    by: RedactedText = Field(min_length=1, max_length=64, description="Who records it.")


def _today(value: str | None) -> dt.date:
    from flexcalc.inputs import parse_date
    from flexcalc.ledger.hearings import today_local

    return parse_date(value, "today") if value else today_local()


ALREADY: dict[int | str, dict[str, Any]] = {200: {
    "description": "The same event is recorded already: nothing new is stored (already_recorded)."}}


@router.post("/cases/{case_id}/corrections/{correction_id}/hearing", status_code=201, responses=ALREADY,
             summary="Record that a hearing letter (partshøring) on a possible repayment was sent")
def record_correction_hearing_sent(case_id: str, body: HearingSentCreate, request: Request,
                                   correction_id: int = CORRECTION_ID,
                                   principal: Principal = Depends(write_case)) -> Any:
    """The letter's date and the reply date (default 14 days later; forvaltningsloven § 19). 201 with
    the event; 200 with ``already_recorded`` when the same letter is recorded already. 422 naming the
    field: not a possible repayment (``correction``), a letter dated before the correction (``sent_on``),
    a reply date not after the letter (``reply_by``); 409 when the correction is decided already."""
    from flexcalc.ledger.hearings import record_hearing_sent

    try:
        with ledger_session(write=True) as session:
            out = record_hearing_sent(session, case_id, correction_id, body.sent_on, body.reply_by, body.by,
                                      body.letter_id).to_dict()
            mark_applied(request, session, 200 if out["already_recorded"] else 201)  # audit: the real status
    except InputError as error:
        return conflict_or_raise(error)
    return JSONResponse(out, status_code=200 if out["already_recorded"] else 201)


@router.post("/cases/{case_id}/corrections/{correction_id}/hearing/reply", status_code=201, responses=ALREADY,
             summary="Record the reply to the hearing on a possible repayment")
def record_correction_hearing_reply(case_id: str, body: HearingReplyCreate, request: Request,
                                    correction_id: int = CORRECTION_ID,
                                    principal: Principal = Depends(write_case)) -> Any:
    """201 with the event; 200 with ``already_recorded`` for the same reply again. 422 naming
    ``received_on`` when no letter is recorded or the reply is dated before it or in the future."""
    from flexcalc.ledger.hearings import record_hearing_reply

    try:
        with ledger_session(write=True) as session:
            out = record_hearing_reply(session, case_id, correction_id, body.received_on, body.summary,
                                       body.by).to_dict()
            mark_applied(request, session, 200 if out["already_recorded"] else 201)
    except InputError as error:
        return conflict_or_raise(error)
    return JSONResponse(out, status_code=200 if out["already_recorded"] else 201)


@router.get("/cases/{case_id}/corrections/{correction_id}/hearing",
            summary="The hearing of a possible repayment: its state and every event")
def get_correction_hearing(case_id: str, correction_id: int = CORRECTION_ID,
                           today: str | None = Query(default=None, description="The day the state is "
                                                     "for, YYYY-MM-DD (default today)."),
                           principal: Principal = Depends(read_case)) -> Any:
    from flexcalc.ledger.hearings import hearing_file

    try:
        day = _today(today)
        with ledger_session() as session:
            return JSONResponse(hearing_file(session, case_id, correction_id, day))
    except InputError as error:
        return conflict_or_raise(error)


@router.get("/worklist", summary="What waits for a caseworker across cases, oldest first (caseworkers)",
            responses={200: PAGED})
def list_worklist_items(
    request: Request,
    case_id: str | None = Query(default=None, max_length=64, description="Only this case."),
    month: str | None = Query(default=None, max_length=7, description="Only this benefit month, YYYY-MM."),
    kind: list[str] | None = Query(default=None, description="Only these kinds (repeatable): held_month, "
                                   "repayment_awaiting_hearing, hearing_reply_overdue, awaiting_decision, "
                                   "possible_duplicate, events_after_payment."),
    min_age: int | None = Query(default=None, ge=0, le=100_000, description="Only items at least this many "
                                "days old."),
    today: str | None = Query(default=None, description="The day ages are counted to, YYYY-MM-DD (default "
                              "today, Danish time)."),
    page: PageRequest = Depends(page_params("worklist", 5)),
    principal: Principal = Depends(caseworker),
) -> Any:
    """Held months, possible repayments awaiting a hearing or a decision, hearings whose reply date has
    passed, possible double submissions and months with events registered after payment: each with its
    case, benefit month, age in days, amount where relevant, a Danish label and the API actions that
    resolve it. ``?cursor=`` from ``X-Next-Cursor`` for the next page (a stable keyset cursor)."""
    from flexcalc.identifiers import check_identifier
    from flexcalc.inputs import parse_month
    from flexcalc.ledger.worklist import WorklistFilter, parse_kinds, worklist

    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    if case_id is not None:
        check_identifier(case_id, "case_id")
    where = WorklistFilter(case_id=case_id, month=parse_month(month, "month") if month else None,
                           kinds=parse_kinds(kind), min_age=min_age)
    day = _today(today)
    with ledger_session() as session:
        items = worklist(session, day, where)
    rows, next_key = page_of(items, lambda i: i.key(), page)
    return paged_response(request, "worklist", [i.to_dict(day) for i in rows], next_key)
