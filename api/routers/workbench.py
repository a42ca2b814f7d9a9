"""The caseworker's workbench: the worklist across cases and the hearing (partshøring) of a
possible repayment. Thin: the rules are ``flexcalc.ledger.worklist`` and ``flexcalc.ledger.hearings``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.idempotency import IdempotentRoute, mark_applied
from api.item_version import VERSION_RESPONSES, IfMatchDep, etag, expected_version
from api.ledger_common import ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.responses import HearingEventRecordedOut, HearingExceptionRecordedOut, HearingOut, WorklistItemOut
from api.security import AUTH_RESPONSES, CaseReaderDep, CaseworkerDep, CaseWriterDep, audit_event
from flexcalc.security.audit import AuditEvent
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1", tags=["workbench"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)
CORRECTION_ID = Path(ge=1, le=2**62, description="The correction's id.")


class HearingSentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "sent_on": "2024-05-02", "by": "sb-17", "letter_id": "L-42"}, {
        "channel": "oral", "sent_on": "2024-05-02", "held_by": "sb-17 med borgeren (telefon)", "by": "sb-17"}]})

    channel: Literal["letter", "oral"] = Field(default="letter", description="How the hearing was held: a "
                                               "letter, or orally (then sent_on is the day and held_by who held it).")
    held_by: RedactedText | None = Field(default=None, max_length=200, description="Who held an oral hearing "
                                         "(required for oral).")
    sent_on: str = Field(description="The hearing letter's date (or the oral hearing's day), YYYY-MM-DD.")
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


class HearingExceptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "ground": "own_information", "explanation": "Borgeren oplyste selv lønnen fra bijobbet den 3. maj.",
        "by": "sb-17"}]})

    ground: Literal["own_information", "fvl_19_2_1", "fvl_19_2_2", "fvl_19_2_3", "fvl_19_2_4", "fvl_19_2_5"] = Field(
        description="The legal ground: own_information (the person supplied the facts, so forvaltningsloven § 19, "
                    "stk. 1 does not apply) or a number of § 19, stk. 2 (fvl_19_2_N).")
    explanation: RedactedText = Field(min_length=1, max_length=2000, description="Why the ground applies here.")
    by: RedactedText = Field(min_length=1, max_length=64, description="Who records it.")


def _check(session: Any, case_id: str, correction_id: int, if_match: str | None) -> None:
    """The case's lock, then the version of the correction's item (``If-Match``)."""
    from flexcalc.ledger.caserows import get_case, lock_case
    from flexcalc.ledger.item_version import check_version, correction_month

    get_case(session, case_id)
    month = correction_month(session, case_id, correction_id)
    lock_case(session, case_id)
    check_version(session, case_id, month, expected_version(if_match))


def _hearing_write(request: Request, case_id: str, correction_id: int, if_match: str | None,
                   record: Callable[[Any], Any]) -> JSONResponse:
    """A hearing step on the item as seen (``_check``), audited with the real status: 201 for a new event, 200
    with ``already_recorded`` for the same step again."""
    with ledger_session(write=True) as session:
        _check(session, case_id, correction_id, if_match)
        out = record(session)
        out = out.to_dict() if hasattr(out, "to_dict") else out
        status = 200 if out["already_recorded"] else 201
        mark_applied(request, session, status)  # the audit row commits with the write
    return JSONResponse(out, status_code=status)


def _today(value: str | None) -> dt.date:
    from flexcalc.ledger.hearings import today_local
    from flexcalc.parsing.inputs import parse_date

    return parse_date(value, "today") if value else today_local()


ALREADY: dict[int | str, dict[str, Any]] = {200: {
    "model": HearingEventRecordedOut,
    "description": "The same event is recorded already: nothing new is stored (already_recorded)."},
    **VERSION_RESPONSES}


@router.post("/cases/{case_id}/corrections/{correction_id}/hearing", response_model=HearingEventRecordedOut,
             status_code=201, responses=ALREADY,
             summary="Record that a hearing letter (partshøring) on a possible repayment was sent")
def record_correction_hearing_sent(case_id: str, body: HearingSentCreate, request: Request,
                                   principal: CaseWriterDep, if_match: IfMatchDep,
                                   correction_id: int = CORRECTION_ID) -> JSONResponse:
    """The letter's date and the reply date (default 14 days later; forvaltningsloven § 19). 201 with
    the event; 200 with ``already_recorded`` when the same letter is recorded already. 422 naming the
    field: not a possible repayment (``correction``), a letter dated before the correction (``sent_on``),
    a reply date not after the letter (``reply_by``); 409 when the correction is decided already.
    ``channel`` ``oral`` records an oral hearing held on ``sent_on`` by ``held_by``. ``If-Match``: the
    version of the correction's worklist item."""
    from flexcalc.ledger.hearings import record_hearing_sent

    return _hearing_write(request, case_id, correction_id, if_match, lambda session: record_hearing_sent(
        session, case_id, correction_id, body.sent_on, body.reply_by, body.by, body.letter_id,
        channel=body.channel, held_by=body.held_by))


@router.post("/cases/{case_id}/corrections/{correction_id}/hearing/reply",
             response_model=HearingEventRecordedOut, status_code=201, responses=ALREADY,
             summary="Record the reply to the hearing on a possible repayment")
def record_correction_hearing_reply(case_id: str, body: HearingReplyCreate, request: Request,
                                    principal: CaseWriterDep, if_match: IfMatchDep,
                                    correction_id: int = CORRECTION_ID) -> JSONResponse:
    """201 with the event; 200 with ``already_recorded`` for the same reply again. 422 naming
    ``received_on`` when no letter is recorded or the reply is dated before it or in the future. A reply
    may be recorded before the reply date (the hearing is open). ``If-Match``: the item's version."""
    from flexcalc.ledger.hearings import record_hearing_reply

    return _hearing_write(request, case_id, correction_id, if_match, lambda session: record_hearing_reply(
        session, case_id, correction_id, body.received_on, body.summary, body.by))


