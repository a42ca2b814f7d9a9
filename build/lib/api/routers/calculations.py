"""``POST /v1/calculations``: one month's subsidy with its trace and a Danish explanation.

``POST /v1/calculations/bonus-spread``: a bonus covering several months spread over them and those
months recomputed (Ankestyrelsen PM 27-23).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.schemas import CalculationResponse
from api.strict_json import StrictJSONRoute
from flexcalc.calculate import calculate_month
from flexcalc.explain import explain_month_da
from flexcalc.model import (
    AmountField,
    CalculationRequest,
    MonthField,
    validate_amount,
    validate_month,
)
from flexcalc.month_events import spread_bonus
from flexcalc.period import Month

_month = validate_month

router = APIRouter(prefix="/v1", tags=["calculations"], route_class=StrictJSONRoute)


class EventsOut(BaseModel):
    """What the month's events did (present only when the request had ``events``)."""

    ceiling_given: str
    max_subsidy_used: str
    threshold_used: str
    employment_share: str
    unpaid_absence_days: int
    sickness_benefit: str
    sickness_benefit_deducted: str = Field(description="The dagpenge deducted: those received, or those the person "
                                                       "was entitled to when more (BEK 227/2024 § 14 stk. 4).")
    resource_benefit: str
    ceiling_raise: str
    ledighedsydelse_days: str
    ledighedsydelse_reduction: str
    not_counted: str
    atp_state: str | None = Field(description="The municipality's additional ATP contribution (LAB § 138); "
                                              "null without paid_hours.")
    atp_state_hours: str | None
    atp_state_full: bool
    provisional_subsidy: str | None
    regulation_due: bool
    fleksjob_wage_exceptions: list[str] = Field(description="Why a month without fleksjob wage is computed anyway "
                                                            "(empty when the employer paid a wage).")
    derived_parameters: list[str]


class CalculationWithEventsResponse(CalculationResponse):
    events: EventsOut | None = None


class BonusSpreadRequest(BaseModel):
    """The months a bonus covers (each a month's calculation as it was made), the bonus, and where it was paid."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "bonus": "6000", "paid_in": "2024-03",
        "months": [{"month": "2024-02", "wage": "15600", "ceiling": "32067"},
                   {"month": "2024-03", "wage": "15600", "ceiling": "32067"},
                   {"month": "2024-04", "wage": "21600", "ceiling": "32067"}]}]})

    months: list[CalculationRequest] = Field(min_length=1, max_length=24)
    bonus: AmountField
    covered: list[MonthField] | None = Field(default=None, description="Basis months the bonus covers "
                                                                       "(default: all given months' basis months).")
    paid_in: MonthField | None = Field(default=None, description="Basis month whose wage held the whole bonus.")

    @field_validator("bonus", mode="before")
    @classmethod
    def _bonus(cls, value: Any) -> Any:
        return validate_amount(value, "bonus")

    @field_validator("covered", mode="before")
    @classmethod
    def _covered(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_month(v, "covered") for v in value]
        return value

    @field_validator("paid_in", mode="before")
    @classmethod
    def _paid_in(cls, value: Any) -> Any:
        return None if value is None else _month(value, "paid_in")


@router.post(
    "/calculations",
    response_model=CalculationWithEventsResponse,
    responses={422: {"description": "Invalid input (problem+json naming the field)"}},
    summary="Compute one month's fleksløntilskud",
)
async def create_calculation(request: CalculationRequest) -> Any:
    """The subsidy of the benefit month ``month`` from the basis month's wage (the month before),
    the ceiling and the rates in force in ``month``. Amounts are strings with two decimals.
    With ``events`` the month is computed as it really was (holiday, sickness, several incomes …)."""
    result = calculate_month(request.to_input())
    body = result.to_dict()
    body["text_da"] = explain_month_da(result)
    return JSONResponse(body)


@router.post(
    "/calculations/bonus-spread",
    responses={422: {"description": "Invalid input (problem+json naming the field)"}},
    summary="Spread a bonus over the months it covers and recompute them (PM 27-23)",
)
def create_bonus_spread(request: BonusSpreadRequest) -> Any:
    """Each month before and after the bonus is spread evenly over the covered months, with the
    differences in subsidy and payout."""
    spread = spread_bonus(
        [m.to_input() for m in request.months],
        request.bonus,
        covered=None if request.covered is None else [Month.parse(c) for c in request.covered],
        paid_in=None if request.paid_in is None else Month.parse(request.paid_in),
    )
    return JSONResponse(spread.to_dict())
