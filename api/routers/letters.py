"""Letters: a caseworker drafts a hearing letter, a decision letter or a monthly
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
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import LedgerSession, ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.responses import LetterContentOut, LetterDraftOut, LetterOut
from api.security import (
    AUTH_RESPONSES,
    CaseReaderDep,
    CaseworkerDep,
    PrincipalDep,
    audit_event,
    authorize_case,
    problem_response,
)
from flexcalc.errors import InputError
from flexcalc.letters.errors import letter_error
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.parsing.inputs import DateValue, as_pydantic_error
from flexcalc.parsing.model import MonthField, validate_month
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal
from flexcalc.security.redact import RedactedText

if TYPE_CHECKING:
    from flexcalc.letters.document import Letter

router = APIRouter(tags=["letters"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)

LetterId = Path(ge=1, le=2**62, description="The letter's id.")
UNKNOWN: dict[int | str, dict[str, Any]] = {404: problem_response("No such correction or case (problem+json)")}


class HearingLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"correction_ids": [2], "date": "2024-06-10", "created_by": "sb-17"}]})

    correction_ids: list[int] = Field(min_length=1, max_length=24,
                                      description="Possible repayments of one case (one letter may cover several "
                                                  "months).")
    date: DateValue | None = Field(default=None, description="The letter's date (default today).")
    reply_by: DateValue | None = Field(default=None, description="The reply date (default 14 days after the "
                                                                 "letter's date; must be after it).")
    channel: Literal["digital_post", "paper"] = Field(
        default="digital_post", description="How the letter will be sent: Digital Post (received the same day) or "
                                            "paper post (received 6 delivery days later). The complaint deadline "
                                            "the letter states depends on it.")
    created_by: RedactedText = Field(min_length=1, max_length=64, description="Who drafts it.")


class DecisionLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    correction_id: int = Field(ge=1, le=2**62, description="The decided possible repayment.")
    date: DateValue | None = Field(default=None, description="The letter's date (default today); the complaint "
                                                             "deadline is 4 weeks after it is received.")
    channel: Literal["digital_post", "paper"] = Field(
        default="digital_post", description="How the letter will be sent: Digital Post (received the same day) or "
                                            "paper post (received 6 delivery days later). The complaint deadline "
                                            "the letter states depends on it.")
    created_by: RedactedText = Field(min_length=1, max_length=64)


class SpecificationLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: str = Field(min_length=1, max_length=64)
    month: MonthField = Field(description="The paid benefit month, YYYY-MM.")
    date: DateValue | None = Field(default=None, description="The letter's date (default today).")
    channel: Literal["digital_post", "paper"] = Field(
        default="digital_post", description="How the letter will be sent: Digital Post (received the same day) or "
                                            "paper post (received 6 delivery days later). The complaint deadline "
                                            "the letter states depends on it.")
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
    content_sha256: str | None = Field(
        default=None, min_length=64, max_length=64, pattern="^[0-9a-f]{64}$",
        description="The version acted on: the draft's content_sha256 as the caller read it. A different one is "
                    "refused with 409 and nothing stored; a draft superseded by a newer draft of the same letter is "
                    "refused with 409 either way.")


class LetterSendingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sent_by: RedactedText = Field(min_length=1, max_length=64)
    channel: Literal["digital_post", "post", "in_person"] = Field(description="How it went out.")
    sent_at: str | None = Field(default=None, max_length=40, description="When (ISO 8601; default now).")
    content_sha256: str | None = Field(
        default=None, min_length=64, max_length=64, pattern="^[0-9a-f]{64}$",
        description="The version acted on: the draft's content_sha256 as the caller read it. A different one is "
                    "refused with 409 and nothing stored; a draft superseded by a newer draft of the same letter is "
                    "refused with 409 either way.")
    message_id: str | None = Field(default=None, max_length=64, description="The MeMo message UUID of a letter "
                                   "sent by Digital Post (`flexcalc letters ... --format memo` prints it).")


def _today(day: dt.date | None) -> dt.date:
    from flexcalc.letters.facts import today

    return day or today()


def _draft(request: Request, principal: Principal, case_of: Callable[[LedgerSession], str],
           build: Callable[[LedgerSession], Letter], created_by: str) -> JSONResponse:
    """Find the case (404 if none), authorize and audit the write on it, then build and store the draft
    in one transaction with its audit row; a bad input stores nothing."""
    from flexcalc.letters.store import letter_with_status, save_letter

    try:
        with ledger_session() as session:
            case_id = case_of(session)
    except InputError:
        audit_event(request, AuditEvent(action="write", principal=principal))
        raise
    authorize_case(request, principal, case_id, "write")
    with ledger_session(write=True) as session:
        letter = build(session)
        row = save_letter(session, letter, created_by)
        mark_applied(request, session)
        out = {**letter_with_status(session, row), "facts": letter.facts}
    return JSONResponse(out, status_code=201)


@router.post("/v1/letters/hearing", response_model=LetterDraftOut, status_code=201, responses=UNKNOWN,
             summary="Draft a hearing letter (partshøring) for a possible repayment")
def create_hearing_letter(body: HearingLetterCreate, request: Request, principal: CaseworkerDep) -> JSONResponse:
    """A draft of the hearing letter (forvaltningsloven § 19): what happened, the amount for each month, that no
    decision has been made, what the person can send, the reply date. 422 naming the field for a correction
    that is not a possible repayment, one already decided, or a date before the correction."""
    from flexcalc.letters import hearing_letter
    from flexcalc.letters.facts import load_corrections

    return _draft(request, principal, lambda s: load_corrections(s, body.correction_ids, "correction_ids")[0].case_id,
                  lambda s: hearing_letter(s, body.correction_ids, _today(body.date), body.reply_by, body.channel),
                  body.created_by)


@router.post("/v1/letters/decision", response_model=LetterDraftOut, status_code=201, responses=UNKNOWN,
             summary="Draft the decision letter of a decided possible repayment")
def create_decision_letter(body: DecisionLetterCreate, request: Request, principal: CaseworkerDep) -> JSONResponse:
    """A draft of the decision letter: the decision, its reasons (forvaltningsloven §§ 22 and 24), how the
    amount is collected or that it is waived, the complaint guidance with its deadline (§ 25). 422 before
    the decision is recorded."""
    from flexcalc.letters import decision_letter
    from flexcalc.letters.facts import load_corrections

    return _draft(request, principal, lambda s: load_corrections(s, [body.correction_id], "correction_id")[0].case_id,
                  lambda s: decision_letter(s, body.correction_id, _today(body.date), body.channel), body.created_by)


@router.post("/v1/letters/specification", response_model=LetterDraftOut, status_code=201, responses=UNKNOWN,
             summary="Draft the monthly specification of a paid month")
def create_specification_letter(body: SpecificationLetterCreate, request: Request,
                                principal: CaseworkerDep) -> JSONResponse:
    """A draft of the citizen's monthly specification: the payment, what changed since last month with the
    causes that add up, the change in total income, corrections paid or pending, where to ask."""
    from flexcalc.letters import specification_letter
    from flexcalc.letters.facts import get_case_or_fail

    month = Month.parse(body.month, "month")
    return _draft(request, principal, lambda s: get_case_or_fail(s, body.case_id),
                  lambda s: specification_letter(s, body.case_id, month, _today(body.date), body.channel),
                  body.created_by)


LETTER_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The letter: JSON (with its text and HTML), text, HTML or PDF.",
          "content": {"application/json": {}, "text/plain": {}, "text/html": {},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _readable_letter(request: Request, principal: Principal, letter_id: int) -> dict[str, Any]:
    """The stored letter, if the caller may read it: 404 if none (or a draft, to a citizen), 403 for
    another's case. Audited with the case."""
    from flexcalc.letters.store import get_letter, letter_with_status

    try:
        with ledger_session() as session:
            row = get_letter(session, letter_id)
            data = letter_with_status(session, row, content=True)
    except InputError:
        audit_event(request, AuditEvent(action="read", principal=principal))
        raise
    authorize_case(request, principal, data["case_id"], "read")
    if principal.role != "caseworker" and data["status"] == "draft":
        raise letter_error("letter_id", "unknown_letter", id=letter_id)
    return data


