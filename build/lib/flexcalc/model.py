"""Input models at the edge (API JSON, CLI arguments): pydantic v2, validated into core inputs.

Every validator calls the same parsing functions as the CLI (``flexcalc.inputs``: one way in, one
catalogue of messages) so an amount or a month is checked in one place. A failed check becomes a
pydantic error whose type is our error code and whose context carries the Danish reason, for
problem+json; ``input_error_from_validation`` (re-exported from ``flexcalc.inputs``) turns it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

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
from flexcalc.inputs import (
    as_pydantic_error,
    parse_amount,
    parse_benefit_month,
    parse_month,
    parse_quantity,
)
from flexcalc.inputs import input_error_from_validation as input_error_from_validation  # re-exported
from flexcalc.money import ZERO
from flexcalc.period import Month

AmountField = Annotated[
    Decimal,
    Field(
        json_schema_extra={"anyOf": [{"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$|^\d{1,3}(\.\d{3})+,\d{1,2}$"},
                                     {"type": "number"}]},
        examples=["15600.00"],
    ),
]
MonthField = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2024-03"])]

# The validators below adapt flexcalc.inputs (the one way in) to pydantic field validators; they hold no
# rule of their own.


def _adapted(parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return parse(*args, **kwargs)
    except InputError as error:
        raise as_pydantic_error(error) from None


def validate_amount(value: Any, field: str, **kwargs: Any) -> Decimal:
    """An amount (``flexcalc.inputs.parse_amount``) inside a pydantic validator."""
    return cast(Decimal, _adapted(parse_amount, value, field, **kwargs))


def validate_month(value: Any, field: str = "month") -> str:
    """A month "YYYY-MM" (any month: the rates table is not consulted)."""
    return str(_adapted(parse_month, value, field))


def validate_benefit_month(value: Any, field: str = "month") -> str:
    """A benefit month "YYYY-MM" that the rates table covers."""
    return str(_adapted(parse_benefit_month, value, field))


def validate_quantity(value: Any, field: str, *, maximum: Decimal, decimals: int = 2, unit: str = "days",
                      unit_da: str = "dage") -> Decimal:
    """A number of days or hours: not negative, at most ``maximum``, at most ``decimals`` decimals."""
    return cast(Decimal, _adapted(parse_quantity, value, field, maximum=maximum, decimals=decimals, unit=unit,
                                  unit_da=unit_da))


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
    sickness_benefit_entitled: AmountField | None = Field(
        default=None, description="The syge-/barselsdagpenge the person would have been entitled to when none (or "
                                  "less) were applied for or paid; deducted instead (BEK 227/2024 § 14 stk. 4; § 7 "
                                  "stk. 4). Required when sickness_benefit is 0.")
    resource_benefit: AmountField | None = Field(default=None, description="Ressourceforløbsydelse paid instead of "
                                                                           "wage for the resource_benefit periods "
                                                                           "(deducted in full, LAB § 124 stk. 3).")
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

    @field_validator("feriekonto_earned", "sickness_benefit", "sickness_benefit_entitled", "resource_benefit",
                     "regulation_wage", "bonus_spread_out", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        if value is None and info.field_name in ("sickness_benefit", "sickness_benefit_entitled", "resource_benefit",
                                                 "regulation_wage"):
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
            sickness_benefit_entitled=self.sickness_benefit_entitled,
            resource_benefit=self.resource_benefit,
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


class CalculationRequest(BaseModel):
    """One month's calculation. ``month`` is the benefit month; the amounts are the basis month's."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={
        "examples": [{"month": "2024-03", "wage": "15600.00", "ceiling": "32067.00"}],
    })

    month: MonthField = Field(description="Benefit month (ydelsesmåned), YYYY-MM. Its rates apply.")
    wage: AmountField = Field(description="Wage from the fleksjob employer in the basis month (the month before) "
                                          "incl. own and employer pension, kroner. 0 pays no subsidy unless the "
                                          "events hold an exception (sickness or ressourceforløbsydelse without "
                                          "pay, FerieKonto holiday, from 2024 tabt arbejdsfortjeneste or "
                                          "plejevederlag).")
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
