"""One benefit month as one pipeline of named stages.

The order is the law's (LAB § 123): each stage reads and writes one ``MonthState`` and appends its
steps to the trace; every amount comes from a rule in ``flexcalc.rules`` citing its provision.

1. ``wage_income``: the wage income W of the basis month: the fleksjob wage (or, after holiday on
   ledighedsydelse, the real wage of the month after: ``holiday``), less feriegodtgørelse paid to
   FerieKonto when earned, plus FerieKonto holiday pay for the days taken, plus other wage and
   counted incomes (``wage_income``, ``incomes``, ``special_payments``); whether the fleksjob
   employer paid a wage, and if not, which exception lets the month be computed (``fleksjob_wage``);
2. ``maximum``: M, for the employed days when the job started or ended in the basis month;
3. ``reduction``: 30 % / 55 % of W, with the threshold for the share of the month with wage when
   the basis month mixes wage with dagpenge or ressourceforløbsydelse (``sickness``);
4. ``sickness_top_up``: dagpenge (received, or the amount the person was entitled to) and
   ressourceforløbsydelse deducted in full; the result floored at 0 and rounded once to øre; no
   subsidy without fleksjob wage unless an exception applies;
5. ``ceiling``: wage + subsidy ≤ the ceiling (weighted when it changed, for the employed days,
   raised by special payments);
6. ``holiday_on_ledighedsydelse``: no subsidy for days of holiday on ledighedsydelse;
7. ``own_atp``: the person's 5 % ATP share, the payout;
8. ``state_atp``: the municipality's additional ATP for the hours with subsidy.

A plain month (``MonthInput.events is None``) runs the same stages; the event parts of each stage do
nothing, so the plain result and trace are those the engine has always given (tests/month prove it
against the previous implementation). The labels are written once, in ``flexcalc.text_da.month``;
the keys in ``flexcalc.month.steps``; the provisions are cited as in force in the benefit month
(``flexcalc.law.provisions.cite``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from flexcalc.errors import InputError, ManualDecisionRequired, NoRatesError
from flexcalc.law.lawdata import law_date, provision_table
from flexcalc.law.params import ParameterValue, Rates, load_parameters, rates_for, weakest_status
from flexcalc.law.provisions import Provision, cite
from flexcalc.money import ZERO
from flexcalc.month import steps as k
from flexcalc.month.events import (
    HOLIDAY,
    HOLIDAY_LIMIT_DAYS,
    HOLIDAY_LY,
    PAID_ABSENCE,
    RESOURCE_ABSENCE,
    SICKNESS_ABSENCE,
    TRANSITION_2027_KINDS,
    UNPAID_ABSENCE,
    employed_days,
    holiday_counts,
    period_days,
    validate_events,
)
from flexcalc.month.input import MonthInput
from flexcalc.month.result import ONE, EventMonthResult, MonthResult
from flexcalc.period import Month
from flexcalc.rules import (
    atp,
    ceiling,
    fleksjob_wage,
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
from flexcalc.text_da import month as da
from flexcalc.trace import Step

Inputs = dict[str, Decimal | str | Month]


@lru_cache(maxsize=512)
def citations(month: Month) -> dict[str, Provision]:
    """Every provision the month's trace may cite, as in force in benefit ``month`` (one lookup a month)."""
    return {key: cite(key, month) for key in provision_table().provisions}


class MonthContext:
    """What every month with the same rates shares: the basis month, the provisions cited, and the labels
    that name a rate (30 %, 55 %, 5 % and 500 kr.), built once from the rates (``flexcalc.text_da.month``)."""

    __slots__ = ("atp_label", "basis", "cites", "high_label", "low_label", "max_status", "plain_stages", "rates")

    def __init__(self, rates: Rates) -> None:
        self.rates = rates
        self.basis = timing.basis_month_of(rates.month)
        self.cites = citations(rates.month)
        self.low_label = da.reduction_low(rates.reduction_rate_low)
        self.high_label = da.reduction_high(rates.reduction_rate_high)
        self.atp_label = da.atp_own(rates.atp_own_share_rate, rates.atp_own_share_cap)
        self.max_status = rates.status("max_subsidy")
        self.plain_stages = stages_for(rates.month, events=False)  # the rates' own month's formula version


_CONTEXTS: dict[int, MonthContext] = {}


