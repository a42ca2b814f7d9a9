"""The month as it really is: the plain rules of ``flexcalc.calculate`` with the month's events.

``calculate_month(MonthInput(..., events=MonthEvents(...)))`` lands here. The order is the plain one
(LAB § 123) with each event's rule in its place, every one a module of ``flexcalc.rules`` citing its
provision and adding its own steps to the trace:

1. the wage income W of the basis month: the fleksjob wage (or, after holiday on ledighedsydelse,
   the real wage of the month after the holiday: ``holiday``), less feriegodtgørelse paid to
   FerieKonto when earned, plus FerieKonto holiday pay for the days taken (``holiday``), plus other
   counted incomes and special payments (``incomes``, ``special_payments``); incomes that do not
   count are shown and ignored;
2. M, for the employed days when the job started or ended in the basis month (``partial_month``);
3. the 30 % / 55 % reduction, with the threshold for the share of the month with wage when the basis
   month mixes wage and sickness or maternity pay (``sickness``);
4. the sickness or maternity pay, deducted in full (``sickness``);
5. the ceiling: weighted when it changed within the basis month, for the employed days, raised by
   special payments (``partial_month``, ``special_payments``);
6. no subsidy for days of holiday on ledighedsydelse in the benefit month (``holiday``);
7. the own ATP share (``atp``) and the municipality's additional ATP (``state_atp``).

Everything is checked before anything is computed (``flexcalc.events.validate_events``). With
``MonthEvents()`` the result is the plain calculation, step by step (a property test proves it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flexcalc.calculate import ROUNDING_PROVISION, MonthInput, MonthResult, calculate_month
from flexcalc.errors import InputError, NoRatesError
from flexcalc.events import (
    HOLIDAY,
    HOLIDAY_LIMIT_DAYS,
    HOLIDAY_LY,
    PAID_ABSENCE,
    UNPAID_ABSENCE,
    Income,
    MonthEvents,
    employed_days,
    holiday_counts,
    period_days,
    validate_events,
)
from flexcalc.format import month_name as _month_name
from flexcalc.format import number
from flexcalc.money import ZERO, amount_str
from flexcalc.params import ParameterValue, Rates, load_parameters, rates_for
from flexcalc.period import Month
from flexcalc.rules import (
    atp,
    bonus,
    ceiling,
    holiday,
    incomes,
    partial_month,
    reduction,
    sickness,
    special_payments,
    state_atp,
    timing,
    wage_income,
)
from flexcalc.trace import Step

ONE = Decimal(1)


@lru_cache(maxsize=256)
def month_name(month: Month) -> str:
    """``flexcalc.format.month_name``, remembered (Babel is slow, the months few)."""
    return _month_name(month)


@lru_cache(maxsize=512)
def _da(count: Decimal | int) -> str:
    """A count of days in Danish writing (decimal comma): 21.6667 → 21,6667; 10 → 10."""
    value = Decimal(count).normalize()
    exponent = value.as_tuple().exponent
    return number(value, decimals=max(0, -exponent) if isinstance(exponent, int) else 0)


@dataclass(slots=True)
class EventMonthResult(MonthResult):
    """A month computed with its events: the plain result plus what the events did."""

    events: MonthEvents = field(default_factory=MonthEvents)
    ceiling_given: Decimal = ZERO
    max_subsidy_used: Decimal = ZERO
    threshold_used: Decimal = ZERO
    employment_share: Decimal = ONE
    unpaid_absence_days: int = 0
    sickness_benefit: Decimal = ZERO
    ceiling_raise: Decimal = ZERO
    ledighedsydelse_days: Decimal = ZERO
    ledighedsydelse_reduction: Decimal = ZERO
    not_counted: Decimal = ZERO
    atp_state: Decimal | None = None
    atp_state_hours: Decimal | None = None
    atp_state_full: bool = False
    provisional_subsidy: Decimal | None = None
    regulation_due: bool = False
    derived_event_parameters: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = MonthResult.to_dict(self)
        optional = {
            "atp_state": self.atp_state,
            "atp_state_hours": self.atp_state_hours,
            "provisional_subsidy": self.provisional_subsidy,
        }
        data["events"] = {
            "ceiling_given": amount_str(self.ceiling_given),
            "max_subsidy_used": amount_str(self.max_subsidy_used),
            "threshold_used": amount_str(self.threshold_used),
            "employment_share": str(self.employment_share.quantize(Decimal("0.0001"))),
            "unpaid_absence_days": self.unpaid_absence_days,
            "sickness_benefit": amount_str(self.sickness_benefit),
            "ceiling_raise": amount_str(self.ceiling_raise),
            "ledighedsydelse_days": str(self.ledighedsydelse_days),
            "ledighedsydelse_reduction": amount_str(self.ledighedsydelse_reduction),
            "not_counted": amount_str(self.not_counted),
            "atp_state_full": self.atp_state_full,
            "regulation_due": self.regulation_due,
            "derived_parameters": self.derived_event_parameters,
            **{k: None if v is None else amount_str(v) for k, v in optional.items()},
        }
        return data


def _parameter(name: str, month: Month, field_: str) -> ParameterValue:
    """A dated parameter of the events rules; a month without a value is an error naming ``field_``."""
    try:
        return load_parameters()[name].entry_at(month.first_day())
    except NoRatesError:
        raise NoRatesError(str(month), name, field=field_) from None


def _value(entry: ParameterValue) -> Decimal:
    assert entry.value is not None
    return entry.value


def calculate_month_with_events(inp: MonthInput, events: MonthEvents, rates: Rates | None = None) -> EventMonthResult:
    """The subsidy of ``inp.benefit_month`` with ``events``; see the module docstring for the order."""
    month = inp.benefit_month
    basis = timing.basis_month_of(month)
    validate_events(month, inp.wage, events)
    if rates is None:
        rates = rates_for(month)
    derived: list[str] = []
    periods = events.periods
    unpaid_days = period_days(periods, basis, UNPAID_ABSENCE)
    holiday_days, ly_days = holiday_counts(events, month)
    days_per_month = ZERO
    if unpaid_days or ly_days:
        entry = _parameter("days_per_month", month, "events.periods")
        days_per_month = _value(entry)
        if entry.status == "derived":
            derived.append("days_per_month")

    steps: list[Step] = [
        Step("timing", "Tilskuddet beregnes bagud på lønnen i basismåneden", timing.PROVISION, None,
             {"benefit_month": month, "basis_month": basis}),
    ]

    # 1. the wage income of the basis month --------------------------------------------------------
    wage = inp.wage
    provisional: EventMonthResult | None = None
    if events.regulation_wage is not None:
        provisional = calculate_month_with_events(inp, replace(events, regulation_wage=None), rates)
        wage = events.regulation_wage
        steps.append(Step(
            "regulation", f"Efterregulering efter ferie med ledighedsydelse: lønnen i {month_name(month)} bruges i "
            f"stedet for lønnen i {month_name(basis)}", holiday.PROVISION_REGULATION, wage,
            {"basis_wage": inp.wage, "real_wage": wage, "provisional_subsidy": provisional.subsidy}))
    w = wage_income.wage_income(wage, inp.other_wage, inp.other_income)
    from_events = ZERO
    if events.bonus_spread_out:
        from_events -= events.bonus_spread_out
        steps.append(Step("bonus_spread_out", "Bonus fordelt på de måneder, den dækker, tælles ikke i denne måned",
                          bonus.PROVISION, -events.bonus_spread_out, {"bonus": events.bonus_spread_out}))
    if events.feriekonto_earned:
        from_events -= events.feriekonto_earned
        steps.append(Step("feriekonto_earned", "Feriegodtgørelse til FerieKonto trækkes ud af lønnen, når den optjenes",
                          holiday.PROVISION_FERIEKONTO_EARNED, -events.feriekonto_earned,
                          {"feriegodtgoerelse": events.feriekonto_earned}))
    for pay in events.feriekonto:
        gross, counted = holiday.feriekonto_counted(pay)
        from_events += counted
        steps.append(Step("feriekonto", "Feriegodtgørelse fra FerieKonto, omregnet til brutto, for de holdte feriedage",
                          holiday.PROVISION_FERIEKONTO, counted,
                          {"net": pay.net, "tax_withheld": pay.tax_withheld, "gross": gross,
                           "days_taken": str(pay.days_taken), "days_covered": str(pay.days_covered)}))
    raise_total = ZERO
    not_counted = ZERO
    for income in events.incomes:
        raised = special_payments.ceiling_raise(income)
        if incomes.counts(income.kind, month):
            from_events += income.amount
            steps.append(Step("income_counted", f"{incomes.LABEL[income.kind]} indgår som lønindtægt",
                              incomes.PROVISION[income.kind], income.amount, {"kind": income.kind}))
        else:
            not_counted += income.amount
            steps.append(Step("income_not_counted", f"{incomes.LABEL[income.kind]}: "
                              f"{incomes.WHY_NOT[income.kind].lower()}", incomes.PROVISION[income.kind],
                              income.amount, {"kind": income.kind}))
        if raised is not None:
            raise_total += raised
    w += from_events
    wage_inputs: dict[str, Decimal | str | Month] = {"wage": wage, "other_wage": inp.other_wage,
                                                     "other_income": inp.other_income}
    if from_events:
        wage_inputs["from_events"] = from_events
    steps.append(Step("wage_income", "Lønindtægt i basismåneden inkl. pension", wage_income.PROVISION, w, wage_inputs))

    # 2. M for the employed days -------------------------------------------------------------------
    m_full = rates.max_subsidy
    steps.append(Step("max_subsidy", "Maksimalt fleksløntilskud (98 % af højeste dagpengesats)",
                      reduction.PROVISION_MAX, m_full, {"status": rates.status("max_subsidy")}, m_full, "subsidy"))
    employed = employed_days(events, basis)
    emp_share = partial_month.employment_share(employed, basis)
    m_used = sickness.scaled(m_full, emp_share)
    if emp_share != ONE:
        steps.append(Step("employment_share", f"Ansat {employed} af {partial_month.days_in_month(basis)} dage i "
                          f"{month_name(basis)}: tilskud kun for de ansatte kalenderdage",
                          partial_month.PROVISION_EMPLOYMENT, m_used,
                          {"employed_days": str(employed), "days_in_month": str(partial_month.days_in_month(basis))},
                          m_used - m_full, "subsidy"))

    # 3. the reduction, with the threshold for the share of the month with wage ---------------------
    holiday_basis = period_days(periods, basis, HOLIDAY)
    if holiday_basis:
        steps.append(Step("holiday_basis", f"Ferie med løn eller feriegodtgørelse i {month_name(basis)} "
                          f"({holiday_basis} arbejdsdage): tilskuddet fortsætter på lønnen", holiday.PROVISION_EMPLOYER,
                          None, {"days": str(holiday_basis)}))
    paid_absence = period_days(periods, basis, PAID_ABSENCE)
    if paid_absence:
        steps.append(Step("paid_absence", f"Løn under sygdom eller barsel i {paid_absence} arbejdsdage indgår som løn",
                          sickness.PROVISION_PAID, None, {"days": str(paid_absence)}))
    wage_share = sickness.wage_share(unpaid_days, days_per_month) if unpaid_days else ONE
    threshold = rates.threshold
    threshold_used = sickness.scaled(threshold, emp_share * wage_share)
    if unpaid_days:
        steps.append(Step("absence_days", f"Syge- eller barselsdagpenge i {unpaid_days} af {_da(days_per_month)} dage: "
                          "grænsen for lønnen gælder for resten af måneden", sickness.PROVISION_DAYS, threshold_used,
                          {"unpaid_days": str(unpaid_days), "days_per_month": str(days_per_month),
                           "threshold": threshold}))
    low, high = reduction.reduction_at_threshold(w, threshold_used, rates)
    steps += [
        Step("reduction_low", "Nedsættelse med 30 % af lønindtægten op til grænsen", reduction.PROVISION_LOW, low,
             {"base": w if w < threshold_used else threshold_used, "rate": rates.reduction_rate_low,
              "threshold": threshold_used}, -low, "subsidy"),
        Step("reduction_high", "Nedsættelse med 55 % af lønindtægten over grænsen", reduction.PROVISION_HIGH, high,
             {"base": w - threshold_used if w > threshold_used else ZERO, "rate": rates.reduction_rate_high,
              "threshold": threshold_used}, -high, "subsidy"),
    ]

    # 4. sickness or maternity pay, deducted in full ------------------------------------------------
    benefit = events.sickness_benefit or ZERO
    if unpaid_days:
        steps.append(Step("sickness_benefit", "Syge- eller barselsdagpenge fradrages fuldt (tilsammen 98 % af "
                          "højeste dagpengesats)", sickness.PROVISION_BENEFIT, benefit,
                          {"unpaid_days": str(unpaid_days)}, -benefit, "subsidy"))
    before, floor_adj, rounding_adj = reduction.subsidy_after_reduction(m_used, low + high + benefit)
    if floor_adj:
        steps.append(Step("floor_at_zero", "Tilskuddet kan ikke blive negativt", reduction.PROVISION_HIGH,
                          floor_adj, {}, floor_adj, "subsidy"))
    if rounding_adj:
        steps.append(Step("rounding", "Afrunding til hele øre", ROUNDING_PROVISION, rounding_adj, {},
                          rounding_adj, "subsidy"))
    steps.append(Step("subsidy_before_ceiling", "Tilskud før lønloftet", reduction.PROVISION_HIGH, before))

    # 5. the ceiling ----------------------------------------------------------------------------
    ceiling_month = partial_month.weighted_ceiling(inp.ceiling, events.ceiling_changes, basis)
    if events.ceiling_changes:
        steps.append(Step("ceiling_changes", "Lønloftet ændret i basismåneden: vægtet med kalenderdage",
                          partial_month.PROVISION_CEILING, ceiling_month, {"ceiling": inp.ceiling}))
    ceiling_emp = sickness.scaled(ceiling_month, emp_share)
    if emp_share != ONE:
        steps.append(Step("ceiling_employment_share", "Lønloftet for de ansatte kalenderdage",
                          partial_month.PROVISION_EMPLOYMENT, ceiling_emp, {"ceiling": ceiling_month}))
    if raise_total:
        steps.append(Step("ceiling_raise", "Lønloftet hæves i den måned, særlige betalinger udbetales",
                          special_payments.PROVISION, raise_total, {"ceiling": ceiling_emp}))
    ceiling_used = ceiling_emp + raise_total
    subsidy, cut, room = ceiling.apply_ceiling(before, ceiling_used, w + benefit)
    ceiling_inputs: dict[str, Decimal | str | Month] = {"ceiling": ceiling_used, "wage_income": w, "room": room}
    if benefit:
        ceiling_inputs["sickness_benefit"] = benefit
    steps.append(Step("ceiling", "Lønloft: løn og tilskud tilsammen højst fuldtidslønnen", ceiling.PROVISION, cut,
                      ceiling_inputs, -cut, "subsidy"))

    # 6. holiday on ledighedsydelse in the benefit month --------------------------------------------
    ly_reduction = ZERO
    if holiday_days or ly_days:
        total = events.holiday_days_before + holiday_days + ly_days
        steps.append(Step("holiday_days", f"Ferie i {month_name(month)}: {_da(holiday_days)} dage med "
                          f"løn/feriegodtgørelse og {_da(ly_days)} med ledighedsydelse; i alt {_da(total)} dage i "
                          f"ferieåret (højst {HOLIDAY_LIMIT_DAYS} med ledighedsydelse)", holiday.PROVISION_LIMIT, None,
                          {"paid_days": str(holiday_days), "ledighedsydelse_days": str(ly_days),
                           "days_before": str(events.holiday_days_before)}))
    if ly_days:
        ly_reduction = holiday.ledighedsydelse_reduction(subsidy, ly_days, days_per_month)
        steps.append(Step("ledighedsydelse_days", f"Intet tilskud for {_da(ly_days)} feriedage med ledighedsydelse "
                          f"(forholdsmæssigt af {_da(days_per_month)} dage)", holiday.PROVISION_LEDIGHEDSYDELSE,
                          ly_reduction, {"days": str(ly_days), "days_per_month": str(days_per_month),
                                         "subsidy": subsidy}, -ly_reduction, "subsidy"))
        subsidy -= ly_reduction
    regulation_due = bool(period_days(periods, basis, HOLIDAY_LY)) and events.regulation_wage is None
    if regulation_due:
        steps.append(Step("regulation_due", f"Ferie med ledighedsydelse i {month_name(basis)}: tilskuddet skal "
                          f"efterreguleres på den reelle løn i {month_name(month)}", holiday.PROVISION_REGULATION,
                          None, {"basis_month": basis}))
    later = period_days(periods, month, UNPAID_ABSENCE | PAID_ABSENCE)
    if later:
        steps.append(Step("absence_next_month", f"Sygdom eller barsel i {month_name(month)} ({later} "
                          "arbejdsdage) indgår i næste måneds tilskud", sickness.PROVISION_DAYS, None,
                          {"days": str(later)}))

    # 7. own ATP, payout, state ATP ----------------------------------------------------------------
    atp_own = atp.own_atp_share(subsidy, rates)
    payout = subsidy - atp_own
    steps += [
        Step("subsidy", "Fleksløntilskud", ceiling.PROVISION, subsidy, {}, subsidy, "payout"),
        Step("atp_own", "Eget ATP-bidrag (5 %, højst 500 kr.) trækkes fra", atp.PROVISION, atp_own,
             {"rate": rates.atp_own_share_rate, "cap": rates.atp_own_share_cap}, -atp_own, "payout"),
        Step("payout", "Udbetaling før skat", atp.PROVISION, payout),
    ]
    atp_state_amount: Decimal | None = None
    atp_state_hours: Decimal | None = None
    atp_state_full = False
    if events.paid_hours is not None:
        hours_used = events.paid_hours_before_sickness if unpaid_days else events.paid_hours
        assert hours_used is not None  # validate_events requires it
        entries = {name: _parameter(name, month, "events.paid_hours") for name in
                   ("atp_state_hourly", "atp_state_full_monthly", "atp_state_min_paid_hours", "full_time_hours_week")}
        derived += [name for name, entry in entries.items() if entry.status == "derived"]
        share = emp_share
        if ly_days:
            share *= ONE - min(ly_days, days_per_month) / days_per_month
        full_hours = state_atp.full_time_hours_month(_value(entries["full_time_hours_week"]))
        if subsidy > 0:
            atp_state_amount, atp_state_hours, atp_state_full = state_atp.state_atp(
                hours_used, hourly=_value(entries["atp_state_hourly"]),
                full_monthly=_value(entries["atp_state_full_monthly"]),
                min_paid_hours=_value(entries["atp_state_min_paid_hours"]), full_time_hours=full_hours, share=share)
        else:
            atp_state_amount, atp_state_hours = ZERO, ZERO
        label = ("Kommunens ATP-bidrag: fuldt bidrag (under 39 løntimer om måneden)" if atp_state_full else
                 "Kommunens ATP-bidrag for timer med tilskud (37 timer om ugen minus løntimer)")
        if subsidy <= 0:
            label = "Kommunens ATP-bidrag: intet, da der ikke er tilskud"
        status = "derived" if any(e.status == "derived" for e in entries.values()) else "verified"
        steps.append(Step("atp_state", label, state_atp.PROVISION, atp_state_amount,
                          {"paid_hours": hours_used, "full_time_hours": full_hours,
                           "hours_with_subsidy": atp_state_hours, "hourly": _value(entries["atp_state_hourly"]),
                           "full_monthly": _value(entries["atp_state_full_monthly"]), "status": status}))

    return EventMonthResult(
        benefit_month=month, basis_month=basis, wage_income=w, ceiling=ceiling_used, rates=rates,
        reduction_low=low, reduction_high=high, subsidy_before_ceiling=before, ceiling_room=room, ceiling_cut=cut,
        subsidy=subsidy, atp_own=atp_own, payout=payout, steps=steps, events=events, ceiling_given=inp.ceiling,
        max_subsidy_used=m_used, threshold_used=threshold_used, employment_share=emp_share,
        unpaid_absence_days=unpaid_days, sickness_benefit=benefit, ceiling_raise=raise_total,
        ledighedsydelse_days=ly_days, ledighedsydelse_reduction=ly_reduction, not_counted=not_counted,
        atp_state=atp_state_amount, atp_state_hours=atp_state_hours, atp_state_full=atp_state_full,
        provisional_subsidy=None if provisional is None else provisional.subsidy, regulation_due=regulation_due,
        derived_event_parameters=sorted(set(derived)),
    )


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


def spread_bonus(inputs: Sequence[MonthInput], amount: Decimal, *, covered: Sequence[Month] | None = None,
                 paid_in: Month | None = None) -> BonusSpread:
    """Spread a bonus over the months it covers and recompute them (Ankestyrelsen PM 27-23).

    ``inputs`` are the months as they were computed (without the bonus, except the month it was paid
    in); ``covered`` the basis months the bonus is for (default: the basis months of all inputs);
    ``paid_in`` the basis month whose wage held the whole bonus (it is taken out there). Returns each
    month before and after. Every input is checked first: an error names the field and nothing is
    returned half-computed.
    """
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
