"""Amounts as Danes write them, for the Danish pages only.

On the pages a dot before groups of exactly three digits is a thousands separator, as in Danish writing:
"32.067" is 32.067 kr., "1.234.567" is 1.234.567 kr.; "32.067,50" and "32067,5" are read as by
``flexcalc.parsing.inputs.parse_amount``. The CLI, the API and the files keep the machine rule of
``parse_amount`` (there "26.500" is refused as ambiguous: a program may mean 26,5): only a person typing
on a Danish page is taken to write Danish. A comma before exactly three digits ("15,600") stays refused
on the pages too: in Danish that is a decimal comma with three decimals, most likely a typo.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from flexcalc.errors import InputError
from flexcalc.parsing.inputs import parse_amount
from flexcalc.period import Month

_DANISH_THOUSANDS = re.compile(r"^([-+−]?)(\d{1,3}(?:\.\d{3})+)(kr\.?)?$", re.IGNORECASE)


def parse_amount_da(value: Any, field: str, **options: Any) -> Decimal:
    """An amount typed on a Danish page: dots as thousands separators accepted, otherwise ``parse_amount``."""
    if isinstance(value, str):
        compact = value.strip().replace("\u00a0", "").replace(" ", "")
        match = _DANISH_THOUSANDS.match(compact)
        if match is not None:
            sign = "-" if match.group(1) in ("-", "−") else ""
            value = sign + match.group(2).replace(".", "")
    return parse_amount(value, field, **options)


__all__ = ["danish_amount_text", "parse_amount_da", "parse_month_da"]

_MONTH_WORDS = re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$")


@cache
def _month_numbers() -> dict[str, int]:
    """Danish month names as Babel (CLDR) writes them, whole and as their first three letters."""
    from babel.dates import get_month_names

    out: dict[str, int] = {}
    for number, name in get_month_names("wide", locale="da").items():
        out[name.lower()] = number
        out[name.lower()[:3]] = number
    return out


def parse_month_da(value: Any, field: str) -> Month:
    """A month typed on a Danish page: "marts 2024", "mar 2024" or "2024-03" (as ``Month.parse``). Anything
    else is refused in Danish and English with an example."""
    if isinstance(value, str):
        match = _MONTH_WORDS.match(" ".join(value.strip().lower().split()))
        if match is not None:
            number = _month_numbers().get(match.group(1))
            if number is None:
                raise InputError(field, f"'{value}' names no month: write e.g. marts 2024 or 2024-03",
                                 f"'{value}' er ikke en måned: skriv fx marts 2024 eller 2024-03",
                                 code="month_format")
            return Month.parse(f"{match.group(2)}-{number:02d}", field)
    try:
        return Month.parse(value, field)
    except InputError as error:
        if error.code != "month_format":  # a real month outside the years: its own reason
            raise
        raise InputError(field, f"'{value}' is not a month: write e.g. marts 2024 or 2024-03",
                         f"'{value}' er ikke en måned: skriv fx marts 2024 eller 2024-03",
                         code=error.code) from None


def danish_amount_text(text: str) -> str:
    """An amount typed on a Danish page as text the machine rule reads: "26.500" → "26500"; anything else is
    returned as typed (and read, or refused with its reason, by ``parse_amount``)."""
    compact = text.strip().replace("\u00a0", "").replace(" ", "")
    match = _DANISH_THOUSANDS.match(compact)
    if match is None:
        return text.strip()
    sign = "-" if match.group(1) in ("-", "−") else ""
    return sign + match.group(2).replace(".", "")
