"""The check file: what a person (or the adviser helping them) has in hand, validated.

The simplest form — one line per benefit month with what the municipality paid and the right wage and
lønloft — always works. Richer forms add, per month, what the municipality's specification says it used
(``used_wage``, ``used_ceiling``, ``used_rates_year``), the payslips of the basis months (``payslips``:
wage, pension, supplements, holiday pay, ferietillæg, feriedifference, overtime, and which employer),
and the job's terms (``job_terms``: the lønloft form of ``flexcalc.normal_wage``), from which the right
lønloft is built with the existing normal-wage check.

An adviser's check file carries the citizen's recorded consent (``consent``); it is a file the adviser
keeps, never a record in the municipality's ledger. No CPR number has a field here (extra fields are
refused).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from flexcalc.errors import FlexcalcError, InputError
from flexcalc.money import ZERO
from flexcalc.normal_wage.form import NormalWageForm
from flexcalc.parsing.inputs import as_pydantic_error, errors_from_validation, parse_amount, parse_date
from flexcalc.parsing.model import AmountField, MonthField, validate_benefit_month, validate_month


def _amount(value: Any, info: ValidationInfo) -> Decimal:
    try:
        return parse_amount(value, info.field_name or "amount")
    except InputError as error:
        raise as_pydantic_error(error) from None


def _optional_amount(value: Any, info: ValidationInfo) -> Decimal | None:
    return None if value is None else _amount(value, info)


def _date(value: Any, info: ValidationInfo) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value, info.field_name or "date")
    except InputError as error:
        raise as_pydantic_error(error) from None


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Employer = Literal["fleksjob", "other"]


class Payslip(_Part):
    """One payslip (or one employer's line of an income-register extract) paid in ``month``.

    Every amount counts as wage income in the month it is paid (BEK 227/2024 § 1, nr. 1–2; ferietillæg and
    feriedifference in the month they are paid, Ankestyrelsen PM 14-22). ``wage`` is the A-income liable to
    AM-bidrag other than the parts named beside it."""

    month: MonthField = Field(description="The month the wage was paid, YYYY-MM (the basis month it belongs to).")
    employer: Employer = Field(default="fleksjob", description="'fleksjob' or 'other' (another employer).")
    wage: AmountField = Field(default=ZERO, description="Wage, kr. (A-income), without the parts below.")
    supplements: AmountField = Field(default=ZERO, description="Supplements (evening, night, weekend …), kr.")
    overtime: AmountField = Field(default=ZERO, description="Overtime pay, kr. (counts as wage).")
    holiday_pay: AmountField = Field(default=ZERO, description="Holiday pay paid by the employer, kr.")
    ferietillaeg: AmountField = Field(default=ZERO, description="Ferietillæg paid this month, kr.")
    feriedifference: AmountField = Field(default=ZERO, description="Feriedifference paid this month, kr.")
    pension_own: AmountField = Field(default=ZERO, description="The employee's own pension contribution, kr.")
    pension_employer: AmountField = Field(default=ZERO, description="The employer's pension contribution, kr.")

    _month = field_validator("month", mode="before")(lambda v: validate_month(v, "month"))
    _amounts = field_validator("wage", "supplements", "overtime", "holiday_pay", "ferietillaeg", "feriedifference",
                               "pension_own", "pension_employer", mode="before")(_amount)

    @property
    def pension(self) -> Decimal:
        return self.pension_own + self.pension_employer

    @property
    def holiday_supplements(self) -> Decimal:
        """Ferietillæg and feriedifference: the parts that belong to the month they are paid."""
        return self.ferietillaeg + self.feriedifference

    @property
    def total(self) -> Decimal:
        """The wage income of this payslip (W's share): every part, pension included."""
        return (self.wage + self.supplements + self.overtime + self.holiday_pay + self.holiday_supplements
                + self.pension)


class CheckMonth(_Part):
    """One benefit month: what the municipality paid and used, and the right wage and lønloft (given, or
    built from the payslips and the job's terms)."""

    month: MonthField = Field(description="The benefit month, YYYY-MM (the subsidy is computed on the wage of "
                                          "the month before).")
    paid_subsidy: AmountField = Field(description="The subsidy the municipality's specification says it paid "
                                                  "(before own ATP), kr.")
    used_wage: AmountField | None = Field(default=None, description="The wage income it used, kr. (optional).")
    used_ceiling: AmountField | None = Field(default=None, description="The lønloft it used, kr. (optional).")
    used_rates_year: int | None = Field(default=None, ge=2013, le=2100,
                                        description="The year whose rates it used, when the specification says.")
    wage: AmountField | None = Field(default=None, description="The right wage income of the basis month incl. "
                                                               "pension, kr. (or give payslips).")
    ceiling: AmountField | None = Field(default=None, description="The right lønloft, kr. (or give job_terms).")

    _month = field_validator("month", mode="before")(lambda v: validate_benefit_month(v, "month"))
    _paid = field_validator("paid_subsidy", mode="before")(_amount)
    _optional = field_validator("used_wage", "used_ceiling", "wage", "ceiling", mode="before")(_optional_amount)


class Consent(_Part):
    """The citizen's consent to an adviser's check, as the adviser recorded it."""

    given_by: str = Field(min_length=1, max_length=200, description="The citizen's name (no CPR number).")
    date: dt.date = Field(description="The day consent was given, YYYY-MM-DD.")
    scope: str = Field(default="Kontrol af fleksløntilskud og udkast til henvendelse til kommunen",
                       max_length=500, description="What the consent covers.")

    _date = field_validator("date", mode="before")(_date)


class Adviser(_Part):
    """The adviser who keeps the check file (a union, a social worker)."""

    name: str = Field(min_length=1, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)


class Decision(_Part):
    """The municipality's decision (the specification) the check is about: when it was received."""

    received: dt.date | None = Field(default=None, description="The day the decision was received, YYYY-MM-DD.")
    municipality: str | None = Field(default=None, max_length=200, description="The municipality's name.")
    reference: str | None = Field(default=None, max_length=200, description="The decision's reference, if any.")

    _received = field_validator("received", mode="before")(_date)


class CheckFile(_Part):
    """A check: the months, and optionally the payslips, the job's terms, the decision and — in an adviser's
    file — the adviser and the citizen's recorded consent."""

    months: list[CheckMonth] = Field(min_length=1, max_length=120)
    payslips: list[Payslip] = Field(default_factory=list, max_length=600)
    job_terms: NormalWageForm | None = Field(default=None, description="The lønloft form of the job (the right "
                                                                       "lønloft is built from it).")
    decision: Decision | None = None
    person: str | None = Field(default=None, max_length=200, description="The citizen's name (no CPR number).")
    adviser: Adviser | None = None
    consent: Consent | None = None

    @model_validator(mode="after")
    def _adviser_needs_consent(self) -> CheckFile:
        if self.adviser is not None and self.consent is None:
            raise PydanticCustomError(
                "consent_missing", "an adviser's check file needs the citizen's recorded consent (consent)",
                {"reason_da": "en rådgivers tjekfil skal have borgerens samtykke (consent)"})
        return self

    @model_validator(mode="after")
    def _distinct_months(self) -> CheckFile:
        seen: set[str] = set()
        for line in self.months:
            if line.month in seen:
                raise PydanticCustomError(
                    "month_twice", f"the month {line.month} is given twice",
                    {"reason_da": f"måneden {line.month} står der to gange"})
            seen.add(line.month)
        return self


def validate_check(data: Any) -> CheckFile:
    """A check file from parsed YAML/JSON data; every bad field is named (``CheckFileError``)."""
    if not isinstance(data, dict):
        raise CheckFileError([InputError("check", "must be a mapping with 'months'",
                                         "skal være en tabel med 'months'", code="dict_type")])
    try:
        return CheckFile.model_validate(data)
    except ValidationError as exc:
        raise CheckFileError(errors_from_validation(exc)) from None


def load_check(text: str) -> CheckFile:
    """A check file from YAML (or JSON) text. Numbers stay exact: an unquoted amount is read as text."""
    try:
        data = yaml.load(text, Loader=_ExactLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise CheckFileError([InputError("check", f"not valid YAML: {error}", f"ikke gyldig YAML: {error}",
                                         code="yaml_invalid")]) from None
    return validate_check(data)


def dump_check(check: CheckFile) -> str:
    """The check file as YAML again (amounts as strings), for the adviser to download and keep."""
    data = check.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class CheckFileError(FlexcalcError):
    """A check file with one or more bad fields; each is an ``InputError`` naming its field."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.reason_en}" for e in errors))


class _ExactLoader(yaml.SafeLoader):
    """YAML without floats or dates: ``18000.50`` and ``2024-03`` and ``2024-03-01`` stay text (Decimal later)."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _as_text)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
