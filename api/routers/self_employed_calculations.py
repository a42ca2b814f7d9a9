"""``POST /v1/self-employed/calculations``: a self-employed person's subsidy for a year (LAB § 126;
BEK 233/2024 § 8), with its trace. No key needed, nothing stored (the ledger's routes: ``self_employed``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from api.schemas import StepOut
from api.strict_json import StrictJSONRoute

router = APIRouter(prefix="/v1/self-employed", tags=["self-employed"], route_class=StrictJSONRoute)
MAX = Decimal("100000000")


def _amount(value: Any, field: str, *, allow_negative: bool = False) -> Decimal:
    from flexcalc.parsing.inputs import parse_amount

    return parse_amount(value, field, allow_negative=allow_negative, maximum=MAX)


def _profit_text(value: Any, info: ValidationInfo) -> str:
    return str(_amount(value, info.field_name or "profit", allow_negative=True))


def _income_text(value: Any, info: ValidationInfo) -> str:
    return str(_amount(value, info.field_name or "other_income"))


ProfitText = Annotated[str, BeforeValidator(_profit_text)]
"""A year's profit in kroner (a loss may be negative), kept as the parsed amount's text; a bad one is named by
its field."""
IncomeText = Annotated[str, BeforeValidator(_income_text)]
"""Other work income in kroner (not negative), kept as the parsed amount's text; a bad one is named by its field."""


class YearOut(BaseModel):
    """A year's subsidy: the basic amount less 30 % of the profit and other work income, 1/12 a month."""

    year: int
    profit: str
    other_income: str
    counted_profit: str = Field(description="The profit counted: a loss counts as 0 (BEK 233/2024 § 11, stk. 4).")
    basic_amount: str
    basic_amount_status: str = Field(description="published, computed or assumed.")
    basic_amount_source: str
    reduction_rate: str
    reduction: str
    annual: str
    monthly: str = Field(description="The payment of January–November; December takes the rest (``months``).")
    months: list[str]
    ends_at_income: str = Field(description="The profit plus other work income at which the subsidy is 0.")
    trace: list[StepOut]
    text_da: list[str] | None = Field(default=None, description="The year told in plain Danish for the person "
                                                                "(LIX ≤ 35); given by POST /calculations.")


class CalculationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"year": 2024, "profit": "300000", "other_income": "0"}]})

    year: int = Field(description="The calendar year.")
    profit: ProfitText = Field(description="The business's profit before interest for the year, kr. (a loss "
                                           "counts as 0).")
    other_income: IncomeText = Field(default="0", description="Other work income in the year, kr.")


@router.post("/calculations", response_model=YearOut, summary="Compute a self-employed person's subsidy for a year",
             responses={422: {"description": "Invalid input (problem+json naming the field)"}})
def self_employed_calculate(body: CalculationIn) -> Any:
    """The annual subsidy and the monthly payment (BEK 233/2024 § 8): nothing is stored."""
    from flexcalc.self_employed import calculate_year
    from flexcalc.text_da.self_employed import explain_year_da

    result = calculate_year(body.year, Decimal(body.profit), Decimal(body.other_income))
    return {**result.to_dict(), "text_da": explain_year_da(result)}
