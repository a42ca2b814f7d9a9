"""The exact vectorised kernel: one benefit month for many people at once, in integer øre.

This is the one permitted second implementation of the monthly formula (developers' guide): it must
give exactly what ``flexcalc.calculate.calculate_month`` gives, row by row, and the tests check that
on a whole synthetic population and on Hypothesis batches (tests/batch/test_batch_kernel.py).

How it stays exact. Every amount is an ``int64`` number of øre. The rates come from
``flexcalc.params.rates_for`` as ``Decimal`` and are turned into integers over a power of ten
(0,30 → 30/100, 0,55 → 55/100, 0,05 → 5/100) by ``KernelRates.of``, which refuses a rate it cannot
represent exactly. So the reduction is an exact integer in units of 1/100 øre, and the two roundings
of docs/decisions.md ("Rounding") are integer floor divisions:

- the subsidy after the reduction (LAB § 123, stk. 2), floored at zero, is rounded once to whole øre,
  half up: ``(x + s/2) // s`` for x ≥ 0; a row whose fleksjob wage is 0 gets 0 (no wage from the
  fleksjob employer, no subsidy; the wage of another employer does not open the month);
- the ceiling (LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 4) caps it at ceiling − wage income, not
  below zero;
- the own ATP share (LAB § 137; BEK 1344/2015 § 2) is min(5 % of the subsidy, 500 kr.) rounded to
  whole kroner, half up.

No float touches an amount. Inputs must lie in 0 … ``MAX_INPUT_ORE`` (10.000.000 kr. a month, the
same bound ``flexcalc.inputs.parse_amount`` enforces), which keeps every product far inside int64;
``compute_month`` checks that unless told the caller already did.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from flexcalc.money import MAX_MONTHLY_AMOUNT, from_ore, to_ore
from flexcalc.params import Rates, rates_for
from flexcalc.period import Month

IntArray = npt.NDArray[np.int64]

MAX_INPUT_ORE = int(MAX_MONTHLY_AMOUNT * 100)
"""The largest amount accepted in any input column, in øre (10.000.000 kr.)."""

BLOCK_ROWS = 32_768
"""Rows per block inside ``compute_month`` (keeps the temporaries in the CPU cache)."""

_MAX_SCALE = 10**6
"""Rates with more than six decimals are refused (a products bound: 3·10⁹ øre × 10⁶ < 2⁶³)."""


def _as_fraction(rate: Decimal, name: str) -> tuple[int, int]:
    """A non-negative Decimal rate as (numerator, power-of-ten denominator), exactly."""
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"{name}: the batch kernel needs a finite non-negative rate, got {rate}")
    exponent = rate.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # a finite Decimal always has an int exponent
        raise ValueError(f"{name}: {rate} is not a finite rate")
    decimals = max(0, -exponent)
    scale = 10**decimals
    if scale > _MAX_SCALE:
        raise ValueError(f"{name}: {rate} has more than six decimals; the batch kernel cannot hold it exactly")
    numerator = rate * scale
    if numerator != numerator.to_integral_value():
        raise ValueError(f"{name}: {rate} cannot be held exactly as an integer over {scale}")
    return int(numerator), scale


@dataclass(frozen=True, slots=True)
class KernelRates:
    """The rates of one benefit month as exact integers.

    ``max_subsidy_ore`` (M) and ``threshold_ore`` (T) are øre. The reduction rates are
    ``low_num / scale`` and ``high_num / scale``; the ATP rate is ``atp_num / atp_scale``;
    ``atp_cap_ore`` is the monthly cap in øre.
    """

    month: Month
    max_subsidy_ore: int
    threshold_ore: int
    low_num: int
    high_num: int
    scale: int
    atp_num: int
    atp_scale: int
    atp_cap_ore: int

    @classmethod
    def of(cls, rates: Rates) -> KernelRates:
        """Convert the Decimal rates exactly; raises ``ValueError`` if one cannot be held exactly."""
        low_num, low_scale = _as_fraction(rates.reduction_rate_low, "reduction_rate_low")
        high_num, high_scale = _as_fraction(rates.reduction_rate_high, "reduction_rate_high")
        scale = max(low_scale, high_scale)
        atp_num, atp_scale = _as_fraction(rates.atp_own_share_rate, "atp_own_share_rate")
        return cls(
            month=rates.month,
            max_subsidy_ore=to_ore(rates.max_subsidy),
            threshold_ore=to_ore(rates.threshold),
            low_num=low_num * (scale // low_scale),
            high_num=high_num * (scale // high_scale),
            scale=scale,
            atp_num=atp_num,
            atp_scale=atp_scale,
            atp_cap_ore=to_ore(rates.atp_own_share_cap),
        )

    @classmethod
    def for_month(cls, month: Month) -> KernelRates:
        """The kernel rates of benefit ``month`` (``NoRatesError`` outside the rates table)."""
        return cls.of(rates_for(month))


@dataclass(slots=True)
class BatchResult:
    """Every row's amounts in integer øre (``int64``), as ``MonthResult`` has them one by one.

    The kernel writes ``subsidy_before_ceiling``, ``subsidy``, ``atp_own`` and ``payout``; the wage
    income is the input wage itself when there is nothing to add (a read-only view, no copy). The
    other intermediate amounts are derived on demand from those (cheap vector operations), so a run
    that does not need them does not pay for them:
    ``reduction_scaled`` (exact, in 1/``rates.scale`` øre: with øre in the wage the reduction carries
    up to four decimals of a krone, as the Decimal core's does), ``ceiling_room`` and ``ceiling_cut``.
    """

    rates: KernelRates
    wage_income: IntArray
    ceiling: IntArray
    subsidy_before_ceiling: IntArray
    subsidy: IntArray
    atp_own: IntArray
    payout: IntArray

    def __len__(self) -> int:
        return len(self.subsidy)

    @property
    def reduction_scaled(self) -> IntArray:
        """low·min(W, T) + high·max(W − T, 0), exactly, in 1/scale øre (LAB § 123, stk. 2)."""
        r = self.rates
        above = np.subtract(self.wage_income, r.threshold_ore)
        np.maximum(above, 0, out=above)
        above *= r.high_num - r.low_num
        reduction = np.multiply(self.wage_income, r.low_num)
        reduction += above
        return reduction

    @property
    def ceiling_room(self) -> IntArray:
        """Ceiling − wage income (negative when the wage alone is above the ceiling)."""
        return np.subtract(self.ceiling, self.wage_income)

    @property
    def ceiling_cut(self) -> IntArray:
        """How much the ceiling took off the subsidy."""
        return np.subtract(self.subsidy_before_ceiling, self.subsidy)

    def reduction(self, row: int) -> Decimal:
        """The exact reduction of one row in kroner, as ``MonthResult.reduction``."""
        r = self.rates
        w = int(self.wage_income[row])
        scaled = r.low_num * w + (r.high_num - r.low_num) * max(w - r.threshold_ore, 0)
        return Decimal(scaled) / (100 * r.scale)

    def row(self, row: int) -> dict[str, Decimal]:
        """One row's amounts as Decimal kroner (for tests and display)."""
        room = int(self.ceiling[row]) - int(self.wage_income[row])
        return {
            "wage_income": from_ore(int(self.wage_income[row])),
            "reduction": self.reduction(row),
            "subsidy_before_ceiling": from_ore(int(self.subsidy_before_ceiling[row])),
            "ceiling_room": from_ore(room),
            "ceiling_cut": from_ore(int(self.subsidy_before_ceiling[row]) - int(self.subsidy[row])),
            "subsidy": from_ore(int(self.subsidy[row])),
            "atp_own": from_ore(int(self.atp_own[row])),
            "payout": from_ore(int(self.payout[row])),
        }


def _checked(name: str, values: npt.ArrayLike) -> IntArray:
    array = np.asarray(values)
    if array.dtype != np.int64:
        if array.dtype.kind not in "iu":
            raise TypeError(f"{name}: the batch kernel takes integer øre (int64), got {array.dtype}")
        array = array.astype(np.int64)
    if array.ndim != 1:
        raise ValueError(f"{name}: expected a one-dimensional array, got shape {array.shape}")
    return array


def _check_range(name: str, array: IntArray) -> None:
    if array.size and (int(array.min()) < 0 or int(array.max()) > MAX_INPUT_ORE):
        raise ValueError(f"{name}: every amount must lie in 0 … {MAX_INPUT_ORE} øre (10.000.000 kr.)")


def compute_month(
    rates: KernelRates,
    wage: npt.ArrayLike,
    ceiling: npt.ArrayLike,
    other_wage: npt.ArrayLike | None = None,
    other_income: npt.ArrayLike | None = None,
    *,
    check: bool = True,
) -> BatchResult:
    """The fleksløntilskud of one benefit month for every row, exactly as ``calculate_month``.

    ``wage``, ``ceiling``, ``other_wage`` and ``other_income`` are integer øre of the basis month
    (the meaning of each is that of ``MonthInput``). ``check=False`` skips the input range check when
    the caller (the file reader) has already done it.
    """
    wage_a = _checked("wage", wage)
    ceiling_a = _checked("ceiling", ceiling)
    n = len(wage_a)
    extras = [(name, _checked(name, a)) for name, a in (("other_wage", other_wage),
                                                         ("other_income", other_income)) if a is not None]
    for name, array in (("ceiling", ceiling_a), *extras):
        if len(array) != n:
            raise ValueError(f"{name}: {len(array)} rows, but wage has {n}")
    # All results in one allocation: one large block is mapped once (NumPy asks the OS for huge pages
    # from 4 MiB on) instead of page by page for each array, which at 100.000 rows costs more than the
    # arithmetic.
    results = np.empty((5 if extras else 4, n), np.int64)
    w = results[4] if extras else wage_a.view()
    out = BatchResult(
        rates=rates,
        wage_income=w,
        ceiling=ceiling_a,
        subsidy_before_ceiling=results[0],
        subsidy=results[1],
        atp_own=results[2],
        payout=results[3],
    )
    # Blocks small enough for the CPU cache: the inputs are checked and summed, and the temporaries
    # live, while in the cache; only the results go out to memory. Two scratch arrays serve every block.
    scratch = (np.empty(min(n, BLOCK_ROWS), np.int64), np.empty(min(n, BLOCK_ROWS), np.int64))
    for start in range(0, n, BLOCK_ROWS):
        block = slice(start, min(start + BLOCK_ROWS, n))
        if check:
            for name, array in (("wage", wage_a), ("ceiling", ceiling_a), *extras):
                _check_range(name, array[block])
        if extras:
            # W: wage income of the basis month (LAB § 123, stk. 2; BEK 227/2024 § 1, nr. 1–3).
            np.add(wage_a[block], extras[0][1][block], out=w[block])
            for _, array in extras[1:]:
                w[block] += array[block]
        size = block.stop - block.start
        _block(rates, wage_a[block], w[block], ceiling_a[block], out, block, scratch[0][:size], scratch[1][:size])
    w.flags.writeable = False
    return out


def _block(rates: KernelRates, wage: IntArray, w: IntArray, ceiling: IntArray, out: BatchResult, block: slice,
           above: IntArray, reduction: IntArray) -> None:
    """The formula on one block of rows (fleksjob ``wage``; wage income ``w`` already summed), written into
    ``out[block]``; ``above`` and ``reduction`` are scratch arrays of the block's size."""
    # Reduction in 1/scale øre: low·min(W, T) + high·max(W − T, 0)
    #                         = low·W + (high − low)·max(W − T, 0)          (LAB § 123, stk. 2)
    np.subtract(w, rates.threshold_ore, out=above)
    np.maximum(above, 0, out=above)
    above *= rates.high_num - rates.low_num
    np.multiply(w, rates.low_num, out=reduction)
    reduction += above

    # M − reduction, not below zero, rounded once to whole øre half up (docs/decisions.md "Rounding").
    s = rates.scale
    before = out.subsidy_before_ceiling[block]
    np.subtract(rates.max_subsidy_ore * s, reduction, out=before)
    np.maximum(before, 0, out=before)
    if s > 1:
        before += s // 2
        before //= s

    # No wage from the fleksjob employer, no subsidy (vejl. 9154/2022 pkt. 2.1; Ankestyrelsen PM 6-23): a plain
    # row has no event that could make an exception (flexcalc.rules.fleksjob_wage), so wage 0 → 0.
    no_wage = wage == 0
    if no_wage.any():
        before[no_wage] = 0

    # The ceiling: subsidy ≤ ceiling − W, not below zero (LAB § 123, stk. 3). (Reuses the reduction's buffer.)
    room = np.subtract(ceiling, w, out=reduction)
    subsidy = out.subsidy[block]
    np.minimum(before, room, out=subsidy)
    np.maximum(subsidy, 0, out=subsidy)

    # Own ATP share: min(rate · subsidy, cap) rounded to whole kroner half up (LAB § 137; BEK 1344/2015 § 2).
    # In units of 1/(atp_scale·100) krone: rate·subsidy = atp_num·subsidy_øre; cap = cap_øre·atp_scale.
    unit = rates.atp_scale * 100
    atp = out.atp_own[block]
    np.multiply(subsidy, rates.atp_num, out=atp)
    np.minimum(atp, rates.atp_cap_ore * rates.atp_scale, out=atp)
    atp += unit // 2
    atp //= unit
    atp *= 100
    np.subtract(subsidy, atp, out=out.payout[block])
