"""The checks of a lønloft form for the usual mistakes: each a function returning a ``Finding`` or None.
Findings never block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from flexcalc.format import date_da, kr, number
from flexcalc.inputs import plain_number
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.normal_wage.breakdown import (
    CeilingBreakdown,
    _hours_text,
    _pct_text,
    _without_excluded,
    build_ceiling,
    simple_estimate,
)
from flexcalc.normal_wage.constants import (
    _OVERTIME_WORDS,
    HUNDRED,
    MUNICIPALITY_FROM,
    PENSION_BASE_DA,
    PROVISION_CEILING,
    PROVISION_MUNICIPALITY,
    PROVISION_OVERTIME,
    PROVISION_PENSION,
    PROVISION_REDUCTION,
    PROVISION_REPORT_CHANGES,
    PROVISION_STAR,
    PROVISION_VARIABLE,
    STALE_AFTER_MONTHS,
    Severity,
)
from flexcalc.normal_wage.form import NormalWageForm
from flexcalc.period import Month
from flexcalc.rules.weekly_hours import monthly_wage_for_hours

# --------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """The result of one check. Findings inform; they never block (the employer decides)."""

    code: str
    severity: Severity
    field: str
    message_da: str
    message_en: str
    action_da: str
    action_en: str
    provision: str
    amounts: dict[str, Decimal] = dataclass_field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title_da, title_en = TITLES[self.code]
        return {
            "code": self.code, "severity": self.severity, "field": self.field,
            "title": title_en, "title_da": title_da,
            "message": self.message_en, "message_da": self.message_da,
            "action": self.action_en, "action_da": self.action_da, "provision": self.provision,
            "amounts": {k: amount_str(v) for k, v in self.amounts.items()},
        }


CHECK_CODES = (
    "ceiling_below_own_wage",
    "pension_missing",
    "overtime_included",
    "capacity_reduction_included",
    "variable_supplements_not_average",
    "ceiling_older_than_12_months",
    "ceiling_older_than_pay_rise",
    "municipality_ceiling_before_2024",
    "simple_estimate_difference",
)
"""Every check, in the order it runs. Checks that need the employee are skipped without one."""

TITLES: dict[str, tuple[str, str]] = {
    "ceiling_below_own_wage": ("Lønloftet er lavere end medarbejderens egen løn på fuld tid",
                               "The ceiling is below the employee's own wage at full time"),
    "pension_missing": ("Pension mangler i lønloftet", "Pension is missing from the ceiling"),
    "overtime_included": ("Overarbejde indgår i lønloftet", "Overtime is included in the ceiling"),
    "capacity_reduction_included": ("Nedsættelse for nedsat arbejdsevne indgår i lønloftet",
                                    "A reduction for the reduced working capacity is included"),
    "variable_supplements_not_average": ("Variable tillæg er ikke gennemsnittet for en fuldtidsansat",
                                         "Variable supplements are not a full-timer's average"),
    "ceiling_older_than_12_months": ("Lønloftet er over 12 måneder gammelt", "The ceiling is over 12 months old"),
    "ceiling_older_than_pay_rise": ("Lønloftet er ældre end den seneste lønstigning",
                                    "The ceiling is older than the latest pay rise"),
    "municipality_ceiling_before_2024": ("Kommunen kan først selv beregne lønloftet fra 2024",
                                         "The municipality may compute the ceiling only from 2024"),
    "simple_estimate_difference": ("Forskel fra STAR's beregner (37 × timeløn × 52/12)",
                                   "Difference from STAR's calculator (37 × hourly × 52/12)"),
}
"""A short title per check, (Danish, English)."""

NEEDS_EMPLOYEE = ("ceiling_below_own_wage", "pension_missing", "simple_estimate_difference")


def _en(amount: Decimal) -> str:
    return f"{amount:,.2f} kr."


def own_full_time_wage(form: NormalWageForm) -> Decimal | None:
    """The employee's own hourly wage (incl. pension and supplements) × full-time hours × 52/12."""
    if form.employee is None:
        return None
    return monthly_wage_for_hours(form.employee.hourly_wage, form.full_time_hours)


