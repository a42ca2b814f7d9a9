"""A reform file: a named what-if change to today's rules, read from YAML and validated with pydantic.

::

    name: Én nedsættelsesprocent på 40 %
    description: Tilskuddet falder med 40 øre pr. krone i løn, uanset lønnens højde.
    proposal: STAR workshop proposal 2 ('Forenkling af beregning af fleksløntilskuddet'), …
    parameters:                    # dated values, in the form of flexcalc/law/parameters/<area>/*.yaml
      max_subsidy: {2025-01-01: "20770"}
    rules:                         # named alternative rules, each with its own parameters
      single_reduction_rate: {rate: "0.40"}

``parameters`` may override any parameter in ``flexcalc/law/parameters/<area>/``: a dated value is laid over
the parameter's own values (an override on a date the file already has replaces that value; an override
on another date starts a new value that holds until the file's next date). Every date must lie inside
the parameter's coverage (from its first value to the ``null`` that ends it). Amounts and rates are
numbers written as strings or integers (a YAML float such as ``0.4`` is refused, as in the parameter
files, so no binary fraction ever enters).

``rules`` switches alternative rules on (``flexcalc.reforms.rules`` defines them, with their
provisions and the workshop proposals they model):

- ``single_reduction_rate: {rate}`` — one reduction rate instead of 30 %/55 %;
- ``hourly_reduction: {per_hour, base, flat_subsidy}`` — the subsidy falls by a fixed share of a base
  (the full-time wage by default) for each agreed weekly hour: the "1/37 pr. time" proposal;
- ``agreement_ceilings: {ceilings, missing}`` — the ceiling from a table per collective agreement;
- ``minimum_gain_per_hour: {amount}`` — every extra weekly hour adds at least this much a month.

Anything else (an unknown key, parameter or rule, a value that is not a number, a date outside the
coverage) is an ``InputError`` naming the key, in English and Danish.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from flexcalc.errors import InputError
from flexcalc.law.params import load_parameters

MAX_REFORM_BYTES = 256 * 1024
"""A reform file larger than this is refused (it is a short text)."""
MAX_DENOMINATOR = 10**6
"""Shares per hour are exact fractions with a denominator of at most a million."""


MAX_NUMBER = Decimal(10) ** 12
"""No amount, rate or count of a reform comes near this; a larger number (``1e999``, 5.000 digits) is refused."""


def _number(value: Any) -> Decimal:
    """A number written as a string or an integer, exactly and of a sane size (at most 10^12, at most 12
    decimals); a float or anything else is refused."""
    number = _any_number(value)
    if abs(number) > MAX_NUMBER:
        raise ValueError("is too large (at most 10^12)")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -12:
        raise ValueError("has too many decimals (at most 12)")
    return number


def _any_number(value: Any) -> Decimal:
    if isinstance(value, (bool, float)):
        raise ValueError("write numbers as quoted strings (\"0.40\") or whole numbers, never as YAML floats")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a number")
        return number
    raise ValueError(f"{value!r} is not a number")


def _amount(value: Any) -> Decimal:
    number = _number(value)
    if number < 0:
        raise ValueError("must not be negative")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("an amount has at most two decimals (kroner and øre)")
    if number > 10_000_000:
        raise ValueError("is over 10.000.000 kr. a month")
    return number


def _rate(value: Any) -> Decimal:
    number = _number(value)
    if not 0 <= number <= 1:
        raise ValueError("a rate lies between 0 and 1 (0.40 is 40 %)")
    return number


def _share(value: Any) -> Fraction:
    """A share written as a fraction ("1/37") or a decimal ("0.027"), exactly, between 0 and 1."""
    if isinstance(value, Fraction):
        share = value
    elif isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        try:
            share = Fraction(int(top.strip()), int(bottom.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a fraction like \"1/37\"") from None
    else:
        share = Fraction(_number(value))
    if not 0 <= share <= 1:
        raise ValueError("a share lies between 0 and 1")
    if share.denominator > MAX_DENOMINATOR:
        raise ValueError("use a fraction with a denominator of at most 1.000.000")
    return share


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SingleReductionRate(_Strict):
    """One reduction rate for every krone of wage income, instead of 30 % below and 55 % above T."""

    rate: Decimal

    _check = field_validator("rate", mode="before")(lambda cls, v: _rate(v))


class HourlyReduction(_Strict):
    """A flat subsidy that falls by ``per_hour`` × ``base`` for each agreed weekly hour.

    ``base``: ``ceiling`` (the person's full-time wage, the lønloft: the brief's reading of "1/37 af
    lønnen") or ``max_subsidy`` (the flat subsidy itself, so it reaches 0 at 37 hours). ``flat_subsidy``:
    the flat amount in kroner a month; by default the month's maximum subsidy M (after any parameter
    override).
    """

    per_hour: Fraction = Fraction(1, 37)
    base: Literal["ceiling", "max_subsidy"] = "ceiling"
    flat_subsidy: Decimal | None = None

    _check_share = field_validator("per_hour", mode="before")(lambda cls, v: _share(v))
    _check_flat = field_validator("flat_subsidy", mode="before")(
        lambda cls, v: None if v is None else _amount(v))


class AgreementCeilings(_Strict):
    """The ceiling (lønloft) from a table per collective agreement (column ``agreement`` of the people).

    ``missing``: what a person whose agreement is not in the table gets — ``keep`` the reported
    ceiling, or ``error``.
    """

    ceilings: dict[str, Decimal] = Field(min_length=1)
    missing: Literal["keep", "error"] = "keep"

    @field_validator("ceilings", mode="before")
    @classmethod
    def _amounts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("must be a table of agreement: monthly full-time wage")
        out = {}
        for key, amount in value.items():
            try:
                out[str(key)] = _amount(amount)
            except ValueError as error:
                raise ValueError(f"{key}: {error}") from None
        return out


class MinimumGainPerHour(_Strict):
    """Each extra agreed weekly hour adds at least ``amount`` kr. a month to wage + subsidy.

    Implemented as a ceiling allowance: wage + subsidy may reach the ceiling plus ``amount`` per agreed
    weekly hour (see ``flexcalc.reforms.rules``)."""

    amount: Decimal

    _check = field_validator("amount", mode="before")(lambda cls, v: _amount(v))


class Rules(_Strict):
    """The alternative rules a reform switches on (each ``None`` when off)."""

    single_reduction_rate: SingleReductionRate | None = None
    hourly_reduction: HourlyReduction | None = None
    agreement_ceilings: AgreementCeilings | None = None
    minimum_gain_per_hour: MinimumGainPerHour | None = None

    @model_validator(mode="after")
    def _one_reduction(self) -> Rules:
        if self.single_reduction_rate is not None and self.hourly_reduction is not None:
            raise ValueError("single_reduction_rate and hourly_reduction both replace the reduction; choose one")
        return self

    @property
    def active(self) -> list[str]:
        return [name for name in type(self).model_fields if getattr(self, name) is not None]


class Reform(_Strict):
    """A reform: a name, what it does, where it comes from, parameter overrides and alternative rules."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    proposal: str = ""
    parameters: dict[str, dict[dt.date, Decimal]] = Field(default_factory=dict)
    rules: Rules = Field(default_factory=Rules)

    @field_validator("parameters", mode="before")
    @classmethod
    def _overrides(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("must be a table of parameter: {date: value}")
        known = load_parameters()
        out: dict[str, dict[dt.date, Decimal]] = {}
        for name, dated in value.items():
            if name not in known:
                raise _KeyError(f"parameters.{name}", "is not a known parameter (see flexcalc/law/parameters/)",
                                "er ikke en kendt parameter (se flexcalc/law/parameters/)")
            if not isinstance(dated, dict) or not dated:
                raise _KeyError(f"parameters.{name}", "must be dated values like {2025-01-01: \"20770\"}",
                                "skal være daterede værdier som {2025-01-01: \"20770\"}")
            first, end = _coverage(name)
            values: dict[dt.date, Decimal] = {}
            for day, number in dated.items():
                key = f"parameters.{name}.{day}"
                if not isinstance(day, dt.date):
                    raise _KeyError(key, "the key must be a date YYYY-MM-DD", "nøglen skal være en dato ÅÅÅÅ-MM-DD")
                if day < first or (end is not None and day >= end):
                    until = f" until {end - dt.timedelta(days=1)}" if end else ""
                    until_da = f" til {end - dt.timedelta(days=1)}" if end else ""
                    raise _KeyError(key, f"the date is outside the parameter's coverage (from {first}{until})",
                                    f"datoen ligger uden for parameterens dækning (fra {first}{until_da})")
                try:
                    values[day] = _number(number)
                    if values[day] < 0:
                        raise _KeyError(key, "must not be negative", "må ikke være negativ")
                except _KeyError:
                    raise
                except ValueError as error:
                    raise _KeyError(key, str(error), "skal være et tal skrevet som tekst (\"0.40\") eller et "
                                    "helt tal") from None
            out[name] = values
        return out

    @property
    def is_empty(self) -> bool:
        return not self.parameters and not self.rules.active


class _KeyError(ValueError):
    """A validation error that already knows its key and its Danish reason."""

    def __init__(self, key: str, reason_en: str, reason_da: str) -> None:
        super().__init__(reason_en)
        self.key, self.reason_en, self.reason_da = key, reason_en, reason_da


def _coverage(name: str) -> tuple[dt.date, dt.date | None]:
    """The first date a parameter has a value, and the date its coverage ends (``None``: open)."""
    values = load_parameters()[name].values
    first = min(v.start for v in values if v.value is not None)
    end = values[-1].start if values[-1].value is None else None
    return first, end


_DA = {
    "extra_forbidden": "er ikke en kendt nøgle",
    "missing": "mangler",
    "string_too_short": "må ikke være tom",
    "literal_error": "er ikke en af de tilladte værdier",
    "too_short": "må ikke være tom",
}


def _input_error(error: ValidationError) -> InputError:
    first = error.errors()[0]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, _KeyError):
        return InputError(cause.key, cause.reason_en, cause.reason_da, code="reform_invalid")
    key = ".".join(str(part) for part in first["loc"]) or "reform"
    kind = first["type"]
    reason_en = first["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        is_rule = len(first["loc"]) == 2 and first["loc"][0] == "rules"
        what = "rule" if is_rule else "key"
        reason_en = f"is not a known {what}"
        reason_da = "er ikke en kendt regel" if is_rule else "er ikke en kendt nøgle"
    else:
        reason_da = _DA.get(kind, f"er ugyldig: {reason_en}")
    return InputError(key, reason_en, reason_da, code="reform_invalid")


def parse_reform(data: Any) -> Reform:
    """A reform from already-parsed YAML/JSON data; ``InputError`` naming the key when it is wrong."""
    if not isinstance(data, dict):
        raise InputError("reform", "a reform file is a YAML mapping with name, parameters and rules",
                         "en reformfil er en YAML-tabel med name, parameters og rules", code="reform_invalid")
    try:
        return Reform.model_validate(data)
    except ValidationError as error:
        raise _input_error(error) from None
    except _KeyError as error:
        raise InputError(error.key, error.reason_en, error.reason_da, code="reform_invalid") from None


def reform_from_text(text: str) -> Reform:
    """A reform from YAML text (an upload or a file's content)."""
    if len(text.encode("utf-8")) > MAX_REFORM_BYTES:
        raise InputError("reform", "the reform file is larger than 256 KiB", "reformfilen er større end 256 KiB",
                         code="reform_too_large")
    from flexcalc.law.params import _StrictLoader

    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        # ValueError: an integer of more than 4.300 digits; TypeError: a list or mapping as a mapping key
        detail = detail_da = (str(error).splitlines() or [type(error).__name__])[0]
        if isinstance(error, TypeError):
            detail = "a mapping key must be a plain value, not a list or mapping"
            detail_da = "en nøgle skal være en enkel værdi, ikke en liste eller tabel"
        elif isinstance(error, RecursionError):
            detail, detail_da = "nested too deeply", "for dybt indlejret"
        elif isinstance(error, ValueError) and not isinstance(error, yaml.YAMLError):
            detail, detail_da = "a number is too long", "et tal er for langt"
        raise InputError("reform", f"is not valid YAML: {detail}", f"er ikke gyldig YAML: {detail_da}",
                         code="reform_invalid") from None
    return parse_reform(data)


def load_reform(path: str | Path) -> Reform:
    """A reform from a YAML file."""
    path = Path(path)
    if not path.is_file():
        raise InputError("reform", f"'{path}' does not exist or is not a file", f"'{path}' findes ikke eller er ikke "
                         "en fil", code="file_missing")
    return reform_from_text(path.read_text(encoding="utf-8"))


EMPTY = Reform(name="Dagens regler")
"""The empty reform: today's rules."""
