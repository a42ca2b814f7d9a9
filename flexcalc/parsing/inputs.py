"""One way in: every value a person or a program types becomes a typed value here, or a clear error.

The API models, the CLI, the batch reader, the ledger's report files and the employer's lønloft form
all parse amounts, percentages, hours, days, months and dates with the functions below, and every
error message comes from one catalogue (``MESSAGES``) in English and Danish, keyed by its code. A
failed check raises ``flexcalc.errors.InputError`` naming the field; in a pydantic model the same
check runs through the ``Annotated`` types (``Amount``, ``Percent``, ``WeeklyHours`` …) and comes back
out through ``errors_from_validation``, so the API, the CLI and a form give the same words.

Amounts written as text (docs/decisions.md, "Amount texts"):

- ``15600``, ``15600.50``, ``15600,50`` (decimal point or Danish decimal comma), ``15.600,50`` and
  ``1.234.567,89`` (Danish thousands separators *with* a decimal comma: unambiguous), ``100 kr.``;
- ``26.500`` and ``15,600`` are refused as ambiguous: a separator before exactly three digits may be a
  thousands separator (26.500 kr.) or a decimal (26,50 kr.); ``15,600.00`` (English grouping) is refused
  with the two ways to write it;
- digits other than 0–9 (Arabic-Indic, full-width …) are refused, although Python would read them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from flexcalc.errors import InputError
from flexcalc.money import MAX_MONTHLY_AMOUNT, ORE
from flexcalc.period import Month

# --------------------------------------------------------------------------------------------------
# The message catalogue
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """An error reason in English and Danish; ``{name}`` placeholders are filled from the call."""

    en: str
    da: str


MESSAGES: dict[str, Message] = {
    "missing": Message("is required", "skal udfyldes"),
    # amounts
    "amount_type": Message("'{value}' is not an amount in kroner", "'{value}' er ikke et beløb i kroner"),
    "amount_bool": Message("must be an amount in kroner, not true/false",
                           "skal være et beløb i kroner, ikke sand/falsk"),
    "amount_ambiguous": Message(
        "'{value}' is ambiguous: a '{separator}' before exactly three digits may be a thousands separator or a "
        "decimal; write {plain} or {danish}",
        "'{value}' er tvetydigt: '{separator}' foran præcis tre cifre kan være tusindtalsseparator eller "
        "decimaltegn; skriv {plain_da} eller {danish}"),
    "amount_grouping": Message(
        "'{value}' uses a comma as thousands separator; write {plain} or {danish}",
        "'{value}' bruger komma som tusindtalsseparator; skriv {plain_da} eller {danish}"),
    "amount_digits": Message("'{value}' contains digits other than 0–9; write the amount with the digits 0–9",
                             "'{value}' indeholder andre cifre end 0–9; skriv beløbet med cifrene 0–9"),
    "amount_not_finite": Message("must be a finite amount (not NaN or infinity)",
                                 "skal være et endeligt beløb (ikke NaN eller uendelig)"),
    "amount_negative": Message("must not be negative", "må ikke være negativt"),
    "amount_zero": Message("must be more than 0 kr.", "skal være mere end 0 kr."),
    "amount_too_large": Message("is over {limit} kr. a month; check the amount",
                                "er over {limit} kr. om måneden; kontrollér beløbet"),
    "amount_decimals": Message("has more than two decimals (amounts are in kroner and øre)",
                               "har mere end to decimaler (beløb er i kroner og øre)"),
    # numbers: percentages, hours, days
    "number_type": Message("'{value}' is not {what}", "'{value}' er ikke {what_da}"),
    "number_bool": Message("must be {what}, not true/false", "skal være {what_da}, ikke sand/falsk"),
    "number_not_finite": Message("must be a finite number (not NaN or infinity)",
                                 "skal være et endeligt tal (ikke NaN eller uendelig)"),
    "number_too_large": Message("is far too large", "er alt for stort"),
    "number_decimals": Message("has more than {decimals} decimals", "har mere end {decimals} decimaler"),
    "percent_range": Message("must be a percentage from 0 to 100, got {value}",
                             "skal være en procentsats fra 0 til 100, ikke {value_da}"),
    "hours_range": Message("must be from {minimum} to {maximum} hours a week, got {value}",
                           "skal være fra {minimum_da} til {maximum_da} timer om ugen, ikke {value_da}"),
    "hours_half_step": Message("must be whole or half hours (e.g. 12 or 12.5), got {value}",
                               "skal være hele eller halve timer (fx 12 eller 12,5), ikke {value_da}"),
    "quantity_range": Message("must be between 0 and {maximum} {unit}",
                              "skal være mellem 0 og {maximum_da} {unit_da}"),
    # dates and months
    "date_format": Message("'{value}' is not a date written YYYY-MM-DD, e.g. 2024-03-01",
                           "'{value}' er ikke en dato skrevet ÅÅÅÅ-MM-DD, fx 2024-03-01"),
    "date_time": Message("must be a date written YYYY-MM-DD, not a time",
                         "skal være en dato skrevet ÅÅÅÅ-MM-DD, ikke et tidspunkt"),
    "date_invalid": Message("'{value}' is not a date that exists", "'{value}' er ikke en dato, der findes"),
    "date_range": Message("{value} is outside {earliest} to {latest}",
                          "{value} ligger uden for {earliest} til {latest}"),
}

# Danish reasons for pydantic's own error types (ours carry theirs in ctx["reason_da"]).
PYDANTIC_DANISH: dict[str, str] = {
    "missing": "skal udfyldes",
    "extra_forbidden": "er ikke et kendt felt",
    "json_invalid": "er ikke gyldig JSON",
    "json_type": "skal være et JSON-objekt",
    "model_type": "skal være et JSON-objekt",
    "model_attributes_type": "skal være et JSON-objekt",
    "dict_type": "skal være et JSON-objekt",
    "string_type": "skal være tekst",
    "string_too_short": "må ikke være tom",
    "string_too_long": "er for lang",
    "string_pattern_mismatch": "har ikke det rigtige format",
    "int_parsing": "skal være et helt tal",
    "int_type": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "bool_type": "skal være sand eller falsk",
    "bool_parsing": "skal være sand eller falsk",
    "literal_error": "har ikke en af de tilladte værdier",
    "enum": "har ikke en af de tilladte værdier",
    "date_from_datetime_parsing": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "date_from_datetime_inexact": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "date_parsing": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "date_type": "skal være en dato skrevet ÅÅÅÅ-MM-DD",
    "datetime_parsing": "skal være et tidspunkt i ISO 8601",
    "datetime_type": "skal være et tidspunkt i ISO 8601",
    "datetime_from_date_parsing": "skal være et tidspunkt i ISO 8601",
    "greater_than": "er for lille",
    "greater_than_equal": "er for lille",
    "less_than": "er for stor",
    "less_than_equal": "er for stor",
    "list_type": "skal være en liste",
    "too_long": "har for mange elementer",
    "too_short": "har for få elementer",
    "value_error": "er ugyldig",
}


# Messages that share the error code of another (a variant of the same mistake).
_CODE_OF = {"amount_bool": "amount_type", "number_bool": "number_type", "date_time": "date_format"}


def input_error(field: str, key: str, **params: Any) -> InputError:
    """The catalogue's message ``key`` for ``field``, its placeholders filled from ``params``.

    The error's code is the key, except for the variants in ``_CODE_OF`` (a boolean where an amount was
    expected is an ``amount_type`` error with its own words)."""
    message = MESSAGES[key]
    return InputError(field, message.en.format(**params), message.da.format(**params),
                      code=_CODE_OF.get(key, key))


# --------------------------------------------------------------------------------------------------
# Amounts
# --------------------------------------------------------------------------------------------------

_ASCII_DIGITS = frozenset("0123456789")
_NOT_FINITE = re.compile(r"^[+-]?(s?nan|inf|infinity)$", re.IGNORECASE)
_DANISH_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")         # 15.600,50
_DOT_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")                 # 26.500: thousands or decimals?
_COMMA_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")                # 15,600: thousands or decimals?
_ENGLISH_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")         # 15,600.00
_COMMA_DECIMAL = re.compile(r"^\d+,\d+$")                         # 15600,50
_PLAIN = re.compile(r"^\d+(\.\d*)?([eE][+-]?\d+)?$")              # 15600, 15600.5, 1e3


def _plain_digits(body: str) -> str:
    return body.replace(".", "").replace(",", "")


def _amount_text(value: str, field: str) -> Decimal:
    """The amount written in ``value`` (see the module docstring for what is accepted)."""
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    lowered = text.lower()
    for suffix in ("kr.", "kr"):
        if lowered.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if _NOT_FINITE.match(text):
        raise input_error(field, "amount_not_finite")
    if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in text):
        raise input_error(field, "amount_digits", value=value)
    sign = ""
    if text and text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if _DANISH_GROUPED.match(text):
        canonical = text.replace(".", "").replace(",", ".")
    elif _DOT_GROUPED.match(text) or _COMMA_GROUPED.match(text):
        separator = "." if "." in text else ","
        digits = _plain_digits(text)
        whole = f"{int(digits):,}".replace(",", ".")
        raise input_error(field, "amount_ambiguous", value=value, separator=separator,
                          plain=f"{digits} or {digits}.00", plain_da=f"{digits} eller {digits},00",
                          danish=f"{whole},00")
    elif _ENGLISH_GROUPED.match(text):
        whole, _, decimals = text.partition(".")
        digits = whole.replace(",", "")
        raise input_error(field, "amount_grouping", value=value, plain=f"{digits}.{decimals}",
                          plain_da=f"{digits},{decimals}",
                          danish=f"{int(digits):,}".replace(",", ".") + f",{decimals}")
    elif _COMMA_DECIMAL.match(text):
        canonical = text.replace(",", ".")
    elif _PLAIN.match(text):
        canonical = text
    else:
        raise input_error(field, "amount_type", value=value)
    try:
        return Decimal(sign + canonical)
    except InvalidOperation:  # pragma: no cover - the patterns above only let valid numbers through
        raise input_error(field, "amount_type", value=value) from None


def _json_decimal(value: Any) -> Decimal | None:
    """A Decimal, int or JSON number (a float by its shortest text, so 0.1 stays 0.1) as a Decimal; None for
    anything else (a string is read by its own rules; a bool is refused before)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def parse_amount(
    value: Any,
    field: str,
    *,
    allow_negative: bool = False,
    allow_zero: bool = True,
    maximum: Decimal = MAX_MONTHLY_AMOUNT,
) -> Decimal:
    """An amount in kroner from a string, int, Decimal or JSON number, with at most two decimals.

    Refuses booleans, NaN, infinity, more than two decimals, negative amounts (unless
    ``allow_negative``), zero (when not ``allow_zero``) and amounts above ``maximum``, each with an
    error naming ``field``. Strings: see the module docstring.
    """
    if value is None:
        raise input_error(field, "missing")
    if isinstance(value, bool):
        raise input_error(field, "amount_bool")
    amount = _json_decimal(value)
    if amount is None:
        if not isinstance(value, str):
            raise input_error(field, "amount_type", value=type(value).__name__)
        amount = _amount_text(value, field)
    if not amount.is_finite():
        raise input_error(field, "amount_not_finite")
    if amount < 0 and not allow_negative:
        raise input_error(field, "amount_negative")
    if abs(amount) > maximum:
        raise input_error(field, "amount_too_large", limit=f"{maximum:,.0f}".replace(",", "."))
    if amount != amount.quantize(ORE, rounding=ROUND_HALF_UP):
        raise input_error(field, "amount_decimals")
    amount = amount.quantize(ORE) + 0  # normalise -0.00 to 0.00
    if not allow_zero and amount == 0:
        raise input_error(field, "amount_zero")
    return amount


