"""Case endpoints, all under ``/v1/cases/{case_id}/...``: a case, its months and corrections, its
ceiling history and employments, held months with provisional release, and repayment decisions.

The caseworker's view. A case is shown by its pseudonymous id; its CPR number is never returned here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.item_version import VERSION_RESPONSES, IfMatchDep, etag, expected_version
from api.ledger_common import created, for_reader, ledger_session
from api.pagination import PAGED, PageRequest, page_of, page_params, paged_response
from api.responses import (
    CaseMonthOut,
    CaseOut,
    CaseSummaryOut,
    CeilingAddedOut,
    CorrectionOut,
    DecisionRecordedOut,
    EmploymentAddedOut,
    EventsRegistrationOut,
    FormCeilingAddedOut,
    HeldMonthOut,
    MonthOut,
    ProvisionalPaymentOut,
    ReconcileOut,
)
from api.security import AUTH_RESPONSES, CaseReaderDep, CaseworkerDep, CaseWriterDep, audit_event, authorize_case
from flexcalc.errors import InputError
from flexcalc.normal_wage import NormalWageForm
from flexcalc.parsing.identifiers import check_identifier
from flexcalc.parsing.inputs import as_pydantic_error
from flexcalc.parsing.model import AmountField, MonthField, validate_amount, validate_month
from flexcalc.period import Month
from flexcalc.security.redact import RedactedText

# Security: every route needs a key (read_case / write_case: audited, role-checked); writes
# take an Idempotency-Key (IdempotentRoute) tied to the write's transaction by mark_applied.
router = APIRouter(prefix="/v1/cases", tags=["cases"], route_class=IdempotentRoute, responses=AUTH_RESPONSES)


_month = validate_month


def _identifier(value: Any, field: str, kind: str = "id") -> str:
    """The one identifier check (``flexcalc.parsing.identifiers``) as a field error."""
    try:
        return check_identifier(value, field, kind=kind)
    except InputError as error:
        raise as_pydantic_error(error) from None


def _positive(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise as_pydantic_error(InputError("amount", "must be more than 0", "skal være over 0", code="ceiling_zero"))
    return amount


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: str = Field(min_length=1, max_length=64, description="Pseudonymous case id (not a CPR number): "
                         "letters, digits, '.', '_', ':' or '-'.")
    ceiling: AmountField = Field(description="The ceiling (lønloft) from first_month, kroner (more than 0).")
    first_month: MonthField = Field(description="First benefit month, YYYY-MM.")
    employers: list[str] = Field(default_factory=list, max_length=100,
                                 description="Employer ids (CVR) of known employments.")
    cpr: str | None = Field(default=None, description="CPR number: stored, never returned.")

    @field_validator("case_id", mode="before")
    @classmethod
    def _case(cls, value: Any) -> str:
        return _identifier(value, "case_id")

    @field_validator("employers", mode="before")
    @classmethod
    def _employers(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_identifier(v, f"employers.{i}", "employer") for i, v in enumerate(value)]
        return value

    @field_validator("ceiling", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal:
        return _positive(validate_amount(value, info.field_name or "ceiling"))

    @field_validator("first_month", mode="before")
    @classmethod
    def _first(cls, value: Any) -> str:
        return _month(value, "first_month")


class CeilingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    amount: AmountField
    effective_month: MonthField = Field(description="The benefit month it takes effect, YYYY-MM.")
    note: RedactedText | None = Field(default=None, max_length=2000)

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        return _positive(validate_amount(value, "amount"))

    @field_validator("effective_month", mode="before")
    @classmethod
    def _m(cls, value: Any) -> str:
        return _month(value, "effective_month")


class EmploymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employer_id: str = Field(min_length=1, max_length=16)
    first_basis_month: MonthField = Field(description="First basis month with wage from the employer.")

    @field_validator("first_basis_month", mode="before")
    @classmethod
    def _m(cls, value: Any) -> str:
        return _month(value, "first_basis_month")

    @field_validator("employer_id", mode="before")
    @classmethod
    def _employer(cls, value: Any) -> str:
        return _identifier(value, "employer_id", "employer")


class ProvisionalRelease(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    wage: AmountField = Field(description="The documented wage of the missing report(s) incl. pension.")
    documentation: RedactedText = Field(min_length=1, max_length=500,
                                        description="Payslip or contract it comes from.")
    released_by: RedactedText = Field(min_length=1, max_length=64)

    @field_validator("wage", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        return validate_amount(value, "wage")


class EventsRegistrationCreate(BaseModel):
    """The events of one benefit month (the same ``events`` object as ``POST /v1/calculations``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "events": {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-12", "end": "2024-02-23"}],
                   "sickness_benefit": "8000"},
        "received_at": "2024-03-20T10:00:00+01:00", "registered_by": "sb-17", "document": "lægeerklæring"}]})

    events: dict[str, Any] = Field(description="The month's events; an empty object restates that nothing "
                                               "happened.")
    received_at: str | None = Field(default=None, description="When the municipality learned of them (ISO 8601; "
                                                              "default now).")
    registered_by: str = Field(min_length=1, max_length=64, description="Who registers them.")
    document: str | None = Field(default=None, max_length=500, description="The document they rest on.")


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: Literal["collect", "waive"] = Field(description="collect is refused (409, nothing stored) without a "
                                                             "hearing on file whose reply date has passed or whose "
                                                             "reply is recorded, or a recorded exception.")
    reason: RedactedText = Field(min_length=1, max_length=2000, description="The reasons, as the decision letter "
                                                                            "states them.")
    reply_summary: RedactedText | None = Field(default=None, max_length=2000, description=(
        "What the person replied, in the caseworker's words for the decision letter (required for collect "
        "when a reply is recorded)."))
    reply_weighing: RedactedText | None = Field(default=None, max_length=2000, description=(
        "How the reply was weighed, for the decision letter (required for collect when a reply is recorded)."))
    internal_note: RedactedText | None = Field(default=None, max_length=2000, description=(
        "The caseworker's internal note: kept in the case file, never in a letter."))
    decided_by: RedactedText = Field(min_length=1, max_length=64)
    knowledge: Literal["knew", "should_have_known", "did_not_know"] | None = Field(
        default=None, description="The assessment of \"knew or should have known\" (PM 6-23); the decision "
                                  "letter states it. collect with did_not_know is refused.")


