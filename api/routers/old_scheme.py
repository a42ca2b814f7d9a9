"""``POST /v1/old-scheme/calculations``: the employer's subsidy of one period in an old-scheme fleksjob."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.responses import OldSchemeCalculationOut
from api.strict_json import StrictJSONRoute
from flexcalc.old_scheme import calculate_old_scheme
from flexcalc.old_scheme.inputs import old_scheme_input

router = APIRouter(prefix="/v1", tags=["old scheme"], route_class=StrictJSONRoute)


class OldSchemeCalculationRequest(BaseModel):
    """A period of an old-scheme fleksjob; amounts as strings ("30000.00"), parsed by the same layer as the CLI."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "month": "2024-03", "agreement_wage": "30000", "employer_contributions": "2700", "fraction": "2/3"}]})

    month: str = Field(description="The period (wage month), YYYY-MM.")
    agreement_wage: str | int = Field(description="The wage paid under the collective agreement, kr.")
    fraction: str = Field(description="1/2 or 2/3.")
    employer_contributions: str | int | None = Field(default=None, description="Employer's ATP and pension, kr.")
    hours: str | int | None = Field(default=None, description="Paid hours in the period (the hourly cap).")
    sick_refund_days: str | int | None = Field(default=None, description="Days with sickness refund to the employer.")
    sick_refund_amount: str | int | None = Field(default=None, description="The employer's refund for those days, kr.")


@router.post(
    "/old-scheme/calculations",
    response_model=OldSchemeCalculationOut,
    responses={422: {"description": "Invalid input (problem+json naming the field)"}},
    summary="Compute the employer's subsidy of one period in an old-scheme fleksjob (LAB § 133)",
)
def create_old_scheme_calculation(request: OldSchemeCalculationRequest) -> JSONResponse:
    """½ or ⅔ of the wage with the employer's contributions, within the month's cap, less the per-day
    reduction for the employer's sickness refund. Amounts are strings with two decimals."""
    inp = old_scheme_input(**request.model_dump())
    return JSONResponse(calculate_old_scheme(inp).to_dict())
