"""The employer's normal-wage ceiling (lønloft, normalløn): build it from the parts of the lønloft form,
check it for the usual mistakes, and show what it means for the employee.

The law: LAB § 123, stk. 3: wage and subsidy together at most "den løn, der udbetales for ansættelse på
fuld tid på ordinære vilkår i den pågældende stilling"; from 2024 the municipality may in some cases
compute the ceiling itself (§ 123, stk. 3, 3. pkt.). Ankestyrelsen PM 48-22: the ceiling is the
full-time wage with supplements in the same position, without any reduction of the hourly wage for the
reduced working capacity; where evening, night or weekend supplements vary, the employer states the
average monthly pay of an ordinary full-timer in the same position; the employer reports the ceiling at
hiring and reports changes. The municipalities' form (nemform.dk/621/Loenloftskema): "uden
arbejdstidsnedsættelse, reduktion af timelønnen … eller overtid"; qualification, seniority and function
supplements and evening, weekend and night supplements are included. Pension (the employee's own and
the employer's share) belongs in the ceiling as in the wage income it is compared with
(BEK 227/2024 § 1, nr. 1–2).

What this module gives:

- ``NormalWageForm``: the form, validated (pydantic v2; every error names the field, in English and Danish).
- ``build_ceiling``: the monthly ceiling with a breakdown (trace steps) whose counted lines add up to the
  ceiling exactly.
- ``check_form``: the ceiling, its breakdown, the findings of every check (code, severity, Danish and
  English message, what to do; findings never block), and the effect for the employee, computed by
  calling ``flexcalc.calculate.calculate_month`` (the subsidy formula is never repeated here).
- ``ceiling_entry``: the ceiling amount and the date it takes effect, for a case ledger's ceiling history.

Rounding (docs/decisions.md, "Normal-wage ceiling"): each line of the breakdown is rounded once to whole
øre, half up, as on a payslip; the ceiling is the sum of the lines.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from flexcalc.calculate import MonthInput, MonthResult, calculate_month
from flexcalc.errors import FlexcalcError, InputError
from flexcalc.format import date_da, kr, number, percent
from flexcalc.money import ORE, ZERO, amount_str, parse_amount, round_ore
from flexcalc.params import rates_for
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import MONTHS_PER_YEAR, monthly_wage_for_hours, simple_full_time_estimate
from flexcalc.trace import Step, total_of

# --------------------------------------------------------------------------------------------------
# Provisions and constants
# --------------------------------------------------------------------------------------------------

PROVISION_CEILING = "LAB § 123, stk. 3"
PROVISION_FULL_TIME = "LAB § 123, stk. 3 (fuld tid på ordinære vilkår); Ankestyrelsen PM 48-22"
PROVISION_SUPPLEMENTS = "LAB § 123, stk. 3; Ankestyrelsen PM 48-22 (fuldtidsløn med tillæg)"
PROVISION_VARIABLE = "Ankestyrelsen PM 48-22 (gennemsnitlig løn for en almindelig fuldtidsansat)"
PROVISION_REDUCTION = "Ankestyrelsen PM 48-22 (uden reduktion for den nedsatte arbejdsevne)"
PROVISION_OVERTIME = "LAB § 123, stk. 3 (ordinære vilkår, uden overarbejde); kommunernes lønloftskema"
PROVISION_PENSION = "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 2; Ankestyrelsen PM 48-22"
PROVISION_HOLIDAY = "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 1 (herunder ferietillæg); Ankestyrelsen PM 14-22"
PROVISION_TOTAL = "LAB § 123, stk. 3; Ankestyrelsen PM 48-22"
PROVISION_MUNICIPALITY = "LAB § 123, stk. 3, 3. pkt."
PROVISION_REPORT_CHANGES = "Ankestyrelsen PM 48-22 (arbejdsgiveren skal oplyse ændringer i fuldtidslønnen)"
PROVISION_STAR = "STAR, 'Beregn din indtægt i et fleksjob' (37 timer × timeløn × 52/12)"

DEFAULT_FULL_TIME_HOURS = Decimal(37)
MIN_HOURS = Decimal(1)
MAX_HOURS = Decimal(48)
SCHEME_START = dt.date(2013, 1, 1)
"""The fleksløntilskud (and so the ceiling) exists for fleksjobs begun from 1 January 2013."""
MUNICIPALITY_FROM = dt.date(2024, 1, 1)
"""LAB § 123, stk. 3, 3. pkt. (L 83, in force 1 January 2024): the municipality may compute the ceiling."""
STALE_AFTER_MONTHS = 12
HUNDRED = Decimal(100)

Severity = Literal["error", "warning", "info"]
PensionBase = Literal["base_wage", "base_and_fixed_supplements", "all_wage"]
VariableBasis = Literal["full_time_average", "employee_actual"]
HolidayPaid = Literal["monthly", "lump_sum"]
Source = Literal["employer", "municipality"]
Method = Literal["collective_agreement", "employee_wage_scaled", "comparable_position", "other"]

PENSION_BASE_DA: dict[str, str] = {
    "base_wage": "grundlønnen",
    "base_and_fixed_supplements": "grundløn og faste tillæg",
    "all_wage": "hele lønnen inkl. variable tillæg",
}
METHOD_DA: dict[str, str] = {
    "collective_agreement": "overenskomstens satser for stillingen",
    "employee_wage_scaled": "medarbejderens egen løn omregnet til fuld tid",
    "comparable_position": "lønnen i en tilsvarende stilling (fx lønstatistik)",
    "other": "anden metode",
}
SEVERITY_DA: dict[str, str] = {"error": "FEJL", "warning": "ADVARSEL", "info": "OPLYSNING"}

_OVERTIME_WORDS = re.compile(r"overarbejd|overtid|merarbejd|over-?time", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


# --------------------------------------------------------------------------------------------------
# Parsing of percentages, hours and dates (amounts use flexcalc.money.parse_amount)
# --------------------------------------------------------------------------------------------------

def _number(value: Any, field: str, what_en: str, what_da: str) -> Decimal:
    """A finite number with at most two decimals from a string ("12,5"), int, Decimal or JSON number."""
    if value is None:
        raise InputError(field, "is required", "skal udfyldes", code="missing")
    if isinstance(value, bool):
        raise InputError(field, f"must be {what_en}, not true/false", f"skal være {what_da}, ikke sand/falsk",
                         code="number_type")
    number_: Decimal
    if isinstance(value, Decimal):
        number_ = value
    elif isinstance(value, int):
        number_ = Decimal(value)
    elif isinstance(value, float):
        number_ = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number_ = Decimal(text)
        except InvalidOperation:
            raise InputError(field, f"'{value}' is not {what_en}", f"'{value}' er ikke {what_da}",
                             code="number_type") from None
    else:
        raise InputError(field, f"must be {what_en}", f"skal være {what_da}", code="number_type")
    if not number_.is_finite():
        raise InputError(field, "must be a finite number (not NaN or infinity)",
                         "skal være et endeligt tal (ikke NaN eller uendelig)", code="number_not_finite")
    if abs(number_) > _LARGEST_NUMBER:
        raise InputError(field, "is far too large", "er alt for stort", code="number_too_large")
    if number_ != number_.quantize(ORE):
        raise InputError(field, "has more than two decimals", "har mere end to decimaler", code="number_decimals")
    return number_.quantize(ORE) + 0


_LARGEST_NUMBER = Decimal("1e12")
"""Above this no form value makes sense (and quantizing it would exceed Decimal's precision)."""


def _plain(value: Decimal) -> str:
    """A number without exponent or trailing zeros: ``Decimal("60.00")`` → ``60``, ``12.50`` → ``12.5``."""
    return format(value.normalize(), "f")


def parse_percent(value: Any, field: str) -> Decimal:
    """A percentage 0–100 with at most two decimals: ``"8"`` → ``Decimal("8.00")`` (meaning 8 %)."""
    pct = _number(value, field, "a percentage", "en procentsats")
    if not ZERO <= pct <= HUNDRED:
        raise InputError(field, f"must be a percentage from 0 to 100, got {_plain(pct)}",
                         f"skal være en procentsats fra 0 til 100, ikke {_plain(pct).replace('.', ',')}",
                         code="percent_range")
    return pct


def parse_hours(value: Any, field: str) -> Decimal:
    """Weekly hours from 1 to 48 with at most two decimals."""
    hours = _number(value, field, "a number of hours a week", "et antal timer om ugen")
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise InputError(field, f"must be from 1 to 48 hours a week, got {_plain(hours)}",
                         f"skal være fra 1 til 48 timer om ugen, ikke {_plain(hours).replace('.', ',')}",
                         code="hours_range")
    return hours


def parse_date(value: Any, field: str, *, earliest: dt.date = dt.date(2000, 1, 1)) -> dt.date:
    """A date written YYYY-MM-DD that exists (2024-02-30 does not) and is not before ``earliest``."""
    if isinstance(value, dt.datetime):
        raise InputError(field, "must be a date written YYYY-MM-DD, not a time",
                         "skal være en dato skrevet ÅÅÅÅ-MM-DD, ikke et tidspunkt", code="date_format")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if not match:
            raise InputError(field, f"'{value}' is not a date written YYYY-MM-DD, e.g. 2024-03-01",
                             f"'{value}' er ikke en dato skrevet ÅÅÅÅ-MM-DD, fx 2024-03-01", code="date_format")
        year, month, day_ = (int(part) for part in match.groups())
        try:
            day = dt.date(year, month, day_)
        except ValueError:
            raise InputError(field, f"'{value}' is not a date that exists",
                             f"'{value}' er ikke en dato, der findes", code="date_invalid") from None
    else:
        raise InputError(field, "must be a date written YYYY-MM-DD", "skal være en dato skrevet ÅÅÅÅ-MM-DD",
                         code="date_format")
    if day < earliest:
        raise InputError(field, f"{day} is before {earliest}", f"{day} er før {earliest}", code="date_range")
    if day.year > 2100:
        raise InputError(field, f"{day} is after 2100", f"{day} er efter år 2100", code="date_range")
    return day


def _pydantic(error: InputError) -> PydanticCustomError:
    return PydanticCustomError(error.code, error.reason_en, {"reason_da": error.reason_da})


_THOUSANDS = re.compile(r"^\s*\d{1,3}(\.\d{3})+\s*$")


def _amount(value: Any, info: ValidationInfo) -> Decimal:
    """An amount (``flexcalc.money.parse_amount``); "26.500" is refused as ambiguous on a Danish form (26,50 kr.
    or 26.500 kr.?)."""
    if isinstance(value, str) and _THOUSANDS.match(value):
        raise PydanticCustomError(
            "amount_ambiguous", f"'{value}' is ambiguous: write 26500 or 26500.00 (no thousands separator)",
            {"reason_da": f"'{value}' er tvetydigt: skriv fx 26500 eller 26500,00 (uden tusindtalsseparator)"})
    try:
        return parse_amount(value, info.field_name or "amount")
    except InputError as error:
        raise _pydantic(error) from None


def _percent(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_percent(value, info.field_name or "percent")
    except InputError as error:
        raise _pydantic(error) from None


def _hours(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_hours(value, info.field_name or "hours")
    except InputError as error:
        raise _pydantic(error) from None


def _date(value: Any, info: ValidationInfo, earliest: dt.date = dt.date(2000, 1, 1)) -> dt.date:
    try:
        return parse_date(value, info.field_name or "date", earliest=earliest)
    except InputError as error:
        raise _pydantic(error) from None


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
            raise _pydantic(error) from None
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


_PYDANTIC_DA = {
    "missing": "skal udfyldes",
    "extra_forbidden": "er ikke et kendt felt",
    "literal_error": "har ikke en af de tilladte værdier",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "string_type": "skal være tekst",
    "string_too_short": "må ikke være tom",
    "string_too_long": "er for lang",
    "string_pattern_mismatch": "har ikke det rigtige format",
    "model_type": "skal være et JSON-objekt",
    "model_attributes_type": "skal være et JSON-objekt",
    "dict_type": "skal være et JSON-objekt",
    "list_type": "skal være en liste",
    "too_long": "har for mange elementer",
}


def errors_of(exc: ValidationError) -> list[InputError]:
    """Pydantic's errors as ``InputError``s naming the field by its dotted path (``pension.employer_percent``)."""
    out = []
    for error in exc.errors():
        ctx = error.get("ctx") or {}
        code = error.get("type", "invalid")
        field_ = ".".join(str(part) for part in error.get("loc", ())) or "form"
        reason = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        reason_da = ctx.get("reason_da") or _PYDANTIC_DA.get(code, "er ugyldig")
        if code == "literal_error" and "expected" in ctx:
            reason_da = f"skal være en af: {ctx['expected']}"
        out.append(InputError(field_, reason, reason_da, code=code))
    return out


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


# --------------------------------------------------------------------------------------------------
# The ceiling from its parts
# --------------------------------------------------------------------------------------------------

def simple_estimate(hourly_wage: Decimal) -> Decimal:
    """What STAR's official calculator assumes the ceiling is: 37 × hourly wage × 52/12 (in øre).

    STAR, "Beregn din indtægt i et fleksjob": "Månedslønnen for fuldtidsarbejde (37 timer/uge) i den
    pågældende stilling er antaget at udgøre 32.067 kr. (37 timer * 200 kr. pr. time * 52 uger / 12 mdr.)".
    """
    return simple_full_time_estimate(hourly_wage)


def _hours_text(hours: Decimal) -> str:
    decimals = 0 if hours == hours.to_integral_value() else 2
    text = number(hours, decimals=decimals)
    return text.rstrip("0").rstrip(",") if decimals else text


def _pct_text(pct: Decimal) -> str:
    return percent(pct / HUNDRED)


@dataclass(slots=True)
class CeilingBreakdown:
    """The monthly ceiling and its lines. Steps with ``part_of="ceiling"`` add up to ``total`` exactly."""

    steps: list[Step]
    total: Decimal
    base_wage: Decimal
    wage_before_pension: Decimal
    pension_base: Decimal
    employer_pension: Decimal
    employee_pension: Decimal
    employee_pension_counted: bool
    variable_supplements: Decimal
    holiday_supplement_monthly: Decimal
    holiday_supplement_lump_sum: Decimal | None
    """Ferietillæg paid once a year at full time (not in the monthly ceiling), when paid as a lump sum."""

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)


def _line(steps: list[Step], key: str, label: str, provision: str, amount: Decimal,
          inputs: dict[str, Any] | None = None, *, sign: int = 1) -> None:
    steps.append(Step(key, label, provision, amount, inputs or {}, sign * amount, "ceiling"))


def build_ceiling(form: NormalWageForm) -> CeilingBreakdown:
    """The monthly ceiling from the form's parts, line by line (LAB § 123, stk. 3; Ankestyrelsen PM 48-22).

    Every line is rounded once to øre (half up); the ceiling is the sum of the counted lines. Overtime and a
    reduction for the reduced working capacity are shown as lines when the form includes them (they must not
    be there; ``check_form`` reports them and gives the ceiling without them).
    """
    steps: list[Step] = []
    hours = form.full_time_hours
    if form.monthly_base_wage is not None:
        base = form.monthly_base_wage
        _line(steps, "base_wage", "Grundløn pr. måned ved fuld tid", PROVISION_FULL_TIME, base,
              {"full_time_hours": hours})
    else:
        assert form.hourly_rate is not None
        base = monthly_wage_for_hours(form.hourly_rate, hours)
        _line(steps, "base_wage",
              f"Grundløn ved fuld tid: {number(form.hourly_rate)} kr. × {_hours_text(hours)} timer × 52/12",
              PROVISION_FULL_TIME, base, {"hourly_rate": form.hourly_rate, "full_time_hours": hours})
    reduction = form.capacity_reduction
    if reduction:
        if reduction > base:
            raise InputError("capacity_reduction", "is larger than the base wage",
                             "er større end grundlønnen", code="reduction_too_large")
        _line(steps, "capacity_reduction", "Nedsættelse for nedsat arbejdsevne (må ikke indgå i lønloftet)",
              PROVISION_REDUCTION, reduction, sign=-1)

    sup = form.supplements
    fixed = ZERO
    for key, label, amount in (("qualification", "Kvalifikationstillæg", sup.qualification),
                               ("seniority", "Anciennitetstillæg", sup.seniority),
                               ("function", "Funktionstillæg", sup.function)):
        if amount:
            _line(steps, f"supplement_{key}", label, PROVISION_SUPPLEMENTS, amount)
            fixed += amount
    for index, other in enumerate(sup.other):
        if _OVERTIME_WORDS.search(other.name):
            _line(steps, f"supplement_other_{index}", f"{other.name} (overarbejde må ikke indgå i lønloftet)",
                  PROVISION_OVERTIME, other.amount, {"name": other.name})
        else:
            _line(steps, f"supplement_other_{index}", f"Andet fast tillæg: {other.name}", PROVISION_SUPPLEMENTS,
                  other.amount, {"name": other.name})
        fixed += other.amount

    var = form.variable_supplements
    whose = "medarbejderens egne" if var.basis == "employee_actual" else "gennemsnit for en fuldtidsansat"
    variable = ZERO
    for key, label, amount in (("evening", "Aftentillæg", var.evening), ("night", "Nattillæg", var.night),
                               ("weekend", "Weekendtillæg", var.weekend)):
        if amount:
            _line(steps, f"variable_{key}", f"{label} ({whose})", PROVISION_VARIABLE, amount, {"basis": var.basis})
            variable += amount
    overtime = form.overtime
    if overtime:
        _line(steps, "overtime", "Overarbejde (må ikke indgå i lønloftet)", PROVISION_OVERTIME, overtime)

    wage_before_pension = base - reduction + fixed + variable + overtime
    steps.append(Step("wage_before_pension", "Løn før pension", PROVISION_TOTAL, wage_before_pension))

    pension = form.pension
    pension_base = {
        "base_wage": base - reduction,
        "base_and_fixed_supplements": base - reduction + fixed,
        "all_wage": wage_before_pension,
    }[pension.computed_on]
    on = PENSION_BASE_DA[pension.computed_on]
    employer_pension = round_ore(pension_base * pension.employer_percent / HUNDRED)
    if pension.employer_percent:
        _line(steps, "pension_employer",
              f"Arbejdsgiverens pensionsbidrag ({_pct_text(pension.employer_percent)} af {on}: {kr(pension_base)})",
              PROVISION_PENSION, employer_pension,
              {"percent": pension.employer_percent, "base": pension_base, "computed_on": pension.computed_on})
    employee_pension = round_ore(pension_base * pension.employee_percent / HUNDRED)
    counted = not pension.employee_share_in_wage
    if pension.employee_percent:
        label = f"Eget pensionsbidrag ({_pct_text(pension.employee_percent)} af {on}: {kr(pension_base)})"
        inputs: dict[str, Any] = {"percent": pension.employee_percent, "base": pension_base,
                                  "computed_on": pension.computed_on}
        if counted:
            _line(steps, "pension_employee", label, PROVISION_PENSION, employee_pension, inputs)
        else:
            steps.append(Step("pension_employee", label + " – er en del af lønnen ovenfor og lægges ikke til igen",
                              PROVISION_PENSION, employee_pension, dict(inputs)))

    holiday = form.holiday_supplement
    holiday_monthly = ZERO
    lump_sum: Decimal | None = None
    if holiday.percent:
        if holiday.paid == "monthly":
            holiday_monthly = round_ore(wage_before_pension * holiday.percent / HUNDRED)
            _line(steps, "holiday_supplement",
                  f"Ferietillæg ({_pct_text(holiday.percent)} af lønnen før pension)", PROVISION_HOLIDAY,
                  holiday_monthly, {"percent": holiday.percent, "base": wage_before_pension})
        else:
            lump_sum = round_ore(wage_before_pension * MONTHS_PER_YEAR * holiday.percent / HUNDRED)
            steps.append(Step(
                "holiday_supplement_lump_sum",
                f"Ferietillæg ({_pct_text(holiday.percent)} af et års løn før pension) udbetales samlet: "
                "det er ikke med i det månedlige lønloft; lønloftet hæves med beløbet i den måned, det udbetales",
                PROVISION_HOLIDAY, lump_sum, {"percent": holiday.percent, "base": wage_before_pension * 12}))

    total = total_of(steps, "ceiling")
    provision = PROVISION_TOTAL if form.source == "employer" else f"{PROVISION_MUNICIPALITY}; {PROVISION_TOTAL}"
    label = "Lønloft pr. måned" + (" (beregnet af kommunen)" if form.source == "municipality" else "")
    steps.append(Step("ceiling", label, provision, total))
    return CeilingBreakdown(
        steps=steps, total=total, base_wage=base, wage_before_pension=wage_before_pension,
        pension_base=pension_base, employer_pension=employer_pension, employee_pension=employee_pension,
        employee_pension_counted=counted, variable_supplements=variable,
        holiday_supplement_monthly=holiday_monthly, holiday_supplement_lump_sum=lump_sum,
    )


def _without_excluded(form: NormalWageForm, *, overtime: bool = True, reduction: bool = True) -> NormalWageForm:
    """The form without overtime (also overtime entered as another supplement) and/or without the reduction."""
    update: dict[str, Any] = {}
    if overtime:
        others = [o for o in form.supplements.other if not _OVERTIME_WORDS.search(o.name)]
        update["overtime"] = ZERO
        update["supplements"] = form.supplements.model_copy(update={"other": others})
    if reduction:
        update["capacity_reduction"] = ZERO
    return form.model_copy(update=update)


# --------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """The result of one check. Findings inform; they never block (the employer decides)."""

    code: str
    severity: Severity
    field: str
    message_da: str
    message_en: str
    action_da: str
    action_en: str
    provision: str
    amounts: dict[str, Decimal] = dataclass_field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title_da, title_en = TITLES[self.code]
        return {
            "code": self.code, "severity": self.severity, "field": self.field,
            "title": title_en, "title_da": title_da,
            "message": self.message_en, "message_da": self.message_da,
            "action": self.action_en, "action_da": self.action_da, "provision": self.provision,
            "amounts": {k: amount_str(v) for k, v in self.amounts.items()},
        }


CHECK_CODES = (
    "ceiling_below_own_wage",
    "pension_missing",
    "overtime_included",
    "capacity_reduction_included",
    "variable_supplements_not_average",
    "ceiling_older_than_12_months",
    "ceiling_older_than_pay_rise",
    "municipality_ceiling_before_2024",
    "simple_estimate_difference",
)
"""Every check, in the order it runs. Checks that need the employee are skipped without one."""

TITLES: dict[str, tuple[str, str]] = {
    "ceiling_below_own_wage": ("Lønloftet er lavere end medarbejderens egen løn på fuld tid",
                               "The ceiling is below the employee's own wage at full time"),
    "pension_missing": ("Pension mangler i lønloftet", "Pension is missing from the ceiling"),
    "overtime_included": ("Overarbejde indgår i lønloftet", "Overtime is included in the ceiling"),
    "capacity_reduction_included": ("Nedsættelse for nedsat arbejdsevne indgår i lønloftet",
                                    "A reduction for the reduced working capacity is included"),
    "variable_supplements_not_average": ("Variable tillæg er ikke gennemsnittet for en fuldtidsansat",
                                         "Variable supplements are not a full-timer's average"),
    "ceiling_older_than_12_months": ("Lønloftet er over 12 måneder gammelt", "The ceiling is over 12 months old"),
    "ceiling_older_than_pay_rise": ("Lønloftet er ældre end den seneste lønstigning",
                                    "The ceiling is older than the latest pay rise"),
    "municipality_ceiling_before_2024": ("Kommunen kan først selv beregne lønloftet fra 2024",
                                         "The municipality may compute the ceiling only from 2024"),
    "simple_estimate_difference": ("Forskel fra STAR's beregner (37 × timeløn × 52/12)",
                                   "Difference from STAR's calculator (37 × hourly × 52/12)"),
}
"""A short title per check, (Danish, English)."""

NEEDS_EMPLOYEE = ("ceiling_below_own_wage", "pension_missing", "simple_estimate_difference")


def _en(amount: Decimal) -> str:
    return f"{amount:,.2f} kr."


def own_full_time_wage(form: NormalWageForm) -> Decimal | None:
    """The employee's own hourly wage (incl. pension and supplements) × full-time hours × 52/12."""
    if form.employee is None:
        return None
    return monthly_wage_for_hours(form.employee.hourly_wage, form.full_time_hours)


def check_below_own_wage(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3: the ceiling is the full-time wage on ordinary terms; it cannot be lower than what
    the employee's own hourly wage (incl. pension and supplements) gives at full time."""
    own = own_full_time_wage(form)
    if own is None or ceiling.total >= own:
        return None
    assert form.employee is not None
    hours = _hours_text(form.full_time_hours)
    return Finding(
        "ceiling_below_own_wage", "error", "monthly_base_wage" if form.monthly_base_wage is not None else "hourly_rate",
        f"Lønloftet ({kr(ceiling.total)}) er lavere end medarbejderens egen timeløn inkl. pension og tillæg "
        f"omregnet til fuld tid: {number(form.employee.hourly_wage)} kr. × {hours} timer × 52/12 = {kr(own)} "
        "Det kan ikke passe: en fuldtidsansat i stillingen tjener mindst det samme pr. time.",
        f"The ceiling ({_en(ceiling.total)}) is lower than the employee's own hourly wage incl. pension and "
        f"supplements at full time: {form.employee.hourly_wage} × {form.full_time_hours} h × 52/12 = {_en(own)}. "
        "That is impossible: a full-timer in the position earns at least as much an hour.",
        "Gennemgå skemaet: mangler der tillæg eller pension, er timelønnen nedsat for den nedsatte arbejdsevne, "
        f"eller er fuldtidstimetallet forkert? Lønloftet skal mindst være {kr(own)}",
        "Review the form: are supplements or pension missing, is the rate reduced for the reduced working "
        f"capacity, or are the full-time hours wrong? The ceiling must be at least {_en(own)}.",
        PROVISION_CEILING,
        {"ceiling": ceiling.total, "own_full_time_wage": own, "shortfall": own - ceiling.total},
    )


def check_pension_missing(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """BEK 227/2024 § 1, nr. 1–2; PM 48-22: the wage income counts the employer's and the employee's pension,
    so the ceiling must include the pension the position carries. Reported when the employee's wage carries an
    employer share and the ceiling has none, or an own share the ceiling neither adds nor includes in the wage."""
    employee = form.employee
    if employee is None:
        return None
    pension = form.pension
    missing_da, missing_en = [], []
    estimate = ZERO
    if employee.pension_employer_percent > 0 and pension.employer_percent == 0:
        missing_da.append(f"arbejdsgiverens andel ({_pct_text(employee.pension_employer_percent)})")
        missing_en.append(f"the employer's share ({_plain(employee.pension_employer_percent)} %)")
        estimate += round_ore(ceiling.pension_base * employee.pension_employer_percent / HUNDRED)
    if (employee.pension_own_percent > 0 and pension.employee_percent == 0
            and not pension.employee_share_in_wage):
        missing_da.append(f"medarbejderens egen andel ({_pct_text(employee.pension_own_percent)})")
        missing_en.append(f"the employee's own share ({_plain(employee.pension_own_percent)} %)")
        estimate += round_ore(ceiling.pension_base * employee.pension_own_percent / HUNDRED)
    if not missing_da:
        return None
    return Finding(
        "pension_missing", "error", "pension.employer_percent" if pension.employer_percent == 0
        else "pension.employee_percent",
        f"Medarbejderens løn har pension, men lønloftet mangler {' og '.join(missing_da)}. Lønindtægten, "
        "som tilskuddet beregnes af, tæller pensionen med; derfor skal lønloftet også gøre det. "
        f"Med samme procent af {PENSION_BASE_DA[pension.computed_on]} er det ca. {kr(estimate)} om måneden.",
        f"The employee's wage carries pension, but the ceiling lacks {' and '.join(missing_en)}. The wage income "
        "the subsidy is computed from counts the pension, so the ceiling must too. At the same rate that is about "
        f"{_en(estimate)} a month.",
        "Angiv pensionsprocenterne for en fuldtidsansat i stillingen (arbejdsgiverens og medarbejderens andel).",
        "Enter the pension percentages of a full-timer in the position (employer's and employee's share).",
        PROVISION_PENSION,
        {"missing_pension_estimate": estimate},
    )


def check_overtime(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3 ("ordinære vilkår"); the lønloft form: the full-time wage without overtime."""
    named = [o for o in form.supplements.other if _OVERTIME_WORDS.search(o.name)]
    amount = form.overtime + sum((o.amount for o in named), ZERO)
    if not amount:
        return None
    corrected = build_ceiling(_without_excluded(form, reduction=False)).total
    field_ = "overtime" if form.overtime else f"supplements.other.{form.supplements.other.index(named[0])}.name"
    return Finding(
        "overtime_included", "error", field_,
        f"Lønloftet indeholder overarbejde: {kr(amount)} om måneden. "
        "Lønloftet er lønnen på fuld tid på ordinære vilkår, uden overarbejde. "
        f"Uden overarbejdet er lønloftet {kr(corrected)}",
        f"The ceiling includes overtime: {_en(amount)} a month. The "
        "ceiling is the full-time wage on ordinary terms, without overtime. "
        f"Without it the ceiling is {_en(corrected)}.",
        f"Fjern overarbejdet fra skemaet og indberet {kr(corrected)}",
        f"Remove the overtime from the form and report {_en(corrected)}.",
        PROVISION_OVERTIME,
        {"overtime": amount, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_capacity_reduction(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: the ceiling is the full-time wage "uden eventuel reduktion af timelønnen som følge
    af den nedsatte arbejdsevne"."""
    if not form.capacity_reduction:
        return None
    corrected = build_ceiling(_without_excluded(form, overtime=False)).total
    return Finding(
        "capacity_reduction_included", "error", "capacity_reduction",
        f"Lønnen i skemaet er nedsat med {kr(form.capacity_reduction)} om måneden på grund af den nedsatte "
        "arbejdsevne. Lønloftet er lønnen for en almindelig fuldtidsansat i stillingen, uden en sådan nedsættelse. "
        f"Uden nedsættelsen er lønloftet {kr(corrected)}",
        f"The wage on the form is reduced by {_en(form.capacity_reduction)} a month because of the reduced working "
        "capacity. The ceiling is the wage of an ordinary full-timer in the position, without such a reduction. "
        f"Without it the ceiling is {_en(corrected)}.",
        f"Angiv den fulde løn uden nedsættelse og indberet {kr(corrected)}",
        f"Enter the full wage without the reduction and report {_en(corrected)}.",
        PROVISION_REDUCTION,
        {"capacity_reduction": form.capacity_reduction, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_variable_basis(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: with evening, night or weekend supplements the employer states the average monthly
    pay of an ordinary full-timer in the same position, not the employee's own supplements. Reported when the
    form says the amounts are the employee's own, or when they equal what the employee (working less than full
    time) actually gets."""
    var = form.variable_supplements
    total = ceiling.variable_supplements
    employee = form.employee
    stated = var.basis == "employee_actual" and total > 0
    matches = (employee is not None and employee.actual_variable_supplements is not None
               and employee.actual_variable_supplements > 0 and employee.actual_variable_supplements == total
               and employee.hours_per_week < form.full_time_hours)
    if not (stated or matches):
        return None
    why_da = ("Skemaet angiver, at de variable tillæg er medarbejderens egne." if stated else
              f"De variable tillæg ({kr(total)}) er præcis det, medarbejderen selv får på "
              f"{_hours_text(employee.hours_per_week) if employee else ''} timer om ugen.")
    why_en = ("The form says the variable supplements are the employee's own." if stated else
              f"The variable supplements ({_en(total)}) are exactly what the employee gets on "
              f"{_plain(employee.hours_per_week) if employee else ''} hours a week.")
    return Finding(
        "variable_supplements_not_average", "warning", "variable_supplements.basis" if stated
        else "variable_supplements",
        f"{why_da} Aften-, nat- og weekendtillæg skal i lønloftet være gennemsnittet for en almindelig "
        "fuldtidsansat i samme stilling, også selvom medarbejderen i fleksjob ikke har de vagter.",
        f"{why_en} Evening, night and weekend supplements in the ceiling must be the average of an ordinary "
        "full-timer in the same position, even if the employee in the fleksjob works no such shifts.",
        "Angiv det gennemsnitlige månedlige tillæg for fuldtidsansatte med samme anciennitet i en lignende "
        "stilling (fx over det seneste år).",
        "Enter the average monthly supplement of full-timers with the same seniority in a similar position "
        "(e.g. over the last year).",
        PROVISION_VARIABLE,
        {"variable_supplements": total},
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month where that day does not exist."""
    target = Month(day.year, day.month) + months
    return dt.date(target.year, target.month, min(day.day, target.last_day().day))


def check_stale(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage. A ceiling in force more than 12 months is
    very likely out of date (agreements regulate wages at least yearly): a reminder to update it."""
    limit = add_months(form.effective_date, STALE_AFTER_MONTHS)
    if as_of <= limit:
        return None
    months = Month.of(as_of) - Month.of(form.effective_date) - (1 if as_of.day < form.effective_date.day else 0)
    return Finding(
        "ceiling_older_than_12_months", "warning", "effective_date",
        f"Lønloftet gælder fra {date_da(form.effective_date)} og er over 12 måneder gammelt ({months} måneder "
        f"den {date_da(as_of)}). Lønnen reguleres typisk mindst én gang om året, og så skal lønloftet også ændres.",
        f"The ceiling took effect on {form.effective_date} and is more than 12 months old ({months} months on "
        f"{as_of}). Wages are usually regulated at least yearly, and then the ceiling must change too.",
        "Tjek den aktuelle fuldtidsløn i stillingen og indberet et opdateret lønloft til kommunen.",
        "Check the current full-time wage in the position and report an updated ceiling to the municipality.",
        PROVISION_REPORT_CHANGES,
    )


def check_pay_rise(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage (a pay rise, new supplements, pension)."""
    rise = form.last_pay_rise
    if rise is None or rise <= form.effective_date:
        return None
    future = rise > as_of
    return Finding(
        "ceiling_older_than_pay_rise", "warning", "last_pay_rise",
        f"Lønloftet gælder fra {date_da(form.effective_date)}, men lønnen {'stiger' if future else 'steg'} "
        f"{date_da(rise)}. Lønloftet skal følge lønstigningen.",
        f"The ceiling took effect on {form.effective_date}, but the wage {'rises' if future else 'rose'} on {rise}. "
        "The ceiling must follow the pay rise.",
        f"Indberet et nyt lønloft med virkning fra {date_da(rise)}.",
        f"Report a new ceiling taking effect on {rise}.",
        PROVISION_REPORT_CHANGES,
    )


def check_municipality_date(form: NormalWageForm) -> Finding | None:
    """LAB § 123, stk. 3, 3. pkt. (in force 1 January 2024): only from 2024 may the municipality compute the
    ceiling itself; before that the employer's information is the basis."""
    if form.source != "municipality" or form.effective_date >= MUNICIPALITY_FROM:
        return None
    return Finding(
        "municipality_ceiling_before_2024", "error", "source",
        f"Lønloftet er beregnet af kommunen, men gælder fra {date_da(form.effective_date)}. Kommunen kan først "
        "selv beregne lønloftet fra 1. januar 2024 (LAB § 123, stk. 3, 3. pkt.).",
        f"The ceiling was computed by the municipality but takes effect on {form.effective_date}. The municipality "
        "may compute the ceiling itself only from 1 January 2024 (LAB § 123(3), 3rd sentence).",
        "Brug arbejdsgiverens oplysninger om fuldtidslønnen for tiden før 2024.",
        "Use the employer's information on the full-time wage for the time before 2024.",
        PROVISION_MUNICIPALITY,
    )


def check_simple_estimate(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """The difference from STAR's simple estimate 37 × hourly wage × 52/12, split exactly into the part due to
    full-time hours other than 37 and the part due to the ceiling's parts versus the employee's own hourly wage."""
    employee = form.employee
    if employee is None:
        return None
    estimate = simple_estimate(employee.hourly_wage)
    own = monthly_wage_for_hours(employee.hourly_wage, form.full_time_hours)
    difference = ceiling.total - estimate
    hours_part = own - estimate
    parts_part = ceiling.total - own
    hours = _hours_text(form.full_time_hours)
    lines_da = [
        f"STAR's beregner antager, at lønloftet er 37 timer × {number(employee.hourly_wage)} kr. × 52/12 = "
        f"{kr(estimate)} (vist som {kr(estimate, decimals=0)}). Lønloftet her er {kr(ceiling.total)}, "
        + ("det samme." if not difference else
           f"{kr(abs(difference))} {'mere' if difference > 0 else 'mindre'}.")
    ]
    lines_en = [
        f"STAR's calculator assumes the ceiling is 37 h × {employee.hourly_wage} × 52/12 = {_en(estimate)}. "
        f"The ceiling here is {_en(ceiling.total)}, a difference of {_en(difference)}."
    ]
    if hours_part:
        lines_da.append(f"{kr(hours_part, sign=True)} skyldes, at fuld tid efter overenskomsten er {hours} timer "
                        "om ugen og ikke 37.")
        lines_en.append(f"{_en(hours_part)} is because full time under the agreement is {form.full_time_hours} hours "
                        "a week, not 37.")
    if parts_part:
        explained = []
        if ceiling.variable_supplements:
            explained.append(f"variable tillæg for en fuldtidsansat ({kr(ceiling.variable_supplements)})")
        if ceiling.holiday_supplement_monthly:
            explained.append(f"ferietillæg ({kr(ceiling.holiday_supplement_monthly)})")
        reason = (" Lønloftet indeholder " + " og ".join(explained) + ", som en timeløn ofte ikke indeholder."
                  if explained and parts_part > 0 else "")
        lines_da.append(
            f"{kr(parts_part, sign=True)} er forskellen mellem lønloftets dele og medarbejderens egen timeløn "
            f"ganget op til {hours} timer ({kr(own)}).{reason}"
            + (" Et lønloft under medarbejderens egen fuldtidsløn kan ikke passe (se fejlen ovenfor)."
               if parts_part < 0 else ""))
        lines_en.append(f"{_en(parts_part)} is the difference between the ceiling's parts and the employee's own "
                        f"hourly wage at {form.full_time_hours} hours ({_en(own)}).")
    return Finding(
        "simple_estimate_difference", "info", "employee.hourly_wage",
        " ".join(lines_da), " ".join(lines_en),
        "Ingen handling, hvis forskellen kan forklares med tillæg, pension, ferietillæg og fuldtidstimetal. "
        "Medarbejderen kan bruge tallet her i stedet for beregnerens skøn.",
        "No action if the difference is explained by supplements, pension, holiday supplement and full-time hours. "
        "The employee can use this figure instead of the calculator's estimate.",
        PROVISION_STAR,
        {"simple_estimate": estimate, "ceiling": ceiling.total, "difference": difference,
         "due_to_full_time_hours": hours_part, "due_to_ceiling_parts": parts_part, "own_full_time_wage": own},
    )


def run_checks(form: NormalWageForm, ceiling: CeilingBreakdown, as_of: dt.date) -> list[Finding]:
    """Every check, in the order of ``CHECK_CODES``; only those that find something are returned."""
    found = [
        check_below_own_wage(form, ceiling),
        check_pension_missing(form, ceiling),
        check_overtime(form, ceiling),
        check_capacity_reduction(form, ceiling),
        check_variable_basis(form, ceiling),
        check_stale(form, as_of),
        check_pay_rise(form, as_of),
        check_municipality_date(form),
        check_simple_estimate(form, ceiling),
    ]
    return [f for f in found if f is not None]


# --------------------------------------------------------------------------------------------------
# What it means for the employee (calls calculate_month; never repeats the formula)
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HourRow:
    hours: Decimal
    wage: Decimal
    subsidy: Decimal
    total: Decimal
    ceiling_binds: bool

    def to_dict(self) -> dict[str, Any]:
        return {"hours": _plain(self.hours), "wage": amount_str(self.wage), "subsidy": amount_str(self.subsidy),
                "total": amount_str(self.total), "ceiling_binds": self.ceiling_binds}


@dataclass(slots=True)
class EmployeeEffect:
    """The ceiling's effect for the employee in one benefit month.

    ``binds_from_hours``: the fewest weekly hours (to 0.01 hour) at which wage + subsidy reach the ceiling;
    from there more hours add nothing to the total (wage + subsidy = ceiling). ``None`` when that does not
    happen up to 48 hours a week. ``0`` when it binds at any number of hours.
    """

    benefit_month: Month
    hourly_wage: Decimal
    hours_per_week: Decimal
    current: MonthResult
    binds_from_hours: Decimal | None
    rows: list[HourRow]

    @property
    def binds_now(self) -> bool:
        return _binds(self.current)

    @property
    def binds_from_whole_hours(self) -> int | None:
        return None if self.binds_from_hours is None else math.ceil(self.binds_from_hours)

    def to_dict(self) -> dict[str, Any]:
        return {
            "benefit_month": str(self.benefit_month),
            "hourly_wage": amount_str(self.hourly_wage),
            "hours_per_week": _plain(self.hours_per_week),
            "monthly_wage": amount_str(self.current.wage_income),
            "subsidy": amount_str(self.current.subsidy),
            "total_income": amount_str(self.current.wage_income + self.current.subsidy),
            "ceiling_binds_now": self.binds_now,
            "binds_from_hours": None if self.binds_from_hours is None else str(self.binds_from_hours),
            "binds_from_whole_hours": self.binds_from_whole_hours,
            "calculation": self.current.to_dict(),
            "hours": [row.to_dict() for row in self.rows],
        }


def _binds(result: MonthResult) -> bool:
    """Wage + subsidy are held at the ceiling: the subsidy the reduction leaves reaches the room under it."""
    return result.subsidy_before_ceiling >= result.ceiling_room


def _month_at(hourly: Decimal, hours: Decimal, ceiling: Decimal, month: Month) -> MonthResult:
    return calculate_month(MonthInput(benefit_month=month, wage=monthly_wage_for_hours(hourly, hours),
                                      ceiling=ceiling))


def binding_hours(hourly: Decimal, ceiling: Decimal, month: Month) -> Decimal | None:
    """The fewest weekly hours (in steps of 0.01) at which the ceiling binds, found by bisection over
    ``calculate_month`` (binding is monotone in the hours: the subsidy falls by at most 55 øre per krone of
    wage while the room under the ceiling falls by a whole krone)."""
    step = Decimal("0.01")
    if _binds(_month_at(hourly, ZERO, ceiling, month)):
        return ZERO
    high = int(MAX_HOURS * 100)
    if not _binds(_month_at(hourly, MAX_HOURS, ceiling, month)):
        return None
    low = 0  # centi-hours: low does not bind, high does
    while high - low > 1:
        middle = (low + high) // 2
        if _binds(_month_at(hourly, Decimal(middle) * step, ceiling, month)):
            high = middle
        else:
            low = middle
    return Decimal(high) * step


def employee_effect(form: NormalWageForm, ceiling: Decimal) -> EmployeeEffect | None:
    """With this ceiling and the employee's hourly wage: the subsidy at the current hours, the hours from which
    the ceiling binds, and a row per whole hour up to full time (each from ``calculate_month``)."""
    employee = form.employee
    if employee is None:
        return None
    if employee.benefit_month is not None:
        month = Month.parse(employee.benefit_month)
    else:
        month = Month.of(form.effective_date)
        try:
            rates_for(month)
        except InputError:
            raise InputError("employee.benefit_month",
                             f"the rates table does not cover {month} (the month the ceiling takes effect): "
                             "give a benefit month",
                             f"satstabellen dækker ikke {month} (den måned lønloftet gælder fra): angiv en "
                             "ydelsesmåned", code="no_rates") from None
    hourly = employee.hourly_wage
    current = _month_at(hourly, employee.hours_per_week, ceiling, month)
    top = min(MAX_HOURS, Decimal(math.ceil(max(form.full_time_hours, employee.hours_per_week))))
    rows = []
    for whole in range(1, int(top) + 1):
        hours = Decimal(whole)
        result = _month_at(hourly, hours, ceiling, month)
        rows.append(HourRow(hours, result.wage_income, result.subsidy, result.wage_income + result.subsidy,
                            _binds(result)))
    return EmployeeEffect(month, hourly, employee.hours_per_week, current, binding_hours(hourly, ceiling, month),
                          rows)


# --------------------------------------------------------------------------------------------------
# The whole check
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CeilingEntry:
    """A ceiling as a case ledger's ceiling history needs it: the amount and the date it takes effect."""

    amount: Decimal
    effective_date: dt.date
    source: Source
    method: Method | None = None


@dataclass(slots=True)
class CheckResult:
    form: NormalWageForm
    as_of: dt.date
    breakdown: CeilingBreakdown
    findings: list[Finding]
    not_checked: list[str]
    corrected_ceiling: Decimal | None
    effect: EmployeeEffect | None

    @property
    def ceiling(self) -> Decimal:
        return self.breakdown.total

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def entry(self) -> CeilingEntry:
        return CeilingEntry(self.ceiling, self.form.effective_date, self.form.source, self.form.method)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the API. Amounts are strings."""
        from flexcalc import RULE_VERSION

        form = self.form
        simple = next((f for f in self.findings if f.code == "simple_estimate_difference"), None)
        return {
            "ceiling": amount_str(self.ceiling),
            "effective_date": str(form.effective_date),
            "source": form.source,
            "method": form.method,
            "method_note": form.method_note,
            "employer": form.employer,
            "position": form.position,
            "full_time_hours": _plain(form.full_time_hours),
            "as_of": str(self.as_of),
            "steps": [step.to_dict() for step in self.breakdown.steps],
            "holiday_supplement_lump_sum": None if self.breakdown.holiday_supplement_lump_sum is None
            else amount_str(self.breakdown.holiday_supplement_lump_sum),
            "corrected_ceiling": None if self.corrected_ceiling is None else amount_str(self.corrected_ceiling),
            "simple_estimate": None if simple is None else amount_str(simple.amounts["simple_estimate"]),
            "findings": [f.to_dict() for f in self.findings],
            "codes": self.codes,
            "errors": sum(f.severity == "error" for f in self.findings),
            "warnings": sum(f.severity == "warning" for f in self.findings),
            "not_checked": self.not_checked,
            "employee_effect": None if self.effect is None else self.effect.to_dict(),
            "ledger_entry": {"amount": amount_str(self.ceiling), "effective_date": str(form.effective_date),
                             "source": form.source, "method": form.method},
            "rule_version": RULE_VERSION,
        }


def check_form(form: NormalWageForm, *, as_of: dt.date | None = None) -> CheckResult:
    """Build the ceiling, run every check and compute the effect for the employee.

    ``as_of`` (the date of the check) is, in order: the argument, the form's ``as_of``, today.
    """
    day = as_of or form.as_of or dt.date.today()
    breakdown = build_ceiling(form)
    findings = run_checks(form, breakdown, day)
    not_checked = [code for code in NEEDS_EMPLOYEE if form.employee is None]
    excluded = any(f.code in ("overtime_included", "capacity_reduction_included") for f in findings)
    corrected = build_ceiling(_without_excluded(form)).total if excluded else None
    effect = employee_effect(form, breakdown.total)
    return CheckResult(form, day, breakdown, findings, not_checked, corrected, effect)


def ceiling_entry(form: NormalWageForm) -> CeilingEntry:
    """The ceiling amount and the date it takes effect (with its source and method), for a case ledger.

    This is the hook for the ledger's ceiling history (issue 5, item 6): the ledger stores the entry and
    recomputes the months it affects; nothing here writes to a ledger.
    """
    return CeilingEntry(build_ceiling(form).total, form.effective_date, form.source, form.method)


def describe_source(form: NormalWageForm) -> str:
    """Who computed the ceiling, in Danish."""
    if form.source == "employer":
        return "Udfyldt af arbejdsgiveren (lønloftskema)."
    method = METHOD_DA.get(form.method or "other", "anden metode")
    note = f" ({form.method_note})" if form.method_note else ""
    return f"Beregnet af kommunen efter {PROVISION_MUNICIPALITY}: {method}{note}."


__all__ = [
    "CHECK_CODES",
    "CeilingBreakdown",
    "CeilingEntry",
    "CheckResult",
    "EmployeeEffect",
    "Finding",
    "FormError",
    "NormalWageForm",
    "binding_hours",
    "build_ceiling",
    "ceiling_entry",
    "check_form",
    "load_form",
    "simple_estimate",
    "validate_form",
]
