"""Municipal finance: the refund of one subsidy, the month's finance report after a payment run (with the
reconciliation against the state's refund statement) and the chart of accounts flexcalc books on.

Roles: ``finance`` (finance staff) and ``caseworker``. The report shows case ids and amounts, never a CPR
number or a case file. Every read is audited. Bad input is 422 problem+json naming the field (en + da).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.ledger_common import factory
from api.responses import CaseHistoryOut, ChartOut, FinanceReportOut, HistoryImportOut, RefundOut
from api.security import AUTH_RESPONSES, FinanceDep, audit_event, require_role
from api.strict_json import StrictJSONRoute
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent
from flexcalc.security.keys import Principal

router = APIRouter(prefix="/v1/finance", tags=["finance"], route_class=StrictJSONRoute,
                   responses=AUTH_RESPONSES)
FinanceOnlyDep = Annotated[Principal, Depends(require_role("finance"))]
"""Finance staff only (the refund history holds periods of every public benefit)."""


@router.get("/refund",
            response_model=RefundOut,
            summary="The state refund of one month's subsidy (refund ladder, § 5), with OP and fleksbidrag")
def refund(
    request: Request,
    month: str = Query(description="The benefit month, YYYY-MM."),
    subsidy: str = Query(description="The subsidy paid for the month, kr. (≥ 0)."),
    weeks_before: str = Query(description="Weeks with benefits counted before the month's first calendar week "
                                          "(a whole number ≥ 0)."),
    visitation_date: str | None = Query(None, description="Date visiteret to fleksjob (YYYY-MM-DD), § 30."),
    job_start: str | None = Query(None, description="Start of the current fleksjob (YYYY-MM-DD)."),
    wage: str | None = Query(None, description="Basis month's wage without pension, kr. (for the fleksbidrag)."),
    *,
    principal: FinanceDep,
) -> JSONResponse:
    audit_event(request, AuditEvent(action="read", principal=principal))
    from flexcalc.finance.refund import refund_month_dict
    from flexcalc.parsing.inputs import parse_date

    return JSONResponse(refund_month_dict(
        Month.parse(month, "month"), parse_amount(subsidy, "subsidy", allow_negative=True), weeks_before,
        visitation_date=parse_date(visitation_date, "visitation_date") if visitation_date else None,
        job_start=parse_date(job_start, "job_start") if job_start else None,
        wage=parse_amount(wage, "wage", allow_negative=True) if wage is not None else None))


class FinanceReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    month: str = Field(description="The benefit month, YYYY-MM (after its payment run).", examples=["2024-03"])
    profiles_csv: str | None = Field(None, max_length=5_000_000, description="Refund profiles, CSV: case_id,"
                                     "visitation_date,job_start,month,weeks_before (docs/finance.md).")
    statement_csv: str | None = Field(None, max_length=5_000_000, description="The state's refund statement, "
                                      "CSV: person,period_start,period_end,benefit,amount,refund.")
    account: str | None = Field(None, description="Show only this account of the chart.")
    year: bool = Field(False, description="Add the year's figures from January to the month (months without "
                       "payments or rates marked no_data / no_rates, never counted as 0).")


@router.post("/reports",
             response_model=FinanceReportOut,
             summary="The month's finance report: totals, refund by step, accounts, differences")
def report(body: FinanceReportRequest, request: Request, principal: FinanceDep) -> JSONResponse:
    audit_event(request, AuditEvent(action="read", principal=principal))
    from flexcalc.finance.accounts import account as find_account
    from flexcalc.finance.profiles import read_profiles_text
    from flexcalc.finance.report import finance_report
    from flexcalc.finance.statement import match_statement, read_statement_text, reconcile_statement

    month = Month.parse(body.month, "month")
    if body.account is not None:
        find_account(body.account)
    profiles = read_profiles_text(body.profiles_csv) if body.profiles_csv else {}
    lines = read_statement_text(body.statement_csv) if body.statement_csv else None
    sessions = factory()
    result = finance_report(sessions, month, profiles)
    data = result.to_dict()
    if body.account is not None:
        data["accounts"] = [a for a in data["accounts"] if a["id"] == body.account]
    data["reconciliation"] = None
    if body.year:
        from flexcalc.finance.report import year_figures

        data["year"] = year_figures(sessions, month)
    if lines is not None:
        with sessions() as session:  # CPR numbers become case ids at the door; none is returned
            data["reconciliation"] = reconcile_statement(result, match_statement(session, lines)).to_dict()
        for key in ("statement_total", "expected_total", "difference"):
            data[key] = data["reconciliation"][key]
    return JSONResponse(data)


class HistoryImport(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    history_csv: str = Field(min_length=1, max_length=5_000_000, description="Earlier benefit history, CSV: "
                             "case_id or cpr, kind, start, end, benefit, weeks, source, known_at — or the refund "
                             "profile layout (docs/finance.md). CPR numbers are matched to cases, never returned.")
    source: str = Field("api import", min_length=1, max_length=200, description="Where the rows come from "
                        "(the other system), for rows without their own source.")
    recorded_by: str = Field(min_length=1, max_length=64, description="Who imports them.")


@router.post("/history", response_model=HistoryImportOut, status_code=201,
             summary="Import earlier benefit history into the cases' refund history (finance role)")
def import_history(body: HistoryImport, request: Request, principal: FinanceOnlyDep) -> JSONResponse:
    """Append-only: a row already stored is not stored again; a CPR number with no case is counted, never
    stored or returned. The whole file is checked first; nothing is stored half-written."""
    from api.ledger_common import import_write
    from flexcalc.finance.history_import import import_history as run_import

    result = import_write(request, principal, body.source, body.recorded_by,
                          lambda session: run_import(session, body.history_csv, body.recorded_by, body.source))
    return JSONResponse(result.to_dict(), status_code=201)


@router.get("/history/{case_id}", response_model=CaseHistoryOut,
            summary="A case's refund history: periods with sources, cohort, weeks counted")
def case_history(case_id: str, request: Request, principal: FinanceOnlyDep) -> JSONResponse:
    """404 for a case that does not exist (``NotFoundError`` from the ledger's read model)."""
    from api.ledger_common import ledger_session
    from flexcalc.finance.history_view import case_history as view

    audit_event(request, AuditEvent(action="read", case_id=case_id, principal=principal))
    with ledger_session() as session:
        return JSONResponse(view(session, case_id))


@router.get("/accounts",
            response_model=ChartOut, summary="The accounts of the municipal chart flexcalc books on, with sources")
def accounts(request: Request, principal: FinanceDep) -> dict[str, Any]:
    from flexcalc.finance.accounts import chart

    found, booking = chart()
    return {"accounts": [a.to_dict() for a in found.values()],
            "booking": {kind: {"account": acc, "sign": sign} for kind, (acc, sign) in booking.items()}}
