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
from typing import Any

from flexcalc.parsing.inputs import parse_amount

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


__all__ = ["danish_amount_text", "parse_amount_da"]


def danish_amount_text(text: str) -> str:
    """An amount typed on a Danish page as text the machine rule reads: "26.500" → "26500"; anything else is
    returned as typed (and read, or refused with its reason, by ``parse_amount``)."""
    compact = text.strip().replace("\u00a0", "").replace(" ", "")
    match = _DANISH_THOUSANDS.match(compact)
    if match is None:
        return text.strip()
    sign = "-" if match.group(1) in ("-", "−") else ""
    return sign + match.group(2).replace(".", "")