# --------------------------------------------------------------------------------------------------
# Numbers: percentages, hours, days
# --------------------------------------------------------------------------------------------------

_LARGEST_NUMBER = Decimal("1e12")
"""Above this no form value makes sense (and quantizing it would exceed Decimal's precision)."""


def plain_number(value: Decimal) -> str:
    """A number without exponent or trailing zeros: ``Decimal("60.00")`` → ``60``, ``12.50`` → ``12.5``."""
    return format(value.normalize(), "f")


def danish_number(value: Decimal) -> str:
    """``plain_number`` with a decimal comma: ``12.5`` → ``12,5``."""
    return plain_number(value).replace(".", ",")


def parse_number(value: Any, field: str, what: str, what_da: str, *, decimals: int = 2) -> Decimal:
    """A finite number with at most ``decimals`` decimals from a string ("12,5", "8 %"), int, Decimal or
    JSON number; ``what``/``what_da`` name the kind of number in the message ("a percentage")."""
    if value is None:
        raise input_error(field, "missing")
    if isinstance(value, bool):
        raise input_error(field, "number_bool", what=what, what_da=what_da)
    number = _json_decimal(value)
    if number is None and isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
        if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in text):
            raise input_error(field, "number_type", value=value, what=what, what_da=what_da)
        if _NOT_FINITE.match(text):
            raise input_error(field, "number_not_finite")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not _PLAIN.match(text.lstrip("+-")):
            raise input_error(field, "number_type", value=value, what=what, what_da=what_da)
        number = Decimal(text)
    elif number is None:
        raise input_error(field, "number_type", value=type(value).__name__, what=what, what_da=what_da)
    if not number.is_finite():
        raise input_error(field, "number_not_finite")
    if abs(number) > _LARGEST_NUMBER:
        raise input_error(field, "number_too_large")
    step = Decimal(1).scaleb(-decimals)
    if number != number.quantize(step):
        raise input_error(field, "number_decimals", decimals=decimals)
    return number.quantize(step) + 0


