"""A reform's month for many people at once, exactly, in integer øre, through the batch kernel.

Every path ends in ``flexcalc.batch.kernel.compute_month`` (the exact kernel tested equal to
``calculate_month``), so today's rules that the reform does not change — the ceiling, the own ATP
share, and any rule the kernel gains (e.g. "no wage from the fleksjob employer, no subsidy") — apply
to the reform too. The alternative rules change only the kernel's inputs or its rates:

``single_reduction_rate`` (workshop proposal 2, "Forenkling af beregning af fleksløntilskuddet")
    Both reduction rates set to one rate r: subsidy = M − r·W (LAB § 123, stk. 2 with one rate).
    Exact in the kernel (r has at most six decimals).

``agreement_ceilings`` (proposal 3, "Centralt fastlagte normallønloft for de forskellige
overenskomstområder")
    The ceiling of LAB § 123, stk. 3 is read from the reform's table by the person's ``agreement``;
    a person whose agreement is not in the table keeps the reported ceiling (``missing: keep``) or
    stops the run (``missing: error``).

``minimum_gain_per_hour`` (proposal 1, "… så det altid kan betale sig at arbejde flere timer")
    A guaranteed gain G kr. a month per agreed weekly hour, as a ceiling allowance: wage + subsidy may
    reach L + G·h instead of L (h = agreed weekly hours). On the plateau total income is then L + G·h,
    so one more weekly hour adds exactly G; off the plateau it adds what today's rules give (at least
    45 % of the hour's wage); where the two meet, at least the smaller of the two (the minimum of two
    increasing functions rises by at least the smaller rise). So every extra hour pays at least G when
    G ≤ 45 % of one weekly hour's monthly wage. Nothing else changes.

``hourly_reduction`` (proposal 2: "et fast fleksløntilskud, hvor borgerens arbejdstimer trækkes fra
(for hver arbejdstime trækkes 1/37 af lønnen fra)", STAR's workshop report, seed 002 lines 2611–2636)
    subsidy before the ceiling = max(0, F − h × s × B), rounded once to whole øre half up, where F is
    the flat subsidy (M of the month unless the reform sets ``flat_subsidy``), h the agreed weekly hours,
    s the share per hour (1/37) and B the base: ``ceiling`` — the person's full-time wage (the lønloft,
    after an agreement table if one is on), the reading "1/37 af lønnen" = 1/37 of the full-time wage,
    i.e. about one weekly hour's monthly wage, per hour; or ``max_subsidy`` — 1/37 of the flat subsidy per
    hour, so the subsidy reaches 0 at 37 hours. The subsidy no longer depends on the wage actually paid
    that month, only on the agreed hours (the point of the proposal: no monthly re-regulation). Then
    the ceiling and the ATP share as today, in the kernel: it is called with no reduction (rates 0),
    M = F and the ceiling min(L, W + before), which gives subsidy = max(0, min(before, L − W)) exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexcalc.batch.kernel import MAX_INPUT_ORE, BatchResult, IntArray, KernelRates, compute_month
from flexcalc.errors import InputError
from flexcalc.money import to_ore
from flexcalc.params import Rates
from flexcalc.period import Month
from flexcalc.reforms.parameters import reform_rates
from flexcalc.reforms.spec import HourlyReduction, Reform


@dataclass(slots=True)
class ReformPeople:
    """One chunk of people as arrays: the amounts in øre (as ``flexcalc.batch.io.People``), the agreed
    weekly ``hours``, and, where the input has them, ``agreement`` (text), ``sex`` and ``hourly_wage``."""

    wage: IntArray
    ceiling: IntArray
    hours: IntArray
    other_wage: IntArray | None = None
    other_income: IntArray | None = None
    agreement: pa.Array | None = None
    sex: pa.Array | None = None
    hourly_wage: IntArray | None = None
    ids: pa.Array | None = None

    def __len__(self) -> int:
        return len(self.wage)

    def with_one_more_hour(self, extra_wage: IntArray) -> ReformPeople:
        """The same people working one more agreed weekly hour, paid ``extra_wage`` more a month."""
        return dataclasses.replace(self, wage=self.wage + extra_wage, hours=self.hours + 1)


@dataclass(frozen=True, slots=True)
class PreparedReform:
    """A reform made ready for one benefit month: its rates as Decimal and as kernel integers."""

    reform: Reform
    month: Month
    rates: Rates
    kernel_rates: KernelRates

    @classmethod
    def of(cls, reform: Reform, month: Month) -> PreparedReform:
        rates = reform_rates(month, reform)
        single = reform.rules.single_reduction_rate
        if single is not None:
            rates = dataclasses.replace(rates, reduction_rate_low=single.rate, reduction_rate_high=single.rate)
        try:
            kernel_rates = KernelRates.of(rates)
        except ValueError as error:
            raise InputError("parameters", str(error), f"kan ikke regnes eksakt: {error}",
                             code="reform_invalid") from None
        return cls(reform, month, rates, kernel_rates)


def agreement_ceiling(reform: Reform, people: ReformPeople, row_offset: int = 0) -> IntArray:
    """The ceiling of each person: from the reform's agreement table where it has one, else reported."""
    table = reform.rules.agreement_ceilings
    if table is None:
        return people.ceiling
    if people.agreement is None:
        raise InputError("agreement", "the reform reads the ceiling per collective agreement, but the input has no "
                         "'agreement' column", "reformen læser lønloftet pr. overenskomst, men inputtet har ingen "
                         "kolonne 'agreement'", code="missing_column")
    names = list(table.ceilings)
    amounts = np.array([to_ore(table.ceilings[name]) for name in names] + [0], np.int64)
    index = pc.index_in(people.agreement.cast(pa.string()), value_set=pa.array(names, pa.string()))
    found = index.is_valid().to_numpy(zero_copy_only=False)
    if table.missing == "error" and not found.all():
        row = int(np.flatnonzero(~found)[0])
        raise InputError("agreement", f"row {row_offset + row + 1}: the agreement is not in the reform's table",
                         f"række {row_offset + row + 1}: overenskomsten findes ikke i reformens tabel",
                         code="agreement_unknown")
    looked_up = amounts[index.fill_null(len(names)).to_numpy(zero_copy_only=False).astype(np.int64)]
    return np.where(found, looked_up, people.ceiling)