@router.post("", response_model=CaseOut, status_code=201, summary="Create a case with its ceiling and employments")
def create_case(body: CaseCreate, request: Request, principal: CaseworkerDep) -> JSONResponse:
    from flexcalc.ledger.casefile import case_file
    from flexcalc.ledger.store import create_case as create

    authorize_case(request, principal, body.case_id, "write")
    with ledger_session(write=True) as session:
        mark_applied(request, session)
        create(session, body.case_id, body.ceiling, Month.parse(body.first_month), body.employers, body.cpr)
    with ledger_session() as session:
        return created(case_file(session, body.case_id))


@router.get("",
            response_model=list[CaseSummaryOut],
            summary="Every case, by case id, a page at a time (caseworkers)", responses={200: PAGED})
def list_cases(request: Request, page: Annotated[PageRequest, Depends(page_params("cases"))],
               principal: CaseworkerDep) -> JSONResponse:
    """Each case's id, first and last benefit month and whether a CPR number is registered (never the
    number), ordered by case id; ``?cursor=`` from ``X-Next-Cursor`` for the next page."""
    from flexcalc.ledger.queries import case_summaries
    from flexcalc.security.audit import AuditEvent

    audit_event(request, AuditEvent(action="read", principal=principal))
    with ledger_session() as session:
        rows = [row.to_dict() for row in case_summaries(session, after=page.after[0] if page.after else None,
                                                        limit=page.limit + 1)]
    items, next_key = page_of(rows, lambda r: (r["case_id"],), page)
    return paged_response(request, "cases", items, next_key)


IMPORT_BODY = {"requestBody": {"required": True, "description": (
    "The caseload as CSV (UTF-8), the file `flexcalc cases import` takes: the columns case_id, ceiling, "
    "first_month, employer_ids (CVR numbers separated by ';') and optionally cpr. The request size limit "
    "applies (FLEXCALC_MAX_BODY_BYTES, 1 MiB ≈ 20.000 cases): import a larger caseload with the CLI or "
    "in several requests."),
    "content": {"text/csv": {"schema": {"type": "string"}, "example": (
        "case_id,ceiling,first_month,employer_ids\nK-1,32067,2024-03,12345678\n")}}}}


class CaseImportOut(BaseModel):
    stored: list[str] = Field(description="The cases stored now.")
    already_stored: list[str] = Field(description="Cases stored already with the same content (skipped).")
    no_op: bool = Field(description="True when every case was stored already: nothing was done.")
    counts: dict[str, int]
    message: str
    message_da: str


@router.post("/import", status_code=201, openapi_extra=IMPORT_BODY, response_model=CaseImportOut,
             responses={200: {"model": CaseImportOut, "description": "Every case was stored already: nothing "
                                                                     "was done (no_op)."}},
             summary="Import many cases from a CSV file: all rows or none")
