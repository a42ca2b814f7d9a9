"""Letters (issue 15, item 3): a caseworker drafts a hearing letter, a decision letter or a monthly
specification (kept in the case file), approves it and records that it was sent; anyone allowed to read the
case reads its letters as JSON, text, HTML or PDF. Nothing is ever sent by the system.

* ``POST /v1/letters/hearing``, ``/decision``, ``/specification``: a new draft (caseworker; Idempotency-Key;
  audited with the case in the same transaction);
* ``GET /v1/letters/{letter_id}?format=json|text|html|pdf``: one letter (a citizen: only its own case's
  approved or sent letters; a draft is 404 to a citizen);
* ``POST /v1/letters/{letter_id}/approval`` and ``/sending``: approve a draft, record that it went out;
* ``GET /v1/cases/{case_id}/letters``: a case's letters, a page at a time (citizens: approved and sent only).

The words, the amounts and the checks are ``flexcalc.letters``'; this module only maps HTTP onto them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.problem import problem
from api.security import (
    AUTH_RESPONSES,
    audit_event,
    authorize_case,
    problem_response,
    read_case,
    require_principal,
    require_role,
)
from flexcalc.errors import InputError
from flexcalc.identifiers import check_identifier
from flexcalc.inputs import DateValue
from flexcalc.model import MonthField, as_pydantic_error, validate_month
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.redact import RedactedText

router = APIRouter(tags=["letters"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
caseworker = require_role("caseworker")

NOT_FOUND = {"unknown_correction", "unknown_case", "unknown_letter"}
CONFLICT = {"already_approved", "already_sent"}
LetterId = Path(ge=1, le=2**62, description="The letter's id.")
UNKNOWN: dict[int | str, dict[str, Any]] = {404: problem_response("No such correction or case (problem+json)")}


def _answer(error: InputError) -> JSONResponse:
    """404 for an unknown correction, case or letter; 409 for a letter approved or sent already; else 422."""
    if error.code in NOT_FOUND:
        raise HTTPException(404, error.reason_en) from None
    if error.code in CONFLICT:
        return problem(409, "Conflict", f"{error.field}: {error.reason_en}", type_="/problems/conflict",
                       detail_da=f"{error.field}: {error.reason_da}", errors=[error.as_dict()])
    raise error


class HearingLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"correction_ids": [2], "date": "2024-06-10", "created_by": "sb-17"}]})

    correction_ids: list[int] = Field(min_length=1, max_length=24,
                                      description="Possible repayments of one case (one letter may cover several "
                                                  "months).")
    date: DateValue | None = Field(default=None, description="The letter's date (default today).")
    reply_by: DateValue | None = Field(default=None, description="The reply date (default 14 days after the "
                                                                 "letter's date; must be after it).")
    created_by: RedactedText = Field(min_length=1, max_length=64, description="Who drafts it.")


class DecisionLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    correction_id: int = Field(ge=1, le=2**62, description="The decided possible repayment.")
    date: DateValue | None = Field(default=None, description="The letter's date (default today); the complaint "
                                                             "deadline is 4 weeks after it.")
    created_by: RedactedText = Field(min_length=1, max_length=64)


class SpecificationLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: str = Field(min_length=1, max_length=64)
    month: MonthField = Field(description="The paid benefit month, YYYY-MM.")
    date: DateValue | None = Field(default=None, description="The letter's date (default today).")
    created_by: RedactedText = Field(min_length=1, max_length=64)

    @field_validator("case_id", mode="before")
    @classmethod
    def _case(cls, value: Any) -> str:
        try:
            return check_identifier(value, "case_id")
        except InputError as error:
            raise as_pydantic_error(error) from None

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        return validate_month(value, "month")


class LetterApprovalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    approved_by: RedactedText = Field(min_length=1, max_length=64)


class LetterSendingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sent_by: RedactedText = Field(min_length=1, max_length=64)
    channel: Literal["digital_post", "post", "in_person"] = Field(description="How it went out.")
    sent_at: str | None = Field(default=None, max_length=40, description="When (ISO 8601; default now).")


def _today(day: dt.date | None) -> dt.date:
    from flexcalc.letters.facts import today

    return day or today()


def _draft(request: Request, principal: Any, case_of: Any, build: Any, created_by: str) -> Any:
    """Find the case (404 if none), authorize and audit the write on it, then build and store the draft
    in one transaction with its audit row; a bad input stores nothing."""
    from flexcalc.letters.store import letter_with_status, save_letter

    try:
        with ledger_session() as session:
            case_id = case_of(session)
    except InputError as error:
        audit_event(request, AuditEvent(action="write", principal=principal))
        return _answer(error)
    authorize_case(request, principal, case_id, "write")
    try:
        with ledger_session(write=True) as session:
            letter = build(session)
            row = save_letter(session, letter, created_by)
            mark_applied(request, session)
            out = {**letter_with_status(session, row), "facts": letter.facts}
    except InputError as error:
        return _answer(error)
    return JSONResponse(out, status_code=201)


@router.post("/v1/letters/hearing", status_code=201, responses=UNKNOWN,
             summary="Draft a hearing letter (partshøring) for a possible repayment")
def create_hearing_letter(body: HearingLetterCreate, request: Request, principal: Any = Depends(caseworker)) -> Any:
    """A draft of the hearing letter (forvaltningsloven § 19): what happened, the amount for each month, that no
    decision has been made, what the person can send, the reply date. 422 naming the field for a correction
    that is not a possible repayment, one already decided, or a date before the correction."""
    from flexcalc.letters import hearing_letter
    from flexcalc.letters.facts import load_corrections

    return _draft(request, principal, lambda s: load_corrections(s, body.correction_ids, "correction_ids")[0].case_id,
                  lambda s: hearing_letter(s, body.correction_ids, _today(body.date), body.reply_by),
                  body.created_by)


@router.post("/v1/letters/decision", status_code=201, responses=UNKNOWN,
             summary="Draft the decision letter of a decided possible repayment")
def create_decision_letter(body: DecisionLetterCreate, request: Request, principal: Any = Depends(caseworker)) -> Any:
    """A draft of the decision letter: the decision, its reasons (forvaltningsloven §§ 22 and 24), how the
    amount is collected or that it is waived, the complaint guidance with its deadline (§ 25). 422 before
    the decision is recorded."""
    from flexcalc.letters import decision_letter
    from flexcalc.letters.facts import load_corrections

    return _draft(request, principal, lambda s: load_corrections(s, [body.correction_id], "correction_id")[0].case_id,
                  lambda s: decision_letter(s, body.correction_id, _today(body.date)), body.created_by)


@router.post("/v1/letters/specification", status_code=201, responses=UNKNOWN,
             summary="Draft the monthly specification of a paid month")
def create_specification_letter(body: SpecificationLetterCreate, request: Request,
                                principal: Any = Depends(caseworker)) -> Any:
    """A draft of the citizen's monthly specification: the payment, what changed since last month with the
    causes that add up, the change in total income, corrections paid or pending, where to ask."""
    from flexcalc.letters import specification_letter
    from flexcalc.letters.facts import get_case_or_fail

    month = Month.parse(body.month, "month")
    return _draft(request, principal, lambda s: get_case_or_fail(s, body.case_id).id,
                  lambda s: specification_letter(s, body.case_id, month, _today(body.date)), body.created_by)


LETTER_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The letter: JSON (with its text and HTML), text, HTML or PDF.",
          "content": {"application/json": {}, "text/plain": {}, "text/html": {},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _readable_letter(request: Request, principal: Any, letter_id: int) -> Any:
    """The stored letter, if the caller may read it: 404 if none (or a draft, to a citizen), 403 for
    another's case. Audited with the case."""
    from flexcalc.letters.store import get_letter, letter_with_status

    try:
        with ledger_session() as session:
            row = get_letter(session, letter_id)
            data = letter_with_status(session, row, content=True)
    except InputError as error:
        audit_event(request, AuditEvent(action="read", principal=principal))
        return _answer(error)
    authorize_case(request, principal, data["case_id"], "read")
    if principal.role != "caseworker" and data["status"] == "draft":
        raise HTTPException(404, f"there is no letter {letter_id}")
    return data