HUNDRED = Decimal(100)


def parse_percent(value: Any, field: str) -> Decimal:
    """A percentage 0–100 with at most two decimals: ``"8"`` → ``Decimal("8.00")`` (meaning 8 %)."""
    pct = parse_number(value, field, "a percentage", "en procentsats")
    if not 0 <= pct <= HUNDRED:
        raise input_error(field, "percent_range", value=plain_number(pct), value_da=danish_number(pct))
    return pct


MIN_WEEKLY_HOURS = Decimal(1)
MAX_WEEKLY_HOURS = Decimal(48)


def parse_hours(value: Any, field: str, *, minimum: Decimal = MIN_WEEKLY_HOURS,
                maximum: Decimal = MAX_WEEKLY_HOURS) -> Decimal:
    """Hours a week from ``minimum`` to ``maximum`` (default 1–48) with at most two decimals."""
    hours = parse_number(value, field, "a number of hours a week", "et antal timer om ugen")
    if not minimum <= hours <= maximum:
        raise input_error(field, "hours_range", value=plain_number(hours), value_da=danish_number(hours),
                          minimum=plain_number(minimum), maximum=plain_number(maximum),
                          minimum_da=danish_number(minimum), maximum_da=danish_number(maximum))
    return hours


FLEKSJOB_MAX_HOURS = Decimal(37)
HALF_HOUR = Decimal("0.5")