def _round_div(numerator: IntArray, denominator: int) -> IntArray:
    """``numerator / denominator`` rounded half up, for non-negative integers (exact)."""
    return (numerator + denominator // 2) // denominator


def compute_reform(prepared: PreparedReform, people: ReformPeople, row_offset: int = 0) -> BatchResult:
    """The month of every person under the reform, exactly (see the module docstring for each rule)."""
    reform, rates = prepared.reform, prepared.kernel_rates
    full_time = agreement_ceiling(reform, people, row_offset)
    ceiling = full_time
    gain = reform.rules.minimum_gain_per_hour
    if gain is not None:
        ceiling = np.minimum(ceiling + to_ore(gain.amount) * people.hours, MAX_INPUT_ORE)
    hourly = reform.rules.hourly_reduction
    if hourly is None:
        return compute_month(rates, people.wage, ceiling, people.other_wage, people.other_income)
    return _hourly_reduction(prepared, hourly, people, full_time, ceiling)


def _hourly_reduction(prepared: PreparedReform, rule: HourlyReduction, people: ReformPeople,
                      full_time: IntArray, ceiling: IntArray) -> BatchResult:
    flat = to_ore(rule.flat_subsidy) if rule.flat_subsidy is not None else prepared.kernel_rates.max_subsidy_ore
    num, den = rule.per_hour.numerator, rule.per_hour.denominator
    base = full_time if rule.base == "ceiling" else np.full(len(people), flat, np.int64)
    before = flat * den - people.hours * num * base
    np.maximum(before, 0, out=before)
    before = _round_div(before, den)
    w = people.wage.copy()
    for extra in (people.other_wage, people.other_income):
        if extra is not None:
            w += extra
    # The kernel with no reduction and M = F: its room is min(L, W + before) − W = min(L − W, before),
    # so its subsidy is max(0, min(before, L − W)), and it applies the ATP share and its other rules.
    kernel_rates = dataclasses.replace(prepared.kernel_rates, max_subsidy_ore=flat, low_num=0, high_num=0, scale=1)
    effective = np.minimum(ceiling, np.minimum(w + before, MAX_INPUT_ORE))
    result = compute_month(kernel_rates, people.wage, effective, people.other_wage, people.other_income)
    result.subsidy_before_ceiling[:] = np.minimum(before, result.subsidy_before_ceiling)
    result.ceiling = ceiling
    return result


def compute_today(month: Month, people: ReformPeople) -> BatchResult:
    """The month under today's rules (the kernel with the rates in force)."""
    return compute_month(KernelRates.for_month(month), people.wage, people.ceiling, people.other_wage,
                         people.other_income)
