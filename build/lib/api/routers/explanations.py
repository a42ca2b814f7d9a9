"""``POST /v1/scenarios/hours`` and ``POST /v1/explanations/month-change``: the citizen explainer's questions.

"Kan det betale sig at arbejde flere timer?" and "Hvorfor har min udbetaling ændret sig?". Both ask the
core (``flexcalc.scenarios``, ``flexcalc.month_change``); no rule is repeated here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from api.strict_json import StrictJSONRoute
from flexcalc.errors import InputError
from flexcalc.extra_hour import extra_hour
from flexcalc.model import (
    AmountField,
    CalculationRequest,
    MonthField,
    as_pydantic_error,
    validate_amount,
    validate_month,
)
from flexcalc.month_change import Adjustment, MonthSide, explain_month_change
from flexcalc.period import Month
from flexcalc.scenarios import MAX_HOURLY, Hours, Job, check_hours, hour_scenario
from flexcalc.tax_estimate import municipal_rate, pension_rate, scenario_after_tax

router = APIRouter(prefix="/v1", tags=["explainer"], route_class=StrictJSONRoute)

PROBLEM: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid input (problem+json naming the field)"}}


def _hours(value: Any, field: str) -> Hours | None:
    if value is None:
        return None
    try:
        return check_hours(value, field)
    except InputError as error:
        raise as_pydantic_error(error) from None


def _percent(parse: Any, value: Any, field: str) -> Decimal:
    try:
        result: Decimal = parse(value, field)
    except InputError as error:
        raise as_pydantic_error(error) from None
    return result


class HourScenarioRequest(BaseModel):
    """A job by its hourly wage incl. pension and supplements (or its monthly full-time wage), a ceiling
    and a benefit month. ``hours_from``/``hours_to`` ask for the headline sentence between two hour counts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={
        "examples": [{"month": "2024-03", "hourly": "200", "hours_from": 12, "hours_to": 15}],
    })

    month: MonthField = Field(description="Benefit month (ydelsesmåned), YYYY-MM. Its rates apply.")
    hourly: AmountField | None = Field(default=None, description="Hourly wage incl. pension and supplements, kr.")
    full_time_wage: AmountField | None = Field(
        default=None, description="Instead of hourly: the monthly wage for 37 hours a week incl. pension, kr.")
    ceiling: AmountField | None = Field(
        default=None, description="The ceiling (lønloft), kr.; default the full-time wage, 37 × hourly × 52/12.")
    hours_from: Decimal | None = Field(default=None, examples=[12],
                                       description="Weekly hours now, 1–37 in half-hour steps (for the headline).")
    hours_to: Decimal | None = Field(default=None, examples=[15.5],
                                     description="Weekly hours considered, 1–37 in half-hour steps (for the "
                                                 "headline).")
    municipal_tax_rate: Decimal | None = Field(
        default=None, description="Municipal tax rate in % (incl. church tax if paid), 15–35: adds `after_tax`, "
                                  "an ESTIMATE (2024–2026).", json_schema_extra={"examples": ["25.1"]})
    pension_rate: Decimal | None = Field(
        default=None, description="With the estimate: pension (own + employer) in % of the wage without pension.")

    @field_validator("municipal_tax_rate", mode="before")
    @classmethod
    def _municipal(cls, value: Any) -> Decimal | None:
        return None if value is None else _percent(municipal_rate, value, "municipal_tax_rate")

    @field_validator("pension_rate", mode="before")
    @classmethod
    def _pension(cls, value: Any) -> Decimal | None:
        return None if value is None else _percent(pension_rate, value, "pension_rate")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any, info: ValidationInfo) -> str:
        from flexcalc.model import validate_benefit_month

        return validate_benefit_month(value, info.field_name or "month")

    @field_validator("hourly", mode="before")
    @classmethod
    def _hourly(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        return None if value is None else validate_amount(value, "hourly", maximum=MAX_HOURLY)

    @field_validator("full_time_wage", "ceiling", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        return None if value is None else validate_amount(value, info.field_name or "amount")

    @field_validator("hours_from", "hours_to", mode="before")
    @classmethod
    def _hour_count(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        hours = _hours(value, info.field_name or "hours")
        return None if hours is None else Decimal(hours)


class RegionOut(BaseModel):
    kind: str
    from_hours: int
    to_hours: int
    text_da: str
    provision: str


class ScenarioRowOut(BaseModel):
    hours: int
    wage: str
    subsidy: str
    atp_own: str
    payout: str
    total: str
    gain_next_hour: str | None
    region: str
    ceiling_binds: bool


class HourScenarioResponse(BaseModel):
    benefit_month: str
    basis_month: str
    hourly: str
    hourly_given: bool
    full_time_wage: str
    ceiling: str
    ceiling_source: str
    max_subsidy: str
    threshold: str
    plateau_from_hours: int | None
    plateau_to_hours: int | None = None
    plateau_da: str = Field(description="Where more hours give no more money (the exact hour range), in Danish.")
    findings: list[dict[str, Any]] = Field(default_factory=list, description="What to check, e.g. "
                                           "`ceiling_below_full_time_wage` (the ceiling is below the 37-hour wage).")
    regions: list[RegionOut]
    rows: list[ScenarioRowOut]
    derived_rates: list[str]
    rule_version: str
    headline_da: str | None = None
    change: str | None = None
    after_tax: dict[str, Any] | None = Field(default=None, description="The ESTIMATE after tax, when "
                                             "municipal_tax_rate is given: rows with disposable and net gain.")
    headline_after_tax_da: str | None = None
    extra_hour: dict[str, Any] | None = Field(default=None, description="What one more hour a week keeps "
                                              "(before tax and, with municipal_tax_rate, after tax), the hours "
                                              "where it is near nothing and the sentences saying so.")


@router.post("/scenarios/hours", response_model=HourScenarioResponse, responses=PROBLEM,
             summary="Wage, subsidy and total income at every weekly hour count 1–37")
def create_hour_scenarios(request: HourScenarioRequest) -> Any:
    """Every whole number of weekly hours 1–37: wage (timeløn × hours × 52/12), subsidy, own ATP, total
    income (wage + subsidy, incl. pension and ATP) and the gain of one more hour, each row computed by the
    monthly calculation. ``regions`` names the 30 %, 55 % and plateau regions with the hour each begins;
    ``plateau_from_hours`` is null when the ceiling never binds."""
    if (request.hours_from is None) != (request.hours_to is None):
        missing = "hours_to" if request.hours_to is None else "hours_from"
        raise InputError(missing, "give both hours_from and hours_to, or neither",
                         "angiv både hours_from og hours_to, eller ingen af dem", code="missing")
    job = Job(hourly=request.hourly, full_time_wage=request.full_time_wage)
    scenario = hour_scenario(Month.parse(request.month), job, request.ceiling)
    body = scenario.to_dict()
    if request.pension_rate is not None and request.municipal_tax_rate is None:
        raise InputError("municipal_tax_rate", "is needed for the estimate after tax (pension_rate was given)",
                         "skal udfyldes for skønnet efter skat (pension_rate er angivet)", code="missing")
    after_tax = None
    if request.municipal_tax_rate is not None:
        after_tax = scenario_after_tax(scenario, request.municipal_tax_rate, request.pension_rate or Decimal(0))
        body["after_tax"] = after_tax.to_dict()
    body["extra_hour"] = extra_hour(scenario, after_tax).to_dict()
    if request.hours_from is not None and request.hours_to is not None:
        body["headline_da"] = scenario.change_sentence(request.hours_from, request.hours_to)
        body["change"] = str(scenario.change(request.hours_from, request.hours_to))
        if after_tax is not None:
            body["headline_after_tax_da"] = after_tax.change_sentence(request.hours_from, request.hours_to)
    return JSONResponse(body)


class CorrectionIn(BaseModel):
    """An efterregulering of an earlier month paid (positive) or withheld (negative) with this month."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    month: MonthField | None = Field(default=None, description="The earlier month corrected, YYYY-MM.")
    amount: AmountField = Field(description="Signed amount, kr.: positive paid out, negative withheld.")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str | None:
        return None if value is None else validate_month(value, "month")

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        return validate_amount(value, "amount", allow_negative=True)


class MonthSideRequest(CalculationRequest):
    """One month: its calculation inputs, as for ``POST /v1/calculations``, and corrections paid with it."""

    corrections: list[CorrectionIn] = Field(default_factory=list, max_length=50)

    def to_side(self) -> MonthSide:
        adjustments = tuple(
            Adjustment("correction", c.amount, None if c.month is None else Month.parse(c.month))
            for c in self.corrections)
        return MonthSide(self.to_input(), adjustments)


class MonthChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "first": {"month": "2024-12", "wage": "15600", "ceiling": "32067"},
        "second": {"month": "2025-01", "wage": "17000", "ceiling": "32067"},
    }]})

    first: MonthSideRequest = Field(description="The earlier (or the first) month.")
    second: MonthSideRequest = Field(description="The month whose payout is explained against the first.")


class CauseOut(BaseModel):
    key: str
    title_da: str
    amount: str
    text_da: str
    provision: str


class AdjustmentOut(BaseModel):
    kind: str
    amount: str
    month: str | None
    text_da: str


class MonthSideOut(BaseModel):
    label_da: str
    benefit_month: str
    basis_month: str
    wage_income: str
    ceiling: str
    subsidy: str
    atp_own: str
    adjustments: list[AdjustmentOut]
    payout: str
    total_income: str = Field(description="Wage (of the basis month, incl. pension) + payout, before tax.")
    calculation: dict[str, Any]


class MonthChangeResponse(BaseModel):
    first: MonthSideOut
    second: MonthSideOut
    difference: str
    total_income_change: str = Field(description="Change in total income (wage + payout), before tax.")
    headline_da: str = Field(description="The change in total income in Danish, with its two parts.")
    summary_da: str
    causes: list[CauseOut]
    notes_da: list[str]


@router.post("/explanations/month-change", response_model=MonthChangeResponse, responses=PROBLEM,
             summary="Why the payout changed between two months, in causes that add up exactly")
def create_month_change_explanation(request: MonthChangeRequest) -> Any:
    """The payout of ``second`` minus that of ``first`` (subsidy − own ATP + corrections), split into
    causes (new rates, wage in the 30 % and 55 % regions, the ceiling, the ATP share, corrections), each
    a Danish sentence. The amounts add up to ``difference`` to the øre."""
    change = explain_month_change(request.first.to_side(), request.second.to_side())
    return JSONResponse(change.to_dict())

