"""The lønloft form, validated: every field parsed by ``flexcalc.inputs`` (one way in), every error naming
the field in English and Danish."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from flexcalc import inputs
from flexcalc.errors import FlexcalcError, InputError
from flexcalc.inputs import as_pydantic_error, errors_from_validation, parse_amount, parse_percent
from flexcalc.money import ZERO
from flexcalc.normal_wage.constants import (
    DEFAULT_FULL_TIME_HOURS,
    MAX_HOURS,
    MIN_HOURS,
    SCHEME_START,
    HolidayPaid,
    Method,
    PensionBase,
    Source,
    VariableBasis,
)
from flexcalc.params import rates_for
from flexcalc.period import Month

# --------------------------------------------------------------------------------------------------
# Parsing: every value goes through flexcalc.inputs (one way in, one catalogue of messages)
# --------------------------------------------------------------------------------------------------

def _adapt(error: InputError) -> PydanticCustomError:
    return as_pydantic_error(error)


def parse_hours(value: Any, field: str) -> Decimal:
    """Weekly hours from 1 to 48 with at most two decimals (``flexcalc.inputs.parse_hours``)."""
    return inputs.parse_hours(value, field, minimum=MIN_HOURS, maximum=MAX_HOURS)


def parse_date(value: Any, field: str, *, earliest: dt.date = inputs.EARLIEST_DATE) -> dt.date:
    """A date written YYYY-MM-DD that exists, not before ``earliest`` (``flexcalc.inputs.parse_date``)."""
    return inputs.parse_date(value, field, earliest=earliest)


def _amount(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_amount(value, info.field_name or "amount")
    except InputError as error:
        raise _adapt(error) from None


def _percent(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_percent(value, info.field_name or "percent")
    except InputError as error:
        raise _adapt(error) from None


def _hours(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_hours(value, info.field_name or "hours")
    except InputError as error:
        raise _adapt(error) from None


def _date(value: Any, info: ValidationInfo, earliest: dt.date = inputs.EARLIEST_DATE) -> dt.date:
    try:
        return parse_date(value, info.field_name or "date", earliest=earliest)
    except InputError as error:
        raise _adapt(error) from None


_NUMBER_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$"}, {"type": "number"}]}
Amount = Annotated[Decimal, Field(json_schema_extra=_NUMBER_SCHEMA, examples=["28000.00"])]
Percent = Annotated[Decimal, Field(json_schema_extra=_NUMBER_SCHEMA, examples=["8"])]
Hours = Annotated[Decimal, Field(json_schema_extra=_NUMBER_SCHEMA, examples=["37"])]
DateField = Annotated[dt.date, Field(json_schema_extra={"type": "string", "format": "date"},
                                     examples=["2024-03-01"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]


# --------------------------------------------------------------------------------------------------
# The form
# --------------------------------------------------------------------------------------------------

class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NamedSupplement(_Part):
    """Another fixed monthly supplement at full time (e.g. a fixed bonus, PM 27-23), with its name."""

    name: Text = Field(description="What the supplement is called on the payslip.")
    amount: Amount = Field(description="Kroner a month at full time.")

    _amount = field_validator("amount", mode="before")(_amount)


class FixedSupplements(_Part):
    """Fixed supplements a full-timer in the position gets, kroner a month at full time."""

    qualification: Amount = Field(default=ZERO, description="Kvalifikationstillæg, kr. a month at full time.")
    seniority: Amount = Field(default=ZERO, description="Anciennitetstillæg, kr. a month at full time.")
    function: Amount = Field(default=ZERO, description="Funktionstillæg, kr. a month at full time.")
    other: list[NamedSupplement] = Field(default_factory=list, max_length=20,
                                         description="Other fixed supplements, each with a name.")

    _amounts = field_validator("qualification", "seniority", "function", mode="before")(_amount)


class VariableSupplements(_Part):
    """Evening, night and weekend supplements: the monthly AVERAGE of an ordinary full-timer in the same
    position (PM 48-22), even if the employee in the fleksjob works no such shifts."""

    evening: Amount = Field(default=ZERO, description="Aftentillæg, average kr. a month of a full-timer.")
    night: Amount = Field(default=ZERO, description="Nattillæg, average kr. a month of a full-timer.")
    weekend: Amount = Field(default=ZERO, description="Weekendtillæg, average kr. a month of a full-timer.")
    basis: VariableBasis = Field(
        default="full_time_average",
        description="'full_time_average': the average of an ordinary full-timer (right); "
                    "'employee_actual': the employee's own actual supplements (a mistake the check reports).",
    )

    _amounts = field_validator("evening", "night", "weekend", mode="before")(_amount)


class Pension(_Part):
    """The pension of the position at full time: the employer's and the employee's share in per cent,
    and what they are computed on."""

    employer_percent: Percent = Field(default=ZERO, description="Employer's share, per cent (0–100).")
    employee_percent: Percent = Field(default=ZERO, description="Employee's own share, per cent (0–100).")
    computed_on: PensionBase = Field(
        default="base_and_fixed_supplements",
        description="'base_wage', 'base_and_fixed_supplements' (pensionsgivende løn) or 'all_wage'.",
    )
    employee_share_in_wage: bool = Field(
        default=True,
        description="True when the employee's own share is withheld from the wage stated above (usual: the "
                    "gross wage includes it, so it is not added again); False when the wage is stated after it.",
    )

    _percents = field_validator("employer_percent", "employee_percent", mode="before")(_percent)


class HolidaySupplement(_Part):
    """Ferietillæg of a full-timer: a percentage of the wage before pension."""

    percent: Percent = Field(default=ZERO, description="Ferietillæg, per cent of the wage before pension (e.g. 1).")
    paid: HolidayPaid = Field(
        default="monthly",
        description="'monthly': paid with every wage (part of the monthly ceiling); 'lump_sum': paid once or "
                    "twice a year (the ceiling is raised in the month it is paid, PM 14-22).",
    )

    _pct = field_validator("percent", mode="before")(_percent)


class Employee(_Part):
    """The employee in the fleksjob: what the checks and the effect need."""

    hourly_wage: Amount = Field(description="The employee's own hourly wage incl. pension and supplements, kr. "
                                            "(what STAR's calculator asks for).")
    hours_per_week: Hours = Field(description="Paid hours a week now (1–48).")
    pension_employer_percent: Percent = Field(
        default=ZERO, description="Employer's pension share on the employee's own wage, per cent.")
    pension_own_percent: Percent = Field(default=ZERO, description="The employee's own pension share, per cent.")
    actual_variable_supplements: Amount | None = Field(
        default=None,
        description="Evening/night/weekend supplements the employee actually gets a month, kr. (optional).")
    benefit_month: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{2}$",
        description="Benefit month whose rates are used for the effect, YYYY-MM; default: the month the "
                    "ceiling takes effect.")

    _hourly = field_validator("hourly_wage", mode="before")(_amount)
    _hours_v = field_validator("hours_per_week", mode="before")(_hours)
    _pcts = field_validator("pension_employer_percent", "pension_own_percent", mode="before")(_percent)

    @field_validator("actual_variable_supplements", mode="before")
    @classmethod
    def _actual(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        return None if value is None else _amount(value, info)

    @field_validator("benefit_month", mode="before")
    @classmethod
    def _benefit_month(cls, value: Any) -> str | None:
        if value is None:
            return None
        try:
            month = Month.parse(value, "benefit_month")
            rates_for(month)
        except InputError as error:
            raise _adapt(error) from None
        return str(month)


class NormalWageForm(_Part):
    """The lønloft form: the parts of the full-time wage on ordinary terms in the position.

    Give the base wage either as ``monthly_base_wage`` (full-time monthly wage) or as ``hourly_rate``
    (full-time hourly rate; the monthly wage is hourly rate × full-time hours × 52/12). Amounts are
    kroner a month at full time, with at most two decimals; percentages are 0–100.
    """

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True,
        json_schema_extra={"examples": [{
            "effective_date": "2024-03-01", "full_time_hours": "37", "monthly_base_wage": "26500",
            "supplements": {"qualification": "800", "seniority": "400"},
            "variable_supplements": {"evening": "1200", "weekend": "900", "basis": "full_time_average"},
            "pension": {"employer_percent": "8", "employee_percent": "4", "computed_on": "base_and_fixed_supplements"},
            "holiday_supplement": {"percent": "1", "paid": "monthly"},
            "as_of": "2024-06-01",
            "employee": {"hourly_wage": "185", "hours_per_week": "15", "pension_employer_percent": "8"},
        }]},
    )

    source: Source = Field(
        default="employer", description="Who computed the ceiling: 'employer' (the lønloft form) or 'municipality' "
                                        "(LAB § 123, stk. 3, 3. pkt., from 2024).")
    method: Method | None = Field(
        default=None, validate_default=True,
        description="How the municipality computed it (required when source is 'municipality').")
    method_note: str | None = Field(default=None, max_length=500, description="The method in words.")
    employer: Text | None = Field(default=None, description="Employer's name (for the printed summary).")
    position: Text | None = Field(default=None, description="The position (stilling).")
    employee_name: Text | None = Field(default=None, description="The employee's name (no CPR number).")
    effective_date: DateField = Field(description="The date the ceiling takes effect, YYYY-MM-DD.")
    full_time_hours: Hours = Field(
        default=DEFAULT_FULL_TIME_HOURS, description="Full-time weekly hours under the agreement (1–48), default 37.")
    hourly_rate: Amount | None = Field(
        default=None, description="Full-time hourly base rate, kr. (or monthly_base_wage).")
    monthly_base_wage: Amount | None = Field(
        default=None, validate_default=True, description="Full-time monthly base wage, kr. (or hourly_rate).")
    supplements: FixedSupplements = Field(default_factory=lambda: FixedSupplements())
    variable_supplements: VariableSupplements = Field(default_factory=lambda: VariableSupplements())
    pension: Pension = Field(default_factory=lambda: Pension())
    holiday_supplement: HolidaySupplement = Field(default_factory=lambda: HolidaySupplement())
    overtime: Amount = Field(
        default=ZERO, description="Overtime pay included in the figures, kr. a month. Must be 0: overtime is not "
                                  "part of the ceiling.")
    capacity_reduction: Amount = Field(
        default=ZERO, description="Amount a month by which the wage above was reduced because of the reduced "
                                  "working capacity. Must be 0: the ceiling is the wage without that reduction.")
    last_pay_rise: DateField | None = Field(default=None, description="Date of the latest pay rise in the position.")
    as_of: DateField | None = Field(default=None, description="Date of the check, YYYY-MM-DD (default: today).")
    employee: Employee | None = Field(
        default=None, description="The employee: needed for the checks against the own wage and for the effect on "
                                  "the subsidy.")

    _hours_v = field_validator("full_time_hours", mode="before")(_hours)
    _amounts = field_validator("overtime", "capacity_reduction", mode="before")(_amount)

    @field_validator("method", mode="after")
    @classmethod
    def _method_for_municipality(cls, value: Method | None, info: ValidationInfo) -> Method | None:
        if info.data.get("source") == "municipality" and value is None:
            raise PydanticCustomError(
                "missing", "is required when source is 'municipality': say how the municipality computed it",
                {"reason_da": "skal udfyldes, når kommunen har beregnet lønloftet: angiv metoden"})
        return value

    @field_validator("effective_date", mode="before")
    @classmethod
    def _effective(cls, value: Any, info: ValidationInfo) -> dt.date:
        return _date(value, info, earliest=SCHEME_START)

    @field_validator("last_pay_rise", "as_of", mode="before")
    @classmethod
    def _dates(cls, value: Any, info: ValidationInfo) -> dt.date | None:
        return None if value is None else _date(value, info)

    @field_validator("hourly_rate", mode="before")
    @classmethod
    def _hourly(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        return None if value is None else _amount(value, info)

    @field_validator("monthly_base_wage", mode="before")
    @classmethod
    def _monthly(cls, value: Any, info: ValidationInfo) -> Decimal | None:
        return None if value is None else _amount(value, info)

    @field_validator("monthly_base_wage", mode="after")
    @classmethod
    def _one_base(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if "hourly_rate" not in info.data:  # hourly_rate itself was invalid and is reported
            return value
        hourly = info.data["hourly_rate"]
        if value is None and hourly is None:
            raise PydanticCustomError(
                "missing", "give the full-time monthly base wage, or the full-time hourly rate in hourly_rate",
                {"reason_da": "angiv grundlønnen pr. måned ved fuld tid, eller timelønnen i hourly_rate"})
        if value is not None and hourly is not None:
            raise PydanticCustomError(
                "base_wage_twice", "give either the monthly base wage or the hourly rate, not both",
                {"reason_da": "angiv enten grundløn pr. måned eller timeløn, ikke begge"})
        return value


class FormError(FlexcalcError):
    """A form with one or more bad fields; each is an ``InputError`` naming its field."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.reason_en}" for e in errors))


