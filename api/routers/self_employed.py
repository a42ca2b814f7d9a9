"""The self-employed with reduced working capacity (LAB § 126; BEK 233/2024 § 8): the ledger's routes.

``POST /v1/self-employed/calculations`` (``self_employed_calculations``) computes a year. The ledger routes
(caseworker key) keep a case's years: create a case, read a year (``ETag``: the year's version), record the
expected profit, settle the year on the tax assessment (``If-Match``: the version the caseworker saw; 428
without it, 412 when the year changed since, nothing stored), and pay a month (the function the payment run
calls). Writes are audited in their own transaction. Thin: the rules are ``flexcalc.self_employed`` and
``flexcalc.ledger.self_employed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.idempotency import IdempotentRoute, mark_applied
from api.ledger_common import LedgerSession, ledger_session
from api.problem import problem
from api.routers.self_employed_calculations import IncomeText, ProfitText, YearOut
from api.schemas import StepOut
from api.security import AUTH_RESPONSES, CaseworkerDep, audit_event, problem_response
from flexcalc.parsing.model import MonthField, validate_benefit_month
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal
from flexcalc.security.redact import RedactedText

router = APIRouter(prefix="/v1/self-employed", tags=["self-employed"], route_class=IdempotentRoute)
CASE_ID = Path(min_length=1, max_length=64, description="The self-employed case's id.")
YEAR = Path(ge=1900, le=9999, description="The calendar year.")


# --- models -----------------------------------------------------------------------------------------

class SettlementOut(BaseModel):
    """The settlement of a year on the tax assessment (BEK 233/2024 § 8, stk. 3)."""

    stored: bool
    settlement_id: int | None = None
    year: int
    assessed: YearOut
    months_paid: list[int]
    entitled: str
    paid: str
    settled_before: str
    difference: str = Field(description="Positive: paid to the person (efterbetaling); negative: a repayment the "
                                        "municipality must decide on.")
    outcome: str
    treatment: str
    trace: list[StepOut]


class BasisOut(BaseModel):
    id: int
    kind: str = Field(description="expected (provisional) or assessed (the tax assessment).")
    profit: str
    other_income: str
    known_at: str
    recorded_at: str
    recorded_by: str
    source: str


class PaymentOut(BaseModel):
    id: int
    kind: str
    month: str
    amount: str
    settlement_id: int | None
    created_at: str


class SettlementRowOut(BaseModel):
    id: int
    year: int
    basis_id: int
    cause: str
    months_paid: list[int]
    entitled: str
    paid: str
    settled_before: str
    difference: str
    outcome: str
    treatment: str
    created_at: str
    created_by: str


class DecisionOut(BaseModel):
    id: int
    settlement_id: int
    outcome: str = Field(description="collect (after a hearing) or waive.")
    amount: str
    reason: str
    hearing_on: str | None
    decided_by: str
    decided_at: str


class YearStateOut(BaseModel):
    """A case's year: bases (oldest first), the amount on the basis in force, payments, settlements, version."""

    case_id: str
    year: int
    version: str = Field(description="State it as If-Match on a write (also the ETag).")
    bases: list[BasisOut]
    basis_in_force: BasisOut | None
    calculation: YearOut | None
    payments: list[PaymentOut]
    paid_total: str
    settlements: list[SettlementRowOut]
    decisions: list[DecisionOut]


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: str = Field(min_length=1, max_length=64)
    first_year: int = Field(ge=1900, le=9999)
    cpr: str | None = Field(default=None, description="Stored, never logged or answered.")


class CaseOut(BaseModel):
    case_id: str
    first_year: int
    cpr_registered: bool


class ExpectedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    profit: ProfitText
    other_income: IncomeText = "0"
    source: RedactedText = Field(min_length=1, max_length=500)
    by: RedactedText = Field(min_length=1, max_length=64)


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    assessed_profit: ProfitText
    assessed_other_income: IncomeText = "0"
    source: RedactedText = Field(default="årsopgørelse", min_length=1, max_length=500)
    by: RedactedText = Field(min_length=1, max_length=64)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: str = Field(description="collect (the person pays back) or waive.")
    reason: RedactedText = Field(min_length=1, max_length=2000)
    hearing_on: dt.date | None = Field(default=None, description="The hearing's date (required to collect).")
    by: RedactedText = Field(min_length=1, max_length=64)


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: MonthField
    as_of: dt.datetime | None = Field(default=None, description="The bases known at this instant (default now).")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        return validate_benefit_month(value, "month")


class PaidOut(BaseModel):
    case_id: str
    month: str
    amount: str
    annual: str
    basis: str
    basic_amount_status: str


class BackPaymentOut(BaseModel):
    case_id: str
    month: str
    year: int
    settlement_id: int
    amount: str


class HeldOut(BaseModel):
    case_id: str
    month: str
    reason: str
    text: str
    text_da: str


class RunOut(BaseModel):
    month: str
    paid: list[PaidOut]
    back_payments: list[BackPaymentOut]
    held: list[HeldOut]
    already_paid: list[str]
    total: str