def check_below_own_wage(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3: the ceiling is the full-time wage on ordinary terms; it cannot be lower than what
    the employee's own hourly wage (incl. pension and supplements) gives at full time."""
    own = own_full_time_wage(form)
    if own is None or ceiling.total >= own:
        return None
    assert form.employee is not None
    hours = _hours_text(form.full_time_hours)
    return Finding(
        "ceiling_below_own_wage", "error", "monthly_base_wage" if form.monthly_base_wage is not None else "hourly_rate",
        f"Lønloftet ({kr(ceiling.total)}) er lavere end medarbejderens egen timeløn inkl. pension og tillæg "
        f"omregnet til fuld tid: {number(form.employee.hourly_wage)} kr. × {hours} timer × 52/12 = {kr(own)} "
        "Det kan ikke passe: en fuldtidsansat i stillingen tjener mindst det samme pr. time.",
        f"The ceiling ({_en(ceiling.total)}) is lower than the employee's own hourly wage incl. pension and "
        f"supplements at full time: {form.employee.hourly_wage} × {form.full_time_hours} h × 52/12 = {_en(own)}. "
        "That is impossible: a full-timer in the position earns at least as much an hour.",
        "Gennemgå skemaet: mangler der tillæg eller pension, er timelønnen nedsat for den nedsatte arbejdsevne, "
        f"eller er fuldtidstimetallet forkert? Lønloftet skal mindst være {kr(own)}",
        "Review the form: are supplements or pension missing, is the rate reduced for the reduced working "
        f"capacity, or are the full-time hours wrong? The ceiling must be at least {_en(own)}.",
        PROVISION_CEILING,
        {"ceiling": ceiling.total, "own_full_time_wage": own, "shortfall": own - ceiling.total},
    )


def check_pension_missing(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """BEK 227/2024 § 1, nr. 1–2; PM 48-22: the wage income counts the employer's and the employee's pension,
    so the ceiling must include the pension the position carries. Reported when the employee's wage carries an
    employer share and the ceiling has none, or an own share the ceiling neither adds nor includes in the wage."""
    employee = form.employee
    if employee is None:
        return None
    pension = form.pension
    missing_da, missing_en = [], []
    estimate = ZERO
    if employee.pension_employer_percent > 0 and pension.employer_percent == 0:
        missing_da.append(f"arbejdsgiverens andel ({_pct_text(employee.pension_employer_percent)})")
        missing_en.append(f"the employer's share ({plain_number(employee.pension_employer_percent)} %)")
        estimate += round_ore(ceiling.pension_base * employee.pension_employer_percent / HUNDRED)
    if (employee.pension_own_percent > 0 and pension.employee_percent == 0
            and not pension.employee_share_in_wage):
        missing_da.append(f"medarbejderens egen andel ({_pct_text(employee.pension_own_percent)})")
        missing_en.append(f"the employee's own share ({plain_number(employee.pension_own_percent)} %)")
        estimate += round_ore(ceiling.pension_base * employee.pension_own_percent / HUNDRED)
    if not missing_da:
        return None
    return Finding(
        "pension_missing", "error", "pension.employer_percent" if pension.employer_percent == 0
        else "pension.employee_percent",
        f"Medarbejderens løn har pension, men lønloftet mangler {' og '.join(missing_da)}. Lønindtægten, "
        "som tilskuddet beregnes af, tæller pensionen med; derfor skal lønloftet også gøre det. "
        f"Med samme procent af {PENSION_BASE_DA[pension.computed_on]} er det ca. {kr(estimate)} om måneden.",
        f"The employee's wage carries pension, but the ceiling lacks {' and '.join(missing_en)}. The wage income "
        "the subsidy is computed from counts the pension, so the ceiling must too. At the same rate that is about "
        f"{_en(estimate)} a month.",
        "Angiv pensionsprocenterne for en fuldtidsansat i stillingen (arbejdsgiverens og medarbejderens andel).",
        "Enter the pension percentages of a full-timer in the position (employer's and employee's share).",
        PROVISION_PENSION,
        {"missing_pension_estimate": estimate},
    )


def check_overtime(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """LAB § 123, stk. 3 ("ordinære vilkår"); the lønloft form: the full-time wage without overtime."""
    named = [o for o in form.supplements.other if _OVERTIME_WORDS.search(o.name)]
    amount = form.overtime + sum((o.amount for o in named), ZERO)
    if not amount:
        return None
    corrected = build_ceiling(_without_excluded(form, reduction=False)).total
    field_ = "overtime" if form.overtime else f"supplements.other.{form.supplements.other.index(named[0])}.name"
    return Finding(
        "overtime_included", "error", field_,
        f"Lønloftet indeholder overarbejde: {kr(amount)} om måneden. "
        "Lønloftet er lønnen på fuld tid på ordinære vilkår, uden overarbejde. "
        f"Uden overarbejdet er lønloftet {kr(corrected)}",
        f"The ceiling includes overtime: {_en(amount)} a month. The "
        "ceiling is the full-time wage on ordinary terms, without overtime. "
        f"Without it the ceiling is {_en(corrected)}.",
        f"Fjern overarbejdet fra skemaet og indberet {kr(corrected)}",
        f"Remove the overtime from the form and report {_en(corrected)}.",
        PROVISION_OVERTIME,
        {"overtime": amount, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_capacity_reduction(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: the ceiling is the full-time wage "uden eventuel reduktion af timelønnen som følge
    af den nedsatte arbejdsevne"."""
    if not form.capacity_reduction:
        return None
    corrected = build_ceiling(_without_excluded(form, overtime=False)).total
    return Finding(
        "capacity_reduction_included", "error", "capacity_reduction",
        f"Lønnen i skemaet er nedsat med {kr(form.capacity_reduction)} om måneden på grund af den nedsatte "
        "arbejdsevne. Lønloftet er lønnen for en almindelig fuldtidsansat i stillingen, uden en sådan nedsættelse. "
        f"Uden nedsættelsen er lønloftet {kr(corrected)}",
        f"The wage on the form is reduced by {_en(form.capacity_reduction)} a month because of the reduced working "
        "capacity. The ceiling is the wage of an ordinary full-timer in the position, without such a reduction. "
        f"Without it the ceiling is {_en(corrected)}.",
        f"Angiv den fulde løn uden nedsættelse og indberet {kr(corrected)}",
        f"Enter the full wage without the reduction and report {_en(corrected)}.",
        PROVISION_REDUCTION,
        {"capacity_reduction": form.capacity_reduction, "ceiling": ceiling.total, "ceiling_without": corrected},
    )


def check_variable_basis(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """Ankestyrelsen PM 48-22: with evening, night or weekend supplements the employer states the average monthly
    pay of an ordinary full-timer in the same position, not the employee's own supplements. Reported when the
    form says the amounts are the employee's own, or when they equal what the employee (working less than full
    time) actually gets."""
    var = form.variable_supplements
    total = ceiling.variable_supplements
    employee = form.employee
    stated = var.basis == "employee_actual" and total > 0
    matches = (employee is not None and employee.actual_variable_supplements is not None
               and employee.actual_variable_supplements > 0 and employee.actual_variable_supplements == total
               and employee.hours_per_week < form.full_time_hours)
    if not (stated or matches):
        return None
    why_da = ("Skemaet angiver, at de variable tillæg er medarbejderens egne." if stated else
              f"De variable tillæg ({kr(total)}) er præcis det, medarbejderen selv får på "
              f"{_hours_text(employee.hours_per_week) if employee else ''} timer om ugen.")
    why_en = ("The form says the variable supplements are the employee's own." if stated else
              f"The variable supplements ({_en(total)}) are exactly what the employee gets on "
              f"{plain_number(employee.hours_per_week) if employee else ''} hours a week.")
    return Finding(
        "variable_supplements_not_average", "warning", "variable_supplements.basis" if stated
        else "variable_supplements",
        f"{why_da} Aften-, nat- og weekendtillæg skal i lønloftet være gennemsnittet for en almindelig "
        "fuldtidsansat i samme stilling, også selvom medarbejderen i fleksjob ikke har de vagter.",
        f"{why_en} Evening, night and weekend supplements in the ceiling must be the average of an ordinary "
        "full-timer in the same position, even if the employee in the fleksjob works no such shifts.",
        "Angiv det gennemsnitlige månedlige tillæg for fuldtidsansatte med samme anciennitet i en lignende "
        "stilling (fx over det seneste år).",
        "Enter the average monthly supplement of full-timers with the same seniority in a similar position "
        "(e.g. over the last year).",
        PROVISION_VARIABLE,
        {"variable_supplements": total},
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month where that day does not exist."""
    target = Month(day.year, day.month) + months
    return dt.date(target.year, target.month, min(day.day, target.last_day().day))


def check_stale(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage. A ceiling in force more than 12 months is
    very likely out of date (agreements regulate wages at least yearly): a reminder to update it."""
    limit = add_months(form.effective_date, STALE_AFTER_MONTHS)
    if as_of <= limit:
        return None
    months = Month.of(as_of) - Month.of(form.effective_date) - (1 if as_of.day < form.effective_date.day else 0)
    return Finding(
        "ceiling_older_than_12_months", "warning", "effective_date",
        f"Lønloftet gælder fra {date_da(form.effective_date)} og er over 12 måneder gammelt ({months} måneder "
        f"den {date_da(as_of)}). Lønnen reguleres typisk mindst én gang om året, og så skal lønloftet også ændres.",
        f"The ceiling took effect on {form.effective_date} and is more than 12 months old ({months} months on "
        f"{as_of}). Wages are usually regulated at least yearly, and then the ceiling must change too.",
        "Tjek den aktuelle fuldtidsløn i stillingen og indberet et opdateret lønloft til kommunen.",
        "Check the current full-time wage in the position and report an updated ceiling to the municipality.",
        PROVISION_REPORT_CHANGES,
    )


def check_pay_rise(form: NormalWageForm, as_of: dt.date) -> Finding | None:
    """PM 48-22: the employer reports changes in the full-time wage (a pay rise, new supplements, pension)."""
    rise = form.last_pay_rise
    if rise is None or rise <= form.effective_date:
        return None
    future = rise > as_of
    return Finding(
        "ceiling_older_than_pay_rise", "warning", "last_pay_rise",
        f"Lønloftet gælder fra {date_da(form.effective_date)}, men lønnen {'stiger' if future else 'steg'} "
        f"{date_da(rise)}. Lønloftet skal følge lønstigningen.",
        f"The ceiling took effect on {form.effective_date}, but the wage {'rises' if future else 'rose'} on {rise}. "
        "The ceiling must follow the pay rise.",
        f"Indberet et nyt lønloft med virkning fra {date_da(rise)}.",
        f"Report a new ceiling taking effect on {rise}.",
        PROVISION_REPORT_CHANGES,
    )


def check_municipality_date(form: NormalWageForm) -> Finding | None:
    """LAB § 123, stk. 3, 3. pkt. (in force 1 January 2024): only from 2024 may the municipality compute the
    ceiling itself; before that the employer's information is the basis."""
    if form.source != "municipality" or form.effective_date >= MUNICIPALITY_FROM:
        return None
    return Finding(
        "municipality_ceiling_before_2024", "error", "source",
        f"Lønloftet er beregnet af kommunen, men gælder fra {date_da(form.effective_date)}. Kommunen kan først "
        "selv beregne lønloftet fra 1. januar 2024 (LAB § 123, stk. 3, 3. pkt.).",
        f"The ceiling was computed by the municipality but takes effect on {form.effective_date}. The municipality "
        "may compute the ceiling itself only from 1 January 2024 (LAB § 123(3), 3rd sentence).",
        "Brug arbejdsgiverens oplysninger om fuldtidslønnen for tiden før 2024.",
        "Use the employer's information on the full-time wage for the time before 2024.",
        PROVISION_MUNICIPALITY,
    )


def check_simple_estimate(form: NormalWageForm, ceiling: CeilingBreakdown) -> Finding | None:
    """The difference from STAR's simple estimate 37 × hourly wage × 52/12, split exactly into the part due to
    full-time hours other than 37 and the part due to the ceiling's parts versus the employee's own hourly wage."""
    employee = form.employee
    if employee is None:
        return None
    estimate = simple_estimate(employee.hourly_wage)
    own = monthly_wage_for_hours(employee.hourly_wage, form.full_time_hours)
    difference = ceiling.total - estimate
    hours_part = own - estimate
    parts_part = ceiling.total - own
    hours = _hours_text(form.full_time_hours)
    lines_da = [
        f"STAR's beregner antager, at lønloftet er 37 timer × {number(employee.hourly_wage)} kr. × 52/12 = "
        f"{kr(estimate)} (vist som {kr(estimate, decimals=0)}). Lønloftet her er {kr(ceiling.total)}, "
        + ("det samme." if not difference else
           f"{kr(abs(difference))} {'mere' if difference > 0 else 'mindre'}.")
    ]
    lines_en = [
        f"STAR's calculator assumes the ceiling is 37 h × {employee.hourly_wage} × 52/12 = {_en(estimate)}. "
        f"The ceiling here is {_en(ceiling.total)}, a difference of {_en(difference)}."
    ]
    if hours_part:
        lines_da.append(f"{kr(hours_part, sign=True)} skyldes, at fuld tid efter overenskomsten er {hours} timer "
                        "om ugen og ikke 37.")
        lines_en.append(f"{_en(hours_part)} is because full time under the agreement is {form.full_time_hours} hours "
                        "a week, not 37.")
    if parts_part:
        explained = []
        if ceiling.variable_supplements:
            explained.append(f"variable tillæg for en fuldtidsansat ({kr(ceiling.variable_supplements)})")
        if ceiling.holiday_supplement_monthly:
            explained.append(f"ferietillæg ({kr(ceiling.holiday_supplement_monthly)})")
        reason = (" Lønloftet indeholder " + " og ".join(explained) + ", som en timeløn ofte ikke indeholder."
                  if explained and parts_part > 0 else "")
        lines_da.append(
            f"{kr(parts_part, sign=True)} er forskellen mellem lønloftets dele og medarbejderens egen timeløn "
            f"ganget op til {hours} timer ({kr(own)}).{reason}"
            + (" Et lønloft under medarbejderens egen fuldtidsløn kan ikke passe (se fejlen ovenfor)."
               if parts_part < 0 else ""))
        lines_en.append(f"{_en(parts_part)} is the difference between the ceiling's parts and the employee's own "
                        f"hourly wage at {form.full_time_hours} hours ({_en(own)}).")
    return Finding(
        "simple_estimate_difference", "info", "employee.hourly_wage",
        " ".join(lines_da), " ".join(lines_en),
        "Ingen handling, hvis forskellen kan forklares med tillæg, pension, ferietillæg og fuldtidstimetal. "
        "Medarbejderen kan bruge tallet her i stedet for beregnerens skøn.",
        "No action if the difference is explained by supplements, pension, holiday supplement and full-time hours. "
        "The employee can use this figure instead of the calculator's estimate.",
        PROVISION_STAR,
        {"simple_estimate": estimate, "ceiling": ceiling.total, "difference": difference,
         "due_to_full_time_hours": hours_part, "due_to_ceiling_parts": parts_part, "own_full_time_wage": own},
    )


def run_checks(form: NormalWageForm, ceiling: CeilingBreakdown, as_of: dt.date) -> list[Finding]:
    """Every check, in the order of ``CHECK_CODES``; only those that find something are returned."""
    found = [
        check_below_own_wage(form, ceiling),
        check_pension_missing(form, ceiling),
        check_overtime(form, ceiling),
        check_capacity_reduction(form, ceiling),
        check_variable_basis(form, ceiling),
        check_stale(form, as_of),
        check_pay_rise(form, as_of),
        check_municipality_date(form),
        check_simple_estimate(form, ceiling),
    ]
    return [f for f in found if f is not None]