def context_for(rates: Rates) -> MonthContext:
    """The shared context of ``rates`` (kept by the identity of the rates object; ``rates_for`` keeps one a month)."""
    ctx = _CONTEXTS.get(id(rates))
    if ctx is None or ctx.rates is not rates:
        ctx = _CONTEXTS[id(rates)] = MonthContext(rates)
    return ctx


class MonthState:
    """What the stages have found so far. Amounts are exact ``Decimal``; the trace grows in order.

    ``__init__`` sets what every month uses; what only a month with events uses reads its class default
    until an event stage sets it (a plain month is cheap to create: tens of thousands run a second)."""

    # set only by the event parts of the stages
    not_counted = raise_total = days_per_month = ZERO
    sickness_received = sickness_deducted = resource = ZERO
    ly_days = ly_reduction = ZERO
    emp_share = ONE
    unpaid_days = 0
    exceptions: tuple[str, ...] = ()
    provisional: MonthResult | None = None
    regulation_due = False
    atp_state: Decimal | None = None
    atp_state_hours: Decimal | None = None
    atp_state_full = False
    derived: tuple[str, ...] = ()

    def __init__(self, inp: MonthInput, ctx: MonthContext, month: Month, own_month: bool) -> None:
        self.inp = inp
        self.ctx = ctx
        self.rates = ctx.rates
        self.month = month
        self.events = inp.events
        if own_month:
            self.basis = ctx.basis
            self.cites = ctx.cites
        else:  # rates of another month given on purpose: the month's own basis and provisions
            self.basis = timing.basis_month_of(month)
            self.cites = citations(month)
        self.steps: list[Step] = []
        self.wage = self.w = self.m_used = self.threshold_used = self.low = self.high = ZERO
        self.before = self.ceiling_used = self.room = self.cut = self.subsidy = self.atp_own = self.payout = ZERO
        self.no_wage = False


def _parameter(name: str, month: Month, field_: str) -> ParameterValue:
    """A dated parameter of the events rules; a month without a value is an error naming ``field_``."""
    try:
        return load_parameters()[name].entry_at(month.first_day())
    except NoRatesError:
        raise NoRatesError(str(month), name, field=field_) from None


def _value(entry: ParameterValue, month: Month, field_: str) -> Decimal:
    if entry.value is None:  # entry_at never returns an empty entry; kept as a named error, not an assert
        raise NoRatesError(str(month), entry.start.isoformat(), field=field_)
    return entry.value


# ------------------------------------------------------------------------------------------- stages