def parse_fleksjob_hours(value: Any, field: str = "hours") -> Decimal:
    """Weekly hours in a fleksjob: 1 to 37 (a fleksjob is at most full time) in half-hour steps, so the
    hour scenarios compute exactly the value the person typed ("12,5"), never a rounded one."""
    hours = parse_hours(value, field, maximum=FLEKSJOB_MAX_HOURS)
    if hours % HALF_HOUR:
        raise input_error(field, "hours_half_step", value=plain_number(hours), value_da=danish_number(hours))
    return hours.quantize(Decimal("0.1")) if hours % 1 else hours.quantize(Decimal(1))


def parse_quantity(value: Any, field: str, *, maximum: Decimal, decimals: int = 2, unit: str = "days",
                   unit_da: str = "dage") -> Decimal:
    """A number of days or hours: not negative, at most ``maximum``, at most ``decimals`` decimals."""
    number = parse_number(value, field, f"a number of {unit}", f"et antal {unit_da}", decimals=decimals)
    if not 0 <= number <= maximum:
        raise input_error(field, "quantity_range", maximum=plain_number(maximum), maximum_da=danish_number(maximum),
                          unit=unit, unit_da=unit_da)
    return number


# --------------------------------------------------------------------------------------------------
# Months and dates
# --------------------------------------------------------------------------------------------------


def parse_month(value: Any, field: str = "month") -> Month:
    """A month written YYYY-MM (the rates table is not consulted)."""
    return Month.parse(value, field)


def parse_benefit_month(value: Any, field: str = "month") -> Month:
    """A benefit month written YYYY-MM that the rates table covers (``NoRatesError`` otherwise)."""
    from flexcalc.law.params import rates_for  # the rates table is only read when a benefit month is asked for

    month = Month.parse(value, field)
    rates_for(month)
    return month


