"""Input models at the edge (API JSON, CLI arguments): pydantic v2, validated into core inputs.

Every validator calls the same parsing functions as the CLI (``money.parse_amount``, ``Month.parse``)
so an amount or a month is checked in one place. A failed check becomes a pydantic error whose type
is our error code and whose context carries the Danish reason, for problem+json.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from flexcalc.calculate import MonthInput
from flexcalc.errors import InputError
from flexcalc.money import ZERO, parse_amount
from flexcalc.params import rates_for
from flexcalc.period import Month

AmountField = Annotated[
    Decimal,
    Field(
        json_schema_extra={"anyOf": [{"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$"}, {"type": "number"}]},
        examples=["15600.00"],
    ),
]
MonthField = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2024-03"])]


def as_pydantic_error(error: InputError) -> PydanticCustomError:
    return PydanticCustomError(error.code, error.reason_en, {"reason_da": error.reason_da})


def validate_amount(value: Any, field: str, **kwargs: Any) -> Decimal:
    try:
        return parse_amount(value, field, **kwargs)
    except InputError as error:
        raise as_pydantic_error(error) from None


def validate_benefit_month(value: Any, field: str = "month") -> str:
    """A benefit month "YYYY-MM" that the rates table covers."""
    try:
        month = Month.parse(value, field)
        rates_for(month)
    except InputError as error:
        raise as_pydantic_error(error) from None
    return str(month)


class CalculationRequest(BaseModel):
    """One month's calculation. ``month`` is the benefit month; the amounts are the basis month's."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={
        "examples": [{"month": "2024-03", "wage": "15600.00", "ceiling": "32067.00"}],
    })

    month: MonthField = Field(description="Benefit month (ydelsesmåned), YYYY-MM. Its rates apply.")
    wage: AmountField = Field(description="Wage income of the basis month (the month before) incl. own "
                                          "and employer pension, kroner.")
    ceiling: AmountField = Field(description="The ceiling (lønloft): the full-time wage incl. pension, kroner.")
    other_wage: AmountField = Field(default=ZERO, description="Wage from other employers in the basis month.")
    other_income: AmountField = Field(
        default=ZERO,
        description="Other income that counts like wage (side self-employment profit, tabt arbejdsfortjeneste).",
    )

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any, info: ValidationInfo) -> str:
        return validate_benefit_month(value, info.field_name or "month")

    @field_validator("wage", "ceiling", "other_wage", "other_income", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal:
        return validate_amount(value, info.field_name or "amount")

    def to_input(self) -> MonthInput:
        return MonthInput(
            benefit_month=Month.parse(self.month),
            wage=self.wage,
            ceiling=self.ceiling,
            other_wage=self.other_wage,
            other_income=self.other_income,
        )
