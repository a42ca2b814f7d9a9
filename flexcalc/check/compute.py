"""The check of the municipality's calculation, month by month, and the causes of each difference.

For benefit month *m* the right subsidy is computed by the month pipeline (``flexcalc.month``) on the
right wage of the basis month and the right lønloft, with the rates of *m*. The difference is
right − paid: positive, the person got too little; negative, too much.

The causes are found by **attribution**, not guessed: starting from the right calculation, the
municipality's inputs are swapped in one at a time, in a fixed order — its rates, then its wage, then
its lønloft — and the subsidy is recomputed after each swap. Each swap's change of the subsidy is that
cause's share of the difference; what is left between the subsidy the municipality's own inputs give and
what it paid is the residual (ATP, rounding, or unexplained). The shares add up to the difference exactly.

A named cause is recognised only when an amount matches to the øre: the municipality's wage equals the
right wage less the pension on the payslips (pension missing), less or plus a ferietillæg paid in another
month (wrong month), plus another employer's wage already counted (counted twice), or equals the wage of
another month (wrong basis month); its lønloft equals the lønloft built from the job's terms without the
supplements and/or the pension; its payment equals the subsidy with another year's rates (wrong year) or
the subsidy less the own ATP share (an amount after ATP).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flexcalc.check.model import CheckFile, CheckMonth, Payslip
from flexcalc.errors import InputError, NoRatesError
from flexcalc.law.params import Rates, rates_for
from flexcalc.law.provisions import cite
from flexcalc.money import ZERO, amount_str
from flexcalc.month import MonthInput, MonthResult, calculate_month
from flexcalc.normal_wage import NormalWageForm, check_form
from flexcalc.period import Month
from flexcalc.rules import atp
from flexcalc.text_da import check as da
from flexcalc.text_da.format import month_name

ONE_KRONE = Decimal("1")


@dataclass(frozen=True, slots=True)
class Cause:
    """One cause of a month's difference: its general ``code`` (wage_differs, ceiling_differs, rates_differ,
    atp, rounding, unexplained), the named ``reason`` when an amount matched (pension_missing …), its share
    ``amount`` of the difference (right − paid), the Danish text and the provision."""

    code: str
    amount: Decimal
    text_da: str
    provision: str
    reason: str | None = None

    @property
    def title_da(self) -> str:
        return da.TITLES[self.reason or self.code]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "amount": amount_str(self.amount),
                "title_da": self.title_da, "text_da": self.text_da, "provision": self.provision}


@dataclass(slots=True)
class MonthCheck:
    """One benefit month: the right subsidy beside the paid one, the difference and its causes."""

    month: Month
    right: MonthResult
    paid_subsidy: Decimal
    used_wage: Decimal
    used_ceiling: Decimal
    used_rates_month: Month
    recomputed_subsidy: Decimal
    causes: list[Cause] = field(default_factory=list)

    @property
    def right_subsidy(self) -> Decimal:
        return self.right.subsidy

    @property
    def difference(self) -> Decimal:
        return self.right.subsidy - self.paid_subsidy

    @property
    def codes(self) -> list[str]:
        """Every code and named reason of the month's causes."""
        return [c for cause in self.causes for c in (cause.code, cause.reason) if c is not None]

    @property
    def verdict_da(self) -> str:
        return da.direction_text(self.difference)

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "basis_month": str(self.right.basis_month),
            "right_subsidy": amount_str(self.right_subsidy),
            "paid_subsidy": amount_str(self.paid_subsidy),
            "difference": amount_str(self.difference),
            "direction": "underpaid" if self.difference > 0 else "overpaid" if self.difference < 0 else "right",
            "verdict_da": self.verdict_da,
            "overpaid_provision": da.OVERPAID_PROVISION if self.difference < 0 else None,
            "right_wage": amount_str(self.right.wage_income),
            "used_wage": amount_str(self.used_wage),
            "right_ceiling": amount_str(self.right.ceiling),
            "used_ceiling": amount_str(self.used_ceiling),
            "used_rates_month": str(self.used_rates_month),
            "recomputed_subsidy": amount_str(self.recomputed_subsidy),
            "right_atp_own": amount_str(self.right.atp_own),
            "right_payout": amount_str(self.right.payout),
            "causes": [cause.to_dict() for cause in self.causes],
            "computation": self.right.to_dict()["steps"],
        }


