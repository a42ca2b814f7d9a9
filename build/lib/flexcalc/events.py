"""What happened in the basis month and the benefit month besides "a wage was paid".

A plain month (``MonthInput`` without events) knows only the wage income of the basis month. Real
months hold holiday, sickness, maternity, holiday on ledighedsydelse, several incomes, special
payments, a job that starts or ends, a ceiling that changes, and the hours that decide the state ATP.
This module holds those inputs (plain dataclasses, amounts in ``Decimal``), counts working days, and
checks the events against each other *before* anything is computed (``validate_events``): a bad
combination is an ``InputError`` naming the field, never a half-computed month.

Which month an event belongs to:
- **periods** carry their own dates and may lie in the basis month (the wage month, the month before)
  or in the benefit month (the month the subsidy is for). Holiday with ledighedsydelse in the benefit
  month reduces this month's subsidy (BEK 227/2024 § 10, stk. 2); unpaid sickness or maternity in the
  basis month is deducted in this month's subsidy (BEK § 9, stk. 2: "i fleksløntilskuddet for den
  efterfølgende måned").
- **incomes, FerieKonto payments, sickness benefit, hours, ceiling changes** belong to the basis
  month, like the wage.
- **employment start and end** are read against the basis month: the subsidy computed on a wage
  month is for the days of that month in the fleksjob (``flexcalc.rules.partial_month``).

Field names in errors are those of the API's ``events`` object (``events.periods.0.end``); the CLI
uses the same names.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal, get_args

from flexcalc.errors import InputError
from flexcalc.money import ZERO
from flexcalc.period import Month

PeriodKind = Literal[
    "holiday",
    "holiday_ledighedsydelse",
    "sickness_paid",
    "sickness_unpaid",
    "maternity_paid",
    "maternity_unpaid",
    "resource_benefit",
]
PERIOD_KINDS: tuple[str, ...] = get_args(PeriodKind)

IncomeKind = Literal[
    # counted as wage income (LAB § 123, stk. 2; BEK 227/2024 § 1)
    "wage_other_employer",
    "self_employment_profit",
    "employer_holiday_pay",
    "tabt_arbejdsfortjeneste",
    "plejevederlag",
    "bonus",
    "bonus_share",
    # special payments counted in the month paid, with the ceiling raised (Ankestyrelsen PM 14-22)
    "ferietillaeg",
    "feriedifference",
    "fritvalg",
    "soegnehelligdag",
    # not counted (PM 39-19, PM 27-23; det faglige hus)
    "staff_benefit",
    "pension_payout",
    "insurance_payout",
    "christmas_gift",
    "compensation_working_capacity",
]
INCOME_KINDS: tuple[str, ...] = get_args(IncomeKind)
SPECIAL_PAYMENT_KINDS = frozenset({"ferietillaeg", "feriedifference", "fritvalg", "soegnehelligdag"})

HOLIDAY_LIMIT_DAYS = Decimal(25)
"""BEK 227/2024 § 10, stk. 1: holiday with pay or feriegodtgørelse and ledighedsydelse together at most 25 days."""

MAX_HOURS_MONTH = Decimal(744)  # 31 × 24


@dataclass(frozen=True, slots=True)
class Period:
    """A period of holiday, sickness or maternity, both days included."""

    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def unpaid_absence(self) -> bool:
        return self.kind in UNPAID_ABSENCE


@dataclass(frozen=True, slots=True)
class Income:
    """One income of the basis month besides the fleksjob wage.

    ``ceiling_raise`` only for special payments (ferietillæg, feriedifference, fritvalg,
    søgnehelligdagsbetaling): how much the ceiling is raised in the month paid; ``None`` raises it by
    the amount paid (docs/decisions.md, "Special payments").
    """

    kind: IncomeKind
    amount: Decimal
    ceiling_raise: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FerieKontoPayment:
    """Feriegodtgørelse paid from FerieKonto (or a feriekasse) for holiday taken in the basis month.

    ``net`` is the amount paid out, ``tax_withheld`` the A-skat and AM-bidrag withheld from it (added
    back: BEK 227/2024 § 6, stk. 3); ``days_covered`` the holiday days the payment is for and
    ``days_taken`` how many of them were taken in the basis month (§ 6, stk. 4).
    """

    net: Decimal
    tax_withheld: Decimal
    days_covered: Decimal
    days_taken: Decimal


@dataclass(frozen=True, slots=True)
class CeilingChange:
    """From ``start`` (a day in the basis month) the ceiling is ``ceiling``."""

    start: dt.date
    ceiling: Decimal


@dataclass(frozen=True, slots=True)
class MonthEvents:
    """Everything besides the plain wage that a month's calculation may need. All optional.

    ``sickness_benefit`` is the syge- or barselsdagpenge paid for the unpaid days of the basis month;
    ``sickness_benefit_entitled`` the dagpenge the person would have been entitled to when none (or
    less) were applied for or paid: the municipality deducts that amount (BEK 227/2024 § 14, stk. 4;
    § 7, stk. 4). ``resource_benefit`` is ressourceforløbsydelse paid instead of wage for the days of
    ``resource_benefit`` periods (deducted in full, LAB § 124, stk. 3).

    Holiday in the benefit month can be given as dated periods or, when only the counts are known,
    as ``holiday_days`` (all holiday days of the benefit month) and ``ledighedsydelse_days`` (of
    those, the days on ledighedsydelse) — not both.

    ``MonthEvents()`` (nothing happened) gives exactly the plain calculation.
    """

    periods: tuple[Period, ...] = ()
    incomes: tuple[Income, ...] = ()
    feriekonto: tuple[FerieKontoPayment, ...] = ()
    feriekonto_earned: Decimal = ZERO
    sickness_benefit: Decimal | None = None
    sickness_benefit_entitled: Decimal | None = None
    resource_benefit: Decimal | None = None
    holiday_days_before: Decimal = ZERO
    holiday_days: Decimal | None = None
    ledighedsydelse_days: Decimal | None = None
    employment_start: dt.date | None = None
    employment_end: dt.date | None = None
    ceiling_changes: tuple[CeilingChange, ...] = ()
    paid_hours: Decimal | None = None
    paid_hours_before_sickness: Decimal | None = None
    regulation_wage: Decimal | None = None
    bonus_spread_out: Decimal = ZERO


# ----------------------------------------------------------------------------------- working days

def _easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian; anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """Danish public holidays (helligdage) that fall on a weekday are not working days.

    Nytårsdag, skærtorsdag, langfredag, 2. påskedag, store bededag (abolished from 2024, lov nr. 106
    af 28/2/2023), Kristi himmelfartsdag, 2. pinsedag, juledag, 2. juledag. Grundlovsdag and
    juleaftensdag are not public holidays.
    """
    easter = _easter(year)
    offsets = [-3, -2, 1, 39, 50]
    if year < 2024:
        offsets.append(26)
    days = {easter + dt.timedelta(days=o) for o in offsets}
    days |= {dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)}
    return frozenset(days)


@lru_cache(maxsize=4096)
def working_days(start: dt.date, end: dt.date) -> int:
    """Monday–Friday from ``start`` to ``end`` (both included), public holidays not counted."""
    count = 0
    day = start
    one = dt.timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in public_holidays(day.year):
            count += 1
        day += one
    return count


def working_days_of_month(month: Month) -> int:
    return working_days(month.first_day(), month.last_day())


def days_in(period: Period, month: Month) -> int:
    """Working days of ``period`` that fall in ``month``."""
    start = max(period.start, month.first_day())
    end = min(period.end, month.last_day())
    return working_days(start, end) if start <= end else 0


def period_days(periods: tuple[Period, ...], month: Month, kinds: frozenset[str]) -> int:
    return sum(days_in(p, month) for p in periods if p.kind in kinds)


def employed_days(events: MonthEvents, month: Month) -> int:
    """Calendar days of ``month`` inside the employment (all of them without start/end)."""
    start = max(events.employment_start or month.first_day(), month.first_day())
    end = min(events.employment_end or month.last_day(), month.last_day())
    return (end - start).days + 1 if start <= end else 0


def holiday_counts(events: MonthEvents, month: Month) -> tuple[Decimal, Decimal]:
    """(days of holiday with pay or feriegodtgørelse, days on ledighedsydelse) in ``month``."""
    if events.holiday_days is not None or events.ledighedsydelse_days is not None:
        ly = events.ledighedsydelse_days or ZERO
        return (events.holiday_days or ZERO) - ly, ly
    return (Decimal(period_days(events.periods, month, HOLIDAY)),
            Decimal(period_days(events.periods, month, HOLIDAY_LY)))


HOLIDAY = frozenset({"holiday"})
HOLIDAY_LY = frozenset({"holiday_ledighedsydelse"})
ANY_HOLIDAY = HOLIDAY | HOLIDAY_LY
SICKNESS_ABSENCE = frozenset({"sickness_unpaid", "maternity_unpaid"})
RESOURCE_ABSENCE = frozenset({"resource_benefit"})
UNPAID_ABSENCE = SICKNESS_ABSENCE | RESOURCE_ABSENCE
PAID_ABSENCE = frozenset({"sickness_paid", "maternity_paid"})


# ------------------------------------------------------------------------------------ validation

def _err(field_: str, en: str, da: str, code: str) -> InputError:
    return InputError(f"events.{field_}", en, da, code=code)


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def validate_events(benefit_month: Month, wage: Decimal, events: MonthEvents) -> None:
    """Check the events against each other and the month. Raises ``InputError`` naming the field."""
    basis = benefit_month.previous()
    first, last = basis.first_day(), benefit_month.last_day()

    # periods: inside the two months, in order, no overlap
    for i, p in enumerate(events.periods):
        if p.kind not in PERIOD_KINDS:
            raise _err(f"periods.{i}.kind", f"'{p.kind}' is not a period kind ({', '.join(PERIOD_KINDS)})",
                       f"'{p.kind}' er ikke en periodetype ({', '.join(PERIOD_KINDS)})", "period_kind")
        if p.end < p.start:
            raise _err(f"periods.{i}.end", f"ends ({_fmt(p.end)}) before it starts ({_fmt(p.start)})",
                       f"slutter ({_fmt(p.end)}) før den begynder ({_fmt(p.start)})", "period_order")
        if p.start < first or p.end > last:
            raise _err(f"periods.{i}", f"{_fmt(p.start)}–{_fmt(p.end)} lies outside the basis month {basis} and "
                       f"the benefit month {benefit_month}",
                       f"{_fmt(p.start)}–{_fmt(p.end)} ligger uden for basismåneden {basis} og "
                       f"ydelsesmåneden {benefit_month}", "period_outside")
    order = sorted(range(len(events.periods)), key=lambda i: events.periods[i].start)
    for a, b in itertools.pairwise(order):
        pa, pb = events.periods[a], events.periods[b]
        if pb.start <= pa.end:
            raise _err(f"periods.{b}", f"overlaps events.periods.{a} ({pa.kind} {_fmt(pa.start)}–{_fmt(pa.end)}): "
                       "a day can be only one kind of absence",
                       f"overlapper events.periods.{a} ({pa.kind} {_fmt(pa.start)}–{_fmt(pa.end)}): "
                       "en dag kan kun være én slags fravær", "period_overlap")

    # employment start and end: the wage month (the basis month) must hold some employment
    start, end = events.employment_start, events.employment_end
    if start is not None and end is not None and end < start:
        raise _err("employment_end", f"ends ({_fmt(end)}) before the employment starts ({_fmt(start)})",
                   f"slutter ({_fmt(end)}) før ansættelsen begynder ({_fmt(start)})", "period_order")
    if start is not None and start > basis.last_day():
        raise _err("employment_start", f"{_fmt(start)} is after the basis month {basis}: the subsidy for "
                   f"{benefit_month} rests on the wage of {basis}, when there was no fleksjob (the first subsidy "
                   f"is the one for {Month.of(start).next()})", f"{_fmt(start)} er efter basismåneden {basis}: "
                   f"tilskuddet for {benefit_month} hviler på lønnen i {basis}, hvor der ikke var noget fleksjob "
                   f"(det første tilskud er tilskuddet for {Month.of(start).next()})", "not_employed")
    if end is not None and end < basis.first_day():
        raise _err("employment_end", f"{_fmt(end)} is before the basis month {basis}: the last subsidy is the "
                   f"one for {Month.of(end).next()}, computed on the wage of {Month.of(end)}",
                   f"{_fmt(end)} er før basismåneden {basis}: det sidste tilskud er tilskuddet for "
                   f"{Month.of(end).next()}, beregnet på lønnen i {Month.of(end)}", "not_employed")
    for i, p in enumerate(events.periods):
        if (start is not None and p.start < start) or (end is not None and p.end > end):
            raise _err(f"periods.{i}", f"{_fmt(p.start)}–{_fmt(p.end)} lies outside the employment",
                       f"{_fmt(p.start)}–{_fmt(p.end)} ligger uden for ansættelsen", "period_outside")

    # holiday days given as counts instead of periods
    workdays_benefit = working_days_of_month(benefit_month)
    if events.holiday_days is not None or events.ledighedsydelse_days is not None:
        dated = [i for i, p in enumerate(events.periods)
                 if p.kind in ANY_HOLIDAY and days_in(p, benefit_month)]
        if dated:
            raise _err("holiday_days", f"holiday in {benefit_month} is given both as periods (events.periods."
                       f"{dated[0]}) and as a number of days; give one of them",
                       f"ferien i {benefit_month} er angivet både som perioder (events.periods.{dated[0]}) og som "
                       "et antal dage; angiv kun det ene", "holiday_twice")
        holiday_count = events.holiday_days or ZERO
        ly_count = events.ledighedsydelse_days or ZERO
        if holiday_count > workdays_benefit:
            raise _err("holiday_days", f"{holiday_count} holiday days, but {benefit_month} has only "
                       f"{workdays_benefit} working days", f"{holiday_count} feriedage, men {benefit_month} har kun "
                       f"{workdays_benefit} arbejdsdage", "too_many_days")
        if ly_count > holiday_count:
            raise _err("ledighedsydelse_days", f"{ly_count} days of ledighedsydelse but only {holiday_count} holiday "
                       "days: in a fleksjob ledighedsydelse is paid only for holiday without earned holiday pay "
                       "(BEK 227/2024 § 10, stk. 1)", f"{ly_count} dage med ledighedsydelse, men kun "
                       f"{holiday_count} feriedage: i fleksjob udbetales ledighedsydelse kun for ferie uden optjent "
                       "feriebetaling (BEK 227/2024 § 10, stk. 1)", "ledighedsydelse_without_holiday")

    # holiday on ledighedsydelse: the 25-day limit (BEK § 10, stk. 1)
    if events.holiday_days_before < 0 or events.holiday_days_before > 366:
        raise _err("holiday_days_before", "must be between 0 and 366 days", "skal være mellem 0 og 366 dage",
                   "days_range")
    paid_days, ly_days = holiday_counts(events, benefit_month)
    if ly_days:
        total = events.holiday_days_before + paid_days + ly_days
        if total > HOLIDAY_LIMIT_DAYS:
            possible = max(ZERO, HOLIDAY_LIMIT_DAYS - events.holiday_days_before - paid_days)
            index = next((f"periods.{i}" for i, p in enumerate(events.periods)
                          if p.kind == "holiday_ledighedsydelse" and days_in(p, benefit_month)),
                         "ledighedsydelse_days")
            raise _err(index,
                       f"{ly_days} days of holiday on ledighedsydelse exceed the 25-day limit: "
                       f"{events.holiday_days_before} days taken before and {paid_days} paid days this month "
                       f"leave room for {possible} (BEK 227/2024 § 10, stk. 1)",
                       f"{ly_days} feriedage med ledighedsydelse overskrider grænsen på 25 dage: "
                       f"{events.holiday_days_before} dage holdt før og {paid_days} betalte dage i måneden giver "
                       f"plads til {possible} (BEK 227/2024 § 10, stk. 1)", "holiday_limit")

    # sickness and maternity benefit need an unpaid period in the basis month, and the other way round
    unpaid_basis = period_days(events.periods, basis, UNPAID_ABSENCE)
    sick_basis = period_days(events.periods, basis, SICKNESS_ABSENCE)
    resource_basis = period_days(events.periods, basis, RESOURCE_ABSENCE)
    benefit = events.sickness_benefit
    entitled = events.sickness_benefit_entitled
    if benefit is not None and benefit > 0 and sick_basis == 0:
        raise _err("sickness_benefit", f"sickness or maternity pay without a period of unpaid sickness or "
                   f"maternity in the basis month {basis} (give it as a period sickness_unpaid/maternity_unpaid)",
                   f"syge- eller barselsdagpenge uden en periode med sygdom eller barsel uden løn i "
                   f"basismåneden {basis} (angiv den som periode sickness_unpaid/maternity_unpaid)",
                   "benefit_without_period")
    if entitled is not None and sick_basis == 0:
        raise _err("sickness_benefit_entitled", f"dagpenge the person would have been entitled to, without a period "
                   f"of unpaid sickness or maternity in the basis month {basis}",
                   f"dagpenge, som personen ville have haft ret til, uden en periode med sygdom eller barsel uden løn "
                   f"i basismåneden {basis}", "benefit_without_period")
    if sick_basis and benefit is not None and benefit == 0 and entitled is None:
        raise _err("sickness_benefit_entitled", f"is required: the basis month {basis} has {sick_basis} working days "
                   "of sickness or maternity without pay and no dagpenge were paid; the municipality deducts the "
                   "dagpenge the person would have been entitled to (BEK 227/2024 § 14, stk. 4; § 7, stk. 4). "
                   "Write 0 only if there was no right to dagpenge",
                   f"skal udfyldes: basismåneden {basis} har {sick_basis} arbejdsdage med sygdom eller barsel uden "
                   "løn, og der er ikke udbetalt dagpenge; kommunen fradrager de dagpenge, personen ville have haft "
                   "ret til (BEK 227/2024 § 14, stk. 4; § 7, stk. 4). Skriv kun 0, hvis der ikke var ret til "
                   "dagpenge", "missing")
    resource = events.resource_benefit
    if resource is not None and resource > 0 and resource_basis == 0:
        raise _err("resource_benefit", f"ressourceforløbsydelse without a period resource_benefit in the basis "
                   f"month {basis}", f"ressourceforløbsydelse uden en periode resource_benefit i basismåneden "
                   f"{basis}", "benefit_without_period")
    if resource_basis and resource is None:
        raise _err("resource_benefit", f"is required: the basis month {basis} has {resource_basis} working days "
                   "with ressourceforløbsydelse instead of wage, and the ydelse is deducted in full (LAB § 124, "
                   "stk. 3); write 0 if none was paid", f"skal udfyldes: basismåneden {basis} har {resource_basis} "
                   "arbejdsdage med ressourceforløbsydelse i stedet for løn, og ydelsen fradrages fuldt (LAB § 124, "
                   "stk. 3); skriv 0, hvis der ikke blev udbetalt noget", "missing")
    if sick_basis and benefit is None:
        raise _err("sickness_benefit", f"is required: the basis month {basis} has {sick_basis} working days of "
                   "sickness or maternity without pay, and the sickness or maternity pay for them is deducted in "
                   "full (LAB § 124, stk. 3); write 0 if none was paid (then give sickness_benefit_entitled too)",
                   f"skal udfyldes: basismåneden {basis} har {sick_basis} arbejdsdage med sygdom eller barsel "
                   "uden løn, og dagpengene for dem fradrages fuldt (LAB § 124, stk. 3); skriv 0, hvis der ikke "
                   "blev udbetalt noget (og angiv så også sickness_benefit_entitled)", "missing")

    # FerieKonto: days taken within the payment and within the holiday in the basis month
    holiday_basis = period_days(events.periods, basis, HOLIDAY)
    workdays_basis = working_days_of_month(basis)
    taken_total = ZERO
    for i, pay in enumerate(events.feriekonto):
        if pay.days_covered <= 0:
            raise _err(f"feriekonto.{i}.days_covered", "must be more than 0 days", "skal være mere end 0 dage",
                       "days_range")
        if pay.days_taken > pay.days_covered:
            raise _err(f"feriekonto.{i}.days_taken", f"{pay.days_taken} days taken, but the payment covers only "
                       f"{pay.days_covered}", f"{pay.days_taken} dage holdt, men udbetalingen dækker kun "
                       f"{pay.days_covered}", "days_range")
        taken_total += pay.days_taken
        if taken_total > workdays_basis:
            raise _err(f"feriekonto.{i}.days_taken", f"{taken_total} holiday days, but the basis month {basis} has "
                       f"only {workdays_basis} working days", f"{taken_total} feriedage, men basismåneden {basis} "
                       f"har kun {workdays_basis} arbejdsdage", "too_many_days")
        if taken_total > holiday_basis:
            raise _err(f"feriekonto.{i}.days_taken", f"{taken_total} holiday days paid from FerieKonto, but the "
                       f"holiday periods in the basis month {basis} hold {holiday_basis} working days",
                       f"{taken_total} feriedage betalt fra FerieKonto, men ferieperioderne i basismåneden "
                       f"{basis} rummer {holiday_basis} arbejdsdage", "holiday_without_period")
    if events.feriekonto_earned > wage:
        raise _err("feriekonto_earned", f"the feriegodtgørelse in the wage ({events.feriekonto_earned}) is more than "
                   f"the wage ({wage})", f"feriegodtgørelsen i lønnen ({events.feriekonto_earned}) er større end "
                   f"lønnen ({wage})", "more_than_wage")
    if events.bonus_spread_out > wage:
        raise _err("bonus_spread_out", f"the bonus moved to other months ({events.bonus_spread_out}) is more than "
                   f"the wage ({wage})", f"bonussen flyttet til andre måneder ({events.bonus_spread_out}) er større "
                   f"end lønnen ({wage})", "more_than_wage")

    # incomes: a ceiling raise only for special payments
    for i, income in enumerate(events.incomes):
        if income.kind not in INCOME_KINDS:
            raise _err(f"incomes.{i}.kind", f"'{income.kind}' is not an income kind",
                       f"'{income.kind}' er ikke en indtægtstype", "income_kind")
        if income.ceiling_raise is not None and income.kind not in SPECIAL_PAYMENT_KINDS:
            raise _err(f"incomes.{i}.ceiling_raise", "only ferietillæg, feriedifference, fritvalg and "
                       "søgnehelligdagsbetaling raise the ceiling (Ankestyrelsen PM 14-22)",
                       "kun ferietillæg, feriedifference, fritvalg og søgnehelligdagsbetaling hæver lønloftet "
                       "(Ankestyrelsen PM 14-22)", "no_ceiling_raise")

    # ceiling changes: days of the basis month, in order
    previous: dt.date | None = None
    for i, change in enumerate(events.ceiling_changes):
        if not basis.first_day() <= change.start <= basis.last_day():
            raise _err(f"ceiling_changes.{i}.start", f"{_fmt(change.start)} is not in the basis month {basis}: the "
                       "ceiling is compared with the basis month's wage", f"{_fmt(change.start)} er ikke i "
                       f"basismåneden {basis}: lønloftet holdes op mod basismånedens løn", "date_outside")
        if previous is not None and change.start <= previous:
            raise _err(f"ceiling_changes.{i}.start", "changes must be in date order, one a day",
                       "ændringer skal stå i datoorden, højst én pr. dag", "date_order")
        previous = change.start

    # hours for the state ATP
    for name in ("paid_hours", "paid_hours_before_sickness"):
        hours = getattr(events, name)
        if hours is not None and not ZERO <= hours <= MAX_HOURS_MONTH:
            raise _err(name, "must be between 0 and 744 hours a month", "skal være mellem 0 og 744 timer om måneden",
                       "hours_range")
    if events.paid_hours_before_sickness is not None and not unpaid_basis:
        raise _err("paid_hours_before_sickness", "is used only when the subsidy is paid together with sickness or "
                   "maternity pay (LAB § 138, stk. 4), but the basis month has no unpaid sickness or maternity",
                   "bruges kun, når tilskuddet udbetales sammen med syge- eller barselsdagpenge (LAB § 138, stk. 4), "
                   "men basismåneden har ingen sygdom eller barsel uden løn", "hours_without_sickness")
    if events.paid_hours is not None and unpaid_basis and events.paid_hours_before_sickness is None:
        raise _err("paid_hours_before_sickness", "is required: with sickness or maternity pay the state ATP uses the "
                   "hours of the last full month before the sickness (LAB § 138, stk. 4)",
                   "skal udfyldes: med syge- eller barselsdagpenge bruger statens ATP-bidrag timetallet fra den "
                   "sidste hele måned før sygdommen (LAB § 138, stk. 4)", "missing")

    # regulation after holiday on ledighedsydelse (BEK § 10, stk. 2)
    if events.regulation_wage is not None and not period_days(events.periods, basis, HOLIDAY_LY):
        raise _err("regulation_wage", f"a regulation on the real wage follows only a holiday on ledighedsydelse in "
                   f"the basis month {basis} (BEK 227/2024 § 10, stk. 2); give that holiday as a period",
                   f"efterregulering på den reelle løn følger kun efter ferie med ledighedsydelse i basismåneden "
                   f"{basis} (BEK 227/2024 § 10, stk. 2); angiv ferien som periode", "regulation_without_holiday")
