"""Input models at the edge (API JSON, CLI arguments): pydantic v2, validated into core inputs.

Every validator calls the same parsing functions as the CLI (``money.parse_amount``, ``Month.parse``)
so an amount or a month is checked in one place. A failed check becomes a pydantic error whose type
is our error code and whose context carries the Danish reason, for problem+json.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from flexcalc.calculate import MonthInput
from flexcalc.errors import InputError
from flexcalc.events import (
    CeilingChange,
    FerieKontoPayment,
    Income,
    IncomeKind,
    MonthEvents,
    Period,
    PeriodKind,
)
from flexcalc.inputs import parse_amount
from flexcalc.money import ZERO
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


def validate_month(value: Any, field: str = "month") -> str:
    """A month "YYYY-MM" (any month: the rates table is not consulted)."""
    try:
        return str(Month.parse(value, field))
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


def validate_quantity(value: Any, field: str, *, maximum: Decimal, decimals: int = 2, unit: str = "days",
                      unit_da: str = "dage") -> Decimal:
    """A number of days or hours: not negative, at most ``maximum``, at most ``decimals`` decimals."""
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError("quantity_type", f"must be a number of {unit}",
                                  {"reason_da": f"skal være et antal {unit_da}"})
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise PydanticCustomError("quantity_type", f"'{value}' is not a number of {unit}",
                                  {"reason_da": f"'{value}' er ikke et antal {unit_da}"}) from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise PydanticCustomError("quantity_range", f"must be between 0 and {maximum} {unit}",
                                  {"reason_da": f"skal være mellem 0 og {maximum} {unit_da}"})
    if number != number.quantize(Decimal(1).scaleb(-decimals)):
        raise PydanticCustomError("quantity_decimals", f"has more than {decimals} decimals",
                                  {"reason_da": f"har mere end {decimals} decimaler"})
    return number + 0


DaysField = Annotated[Decimal, Field(json_schema_extra={"anyOf": [{"type": "string"}, {"type": "number"}]},
                                     examples=["5"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PeriodModel(_Strict):
    """A period of holiday, sickness or maternity (both days included)."""

    kind: PeriodKind = Field(description="holiday (with pay or feriegodtgørelse), holiday_ledighedsydelse, "
                                         "sickness_paid, sickness_unpaid, maternity_paid, maternity_unpaid")
    start: dt.date = Field(description="First day, YYYY-MM-DD, in the basis or the benefit month.")
    end: dt.date = Field(description="Last day, YYYY-MM-DD.")

    def to_period(self) -> Period:
        return Period(self.kind, self.start, self.end)


class IncomeModel(_Strict):
    """An income of the basis month besides the fleksjob wage; some count, some are shown and ignored."""

    kind: IncomeKind
    amount: AmountField
    ceiling_raise: AmountField | None = Field(
        default=None, description="Special payments only: how much the ceiling is raised (default: the amount).")

    @field_validator("amount", "ceiling_raise", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        if value is None and info.field_name == "ceiling_raise":
            return None
        return validate_amount(value, info.field_name or "amount")

    def to_income(self) -> Income:
        return Income(self.kind, self.amount, self.ceiling_raise)


class FerieKontoModel(_Strict):
    """Feriegodtgørelse from FerieKonto for holiday taken in the basis month (BEK 227/2024 § 6)."""

    net: AmountField = Field(description="Net amount paid out.")
    tax_withheld: AmountField = Field(description="A-skat and AM-bidrag withheld (added back to gross up).")
    days_covered: DaysField = Field(description="Holiday days the payment is for.")
    days_taken: DaysField = Field(description="Of those, days taken in the basis month.")

    @field_validator("net", "tax_withheld", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal:
        return validate_amount(value, info.field_name or "amount")

    @field_validator("days_covered", "days_taken", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Decimal:
        return validate_quantity(value, "days", maximum=Decimal(100))

    def to_payment(self) -> FerieKontoPayment:
        return FerieKontoPayment(self.net, self.tax_withheld, self.days_covered, self.days_taken)


class CeilingChangeModel(_Strict):
    start: dt.date = Field(description="First day of the new ceiling, in the basis month.")
    ceiling: AmountField

    @field_validator("ceiling", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        return validate_amount(value, "ceiling")

    def to_change(self) -> CeilingChange:
        return CeilingChange(self.start, self.ceiling)


class EventsModel(_Strict):
    """The month's events (``flexcalc.events.MonthEvents``); every field is optional."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "periods": [{"kind": "sickness_unpaid", "start": "2024-02-12", "end": "2024-02-23"}],
        "sickness_benefit": "8000", "paid_hours": "60", "paid_hours_before_sickness": "78"}]})

    periods: list[PeriodModel] = Field(default_factory=list, max_length=62)
    incomes: list[IncomeModel] = Field(default_factory=list, max_length=50)
    feriekonto: list[FerieKontoModel] = Field(default_factory=list, max_length=20)
    feriekonto_earned: AmountField = Field(default=ZERO, description="Feriegodtgørelse in the wage that goes to "
                                                                      "FerieKonto (taken out, BEK § 6 stk. 2).")
    sickness_benefit: AmountField | None = Field(default=None, description="Syge-/barselsdagpenge for the unpaid "
                                                                            "periods of the basis month.")
    holiday_days_before: DaysField = Field(default=ZERO, description="Holiday days taken earlier in the holiday "
                                                                     "year (the 25-day limit).")
    holiday_days: DaysField | None = Field(default=None, description="Holiday days in the benefit month (instead of "
                                                                     "holiday periods), incl. ledighedsydelse days.")
    ledighedsydelse_days: DaysField | None = Field(default=None, description="Of the holiday days, those on "
                                                                             "ledighedsydelse (BEK § 10).")
    employment_start: dt.date | None = Field(default=None, description="First day of the fleksjob.")
    employment_end: dt.date | None = Field(default=None, description="Last day of the fleksjob.")
    ceiling_changes: list[CeilingChangeModel] = Field(default_factory=list, max_length=31)
    paid_hours: DaysField | None = Field(default=None, description="Paid hours reported for the basis month "
                                                                   "(state ATP, LAB § 138).")
    paid_hours_before_sickness: DaysField | None = Field(default=None, description="Paid hours of the last full "
                                                                                   "month before the sickness.")
    regulation_wage: AmountField | None = Field(default=None, description="After holiday on ledighedsydelse in the "
                                                                          "basis month: the real fleksjob wage of the "
                                                                          "benefit month, which replaces `wage` (BEK "
                                                                          "§ 10 stk. 2); the other items stay.")
    bonus_spread_out: AmountField = Field(default=ZERO, description="Bonus in the wage that is spread over other "
                                                                    "months (PM 27-23).")

    @field_validator("feriekonto_earned", "sickness_benefit", "regulation_wage", "bonus_spread_out", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        if value is None and info.field_name in ("sickness_benefit", "regulation_wage"):
            return None
        return validate_amount(value, info.field_name or "amount")

    @field_validator("holiday_days_before", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Decimal:
        return validate_quantity(value, "days", maximum=Decimal(366))

    @field_validator("holiday_days", "ledighedsydelse_days", mode="before")
    @classmethod
    def _month_days(cls, value: Any) -> Decimal | None:
        return None if value is None else validate_quantity(value, "days", maximum=Decimal(31))

    @field_validator("paid_hours", "paid_hours_before_sickness", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Decimal | None:
        if value is None:
            return None
        return validate_quantity(value, "hours", maximum=Decimal(744), unit="hours", unit_da="timer")

    def to_events(self) -> MonthEvents:
        return MonthEvents(
            periods=tuple(p.to_period() for p in self.periods),
            incomes=tuple(i.to_income() for i in self.incomes),
            feriekonto=tuple(f.to_payment() for f in self.feriekonto),
            feriekonto_earned=self.feriekonto_earned,
            sickness_benefit=self.sickness_benefit,
            holiday_days_before=self.holiday_days_before,
            holiday_days=self.holiday_days,
            ledighedsydelse_days=self.ledighedsydelse_days,
            employment_start=self.employment_start,
            employment_end=self.employment_end,
            ceiling_changes=tuple(c.to_change() for c in self.ceiling_changes),
            paid_hours=self.paid_hours,
            paid_hours_before_sickness=self.paid_hours_before_sickness,
            regulation_wage=self.regulation_wage,
            bonus_spread_out=self.bonus_spread_out,
        )


_DANISH_REASONS = {
    "missing": "skal udfyldes",
    "extra_forbidden": "er ikke et kendt felt",
    "literal_error": "har ikke en af de tilladte værdier",
    "date_from_datetime_parsing": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "date_parsing": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "date_type": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "list_type": "skal være en liste",
    "too_long": "er for lang",
    "model_type": "skal være et objekt",
    "dict_type": "skal være et objekt",
}


def input_error_from_validation(error: ValidationError, prefix: str = "") -> InputError:
    """The first error of a pydantic validation as an ``InputError`` naming the field (for the CLI)."""
    first = error.errors()[0]
    loc = ".".join(str(part) for part in first.get("loc", ()))
    field = f"{prefix}.{loc}" if prefix and loc else (prefix or loc or "input")
    ctx = first.get("ctx") or {}
    reason = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    reason_da = str(ctx.get("reason_da") or _DANISH_REASONS.get(str(first.get("type")), "er ugyldig"))
    return InputError(field, reason, reason_da, code=str(first.get("type", "invalid")))


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
    events: EventsModel | None = Field(
        default=None,
        description="What else happened in the basis and the benefit month: holiday, sickness, maternity, "
                    "ledighedsydelse days, more incomes, job start/end, hours for the state ATP.",
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
            events=None if self.events is None else self.events.to_events(),
        )