@dataclass(slots=True)
class CheckResult:
    """Every month checked, and the total difference (right − paid)."""

    check: CheckFile
    months: list[MonthCheck]

    @property
    def total_difference(self) -> Decimal:
        return sum((m.difference for m in self.months), ZERO)

    @property
    def differing(self) -> list[MonthCheck]:
        return [m for m in self.months if m.difference != 0]

    def to_dict(self) -> dict[str, Any]:
        return {"months": [m.to_dict() for m in self.months],
                "total_difference": amount_str(self.total_difference),
                "total_da": da.total_text(self.total_difference)}


# ------------------------------------------------------------------------------------------ the right inputs

class _Wages:
    """The right wage income of each calendar month, from the payslips and from the months' own ``wage``."""

    def __init__(self, check: CheckFile) -> None:
        self.payslips: dict[Month, list[Payslip]] = {}
        for slip in check.payslips:
            self.payslips.setdefault(Month.parse(slip.month), []).append(slip)
        self.given = {Month.parse(line.month).previous(): line.wage for line in check.months if line.wage is not None}

    def slips(self, month: Month) -> list[Payslip]:
        return self.payslips.get(month, [])

    def split(self, basis: Month, line: CheckMonth, where: str) -> tuple[Decimal, Decimal]:
        """(fleksjob wage, other employers' wage) of ``basis``: the line's ``wage`` (all from the fleksjob), or
        the payslips paid in ``basis``."""
        if line.wage is not None:
            return line.wage, ZERO
        slips = self.slips(basis)
        if not slips:
            raise InputError(f"{where}.wage", f"give the wage of {basis}, or the payslips paid in {basis}",
                             f"angiv lønnen for {basis} eller lønsedlerne udbetalt i {basis}", code="missing")
        own = sum((s.total for s in slips if s.employer == "fleksjob"), ZERO)
        other = sum((s.total for s in slips if s.employer == "other"), ZERO)
        return own, other

    def total_of(self, month: Month) -> Decimal | None:
        """The right wage income of calendar ``month``, when the file gives it."""
        if month in self.given:
            return self.given[month]
        slips = self.slips(month)
        return sum((s.total for s in slips), ZERO) if slips else None


def _ceiling_of(form: NormalWageForm) -> Decimal:
    """The right lønloft built from the job's terms by the normal-wage check (without overtime or a reduction
    for the reduced working capacity, which the check takes out)."""
    result = check_form(form, as_of=form.as_of or form.effective_date)
    return result.corrected_ceiling if result.corrected_ceiling is not None else result.ceiling


def _right_ceiling(line: CheckMonth, check: CheckFile, where: str) -> Decimal:
    if line.ceiling is not None:
        return line.ceiling
    if check.job_terms is None:
        raise InputError(f"{where}.ceiling", "give the right lønloft, or the job's terms in job_terms",
                         "angiv det rigtige lønloft eller jobbets vilkår i job_terms", code="missing")
    return _ceiling_of(check.job_terms)


def _subsidy(month: Month, own: Decimal, other: Decimal, ceiling: Decimal, rates: Rates) -> MonthResult:
    return calculate_month(MonthInput(benefit_month=month, wage=own, other_wage=other, ceiling=ceiling), rates)


# ------------------------------------------------------------------------------------------ named causes