def wage_income_stage(s: MonthState) -> None:
    """1. W of the basis month, and whether the fleksjob employer paid a wage (LAB § 123, stk. 2)."""
    inp, ev, c = s.inp, s.events, s.cites
    s.steps.append(Step(k.TIMING, da.TIMING, c["timing"], None,
                        {"benefit_month": s.month, "basis_month": s.basis}))
    if ev is None:
        s.wage = inp.wage
        s.w = wage_income.wage_income(inp.wage, inp.other_wage, inp.other_income)
        s.steps.append(Step(k.WAGE_INCOME, da.WAGE_INCOME, c["wage_income"], s.w,
                            {"wage": inp.wage, "other_wage": inp.other_wage, "other_income": inp.other_income}))
        s.no_wage = not fleksjob_wage.has_fleksjob_wage(s.wage)
        return
    wage = inp.wage
    if ev.regulation_wage is not None:
        s.provisional = run_pipeline(replace(inp, events=replace(ev, regulation_wage=None)), s.rates)
        wage = ev.regulation_wage
        s.steps.append(Step(k.REGULATION, da.regulation(s.month, s.basis), c["holiday_regulation"], wage,
                            {"basis_wage": inp.wage, "real_wage": wage,
                             "provisional_subsidy": s.provisional.subsidy}))
    w = wage_income.wage_income(wage, inp.other_wage, inp.other_income)
    from_events = ZERO
    if ev.bonus_spread_out:
        from_events -= ev.bonus_spread_out
        s.steps.append(Step(k.BONUS_SPREAD_OUT, da.BONUS_SPREAD_OUT, c["bonus"], -ev.bonus_spread_out,
                            {"bonus": ev.bonus_spread_out}))
    if ev.feriekonto_earned:
        from_events -= ev.feriekonto_earned
        s.steps.append(Step(k.FERIEKONTO_EARNED, da.FERIEKONTO_EARNED, c["holiday_feriekonto_earned"],
                            -ev.feriekonto_earned, {"feriegodtgoerelse": ev.feriekonto_earned}))
    for pay in ev.feriekonto:
        gross, counted = holiday.feriekonto_counted(pay)
        from_events += counted
        s.steps.append(Step(k.FERIEKONTO, da.FERIEKONTO, c["holiday_feriekonto"], counted,
                            {"net": pay.net, "tax_withheld": pay.tax_withheld, "gross": gross,
                             "days_taken": str(pay.days_taken), "days_covered": str(pay.days_covered)}))
    for income in ev.incomes:
        raised = special_payments.ceiling_raise(income)
        if incomes.counts(income.kind, s.month):
            from_events += income.amount
            s.steps.append(Step(k.INCOME_COUNTED, da.income_counted(incomes.LABEL[income.kind]),
                                incomes.PROVISION[income.kind], income.amount, {"kind": income.kind}))
        else:
            s.not_counted += income.amount
            s.steps.append(Step(k.INCOME_NOT_COUNTED,
                                da.income_not_counted(incomes.LABEL[income.kind], incomes.WHY_NOT[income.kind]),
                                incomes.PROVISION[income.kind], income.amount, {"kind": income.kind}))
        if raised is not None:
            s.raise_total += raised
    w += from_events
    inputs: Inputs = {"wage": wage, "other_wage": inp.other_wage, "other_income": inp.other_income}
    if from_events:
        inputs["from_events"] = from_events
    s.steps.append(Step(k.WAGE_INCOME, da.WAGE_INCOME, c["wage_income"], w, inputs))
    s.wage, s.w = wage, w
    if not fleksjob_wage.has_fleksjob_wage(wage):
        s.exceptions = fleksjob_wage.exceptions(ev, s.basis, s.month)
        s.no_wage = not s.exceptions
        if s.exceptions:
            first = fleksjob_wage.EXCEPTION_PROVISION_KEY[s.exceptions[0]]
            s.steps.append(Step(k.FLEKSJOB_WAGE_EXCEPTION, da.fleksjob_wage_exception(s.exceptions), c[first], None,
                                {"exceptions": ", ".join(s.exceptions)}))


def maximum_stage(s: MonthState) -> None:
    """2. M, 98 % of the highest dagpengesats (LAB § 123, stk. 1), for the employed days."""
    m_full = s.rates.max_subsidy
    s.steps.append(Step(k.MAX_SUBSIDY, da.MAX_SUBSIDY, s.cites["max_subsidy"], m_full,
                        {"status": s.ctx.max_status}, m_full, "subsidy"))
    s.m_used = m_full
    if s.events is None:
        return
    employed = employed_days(s.events, s.basis)
    s.emp_share = partial_month.employment_share(employed, s.basis)
    s.m_used = sickness.scaled(m_full, s.emp_share)
    if s.emp_share != ONE:
        days_in_month = partial_month.days_in_month(s.basis)
        s.steps.append(Step(k.EMPLOYMENT_SHARE, da.employment_share(employed, days_in_month, s.basis),
                            s.cites["partial_month_employment"], s.m_used,
                            {"employed_days": str(employed), "days_in_month": str(days_in_month)},
                            s.m_used - m_full, "subsidy"))


