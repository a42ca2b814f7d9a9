"""``POST /v1/normal-wage/check``: the employer's normal-wage ceiling (lønloft) built from the form's parts,
checked for the usual mistakes, with its effect on the employee. The rules live in ``flexcalc.normal_wage``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.schemas import StepOut
from api.strict_json import StrictJSONRoute
from flexcalc.normal_wage import NormalWageForm, check_form
from flexcalc.text_da.normal_wage import explain_check_da

router = APIRouter(prefix="/v1", tags=["normal wage"], route_class=StrictJSONRoute)


class FindingOut(BaseModel):
    code: str
    severity: str
    field: str
    title: str
    title_da: str
    message: str
    message_da: str
    action: str
    action_da: str
    provision: str
    amounts: dict[str, str]


class HourRowOut(BaseModel):
    hours: str
    wage: str
    subsidy: str
    total: str
    ceiling_binds: bool


class EmployeeEffectOut(BaseModel):
    benefit_month: str
    hourly_wage: str
    hours_per_week: str
    monthly_wage: str
    subsidy: str
    total_income: str
    ceiling_binds_now: bool
    binds_from_hours: str | None
    binds_from_whole_hours: int | None
    calculation: dict[str, Any]
    hours: list[HourRowOut]


class LedgerEntryOut(BaseModel):
    amount: str
    effective_date: str
    source: str
    method: str | None


class NormalWageCheckResponse(BaseModel):
    ceiling: str
    effective_date: str
    source: str
    method: str | None
    method_note: str | None
    employer: str | None
    position: str | None
    full_time_hours: str
    as_of: str
    steps: list[StepOut]
    holiday_supplement_lump_sum: str | None
    corrected_ceiling: str | None
    simple_estimate: str | None
    findings: list[FindingOut]
    codes: list[str]
    errors: int
    warnings: int
    not_checked: list[str]
    employee_effect: EmployeeEffectOut | None
    ledger_entry: LedgerEntryOut
    rule_version: str
    text_da: list[str]


@router.post(
    "/normal-wage/check",
    response_model=NormalWageCheckResponse,
    responses={422: {"description": "Invalid input (problem+json naming the field, e.g. pension.employer_percent)"}},
    summary="Check an employer's normal-wage ceiling (lønloft)",
)
def check_normal_wage(form: NormalWageForm) -> Any:
    """The monthly ceiling from the lønloft form's parts with a breakdown that adds up (LAB § 123, stk. 3;
    Ankestyrelsen PM 48-22), the findings of every check (``error`` / ``warning`` / ``info``; none blocks),
    and, when the employee is given, the subsidy at the current hours and the hours from which the ceiling
    binds. ``as_of`` defaults to today. Amounts are strings with two decimals."""
    result = check_form(form)
    body = result.to_dict()
    body["text_da"] = explain_check_da(result)
    return JSONResponse(body)