def _wage_reason(used: Decimal, right: Decimal, basis: Month, wages: _Wages,
                 ) -> tuple[str, dict[str, Decimal | str]] | None:
    """The named cause of a wage difference, when an amount on the payslips matches it to the øre."""
    d = used - right
    slips = wages.slips(basis)
    pensions = [sum((s.pension for s in slips), ZERO), sum((s.pension_employer for s in slips), ZERO),
                sum((s.pension_own for s in slips), ZERO)]
    if any(p and d == -p for p in pensions):
        return "pension_missing", {"part": -d}
    here = sum((s.holiday_supplements for s in slips), ZERO)
    if here and d == -here:
        return "holiday_wrong_month", {"part": here}
    for other in (basis.previous(), basis.next()):
        there = sum((s.holiday_supplements for s in wages.slips(other)), ZERO)
        if there and d == there:
            return "holiday_wrong_month", {"part": there}
    other_employer = sum((s.total for s in slips if s.employer == "other"), ZERO)
    if other_employer and d == other_employer:
        return "other_employer_counted", {"part": d}
    for month in (basis.next(), basis.previous()):
        if wages.total_of(month) == used:
            return "wrong_basis_month", {"used_month": month_name(month), "right_month": month_name(basis)}
    return None


def _without(form: NormalWageForm, supplements: bool, pension: bool) -> NormalWageForm:
    update: dict[str, Any] = {}
    if supplements:
        update["variable_supplements"] = form.variable_supplements.model_copy(
            update={"evening": ZERO, "night": ZERO, "weekend": ZERO})
    if pension:
        update["pension"] = form.pension.model_copy(update={"employer_percent": ZERO, "employee_percent": ZERO})
    return form.model_copy(update=update)


def _ceiling_reason(used: Decimal, right: Decimal, check: CheckFile, line: CheckMonth,
                    ) -> tuple[str, dict[str, Decimal | str]] | None:
    """The named cause of a lønloft difference: the lønloft built from the job's terms without the evening,
    night and weekend supplements, without the pension, or without both, matches the municipality's."""
    form = check.job_terms
    if form is None or line.ceiling is not None:
        return None
    variants: tuple[tuple[str, Callable[[], NormalWageForm]], ...] = (
        ("ceiling_without_supplements", lambda: _without(form, True, False)),
        ("ceiling_without_pension", lambda: _without(form, False, True)),
        ("ceiling_without_supplements_and_pension", lambda: _without(form, True, True)),
    )
    for reason, variant in variants:
        if _ceiling_of(variant()) == used:
            return reason, {"part": right - used}
    return None


def _wage_cause(amount: Decimal, used: Decimal, right: Decimal, basis: Month, month: Month,
                wages: _Wages) -> Cause:
    named = _wage_reason(used, right, basis, wages)
    if named is None:
        return Cause("wage_differs", amount, da.cause_text("wage_differs", amount, {"used": used, "right": right}),
                     str(cite("wage_income", month)))
    reason, facts = named
    provision = {
        "pension_missing": str(cite("wage_income", month)),
        "holiday_wrong_month": f"{cite('wage_income', month)}; Ankestyrelsen PM 14-22",
        "other_employer_counted": str(cite("wage_income", month)),
        "wrong_basis_month": str(cite("timing", month)),
    }[reason]
    return Cause("wage_differs", amount, da.cause_text(reason, amount, facts), provision, reason)


def _ceiling_cause(amount: Decimal, used: Decimal, right: Decimal, check: CheckFile, line: CheckMonth,
                   month: Month) -> Cause:
    named = _ceiling_reason(used, right, check, line)
    provision = str(cite("ceiling", month))
    if named is None:
        return Cause("ceiling_differs", amount,
                     da.cause_text("ceiling_differs", amount, {"used": used, "right": right}), provision)
    reason, facts = named
    return Cause("ceiling_differs", amount, da.cause_text(reason, amount, facts),
                 f"{provision}; Ankestyrelsen PM 48-22", reason)


# ------------------------------------------------------------------------------------------ the residual

def _other_year_rates(month: Month, match: Callable[[Rates], bool]) -> Month | None:
    """The same calendar month of the year before or after whose rates ``match`` the payment, if any."""
    for candidate in (Month(month.year - 1, month.month), Month(month.year + 1, month.month)):
        try:
            rates = rates_for(candidate)
        except NoRatesError:
            continue
        if match(rates):
            return candidate
    return None