def reduction_stage(s: MonthState) -> None:
    """3. 30 % of W up to the threshold, 55 % above it (LAB § 123, stk. 2)."""
    rates, c = s.rates, s.cites
    threshold = rates.threshold
    if s.events is None:
        s.threshold_used = threshold
        s.low, s.high = reduction.reduction_for_wage(s.w, rates)
    else:
        periods = s.events.periods
        holiday_basis = period_days(periods, s.basis, HOLIDAY)
        if holiday_basis:
            s.steps.append(Step(k.HOLIDAY_BASIS, da.holiday_basis(s.basis, holiday_basis), c["holiday_employer"],
                                None, {"days": str(holiday_basis)}))
        paid_absence = period_days(periods, s.basis, PAID_ABSENCE)
        if paid_absence:
            s.steps.append(Step(k.PAID_ABSENCE, da.paid_absence(paid_absence), c["sickness_paid"], None,
                                {"days": str(paid_absence)}))
        s.unpaid_days = period_days(periods, s.basis, UNPAID_ABSENCE)
        wage_share = sickness.wage_share(s.unpaid_days, s.days_per_month) if s.unpaid_days else ONE
        s.threshold_used = sickness.scaled(threshold, s.emp_share * wage_share)
        if s.unpaid_days:
            s.steps.append(Step(k.ABSENCE_DAYS, da.absence_days(s.unpaid_days, s.days_per_month), c["sickness_days"],
                                s.threshold_used, {"unpaid_days": str(s.unpaid_days),
                                                   "days_per_month": str(s.days_per_month),
                                                   "threshold": threshold}))
        s.low, s.high = reduction.reduction_at_threshold(s.w, s.threshold_used, rates)
    t, w = s.threshold_used, s.w
    s.steps.append(Step(k.REDUCTION_LOW, s.ctx.low_label, c["reduction_low"], s.low,
                        {"base": w if w < t else t, "rate": rates.reduction_rate_low, "threshold": t},
                        -s.low, "subsidy"))
    s.steps.append(Step(k.REDUCTION_HIGH, s.ctx.high_label, c["reduction_high"], s.high,
                        {"base": w - t if w > t else ZERO, "rate": rates.reduction_rate_high, "threshold": t},
                        -s.high, "subsidy"))


def sickness_top_up_stage(s: MonthState) -> None:
    """4. Dagpenge and ressourceforløbsydelse deducted in full (LAB § 124, stk. 3; BEK 227/2024 §§ 9, 14);
    then M − deductions, floored at 0, rounded once to øre; nothing without fleksjob wage unless an
    exception applies (vejl. 9154/2022 pkt. 2.1)."""
    c = s.cites
    ev = s.events
    deducted = ZERO
    if ev is not None and s.unpaid_days:
        sick_days = period_days(ev.periods, s.basis, SICKNESS_ABSENCE)
        if sick_days:
            received = ev.sickness_benefit or ZERO
            s.sickness_received = received
            s.steps.append(Step(k.SICKNESS_BENEFIT, da.SICKNESS_BENEFIT, c["sickness_benefit"], received,
                                {"unpaid_days": str(s.unpaid_days)}, -received, "subsidy"))
            s.sickness_deducted = sickness.deducted_benefit(received, ev.sickness_benefit_entitled)
            extra = s.sickness_deducted - received
            if ev.sickness_benefit_entitled is not None:
                s.steps.append(Step(k.SICKNESS_ENTITLED, da.SICKNESS_ENTITLED, c["sickness_entitled"],
                                    ev.sickness_benefit_entitled,
                                    {"received": received, "entitled": ev.sickness_benefit_entitled,
                                     "sick_days": str(sick_days)}, -extra, "subsidy"))
            deducted += s.sickness_deducted
        if period_days(ev.periods, s.basis, RESOURCE_ABSENCE):
            s.resource = ev.resource_benefit or ZERO
            s.steps.append(Step(k.RESOURCE_BENEFIT, da.RESOURCE_BENEFIT, c["resource_benefit"], s.resource,
                                {"unpaid_days": str(s.unpaid_days)}, -s.resource, "subsidy"))
            deducted += s.resource
    before, floor_adj, rounding_adj = reduction.subsidy_after_reduction(s.m_used, s.low + s.high + deducted)
    if floor_adj:
        s.steps.append(Step(k.FLOOR_AT_ZERO, da.FLOOR_AT_ZERO, c["reduction_high"], floor_adj, {}, floor_adj,
                            "subsidy"))
    if rounding_adj:
        s.steps.append(Step(k.ROUNDING, da.ROUNDING, c["rounding"], rounding_adj, {}, rounding_adj, "subsidy"))
    if s.no_wage:
        s.steps.append(Step(k.NO_FLEKSJOB_WAGE, da.NO_FLEKSJOB_WAGE, c["no_fleksjob_wage"], before,
                            {"wage": s.wage, "other_wage": s.inp.other_wage}, -before, "subsidy"))
        before = ZERO
    s.before = before
    s.steps.append(Step(k.SUBSIDY_BEFORE_CEILING, da.SUBSIDY_BEFORE_CEILING, c["reduction_high"], before))


