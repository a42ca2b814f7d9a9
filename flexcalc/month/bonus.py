"""The month with its events, and a bonus spread over the months it covers.

A month with events is computed by the one month pipeline (``flexcalc.month.pipeline``): each
event's rule runs in its stage, and with ``MonthEvents()`` the result is the plain one.
``spread_bonus`` recomputes the months a bonus covers (Ankestyrelsen PM 27-23).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from flexcalc.errors import InputError
from flexcalc.money import ZERO, amount_str
from flexcalc.month.events import Income, MonthEvents
from flexcalc.month.input import MonthInput
from flexcalc.month.pipeline import calculate_month
from flexcalc.month.result import MonthResult
from flexcalc.period import Month
from flexcalc.rules import bonus

__all__ = ["BonusMonth", "BonusSpread", "spread_bonus"]


# ---------------------------------------------------------------------------- bonus over months

@dataclass(slots=True)
class BonusMonth:
    """One month of a bonus spread: the result before and after, and the bonus moved into/out of it."""

    basis_month: Month
    benefit_month: Month
    share: Decimal
    moved_out: Decimal
    before: MonthResult
    after: MonthResult

    @property
    def subsidy_difference(self) -> Decimal:
        return self.after.subsidy - self.before.subsidy

    @property
    def payout_difference(self) -> Decimal:
        return self.after.payout - self.before.payout

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis_month": str(self.basis_month),
            "benefit_month": str(self.benefit_month),
            "bonus_share": amount_str(self.share),
            "bonus_moved_out": amount_str(self.moved_out),
            "subsidy_before": amount_str(self.before.subsidy),
            "subsidy_after": amount_str(self.after.subsidy),
            "subsidy_difference": amount_str(self.subsidy_difference),
            "payout_before": amount_str(self.before.payout),
            "payout_after": amount_str(self.after.payout),
            "payout_difference": amount_str(self.payout_difference),
            "after": self.after.to_dict(),
        }


@dataclass(slots=True)
class BonusSpread:
    bonus: Decimal
    months: list[BonusMonth]

    @property
    def subsidy_difference(self) -> Decimal:
        return sum((m.subsidy_difference for m in self.months), ZERO)

    @property
    def payout_difference(self) -> Decimal:
        return sum((m.payout_difference for m in self.months), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bonus": amount_str(self.bonus),
            "provision": bonus.PROVISION,
            "subsidy_difference": amount_str(self.subsidy_difference),
            "payout_difference": amount_str(self.payout_difference),
            "months": [m.to_dict() for m in self.months],
        }


def _checked_months(inputs: Sequence[MonthInput], amount: Decimal, covered: Sequence[Month] | None,
                    paid_in: Month | None) -> tuple[dict[Month, int], list[Month]]:
    """The inputs' index by basis month and the months the bonus covers, every one checked: an amount above
    0, each basis month once, the covered months and ``paid_in`` among them."""
    if amount <= 0:
        raise InputError("bonus", "must be more than 0", "skal være mere end 0", code="amount_range")
    by_basis: dict[Month, int] = {}
    for index, inp in enumerate(inputs):
        if inp.basis_month in by_basis:
            raise InputError(f"months.{index}", f"the basis month {inp.basis_month} is given twice",
                             f"basismåneden {inp.basis_month} er angivet to gange", code="duplicate_month")
        by_basis[inp.basis_month] = index
    if not inputs:
        raise InputError("months", "give at least one month", "angiv mindst én måned", code="missing")
    covered_months = list(covered) if covered is not None else sorted(by_basis)
    if not covered_months:
        raise InputError("covered", "give at least one month the bonus covers",
                         "angiv mindst én måned, bonussen dækker", code="missing")
    for index, basis in enumerate(covered_months):
        if basis not in by_basis:
            raise InputError(f"covered.{index}", f"the bonus covers {basis}, but no month with basis month {basis} "
                             "is given", f"bonussen dækker {basis}, men der er ingen måned med basismåned {basis}",
                             code="month_missing")
    if len(set(covered_months)) != len(covered_months):
        raise InputError("covered", "a month is given twice", "en måned er angivet to gange", code="duplicate_month")
    if paid_in is not None and paid_in not in by_basis:
        raise InputError("paid_in", f"the bonus was paid in {paid_in}, but no month with basis month {paid_in} is "
                         "given", f"bonussen blev udbetalt i {paid_in}, men der er ingen måned med basismåned "
                         f"{paid_in}", code="month_missing")
    return by_basis, covered_months


def spread_bonus(inputs: Sequence[MonthInput], amount: Decimal, *, covered: Sequence[Month] | None = None,
                 paid_in: Month | None = None) -> BonusSpread:
    """Spread a bonus over the months it covers and recompute them (Ankestyrelsen PM 27-23).

    ``inputs`` are the months as they were computed (without the bonus, except the month it was paid
    in); ``covered`` the basis months the bonus is for (default: the basis months of all inputs);
    ``paid_in`` the basis month whose wage held the whole bonus (it is taken out there). Returns each
    month before and after. Every input is checked first: an error names the field and nothing is
    returned half-computed.
    """
    by_basis, covered_months = _checked_months(inputs, amount, covered, paid_in)
    share_of = dict(zip(sorted(covered_months), bonus.shares(amount, len(covered_months)), strict=True))
    months: list[BonusMonth] = []
    for inp in sorted(inputs, key=lambda i: i.basis_month):
        share = share_of.get(inp.basis_month, ZERO)
        moved_out = amount if inp.basis_month == paid_in else ZERO
        events = inp.events or MonthEvents()
        if share:
            events = replace(events, incomes=(*events.incomes, Income("bonus_share", share)))
        if moved_out:
            events = replace(events, bonus_spread_out=events.bonus_spread_out + moved_out)
        index = by_basis[inp.basis_month]
        try:
            before = calculate_month(inp)
            after = calculate_month(replace(inp, events=events))
        except InputError as error:
            raise InputError(f"months.{index}.{error.field}", error.reason_en, error.reason_da,
                             code=error.code) from None
        months.append(BonusMonth(inp.basis_month, inp.benefit_month, share, moved_out, before, after))
    return BonusSpread(amount, months)