def errors_of(exc: ValidationError) -> list[InputError]:
    """Pydantic's errors as ``InputError``s naming the field by its dotted path (``pension.employer_percent``)."""
    return errors_from_validation(exc)


def validate_form(data: Any) -> NormalWageForm:
    """Validate a form from already-parsed JSON data; raise ``FormError`` naming every bad field."""
    if not isinstance(data, dict):
        raise FormError([InputError("form", "must be a JSON object", "skal være et JSON-objekt", code="dict_type")])
    try:
        return NormalWageForm.model_validate(data)
    except ValidationError as exc:
        raise FormError(errors_of(exc)) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise FormError([InputError(key, f"the key '{key}' appears twice", f"nøglen '{key}' står der to gange",
                                        code="duplicate_key")])
        result[key] = value
    return result


def load_form(text: str) -> NormalWageForm:
    """Parse and validate a form from JSON text: numbers become ``Decimal`` (never float); NaN, Infinity
    and keys written twice are refused, naming the field."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=lambda c: Decimal(c.replace("Infinity", "Inf")),
                          object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        raise FormError([InputError("form", f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                                    f"ugyldig JSON: {error.msg} (linje {error.lineno}, kolonne {error.colno})",
                                    code="json_invalid")]) from None
    return validate_form(data)