def ceiling_stage(s: MonthState) -> None:
    """5. Wage and subsidy together at most the ceiling (LAB § 123, stk. 3)."""
    c, inp, ev = s.cites, s.inp, s.events
    if ev is None:
        ceiling_used = inp.ceiling
        counted = s.w
        inputs: Inputs = {"ceiling": ceiling_used, "wage_income": s.w}
    else:
        ceiling_month = partial_month.weighted_ceiling(inp.ceiling, ev.ceiling_changes, s.basis)
        if ev.ceiling_changes:
            s.steps.append(Step(k.CEILING_CHANGES, da.CEILING_CHANGES, c["partial_month_ceiling"], ceiling_month,
                                {"ceiling": inp.ceiling}))
        ceiling_emp = sickness.scaled(ceiling_month, s.emp_share)
        if s.emp_share != ONE:
            s.steps.append(Step(k.CEILING_EMPLOYMENT_SHARE, da.CEILING_EMPLOYMENT_SHARE,
                                c["partial_month_employment"], ceiling_emp, {"ceiling": ceiling_month}))
        if s.raise_total:
            s.steps.append(Step(k.CEILING_RAISE, da.CEILING_RAISE, c["special_payments"], s.raise_total,
                                {"ceiling": ceiling_emp}))
        ceiling_used = ceiling_emp + s.raise_total
        counted = s.w + s.sickness_deducted + s.resource
        inputs = {"ceiling": ceiling_used, "wage_income": s.w}
    s.subsidy, s.cut, s.room = ceiling.apply_ceiling(s.before, ceiling_used, counted)
    s.ceiling_used = ceiling_used
    inputs["room"] = s.room
    if ev is not None:
        if s.sickness_deducted:
            inputs["sickness_benefit"] = s.sickness_deducted
        if s.resource:
            inputs["resource_benefit"] = s.resource
    s.steps.append(Step(k.CEILING, da.CEILING, c["ceiling"], s.cut, inputs, -s.cut, "subsidy"))


def holiday_on_ledighedsydelse_stage(s: MonthState) -> None:
    """6. No subsidy for days of holiday on ledighedsydelse in the benefit month (BEK 227/2024 § 10)."""
    ev = s.events
    if ev is None:
        return
    c = s.cites
    holiday_days, ly_days = holiday_counts(ev, s.month)
    s.ly_days = ly_days
    if holiday_days or ly_days:
        total = ev.holiday_days_before + holiday_days + ly_days
        s.steps.append(Step(k.HOLIDAY_DAYS, da.holiday_days(s.month, holiday_days, ly_days, total,
                                                            HOLIDAY_LIMIT_DAYS), c["holiday_limit"], None,
                            {"paid_days": str(holiday_days), "ledighedsydelse_days": str(ly_days),
                             "days_before": str(ev.holiday_days_before)}))
    if ly_days:
        s.ly_reduction = holiday.ledighedsydelse_reduction(s.subsidy, ly_days, s.days_per_month)
        s.steps.append(Step(k.LEDIGHEDSYDELSE_DAYS, da.ledighedsydelse_days(ly_days, s.days_per_month),
                            c["holiday_ledighedsydelse"], s.ly_reduction,
                            {"days": str(ly_days), "days_per_month": str(s.days_per_month), "subsidy": s.subsidy},
                            -s.ly_reduction, "subsidy"))
        s.subsidy -= s.ly_reduction
    s.regulation_due = bool(period_days(ev.periods, s.basis, HOLIDAY_LY)) and ev.regulation_wage is None
    if s.regulation_due:
        s.steps.append(Step(k.REGULATION_DUE, da.regulation_due(s.basis, s.month), c["holiday_regulation"], None,
                            {"basis_month": s.basis}))
    later = period_days(ev.periods, s.month, UNPAID_ABSENCE | PAID_ABSENCE)
    if later:
        s.steps.append(Step(k.ABSENCE_NEXT_MONTH, da.absence_next_month(s.month, later), c["sickness_days"], None,
                            {"days": str(later)}))


def own_atp_stage(s: MonthState) -> None:
    """7. The person's own ATP share, withheld from the subsidy (LAB § 137)."""
    rates, c = s.rates, s.cites
    s.atp_own = atp.own_atp_share(s.subsidy, rates)
    s.payout = s.subsidy - s.atp_own
    s.steps.append(Step(k.SUBSIDY, da.SUBSIDY, c["ceiling"], s.subsidy, {}, s.subsidy, "payout"))
    s.steps.append(Step(k.ATP_OWN, s.ctx.atp_label, c["atp_own"], s.atp_own,
                        {"rate": rates.atp_own_share_rate, "cap": rates.atp_own_share_cap}, -s.atp_own, "payout"))
    s.steps.append(Step(k.PAYOUT, da.PAYOUT, c["atp_own"], s.payout))


