"""Money: Decimal amounts, parsing, and the one rounding rule.

No float ever holds an amount. Inputs may be strings or numbers with at most two decimals;
they become ``Decimal`` here and stay ``Decimal`` until they are formatted.

The rounding rule (decided in docs/decisions.md, "Rounding"):
- every intermediate amount is computed exactly (the reductions of LAB § 123 stk. 2 may carry up
  to four decimals when the wage has øre);
- the subsidy is rounded once, to whole øre, half up (``round_ore``), before the ceiling is applied;
  the ceiling room (ceiling − wage) is already in øre, so the subsidy stays in øre;
- the own ATP share is rounded to whole kroner, half up (``round_krone``; BEK 1344/2015 § 2).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flexcalc.errors import InputError

ZERO = Decimal("0")
ORE = Decimal("0.01")
KRONE = Decimal("1")
_THOUSANDS_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
MAX_MONTHLY_AMOUNT = Decimal("10000000")
"""The largest monthly amount accepted as input (10.000.000 kr.): larger is a typing error."""


def round_ore(amount: Decimal) -> Decimal:
    """Round to whole øre, half up (0.005 → 0.01). The one rounding rule for the subsidy."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_krone(amount: Decimal) -> Decimal:
    """Round to whole kroner, half up (0.50 → 1). Used for the own ATP share (BEK 1344/2015 § 2)."""
    return amount.quantize(KRONE, rounding=ROUND_HALF_UP)


def to_ore(amount: Decimal) -> int:
    """Kroner (with at most two decimals) to an integer number of øre; refuses to lose precision."""
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    """An integer number of øre to kroner with two decimals."""
    return (Decimal(ore) / 100).quantize(ORE)


def amount_str(amount: Decimal) -> str:
    """An amount for JSON: a string with two decimals, more only when the exact value needs them."""
    if amount == amount.quantize(ORE):
        return str(amount.quantize(ORE))
    return str(amount.normalize())


def parse_amount(
    value: Any,
    field: str,
    *,
    allow_negative: bool = False,
    maximum: Decimal = MAX_MONTHLY_AMOUNT,
) -> Decimal:
    """Parse an amount in kroner from a string, int, Decimal or JSON number.

    Accepts "15272", "15272.5", "15272,50" (Danish decimal comma, no thousands separator), 15272,
    15272.5. Refuses booleans, NaN, infinity, more than two decimals, negative amounts (unless
    ``allow_negative``) and amounts above ``maximum``, each with an error naming ``field``.
    """
    if value is None:
        raise InputError(field, "is required", "skal udfyldes", code="missing")
    if isinstance(value, bool):
        raise InputError(field, "must be an amount in kroner, not true/false",
                         "skal være et beløb i kroner, ikke sand/falsk", code="amount_type")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text.lower().endswith("kr."):
            text = text[:-3]
        elif text.lower().endswith("kr"):
            text = text[:-2]
        if _THOUSANDS_GROUPED.match(text):
            raise InputError(
                field,
                f"'{value}' is ambiguous: a dot before exactly three digits may be a Danish thousands separator; "
                "write 26500 or 26500.00",
                f"'{value}' er tvetydigt: punktum foran præcis tre cifre kan være tusindtalsseparator; "
                "skriv 26500 eller 26500,00",
                code="amount_ambiguous",
            )
        if "," in text:
            if "." in text or text.count(",") > 1:
                raise InputError(
                    field,
                    f"'{value}' is not an amount: write it without thousands separators, e.g. 15272.50",
                    f"'{value}' er ikke et beløb: skriv det uden tusindtalsseparator, fx 15272,50",
                    code="amount_type",
                )
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InputError(field, f"'{value}' is not an amount in kroner",
                             f"'{value}' er ikke et beløb i kroner", code="amount_type") from None
    else:
        raise InputError(field, "must be an amount in kroner", "skal være et beløb i kroner",
                         code="amount_type")
    if not amount.is_finite():
        raise InputError(field, "must be a finite amount (not NaN or infinity)",
                         "skal være et endeligt beløb (ikke NaN eller uendelig)", code="amount_not_finite")
    if amount < 0 and not allow_negative:
        raise InputError(field, "must not be negative", "må ikke være negativt", code="amount_negative")
    if abs(amount) > maximum:
        limit = f"{maximum:,.0f}".replace(",", ".")
        raise InputError(field, f"is over {limit} kr. a month; check the amount",
                         f"er over {limit} kr. om måneden; kontrollér beløbet", code="amount_too_large")
    if amount != amount.quantize(ORE, rounding=ROUND_HALF_UP):
        raise InputError(field, "has more than two decimals (amounts are in kroner and øre)",
                         "har mere end to decimaler (beløb er i kroner og øre)", code="amount_decimals")
    return amount.quantize(ORE) + 0  # normalise -0.00 to 0.00