@router.post("/cases/{case_id}/corrections/{correction_id}/hearing/exception",
             response_model=HearingExceptionRecordedOut, status_code=201, responses=VERSION_RESPONSES,
             summary="Record why a possible repayment may be decided without a hearing, with its legal ground")
def record_correction_hearing_exception(case_id: str, body: HearingExceptionCreate, request: Request,
                                        principal: CaseWriterDep, if_match: IfMatchDep,
                                        correction_id: int = CORRECTION_ID) -> JSONResponse:
    """The ground (forvaltningsloven § 19, stk. 1 does not apply as the person supplied the facts, or a ground
    of § 19, stk. 2) and why it applies; after it a ``collect`` decision needs no hearing. ``If-Match``: the
    version of the correction's worklist item."""
    from flexcalc.ledger.hearings import record_hearing_exception

    return _hearing_write(request, case_id, correction_id, if_match, lambda session: record_hearing_exception(
        session, case_id, correction_id, body.ground, body.explanation, body.by))


@router.get("/cases/{case_id}/corrections/{correction_id}/hearing", response_model=HearingOut,
            summary="The hearing of a possible repayment: its state and every event")
def get_correction_hearing(case_id: str, principal: CaseReaderDep, correction_id: int = CORRECTION_ID,
                           today: str | None = Query(default=None, description="The day the state is "
                                                     "for, YYYY-MM-DD (default today).")) -> JSONResponse:
    """``ETag``: the version of the correction's worklist item (``If-Match`` on its writes)."""
    from flexcalc.ledger.hearings import hearing_file
    from flexcalc.ledger.item_version import correction_month, month_version

    day = _today(today)
    with ledger_session() as session:
        out = hearing_file(session, case_id, correction_id, day)
        version = month_version(session, case_id, correction_month(session, case_id, correction_id))
        return JSONResponse({**out, "version": version}, headers={"ETag": etag(version)})


@router.get("/worklist", response_model=list[WorklistItemOut],
            summary="What waits for a caseworker across cases, oldest first (caseworkers)",
            responses={200: PAGED})
def list_worklist_items(
    request: Request,
    *,
    case_id: str | None = Query(default=None, max_length=64, description="Only this case."),
    month: str | None = Query(default=None, max_length=7, description="Only this benefit month, YYYY-MM."),
    kind: list[str] | None = Query(default=None, description="Only these kinds (repeatable): held_month, "
                                   "repayment_awaiting_hearing, hearing_awaiting_reply, hearing_reply_overdue, "
                                   "awaiting_decision, "
                                   "possible_duplicate, events_after_payment."),
    min_age: int | None = Query(default=None, ge=0, le=100_000, description="Only items at least this many "
                                "days old."),
    today: str | None = Query(default=None, description="The day ages are counted to, YYYY-MM-DD (default "
                              "today, Danish time)."),
    page: Annotated[PageRequest, Depends(page_params("worklist", 5))],
    principal: CaseworkerDep,
) -> JSONResponse:
    """Held months, possible repayments awaiting a hearing or a decision, hearings whose reply date has
    passed, possible double submissions and months with events registered after payment: each with its
    case, benefit month, age in days, amount where relevant, a Danish label and the API actions that
    resolve it. ``?cursor=`` from ``X-Next-Cursor`` for the next page (a stable keyset cursor)."""
    from flexcalc.ledger.item_version import with_versions
    from flexcalc.ledger.worklist import WorklistFilter, parse_kinds, worklist
    from flexcalc.parsing.identifiers import check_identifier
    from flexcalc.parsing.inputs import parse_month

    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    if case_id is not None:
        check_identifier(case_id, "case_id")
    where = WorklistFilter(case_id=case_id, month=parse_month(month, "month") if month else None,
                           kinds=parse_kinds(kind), min_age=min_age)
    day = _today(today)
    with ledger_session() as session:
        items = worklist(session, day, where)
        rows, next_key = page_of(items, lambda i: i.key(), page)
        shown = with_versions(session, rows, day)
    return paged_response(request, "worklist", shown, next_key)


@router.get("/worklist/items/{item_id}", response_model=WorklistItemOut,
            summary="One worklist item, with its version as ETag (caseworkers)",
            responses={404: {"description": "No such item now: it is done, or it never was."}})
def get_worklist_item(request: Request, principal: CaseworkerDep,
                      item_id: str = Path(max_length=300, description="The item's id "
                      "(kind~case~YYYY-MM[~reference]), as the list gives it."),
                      today: str | None = Query(default=None, description="The day ages are counted to.")
                      ) -> JSONResponse:
    """The item as the list shows it; ``ETag`` is its version, which each write acting on it states as
    ``If-Match``. 404 when the item is no longer on the list (its work is done)."""
    from flexcalc.errors import NotFoundError
    from flexcalc.ledger.item_version import with_versions
    from flexcalc.ledger.worklist import find_item, parse_item_id

    _, case_id, _, _ = parse_item_id(item_id)
    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    day = _today(today)
    with ledger_session() as session:
        item = find_item(session, day, item_id)
        if item is None:
            raise NotFoundError("item_id", "no such worklist item now (done, or never was)",
                                "der er ingen sådan opgave nu (den er klaret, eller den har aldrig været der)",
                                code="unknown_item")
        [out] = with_versions(session, [item], day)
    return JSONResponse(out, headers={"ETag": etag(out["version"])})
