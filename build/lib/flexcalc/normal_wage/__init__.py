"""The employer's normal-wage ceiling (lønloft, normalløn): build it from the parts of the lønloft form,
check it for the usual mistakes, and show what it means for the employee.

The law: LAB § 123, stk. 3: wage and subsidy together at most "den løn, der udbetales for ansættelse på
fuld tid på ordinære vilkår i den pågældende stilling"; from 2024 the municipality may in some cases
compute the ceiling itself (§ 123, stk. 3, 3. pkt.). Ankestyrelsen PM 48-22: the ceiling is the
full-time wage with supplements in the same position, without any reduction of the hourly wage for the
reduced working capacity; where evening, night or weekend supplements vary, the employer states the
average monthly pay of an ordinary full-timer in the same position; the employer reports the ceiling at
hiring and reports changes. The municipalities' form (nemform.dk/621/Loenloftskema): "uden
arbejdstidsnedsættelse, reduktion af timelønnen … eller overtid"; qualification, seniority and function
supplements and evening, weekend and night supplements are included. Pension (the employee's own and
the employer's share) belongs in the ceiling as in the wage income it is compared with
(BEK 227/2024 § 1, nr. 1–2).

What this module gives:

- ``NormalWageForm``: the form, validated (pydantic v2; every error names the field, in English and Danish).
- ``build_ceiling``: the monthly ceiling with a breakdown (trace steps) whose counted lines add up to the
  ceiling exactly.
- ``check_form``: the ceiling, its breakdown, the findings of every check (code, severity, Danish and
  English message, what to do; findings never block), and the effect for the employee, computed by
  calling ``flexcalc.calculate.calculate_month`` (the subsidy formula is never repeated here).
- ``ceiling_entry``: the ceiling amount and the date it takes effect, for a case ledger's ceiling history.

Rounding (docs/decisions.md, "Normal-wage ceiling"): each line of the breakdown is rounded once to whole
øre, half up, as on a payslip; the ceiling is the sum of the lines.
"""

from __future__ import annotations

from flexcalc.normal_wage.breakdown import (
    CeilingBreakdown,
    build_ceiling,
    simple_estimate,
)
from flexcalc.normal_wage.checks import (
    CHECK_CODES,
    NEEDS_EMPLOYEE,
    TITLES,
    Finding,
    add_months,
    check_below_own_wage,
    check_capacity_reduction,
    check_municipality_date,
    check_overtime,
    check_pay_rise,
    check_pension_missing,
    check_simple_estimate,
    check_stale,
    check_variable_basis,
    own_full_time_wage,
    run_checks,
)
from flexcalc.normal_wage.constants import (
    DEFAULT_FULL_TIME_HOURS,
    HUNDRED,
    MAX_HOURS,
    METHOD_DA,
    MIN_HOURS,
    MUNICIPALITY_FROM,
    PENSION_BASE_DA,
    PROVISION_CEILING,
    PROVISION_FULL_TIME,
    PROVISION_HOLIDAY,
    PROVISION_MUNICIPALITY,
    PROVISION_OVERTIME,
    PROVISION_PENSION,
    PROVISION_REDUCTION,
    PROVISION_REPORT_CHANGES,
    PROVISION_STAR,
    PROVISION_SUPPLEMENTS,
    PROVISION_TOTAL,
    PROVISION_VARIABLE,
    SCHEME_START,
    SEVERITY_DA,
    STALE_AFTER_MONTHS,
    HolidayPaid,
    Method,
    PensionBase,
    Severity,
    Source,
    VariableBasis,
)
from flexcalc.normal_wage.effect import (
    EmployeeEffect,
    HourRow,
    binding_hours,
    employee_effect,
)
from flexcalc.normal_wage.form import (
    Amount,
    DateField,
    Employee,
    FixedSupplements,
    FormError,
    HolidaySupplement,
    Hours,
    NamedSupplement,
    NormalWageForm,
    Pension,
    Percent,
    Text,
    VariableSupplements,
    errors_of,
    load_form,
    parse_date,
    parse_hours,
    validate_form,
)
from flexcalc.normal_wage.report import (
    CeilingEntry,
    CheckResult,
    ceiling_entry,
    check_form,
    describe_source,
)

__all__ = [
    "CHECK_CODES",
    "DEFAULT_FULL_TIME_HOURS",
    "HUNDRED",
    "MAX_HOURS",
    "METHOD_DA",
    "MIN_HOURS",
    "MUNICIPALITY_FROM",
    "NEEDS_EMPLOYEE",
    "PENSION_BASE_DA",
    "PROVISION_CEILING",
    "PROVISION_FULL_TIME",
    "PROVISION_HOLIDAY",
    "PROVISION_MUNICIPALITY",
    "PROVISION_OVERTIME",
    "PROVISION_PENSION",
    "PROVISION_REDUCTION",
    "PROVISION_REPORT_CHANGES",
    "PROVISION_STAR",
    "PROVISION_SUPPLEMENTS",
    "PROVISION_TOTAL",
    "PROVISION_VARIABLE",
    "SCHEME_START",
    "SEVERITY_DA",
    "STALE_AFTER_MONTHS",
    "TITLES",
    "Amount",
    "CeilingBreakdown",
    "CeilingEntry",
    "CheckResult",
    "DateField",
    "Employee",
    "EmployeeEffect",
    "Finding",
    "FixedSupplements",
    "FormError",
    "HolidayPaid",
    "HolidaySupplement",
    "HourRow",
    "Hours",
    "Method",
    "NamedSupplement",
    "NormalWageForm",
    "Pension",
    "PensionBase",
    "Percent",
    "Severity",
    "Source",
    "Text",
    "VariableBasis",
    "VariableSupplements",
    "add_months",
    "binding_hours",
    "build_ceiling",
    "ceiling_entry",
    "check_below_own_wage",
    "check_capacity_reduction",
    "check_form",
    "check_municipality_date",
    "check_overtime",
    "check_pay_rise",
    "check_pension_missing",
    "check_simple_estimate",
    "check_stale",
    "check_variable_basis",
    "describe_source",
    "employee_effect",
    "errors_of",
    "load_form",
    "own_full_time_wage",
    "parse_date",
    "parse_hours",
    "run_checks",
    "simple_estimate",
    "validate_form",
]