VERSION_RESPONSES: dict[int | str, dict[str, Any]] = {
    412: problem_response("If-Match is not the year's version now: nothing stored; current_version says it"),
    428: problem_response("If-Match is missing: state the version of the year the write acts on (its ETag)"),
}
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200,
                                       description="The year's version as its ETag (required).")]


def _version_problem(error: Any) -> JSONResponse:
    if error.expected is None:
        response = problem(428, "Precondition Required", f"If-Match: state the version of case {error.case_id}, "
                           f"{error.year} the write acts on; nothing was stored", type_="/problems/version-required",
                           detail_da=f"If-Match: angiv versionen af sag {error.case_id}, {error.year}, som "
                                     "handlingen gælder; intet er gemt", current_version=error.current)
    else:
        response = problem(412, "Precondition Failed", f"case {error.case_id}, {error.year} changed since it was "
                           f"shown (version {error.expected}, now {error.current}): nothing was stored",
                           type_="/problems/stale-item", detail_da=f"sag {error.case_id}, {error.year} er ændret, "
                           f"siden den blev vist (version {error.expected}, nu {error.current}): intet er gemt",
                           current_version=error.current)
    response.headers["ETag"] = f'"{error.current}"'
    return response


def _year_write(request: Request, principal: Principal, case_id: str,
                write: Callable[[LedgerSession], tuple[Any, str | None]]) -> JSONResponse:
    """An audited write on a case's year as the user saw it: ``write`` runs in one transaction and gives the answer
    and the year's version (the ``ETag``; None for none). A stale or missing If-Match is answered 412 or 428 and
    nothing is stored."""
    from flexcalc.ledger.self_employed import YearVersionError

    audit_event(request, AuditEvent(action="write", case_id=case_id, principal=principal))
    try:
        with ledger_session(write=True) as session:
            data, version = write(session)
    except YearVersionError as error:
        return _version_problem(error)
    return JSONResponse(data, status_code=201, headers=None if version is None else {"ETag": f'"{version}"'})


# --- routes -----------------------------------------------------------------------------------------

@router.post("/cases", response_model=CaseOut, status_code=201, responses=AUTH_RESPONSES,
             summary="Create a self-employed case")
def self_employed_create_case(body: CaseIn, request: Request, principal: CaseworkerDep) -> JSONResponse:
    from flexcalc.ledger.self_employed import create_case as create

    audit_event(request, AuditEvent(action="write", case_id=body.case_id, principal=principal))
    with ledger_session(write=True) as session:
        create(session, body.case_id, body.first_year, principal.key_id or principal.role, body.cpr)
        mark_applied(request, session)
    return JSONResponse({"case_id": body.case_id, "first_year": body.first_year,
                         "cpr_registered": body.cpr is not None}, status_code=201)


@router.get("/cases/{case_id}/years/{year}", response_model=YearStateOut, responses=AUTH_RESPONSES,
            summary="A self-employed case's year")
def self_employed_read_year(request: Request, principal: CaseworkerDep, case_id: str = CASE_ID,
                            year: int = YEAR) -> JSONResponse:
    """The bases, the amount on the basis in force, payments, settlements; ``ETag`` is the year's version."""
    from flexcalc.ledger.self_employed import year_state

    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    with ledger_session() as session:
        state = year_state(session, case_id, year)
    return JSONResponse(state, headers={"ETag": f'"{state["version"]}"'})


@router.post("/cases/{case_id}/years/{year}/expected", response_model=YearStateOut, status_code=201,
             responses={**AUTH_RESPONSES, **VERSION_RESPONSES}, summary="Record the profit expected for a year")
def self_employed_record_expected(body: ExpectedIn, request: Request, principal: CaseworkerDep,
                                  if_match: IfMatch = None, case_id: str = CASE_ID, year: int = YEAR) -> JSONResponse:
    """A new provisional basis (the earlier ones are kept): the months not yet paid are paid on it."""
    from flexcalc.ledger.self_employed import record_expected as record
    from flexcalc.ledger.self_employed import year_state

    def write(session: LedgerSession) -> tuple[Any, str | None]:
        record(session, case_id, year, Decimal(body.profit), Decimal(body.other_income), source=body.source,
               by=body.by, expected_version=if_match)
        mark_applied(request, session)
        state = year_state(session, case_id, year)
        return state, state["version"]

    return _year_write(request, principal, case_id, write)


@router.post("/cases/{case_id}/years/{year}/settlement", response_model=SettlementOut, status_code=201,
             responses={**AUTH_RESPONSES, **VERSION_RESPONSES},
             summary="Settle a year on the tax assessment (BEK 233/2024 § 8, stk. 3)")
