"""Municipal finance: the refund of one subsidy, the month's finance report after a payment run (with the
reconciliation against the state's refund statement) and the chart of accounts flexcalc books on.

Roles: ``finance`` (finance staff) and ``caseworker``. The report shows case ids and amounts, never a CPR
number or a case file. Every read is audited. Bad input is 422 problem+json naming the field (en + da).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.ledger_common import factory
from api.responses import ChartOut, FinanceReportOut, RefundOut
from api.security import AUTH_RESPONSES, FinanceDep, audit_event
from api.strict_json import StrictJSONRoute
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import Month
from flexcalc.security.audit import AuditEvent

router = APIRouter(prefix="/v1/finance", tags=["finance"], route_class=StrictJSONRoute,
                   responses=AUTH_RESPONSES)


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


@router.post("/reports",
             response_model=FinanceReportOut,
             summary="The month's finance report: totals, refund by step, accounts, differences")
def report(body: FinanceReportRequest, request: Request, principal: FinanceDep) -> JSONResponse:
    audit_event(request, AuditEvent(action="read", principal=principal))
    from flexcalc.finance.accounts import account as find_account
    from flexcalc.finance.profiles import read_profiles_text
    from flexcalc.finance.report import finance_report
    from flexcalc.finance.statement import (
        cases_by_cpr,
        match_cpr_at_the_door,
        read_statement_text,
        reconcile_statement,
    )

    month = Month.parse(body.month, "month")
    if body.account is not None:
        find_account(body.account)
    profiles = read_profiles_text(body.profiles_csv) if body.profiles_csv else {}
    lines = read_statement_text(body.statement_csv) if body.statement_csv else None
    result = finance_report(factory(), month, profiles)
    data = result.to_dict()
    if body.account is not None:
        data["accounts"] = [a for a in data["accounts"] if a["id"] == body.account]
    data["reconciliation"] = None
    if lines is not None:  # CPR-keyed lines become case ids here; the finance role never receives a CPR number
        lines, unmatched = match_cpr_at_the_door(lines, cases_by_cpr(factory()))
        reconciliation = reconcile_statement(result, lines)
        reconciliation.unmatched_cpr = unmatched
        data["reconciliation"] = reconciliation.to_dict()
    return JSONResponse(data)


@router.get("/accounts",
            response_model=ChartOut, summary="The accounts of the municipal chart flexcalc books on, with sources")
def accounts(request: Request, principal: FinanceDep) -> dict[str, Any]:
    from flexcalc.finance.accounts import chart

    found, booking = chart()
    return {"accounts": [a.to_dict() for a in found.values()],
            "booking": {kind: {"account": acc, "sign": sign} for kind, (acc, sign) in booking.items()}}