_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # ASCII digits only
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def parse_date(value: Any, field: str, *, earliest: dt.date = EARLIEST_DATE,
               latest: dt.date = LATEST_DATE) -> dt.date:
    """A date written YYYY-MM-DD that exists (2024-02-30 does not), from ``earliest`` to ``latest``."""
    if isinstance(value, dt.datetime):
        raise input_error(field, "date_time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if not match:
            raise input_error(field, "date_format", value=value)
        year, month, day_ = (int(part) for part in match.groups())
        try:
            day = dt.date(year, month, day_)
        except ValueError:
            raise input_error(field, "date_invalid", value=value) from None
    else:
        raise input_error(field, "date_format", value=type(value).__name__)
    if not earliest <= day <= latest:
        raise input_error(field, "date_range", value=day, earliest=earliest, latest=latest)
    return day


# --------------------------------------------------------------------------------------------------
# pydantic: the same checks as Annotated types, and the way back out
# --------------------------------------------------------------------------------------------------


def as_pydantic_error(error: InputError) -> PydanticCustomError:
    """An ``InputError`` as a pydantic error whose type is our code and whose context has the Danish reason."""
    return PydanticCustomError(error.code, error.reason_en, {"reason_da": error.reason_da})


def _validator(parse: Callable[..., Any], default_field: str, **options: Any) -> BeforeValidator:
    def validate(value: Any, info: ValidationInfo) -> Any:
        try:
            return parse(value, info.field_name or default_field, **options)
        except InputError as error:
            raise as_pydantic_error(error) from None

    return BeforeValidator(validate)


_AMOUNT_SCHEMA = WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$|^\d{1,3}(\.\d{3})+,\d{1,2}$"},
              {"type": "number"}],
    "examples": ["15600.00"],
})
_NUMBER_SCHEMA = WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]})

Amount = Annotated[Decimal, _validator(parse_amount, "amount"), _AMOUNT_SCHEMA]
"""An amount in kroner (not negative, at most 10.000.000, at most two decimals)."""
PositiveAmount = Annotated[Decimal, _validator(parse_amount, "amount", allow_zero=False), _AMOUNT_SCHEMA]
"""An amount in kroner above 0 (a ceiling, an hourly wage)."""
SignedAmount = Annotated[Decimal, _validator(parse_amount, "amount", allow_negative=True), _AMOUNT_SCHEMA]
"""An amount that may be negative (a correction, a difference)."""
Percent = Annotated[Decimal, _validator(parse_percent, "percent"), _NUMBER_SCHEMA]
"""A percentage from 0 to 100 with at most two decimals ("8" means 8 %)."""
WeeklyHours = Annotated[Decimal, _validator(parse_hours, "hours"), _NUMBER_SCHEMA]
"""Hours a week from 1 to 48 with at most two decimals."""
MonthText = Annotated[str, _validator(lambda v, f: str(parse_month(v, f)), "month"),
                      WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$", "examples": ["2024-03"]})]
"""A month written YYYY-MM."""
BenefitMonthText = Annotated[str, _validator(lambda v, f: str(parse_benefit_month(v, f)), "month"),
                             WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$",
                                             "examples": ["2024-03"]})]
"""A benefit month written YYYY-MM that the rates table covers."""
DateValue = Annotated[dt.date, _validator(parse_date, "date"),
                      WithJsonSchema({"type": "string", "format": "date", "examples": ["2024-03-01"]})]
"""A date written YYYY-MM-DD from 2000 to 2100."""


def days(maximum: int | Decimal, *, decimals: int = 2) -> Any:
    """An Annotated number of days from 0 to ``maximum``."""
    return Annotated[Decimal, _validator(parse_quantity, "days", maximum=Decimal(maximum), decimals=decimals),
                     _NUMBER_SCHEMA, Field(examples=["5"])]


def _field_path(loc: tuple[Any, ...] | list[Any], prefix: str = "") -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    path = ".".join(parts)
    if prefix:
        return f"{prefix}.{path}" if path else prefix
    return path or "input"


def error_from_pydantic(error: dict[str, Any], prefix: str = "") -> InputError:
    """One pydantic error (``ValidationError.errors()`` item) as an ``InputError`` naming its field path."""
    ctx = error.get("ctx") or {}
    code = str(error.get("type", "invalid"))
    reason = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    reason_da = str(ctx.get("reason_da") or PYDANTIC_DANISH.get(code, "er ugyldig"))
    if code == "literal_error" and "expected" in ctx and "reason_da" not in ctx:
        reason_da = f"skal være en af: {ctx['expected']}"
    if code == "json_invalid" and "error" in ctx:
        return InputError("body", f"invalid JSON: {ctx['error']}", f"ugyldig JSON: {ctx['error']}", code=code)
    return InputError(_field_path(error.get("loc", ()), prefix), reason, reason_da, code=code)


def errors_from_validation(error: ValidationError | list[dict[str, Any]], prefix: str = "") -> list[InputError]:
    """Every error of a pydantic validation as an ``InputError`` naming the field by its dotted path."""
    items = error.errors() if isinstance(error, ValidationError) else error
    return [error_from_pydantic(dict(item), prefix) for item in items]


def input_error_from_validation(error: ValidationError, prefix: str = "") -> InputError:
    """The first error of a pydantic validation as an ``InputError`` (the CLI shows one at a time)."""
    return errors_from_validation(error, prefix)[0]
