"""Money: Decimal amounts, øre conversion, and the one rounding rule.

No float ever holds an amount. Inputs may be strings or numbers with at most two decimals; they
become ``Decimal`` in ``flexcalc.inputs`` (the one way in) and stay ``Decimal`` until they are formatted.

The rounding rule (decided in docs/decisions.md, "Rounding"):
- every intermediate amount is computed exactly (the reductions of LAB § 123 stk. 2 may carry up
  to four decimals when the wage has øre);
- the subsidy is rounded once, to whole øre, half up (``round_ore``), before the ceiling is applied;
  the ceiling room (ceiling − wage) is already in øre, so the subsidy stays in øre;
- the own ATP share is rounded to whole kroner, half up (``round_krone``; BEK 1344/2015 § 2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ORE = Decimal("0.01")
KRONE = Decimal("1")
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