def self_employed_settle(body: AssessmentIn, request: Request, principal: CaseworkerDep,
                         if_match: IfMatch = None, case_id: str = CASE_ID, year: int = YEAR) -> JSONResponse:
    """The months paid computed again on the assessed profit: an underpayment is paid by the next run, an
    overpayment awaits the municipality's decision on repayment (never set off by itself)."""
    from flexcalc.ledger.self_employed import settle as settle_year
    from flexcalc.ledger.self_employed import year_version

    def write(session: LedgerSession) -> tuple[Any, str | None]:
        row, result = settle_year(session, case_id, year, Decimal(body.assessed_profit),
                                  Decimal(body.assessed_other_income), source=body.source, by=body.by,
                                  expected_version=if_match)
        mark_applied(request, session)
        data = {"stored": True, "settlement_id": row.id, **result.to_dict()}
        return data, year_version(session, case_id, year)

    return _year_write(request, principal, case_id, write)


@router.post("/cases/{case_id}/settlements/{settlement_id}/decision", response_model=DecisionOut, status_code=201,
             responses={**AUTH_RESPONSES, **VERSION_RESPONSES},
             summary="Decide on the overpayment a settlement found (collect after a hearing, or waive)")
def self_employed_decide(body: DecisionIn, request: Request, principal: CaseworkerDep, if_match: IfMatch = None,
                         case_id: str = CASE_ID,
                         settlement_id: int = Path(ge=1, le=2**62, description="The settlement's id.")) -> JSONResponse:
    """BEK 233/2024 § 8, stk. 3, 2. pkt.: the municipality decides whether an overpayment is paid back. ``If-Match``
    is the version of the settlement's year."""
    from flexcalc.ledger.self_employed import decide_repayment, year_state

    def write(session: LedgerSession) -> tuple[Any, str | None]:
        row = decide_repayment(session, case_id, settlement_id, body.outcome, body.reason, by=body.by,
                               expected_version=if_match, hearing_on=body.hearing_on)
        mark_applied(request, session)
        return next(d for d in year_state(session, case_id, row.year)["decisions"] if d["id"] == row.id), None

    return _year_write(request, principal, case_id, write)


class LetterOut(BaseModel):
    """A letter to the person, drafted (nothing stored): its text and HTML, in plain Danish."""

    kind: str
    case_id: str
    letter_date: str
    title: str
    complaint_deadline: str | None
    text: str
    html: str


@router.get("/cases/{case_id}/years/{year}/letters/{kind}", response_model=LetterOut, responses=AUTH_RESPONSES,
            summary="Draft the decision letter on a year or the settlement letter (nothing stored)")
def self_employed_letter(request: Request, principal: CaseworkerDep, case_id: str = CASE_ID, year: int = YEAR,
                         kind: str = Path(pattern="^(decision|settlement)$", description="decision or settlement."),
                         settlement: int | None = Query(default=None, ge=1, le=2**62,
                                                        description="The settlement (default: the year's latest)."),
                         date: dt.date | None = Query(default=None, description="The letter's date (default today).")
                         ) -> JSONResponse:
    """``decision``: the year's subsidy on the basis in force; ``settlement``: after the tax assessment."""
    from flexcalc.errors import InputError
    from flexcalc.ledger.self_employed import basis_in_force, stored_settlement, year_state
    from flexcalc.letters.self_employed import settlement_letter, year_decision_letter
    from flexcalc.self_employed import calculate_year

    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    day = date or dt.date.today()
    with ledger_session() as session:
        state = year_state(session, case_id, year)
        if kind == "decision":
            basis = basis_in_force(session, case_id, year)
            if basis is None:
                raise InputError("year", f"no profit is recorded for {year}",
                                 f"der er intet overskud registreret for {year}", code="no_basis")
            letter = year_decision_letter(case_id, calculate_year(year, basis.profit, basis.other_income), day)
        else:
            if settlement is None:
                if not state["settlements"]:
                    raise InputError("settlement", f"the year {year} has no settlement",
                                     f"året {year} har ingen efterregulering", code="unknown_settlement")
                settlement = int(state["settlements"][-1]["id"])
            letter = settlement_letter(case_id, stored_settlement(session, case_id, settlement), day)
    deadline = None if letter.complaint_deadline is None else letter.complaint_deadline.isoformat()
    return JSONResponse({"kind": letter.kind, "case_id": case_id, "letter_date": day.isoformat(),
                         "title": letter.title, "complaint_deadline": deadline, "text": letter.text(),
                         "html": letter.html()})


@router.post("/payment-runs", response_model=RunOut, status_code=201, responses=AUTH_RESPONSES,
             summary="Pay a month for the self-employed, with the back payments due")
def self_employed_pay(body: PayIn, request: Request, principal: CaseworkerDep) -> JSONResponse:
    """``self_employed_payments_for_month``: a month paid already is not paid again; a case without a basis or
    on an assumed basic amount is held with the reason."""
    from flexcalc.ledger.self_employed import self_employed_payments_for_month

    audit_event(request, AuditEvent(action="write", principal=principal))
    as_of = body.as_of
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.UTC)
    with ledger_session(write=True) as session:
        run = self_employed_payments_for_month(session, Month.parse(body.month), as_of)
        mark_applied(request, session)
        data = run.to_dict()
    return JSONResponse(data, status_code=201)