async def import_cases(request: Request, principal: CaseworkerDep) -> JSONResponse:
    """Every row is checked first; a bad row (duplicate case id, a ceiling that is not an amount, a
    month outside the rates table, a malformed CVR …) refuses the whole file with 422 naming each bad
    row's line and column, and nothing is stored. 201 with the cases stored; 200 when every case was
    stored already (``no_op``: importing the same file again changes nothing). Idempotency-Key accepted."""
    from starlette.concurrency import run_in_threadpool

    from api.ledger_common import factory
    from api.problem import problem_of
    from flexcalc.ledger.case_import import CaseImportError, read_csv_text
    from flexcalc.ledger.case_import import import_cases as run_import
    from flexcalc.parsing.identifiers import check_identifier
    from flexcalc.security.audit import AuditEvent

    audit_event(request, AuditEvent(action="write", principal=principal))
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ("text/csv", "text/plain", "application/csv"):
        raise InputError("body", "must be a CSV file (Content-Type: text/csv)",
                         "skal være en CSV-fil (Content-Type: text/csv)", code="content_type")
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("body", "is not UTF-8 text", "er ikke UTF-8-tekst", code="file_encoding") from None
    try:
        rows, where, _unit = read_csv_text(text)
        for row in rows:  # one audit row per case, queryable by case (GET /v1/audit?case_id=)
            try:
                case_id = check_identifier(row.get("case_id"), "case_id")
            except InputError:
                continue  # refused below, naming the line; a CPR number typed as a case id is not recorded
            audit_event(request, AuditEvent(action="write", case_id=case_id, principal=principal))
        result = await run_in_threadpool(run_import, factory(), rows, where,
                                         lambda session: mark_applied(request, session))
    except CaseImportError as error:  # answered (and kept for an Idempotency-Key retry), not raised
        return problem_of(error)
    return JSONResponse(result.to_dict(), status_code=200 if result.no_op else 201)