def state_atp_stage(s: MonthState) -> None:
    """8. The municipality's additional ATP for the hours with subsidy (LAB § 138)."""
    ev = s.events
    if ev is None or ev.paid_hours is None:
        return
    hours_used = ev.paid_hours_before_sickness if s.unpaid_days else ev.paid_hours
    if hours_used is None:  # validate_events requires it with unpaid days; a named error, never an assert
        raise InputError("events.paid_hours_before_sickness", "is required with unpaid days (LAB § 138, stk. 4)",
                         "skal udfyldes ved dage uden løn (LAB § 138, stk. 4)", code="missing")
    field_ = "events.paid_hours"
    entries = {name: _parameter(name, s.month, field_) for name in
               ("atp_state_hourly", "atp_state_full_monthly", "atp_state_min_paid_hours", "full_time_hours_week")}
    values = {name: _value(entry, s.month, field_) for name, entry in entries.items()}
    s.derived += tuple(name for name, entry in entries.items() if entry.status != "published")
    share = s.emp_share
    if s.ly_days:
        share *= ONE - min(s.ly_days, s.days_per_month) / s.days_per_month
    full_hours = state_atp.full_time_hours_month(values["full_time_hours_week"])
    if s.subsidy > 0:
        s.atp_state, s.atp_state_hours, s.atp_state_full = state_atp.state_atp(
            hours_used, hourly=values["atp_state_hourly"], full_monthly=values["atp_state_full_monthly"],
            min_paid_hours=values["atp_state_min_paid_hours"], full_time_hours=full_hours, share=share)
        label = (da.atp_state_full(values["atp_state_min_paid_hours"]) if s.atp_state_full else
                 da.atp_state_hours(values["full_time_hours_week"]))
    else:
        s.atp_state, s.atp_state_hours = ZERO, ZERO
        label = da.ATP_STATE_NONE
    status = weakest_status(e.status for e in entries.values())
    s.steps.append(Step(k.ATP_STATE, label, s.cites["atp_state"], s.atp_state,
                        {"paid_hours": hours_used, "full_time_hours": full_hours,
                         "hours_with_subsidy": s.atp_state_hours, "hourly": values["atp_state_hourly"],
                         "full_monthly": values["atp_state_full_monthly"], "status": status}))


STAGES: tuple[tuple[str, Callable[[MonthState], None]], ...] = (
    ("wage_income", wage_income_stage),
    ("maximum", maximum_stage),
    ("reduction", reduction_stage),
    ("sickness_top_up", sickness_top_up_stage),
    ("ceiling", ceiling_stage),
    ("holiday_on_ledighedsydelse", holiday_on_ledighedsydelse_stage),
    ("own_atp", own_atp_stage),
    ("state_atp", state_atp_stage),
)
"""The stages in the law's order (names as in ``flexcalc.month.steps.STAGES``)."""

def transition_2027_stage(s: MonthState) -> None:
    """From January 2027 (beskæftigelsesreformen, fase 2): a month with ressourceforløbsydelse under
    jobafklaring or the reduced sygedagpengesats is not computed by a guess. The adopted transition rules
    were not found (docs/decisions.md), so the month is held for a caseworker's manual decision."""
    ev = s.events
    if ev is None:
        return
    kinds = sorted({p.kind for p in ev.periods if p.kind in TRANSITION_2027_KINDS})
    if kinds:
        raise ManualDecisionRequired(
            "events.periods",
            f"{', '.join(kinds)} in {s.month}: the transition rules of the 2027 reform are not known; a caseworker "
            "decides the month",
            f"{', '.join(kinds)} i {s.month}: overgangsreglerne i 2027-reformen kendes ikke; en sagsbehandler "
            "afgør måneden", code="manual_decision")


STAGE_FUNCTIONS: dict[str, Callable[[MonthState], None]] = {
    **dict(STAGES), "transition_2027": transition_2027_stage}

FORMULA_VERSIONS: tuple[tuple[dt.date, tuple[str, ...]], ...] = (
    (dt.date(2013, 1, 1), tuple(name for name, _ in STAGES)),
    (law_date("citations_unconfirmed_from"), ("transition_2027", *(name for name, _ in STAGES))),
)
"""The formula versions as data: from each date, the stages a benefit month runs, in order. A change of
the law adds a dated entry (and, if needed, a stage), never an ``if`` on the month inside a stage."""

