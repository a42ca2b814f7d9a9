"""Danish formatting of amounts, rates and months (Babel). The one place text meets numbers.

``kr(Decimal("15272"))`` → ``"15.272,00 kr."``. Used by the CLI, the API's text and the explainer.
Amounts are formatted from ``Decimal`` directly; no float is involved. A plain space separates the
number and "kr." so that text copies cleanly into letters and terminals.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from flexcalc.period import Month

LOCALE = "da_DK"
_LOCALE = Locale.parse(LOCALE)
# The Danish symbols come from Babel's locale data; numbers are then laid out with Python's own
# grouping, which is ~20× faster than Babel's pattern engine and gives the same text
# (tests/core/test_format.py compares the two on generated amounts).
_SWAP = str.maketrans({",": get_group_symbol(_LOCALE), ".": get_decimal_symbol(_LOCALE),
                       "-": get_minus_sign_symbol(_LOCALE)})


def _half_up(amount: Decimal, decimals: int) -> Decimal:
    """Round for display the same way the engine rounds (half up), not Babel's half-even."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def kr(amount: Decimal, *, decimals: int = 2, sign: bool = False) -> str:
    """An amount in Danish: ``15.272,00 kr.``; ``decimals=0`` gives ``15.272 kr.``;
    ``sign=True`` writes a plus before positive amounts (for differences)."""
    return f"{number(amount, decimals=decimals, sign=sign)} kr."


def number(amount: Decimal, *, decimals: int = 2, sign: bool = False) -> str:
    """A number in Danish without unit: ``15.272,00``."""
    amount = _half_up(amount, decimals)
    if not amount:
        amount = abs(amount)  # no "-0,00"
    text = f"{amount:,.{decimals}f}".translate(_SWAP)
    if sign and amount > 0:
        text = "+" + text
    return text


def percent(rate: Decimal) -> str:
    """A rate as a Danish percentage: ``Decimal("0.30")`` → ``30 %``; ``0.055`` → ``5,5 %``."""
    value = (rate * 100).normalize()
    text = format_decimal(value, format="#,##0.##", locale=_LOCALE)
    return f"{text} %"


def date_da(day: dt.date) -> str:
    """``date(2024, 3, 1)`` → ``1. marts 2024``."""
    return format_date(day, "d. MMMM y", locale="da")


@lru_cache(maxsize=512)
def month_name(month: Month) -> str:
    """``Month(2024, 3)`` → ``marts 2024``."""
    return format_date(month.first_day(), "MMMM y", locale="da")


def runs_da(numbers: list[int]) -> str:
    """Whole numbers in rising order as runs, in Danish: ``[3, 4, 5, 9, 11]`` → "3–5, 9 og 11"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
