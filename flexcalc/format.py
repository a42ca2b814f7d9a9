"""Danish formatting of amounts, rates and months (Babel). The one place text meets numbers.

``kr(Decimal("15272"))`` → ``"15.272,00 kr."``. Used by the CLI, the API's text and the explainer.
Amounts are formatted from ``Decimal`` directly; no float is involved. A plain space separates the
number and "kr." so that text copies cleanly into letters and terminals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from flexcalc.period import Month

LOCALE = "da_DK"
_LOCALE = Locale.parse(LOCALE)


@lru_cache(maxsize=8)
def _amount_pattern(decimals: int) -> NumberPattern:
    """Babel's parsed pattern, made once (parsing it per call was most of the API's time)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


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
    text = _amount_pattern(decimals).apply(amount, _LOCALE, decimal_quantization=True)
    if sign and amount > 0:
        text = "+" + text
    return text


def percent(rate: Decimal) -> str:
    """A rate as a Danish percentage: ``Decimal("0.30")`` → ``30 %``; ``0.055`` → ``5,5 %``."""
    value = (rate * 100).normalize()
    text = format_decimal(value, format="#,##0.##", locale=LOCALE)
    return f"{text} %"


def month_name(month: Month) -> str:
    """``Month(2024, 3)`` → ``marts 2024``."""
    return _month_name(month.year, month.month)


@lru_cache(maxsize=1024)
def _month_name(year: int, month: int) -> str:
    return format_date(Month(year, month).first_day(), "MMMM y", locale="da")
