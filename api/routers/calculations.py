"""``POST /v1/calculations``: one month's subsidy with its trace and a Danish explanation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.schemas import CalculationResponse
from api.strict_json import StrictJSONRoute
from flexcalc.calculate import calculate_month
from flexcalc.explain import explain_month_da
from flexcalc.model import CalculationRequest

router = APIRouter(prefix="/v1", tags=["calculations"], route_class=StrictJSONRoute)


@router.post(
    "/calculations",
    response_model=CalculationResponse,
    responses={422: {"description": "Invalid input (problem+json naming the field)"}},
    summary="Compute one month's fleksløntilskud",
)
def create_calculation(request: CalculationRequest) -> Any:
    """The subsidy of the benefit month ``month`` from the basis month's wage (the month before),
    the ceiling and the rates in force in ``month``. Amounts are strings with two decimals."""
    result = calculate_month(request.to_input())
    body = result.to_dict()
    body["text_da"] = explain_month_da(result)
    return JSONResponse(body)