def _residual_cause(residual: Decimal, recomputed: MonthResult, month: Month) -> Cause | None:
    """What is left between the subsidy the municipality's own inputs give and what it paid."""
    if residual == 0:
        return None
    atp_share = atp.own_atp_share(recomputed.subsidy, recomputed.rates)
    if atp_share and residual == atp_share:
        return Cause("atp", residual, da.cause_text("atp", residual, {"part": atp_share}),
                     str(cite("atp_own", month)))
    if abs(residual) < ONE_KRONE:
        return Cause("rounding", residual, da.cause_text("rounding", residual, {}), da.ROUNDING_PROVISION)
    return Cause("unexplained", residual, da.cause_text("unexplained", residual, {}), str(cite("subsidy", month)))


# ------------------------------------------------------------------------------------------ one month, all months

def check_month(line: CheckMonth, check: CheckFile, wages: _Wages, where: str) -> MonthCheck:
    """One benefit month: the right subsidy, and the causes found by swapping the municipality's inputs in."""
    month = Month.parse(line.month)
    basis = month.previous()
    own, other = wages.split(basis, line, where)
    right_wage = own + other
    right_ceiling = _right_ceiling(line, check, where)
    right_rates = rates_for(month)
    used_wage = right_wage if line.used_wage is None else line.used_wage
    used_ceiling = right_ceiling if line.used_ceiling is None else line.used_ceiling
    # the municipality's wage goes where the fleksjob wage is (a month without it stays without it)
    used_own, used_other = (used_wage, ZERO) if own > 0 else (ZERO, used_wage)

    def with_rates(rates: Rates) -> MonthResult:
        return _subsidy(month, used_own, used_other, used_ceiling, rates)

    rates_month = month
    if line.used_rates_year is not None:
        rates_month = Month(line.used_rates_year, month.month)
    elif with_rates(right_rates).subsidy != line.paid_subsidy:
        found = _other_year_rates(month, lambda r: with_rates(r).subsidy == line.paid_subsidy)
        rates_month = found or month
    used_rates = right_rates if rates_month == month else rates_for(rates_month)

    s0 = _subsidy(month, own, other, right_ceiling, right_rates)
    s1 = _subsidy(month, own, other, right_ceiling, used_rates)
    s2 = _subsidy(month, used_own, used_other, right_ceiling, used_rates)
    s3 = _subsidy(month, used_own, used_other, used_ceiling, used_rates)
    causes: list[Cause] = []
    if rates_month != month:
        amount = s0.subsidy - s1.subsidy
        causes.append(Cause("rates_differ", amount, da.cause_text(
            "wrong_year_rates", amount, {"used_year": str(rates_month.year), "right_year": str(month.year)}),
            str(cite("max_subsidy", month)), "wrong_year_rates"))
    if used_wage != right_wage:
        causes.append(_wage_cause(s1.subsidy - s2.subsidy, used_wage, right_wage, basis, month, wages))
    if used_ceiling != right_ceiling:
        causes.append(_ceiling_cause(s2.subsidy - s3.subsidy, used_ceiling, right_ceiling, check, line, month))
    residual = _residual_cause(s3.subsidy - line.paid_subsidy, s3, month)
    if residual is not None:
        causes.append(residual)
    return MonthCheck(month=month, right=s0, paid_subsidy=line.paid_subsidy, used_wage=used_wage,
                      used_ceiling=used_ceiling, used_rates_month=rates_month, recomputed_subsidy=s3.subsidy,
                      causes=causes)


def check_calculation(check: CheckFile) -> CheckResult:
    """Check every month of ``check``; the months in time order."""
    wages = _Wages(check)
    ordered = sorted(enumerate(check.months), key=lambda pair: pair[1].month)
    months = [check_month(line, check, wages, f"months.{index}") for index, line in ordered]
    return CheckResult(check=check, months=months)