@router.get("/{case_id}", response_model=CaseOut, summary="A case: employments, ceiling history, reports and months")
def get_case(case_id: str, principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.casefile import case_file

    with ledger_session() as session:
        return JSONResponse(for_reader(case_file(session, case_id), principal.role))


@router.get("/{case_id}/months",
            response_model=list[CaseMonthOut],
            summary="A case's months: basis wage, due, paid, corrections with causes",
            responses={200: PAGED})
def list_case_months(case_id: str, request: Request, page: Annotated[PageRequest, Depends(page_params("months"))],
                     principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.casefile import case_file

    with ledger_session() as session:
        months = for_reader(case_file(session, case_id)["months"], principal.role)
    items, next_key = page_of(months, lambda m: (m["benefit_month"],), page)
    return paged_response(request, "months", items, next_key)


@router.get("/{case_id}/corrections",
            response_model=list[CorrectionOut], summary="A case's corrections with their causes and decisions",
            responses={200: PAGED})
def list_case_corrections(case_id: str, request: Request,
                          page: Annotated[PageRequest, Depends(page_params("corrections"))],
                          principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.queries import case_corrections

    with ledger_session() as session:
        rows = case_corrections(session, case_id, after=int(page.after[0]) if page.after else None,
                                limit=page.limit + 1)
    items, next_key = page_of(for_reader(rows, principal.role), lambda c: (c["id"],), page)
    return paged_response(request, "corrections", items, next_key)


@router.post("/{case_id}/ceilings",
             response_model=CeilingAddedOut, status_code=201, summary="Add an entry to the ceiling history")
def add_ceiling(case_id: str, body: CeilingCreate, request: Request, principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.store import add_ceiling as add

    with ledger_session(write=True) as session:
        mark_applied(request, session)
        add(session, case_id, body.amount, Month.parse(body.effective_month), body.note, field="amount")
    return created({"case_id": case_id, "amount": f"{body.amount:.2f}", "effective_month": body.effective_month})


@router.post("/{case_id}/ceilings/normal-wage", response_model=FormCeilingAddedOut, status_code=201,
             summary="Add the ceiling of an employer's lønloft form and reconcile the paid months it affects")
def add_ceiling_from_form(case_id: str, form: NormalWageForm, request: Request, principal: CaseWriterDep,
                          as_of: str | None = None) -> JSONResponse:
    """The form's ceiling (LAB § 123 stk. 3; PM 48-22) joins the case's ceiling history from the first
    benefit month it governs in full; the paid months from then on are reconciled at once (``as_of``,
    default now). Returns the entry and the corrections it caused."""
    from api.ledger_common import factory
    from flexcalc.ledger.ceilings import apply_normal_wage_form
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import now
    from flexcalc.money import amount_str

    instant = parse_instant(as_of, "as_of", end_of_day=True) if as_of else now()
    applied = apply_normal_wage_form(factory(), case_id, form, instant,
                                     on_write=lambda session: mark_applied(request, session))
    return created({"case_id": case_id, "ceiling": amount_str(applied.amount),
                    "effective_date": applied.effective_date.isoformat(), "first_month": str(applied.first_month),
                    "note": applied.note, "corrections": applied.reconciliation.corrections})


@router.post("/{case_id}/employments",
             response_model=EmploymentAddedOut, status_code=201, summary="Add a known employment")
def add_employment(case_id: str, body: EmploymentCreate, request: Request, principal: CaseWriterDep) -> JSONResponse:
    from flexcalc.ledger.store import add_employment as add

    with ledger_session(write=True) as session:
        mark_applied(request, session)
        add(session, case_id, body.employer_id, Month.parse(body.first_basis_month))
    return created({"case_id": case_id, "employer_id": body.employer_id,
                    "first_basis_month": body.first_basis_month})


@router.get("/{case_id}/held-months",
            response_model=list[HeldMonthOut],
            summary="The case's months held as awaiting report", responses={200: PAGED})
def list_case_held_months(case_id: str, request: Request,
                          page: Annotated[PageRequest, Depends(page_params("case-held", 1))],
                          principal: CaseReaderDep) -> JSONResponse:
    from flexcalc.ledger.payments import open_holds
    from flexcalc.ledger.store import get_case as fetch

    with ledger_session() as session:
        fetch(session, case_id)
        after = (case_id, page.after[0]) if page.after else None
        rows = open_holds(session, case_id, after=after, limit=page.limit + 1)
    items, next_key = page_of(rows, lambda h: (h["benefit_month"],), page)
    return paged_response(request, "case-held", items, next_key)


def _check(session: Any, case_id: str, month: Month, if_match: str | None) -> None:
    """The case's lock, then the item's version (``If-Match``): a stale or missing one stores nothing."""
    from flexcalc.ledger.caserows import get_case, lock_case
    from flexcalc.ledger.item_version import check_version

    get_case(session, case_id)
    lock_case(session, case_id)
    check_version(session, case_id, month, expected_version(if_match))


@router.post("/{case_id}/months/{month}/provisional-payment", response_model=ProvisionalPaymentOut, status_code=201,
             responses=VERSION_RESPONSES, summary="Release a provisional payment of a held month on a documented wage")
def release_provisional_payment(case_id: str, month: str, body: ProvisionalRelease, request: Request,
                                principal: CaseWriterDep, if_match: IfMatchDep) -> JSONResponse:
    """``If-Match``: the held month's version (its worklist item's ``version``, or the ETag of the month)."""
    from flexcalc.ledger.payments import release_provisional

    benefit_month = Month.parse(month, "month")
    with ledger_session(write=True) as session:
        _check(session, case_id, benefit_month, if_match)
        mark_applied(request, session)
        out = release_provisional(session, case_id, benefit_month, body.wage, body.documentation, body.released_by)
    return created(out)


@router.post("/{case_id}/corrections/{correction_id}/decision", response_model=DecisionRecordedOut, status_code=201,
             responses=VERSION_RESPONSES, summary="Record the decision on a possible repayment (collect or waive)")
def decide_correction(case_id: str, body: DecisionCreate, request: Request, principal: CaseWriterDep,
                      if_match: IfMatchDep,
                      correction_id: int = Path(ge=1, le=2**62, description="The correction's id.")) -> JSONResponse:
    """``If-Match``: the version of the correction's worklist item. ``collect`` without a hearing on file
    (reply date passed or reply recorded) or a recorded exception: 409 naming ``hearing``, nothing stored."""
    from flexcalc.ledger.corrections import decision_dict, record_decision
    from flexcalc.ledger.item_version import correction_month
    from flexcalc.ledger.queries import check_correction_of_case

    with ledger_session(write=True) as session:
        _check(session, case_id, correction_month(session, case_id, correction_id), if_match)
        mark_applied(request, session)
        check_correction_of_case(session, case_id, correction_id)
        decision = record_decision(session, correction_id, body.outcome, body.reason, body.decided_by,
                                   knowledge=body.knowledge, reply_summary=body.reply_summary,
                                   reply_weighing=body.reply_weighing, internal_note=body.internal_note)
        out = decision_dict(decision)
    return created({"correction_id": correction_id, **out})


@router.post("/{case_id}/months/{month}/events", response_model=EventsRegistrationOut, status_code=201,
             responses={200: {"model": EventsRegistrationOut, "description": "The month has these events already: "
                                                                              "nothing stored (already_registered)."},
                        **VERSION_RESPONSES},
             summary="Register the events of a benefit month (sickness, holiday, other incomes …)")
def register_month_events(case_id: str, month: str, body: EventsRegistrationCreate, request: Request,
                          principal: CaseWriterDep, if_match: IfMatchDep) -> JSONResponse:
    """Append a registration of the month's events; it restates any earlier registration of the month
    from its ``received_at`` on. The next payment run or reconciliation computes the month with them
    (a paid month gets a correction naming the registration). The same events as the month has now:
    200 with ``already_registered``, nothing stored. ``If-Match``: the month's version (its ETag)."""
    from flexcalc.ledger.registrations import register_events
    from flexcalc.ledger.reports import parse_instant

    benefit_month = Month.parse(month, "month")
    instant = parse_instant(body.received_at, "received_at") if body.received_at else None
    with ledger_session(write=True) as session:
        _check(session, case_id, benefit_month, if_match)
        mark_applied(request, session)
        out = register_events(session, case_id, benefit_month, body.events, received_at=instant,
                              registered_by=body.registered_by, document=body.document).to_dict()
    return JSONResponse(out, status_code=200 if out["already_registered"] else 201)


@router.get("/{case_id}/months/{month}/events",
            response_model=list[EventsRegistrationOut], summary="The history of a benefit month's event registrations")
def month_events_history(case_id: str, month: str, principal: CaseReaderDep) -> JSONResponse:
    """Every registration of the month, oldest first; ``in_force`` marks the one that counts now."""
    from flexcalc.ledger.registrations import latest, load_registrations
    from flexcalc.ledger.store import get_case as fetch

    benefit_month = Month.parse(month, "month")
    with ledger_session() as session:
        fetch(session, case_id)
        rows = load_registrations(session, case_id, benefit_month)
    current = latest(rows, benefit_month, None)
    return JSONResponse([{**r.to_dict(), "in_force": current is not None and r.id == current.id}
                         for r in sorted(rows, key=lambda r: r.order_key())])


@router.get("/{case_id}/months/{month}",
            response_model=MonthOut, summary="One benefit month for the caseworker: reports, events, ceiling, "
                                                  "the computation with its trace, paid and corrections")
def get_month(case_id: str, month: str, principal: CaseReaderDep, as_of: str | None = None) -> JSONResponse:
    """The same month as ``flexcalc case show CASE --month YYYY-MM --json`` (``as_of``: as known then).
    ``ETag``: the month's version, which a write acting on the month states as ``If-Match``."""
    from flexcalc.ledger.casefile import month_file
    from flexcalc.ledger.item_version import month_version
    from flexcalc.ledger.reports import parse_instant

    benefit_month = Month.parse(month, "month")
    instant = parse_instant(as_of, "as_of", end_of_day=True) if as_of else None
    with ledger_session() as session:
        body = for_reader(month_file(session, case_id, benefit_month, instant), principal.role)
        version = month_version(session, case_id, benefit_month)
        return JSONResponse({**body, "version": version}, headers={"ETag": etag(version)})


class MonthReconciliationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    as_of: str | None = Field(default=None, description="Instant: reports and events known up to it (ISO 8601; "
                                                        "default now).")


@router.post("/{case_id}/months/{month}/reconciliation", response_model=ReconcileOut, status_code=201,
             responses=VERSION_RESPONSES, summary="Reconcile the case from a worklist item of one of its months")
def reconcile_month(case_id: str, month: str, body: MonthReconciliationCreate, request: Request,
                    principal: CaseWriterDep, if_match: IfMatchDep) -> JSONResponse:
    """The worklist's reconcile action: ``If-Match`` is the month's version (its item's ``version``); the
    case is then reconciled as ``POST /v1/reconciliations`` with this one case would."""
    from api.ledger_common import factory
    from api.security import audit_before_write
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.reports import parse_instant
    from flexcalc.ledger.store import now

    benefit_month = Month.parse(month, "month")
    instant = parse_instant(body.as_of, "as_of", end_of_day=True) if body.as_of else now()
    with ledger_session(write=True) as session:
        _check(session, case_id, benefit_month, if_match)
    audit_before_write(request)  # reconciliation commits in its own transactions: the audit row first
    result = reconcile(factory(), instant, [case_id])
    return JSONResponse(result.to_dict(), status_code=201)