@router.get("/v1/letters/{letter_id}", summary="A letter as JSON, text, HTML or PDF", responses=LETTER_CONTENT)
def read_letter(request: Request, letter_id: int = LetterId,
                format: Literal["json", "text", "html", "pdf"] = Query(default="json", description="The rendering."),
                principal: Any = Depends(require_principal)) -> Any:
    data = _readable_letter(request, principal, letter_id)
    if isinstance(data, Response):
        return data
    if format == "text":
        return PlainTextResponse(data["text"])
    if format == "html":
        return HTMLResponse(data["html"])
    if format == "pdf":
        from flexcalc.letters.document import html_to_pdf

        return Response(html_to_pdf(data["html"]), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="brev-{letter_id}.pdf"'})
    return JSONResponse(data)


def _letter_case(request: Request, principal: Any, letter_id: int) -> str | JSONResponse:
    from flexcalc.letters.store import get_letter

    try:
        with ledger_session() as session:
            case_id = get_letter(session, letter_id).case_id
    except InputError as error:
        audit_event(request, AuditEvent(action="write", principal=principal))
        return _answer(error)
    authorize_case(request, principal, case_id, "write")
    return case_id


@router.post("/v1/letters/{letter_id}/approval", status_code=201, summary="Approve a draft (it is still not sent)")
def approve_letter_draft(body: LetterApprovalCreate, request: Request, letter_id: int = LetterId,
                         principal: Any = Depends(caseworker)) -> Any:
    from flexcalc.letters.store import approve_letter, get_letter, letter_with_status

    case = _letter_case(request, principal, letter_id)
    if isinstance(case, JSONResponse):
        return case
    try:
        with ledger_session(write=True) as session:
            approve_letter(session, letter_id, body.approved_by)
            mark_applied(request, session)
            out = letter_with_status(session, get_letter(session, letter_id))
    except InputError as error:
        return _answer(error)
    return JSONResponse(out, status_code=201)


@router.post("/v1/letters/{letter_id}/sending", status_code=201,
             summary="Record that an approved letter was sent (the system sends nothing)")
def record_letter_sent(body: LetterSendingCreate, request: Request, letter_id: int = LetterId,
                       principal: Any = Depends(caseworker)) -> Any:
    """The caseworker's record that the letter went out (Digital Post, post, in person). For a hearing letter
    this is when the hearing opens (``flexcalc.letters.store.mark_letter_sent`` returns the letter)."""
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.letters.store import letter_with_status, mark_letter_sent

    case = _letter_case(request, principal, letter_id)
    if isinstance(case, JSONResponse):
        return case
    try:
        instant = parse_instant(body.sent_at, "sent_at") if body.sent_at else None
        with ledger_session(write=True) as session:
            row = mark_letter_sent(session, letter_id, body.sent_by, body.channel, instant)
            mark_applied(request, session)
            out = letter_with_status(session, row)
    except InputError as error:
        return _answer(error)
    return JSONResponse(out, status_code=201)


@router.get("/v1/cases/{case_id}/letters", summary="A case's letters (citizens: approved and sent ones)",
            responses={200: PAGED})
def list_case_letters(case_id: str, request: Request, page: PageRequest = Depends(page_params("letters")),
                      principal: Any = Depends(read_case)) -> Any:
    """Every letter of the case by id, with who approved it and when, and when and how it was sent. A
    citizen key sees its own case's approved and sent letters; a caseworker sees the drafts too."""
    from flexcalc.letters.facts import get_case_or_fail
    from flexcalc.letters.store import list_letters

    try:
        with ledger_session() as session:
            get_case_or_fail(session, case_id)
            rows = list_letters(session, case_id, drafts=principal.role == "caseworker",
                                after=page.after[0] if page.after else None, limit=page.limit + 1)
    except InputError as error:
        return _answer(error)
    items, next_key = page_of(rows, lambda r: (r["id"],), page)
    return paged_response(request, "letters", items, next_key)