@router.get("/v1/letters/{letter_id}",
            response_model=LetterContentOut, summary="A letter as JSON, text, HTML or PDF", responses=LETTER_CONTENT)
def read_letter(request: Request, letter_id: int = LetterId,
                format: Literal["json", "text", "html", "pdf"] = Query(default="json", description="The rendering."),
                *, principal: PrincipalDep) -> Response:
    data = _readable_letter(request, principal, letter_id)
    if format == "text":
        return PlainTextResponse(data["text"])
    if format == "html":
        return HTMLResponse(data["html"])
    if format == "pdf":
        from flexcalc.letters.document import html_to_pdf

        return Response(html_to_pdf(data["html"]), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="brev-{letter_id}.pdf"'})
    return JSONResponse(data)


def _letter_case(request: Request, principal: Principal, letter_id: int) -> str:
    from flexcalc.letters.store import get_letter

    try:
        with ledger_session() as session:
            case_id = get_letter(session, letter_id).case_id
    except InputError:
        audit_event(request, AuditEvent(action="write", principal=principal))
        raise
    authorize_case(request, principal, case_id, "write")
    return case_id


CONFLICTS: dict[int | str, dict[str, Any]] = {409: problem_response(
    "Approved or sent already, superseded by a newer draft, or not the version in content_sha256 (problem+json)")}


@router.post("/v1/letters/{letter_id}/approval", response_model=LetterOut, status_code=201,
             summary="Approve a draft (it is still not sent)", responses=CONFLICTS)
def approve_letter_draft(body: LetterApprovalCreate, request: Request, letter_id: int = LetterId,
                         *, principal: CaseworkerDep) -> JSONResponse:
    from flexcalc.letters.store import approve_letter, get_letter, letter_with_status

    _letter_case(request, principal, letter_id)
    with ledger_session(write=True) as session:
        approve_letter(session, letter_id, body.approved_by, body.content_sha256)
        mark_applied(request, session)
        out = letter_with_status(session, get_letter(session, letter_id))
    return JSONResponse(out, status_code=201)


@router.post("/v1/letters/{letter_id}/sending", response_model=LetterOut, status_code=201, responses=CONFLICTS,
             summary="Record that an approved letter was sent (the system sends nothing)")
def record_letter_sent(body: LetterSendingCreate, request: Request, letter_id: int = LetterId,
                       *, principal: CaseworkerDep) -> JSONResponse:
    """The caseworker's record that the letter went out (Digital Post, post, in person). For a hearing letter
    this is when the hearing opens (``flexcalc.letters.store.mark_letter_sent`` returns the letter)."""
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.letters.store import letter_with_status, mark_letter_sent

    _letter_case(request, principal, letter_id)
    instant = parse_instant(body.sent_at, "sent_at") if body.sent_at else None
    with ledger_session(write=True) as session:
        row = mark_letter_sent(session, letter_id, body.sent_by, body.channel, instant, body.content_sha256,
                               body.message_id)
        mark_applied(request, session)
        out = letter_with_status(session, row)
    return JSONResponse(out, status_code=201)


@router.get("/v1/cases/{case_id}/letters",
            response_model=list[LetterOut], summary="A case's letters (citizens: approved and sent ones)",
            responses={200: PAGED})
def list_case_letters(case_id: str, request: Request, page: Annotated[PageRequest, Depends(page_params("letters"))],
                      principal: CaseReaderDep) -> JSONResponse:
    """Every letter of the case by id, with who approved it and when, and when and how it was sent. A
    citizen key sees its own case's approved and sent letters; a caseworker sees the drafts too."""
    from flexcalc.letters.facts import get_case_or_fail
    from flexcalc.letters.store import list_letters

    with ledger_session() as session:
        get_case_or_fail(session, case_id)
        rows = list_letters(session, case_id, drafts=principal.role == "caseworker",
                            after=page.after[0] if page.after else None, limit=page.limit + 1)
    items, next_key = page_of(rows, lambda r: (r["id"],), page)
    return paged_response(request, "letters", items, next_key)