EVENT_ONLY = frozenset({"holiday_on_ledighedsydelse", "state_atp", "transition_2027"})
"""Stages that only events can give work: a plain month skips them (they would do nothing)."""


@functools.lru_cache(maxsize=1024)
def stages_for(month: Month, events: bool) -> tuple[Callable[[MonthState], None], ...]:
    """The stages benefit ``month`` runs (its formula version), without the event-only ones for a plain month.
    Cached: the formula versions are constants of the code, and the plain month is on the hot path."""
    day = month.first_day()
    names = next(names for start, names in reversed(FORMULA_VERSIONS) if start <= day)
    return tuple(STAGE_FUNCTIONS[name] for name in names if events or name not in EVENT_ONLY)


PLAIN_STAGES = tuple(stage for name, stage in STAGES if name not in EVENT_ONLY)
EVENT_STAGES = tuple(stage for _, stage in STAGES)


# ------------------------------------------------------------------------------------------ running

def _prepare_events(s: MonthState) -> None:
    """Check the events before anything is computed, and fetch the days-per-month parameter if needed."""
    ev = s.events
    if ev is None:
        return
    validate_events(s.month, s.inp.wage, ev)
    unpaid = period_days(ev.periods, s.basis, UNPAID_ABSENCE)
    _, ly_days = holiday_counts(ev, s.month)
    if unpaid or ly_days:
        entry = _parameter("days_per_month", s.month, "events.periods")
        s.days_per_month = _value(entry, s.month, "events.periods")
        if entry.status != "published":
            s.derived += ("days_per_month",)


def run_pipeline(inp: MonthInput, rates: Rates | None = None) -> MonthResult:
    """Run every stage on ``inp`` and return the result: ``MonthResult`` for a plain month,
    ``EventMonthResult`` when ``inp.events`` is given."""
    month = inp.benefit_month
    if rates is None:
        s = MonthState(inp, context_for(rates_for(month)), month, True)
    else:
        s = MonthState(inp, context_for(rates), month, rates.month == month)
    rates = s.rates
    if inp.events is None:
        for stage in (s.ctx.plain_stages if rates.month == month else stages_for(month, events=False)):
            stage(s)
    else:
        _prepare_events(s)
        for stage in stages_for(month, events=True):
            stage(s)
    if inp.events is None:
        return MonthResult(
            benefit_month=month, basis_month=s.basis, wage_income=s.w, ceiling=s.ceiling_used, rates=rates,
            reduction_low=s.low, reduction_high=s.high, subsidy_before_ceiling=s.before, ceiling_room=s.room,
            ceiling_cut=s.cut, subsidy=s.subsidy, atp_own=s.atp_own, payout=s.payout, steps=s.steps)
    return EventMonthResult(
        benefit_month=month, basis_month=s.basis, wage_income=s.w, ceiling=s.ceiling_used, rates=rates,
        reduction_low=s.low, reduction_high=s.high, subsidy_before_ceiling=s.before, ceiling_room=s.room,
        ceiling_cut=s.cut, subsidy=s.subsidy, atp_own=s.atp_own, payout=s.payout, steps=s.steps,
        events=inp.events, ceiling_given=inp.ceiling, max_subsidy_used=s.m_used, threshold_used=s.threshold_used,
        employment_share=s.emp_share, unpaid_absence_days=s.unpaid_days, sickness_benefit=s.sickness_received,
        sickness_benefit_deducted=s.sickness_deducted, resource_benefit=s.resource, ceiling_raise=s.raise_total,
        ledighedsydelse_days=s.ly_days, ledighedsydelse_reduction=s.ly_reduction, not_counted=s.not_counted,
        atp_state=s.atp_state, atp_state_hours=s.atp_state_hours, atp_state_full=s.atp_state_full,
        provisional_subsidy=None if s.provisional is None else s.provisional.subsidy,
        regulation_due=s.regulation_due, fleksjob_wage_exceptions=s.exceptions,
        derived_event_parameters=sorted(set(s.derived)))


def calculate_month(inp: MonthInput, rates: Rates | None = None) -> MonthResult:
    """The fleksløntilskud of one benefit month, with a trace of every step."""
    return run_pipeline(inp, rates)
