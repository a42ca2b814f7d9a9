"""The whole check of a lønloft form: the ceiling, its breakdown, the findings and the effect, as one result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flexcalc.inputs import plain_number
from flexcalc.money import amount_str
from flexcalc.normal_wage.breakdown import CeilingBreakdown, _without_excluded, build_ceiling
from flexcalc.normal_wage.checks import NEEDS_EMPLOYEE, Finding, run_checks
from flexcalc.normal_wage.constants import METHOD_DA, PROVISION_MUNICIPALITY, Method, Source
from flexcalc.normal_wage.effect import EmployeeEffect, employee_effect
from flexcalc.normal_wage.form import NormalWageForm

# --------------------------------------------------------------------------------------------------
# The whole check
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CeilingEntry:
    """A ceiling as a case ledger's ceiling history needs it: the amount and the date it takes effect."""

    amount: Decimal
    effective_date: dt.date
    source: Source
    method: Method | None = None


@dataclass(slots=True)
class CheckResult:
    form: NormalWageForm
    as_of: dt.date
    breakdown: CeilingBreakdown
    findings: list[Finding]
    not_checked: list[str]
    corrected_ceiling: Decimal | None
    effect: EmployeeEffect | None

    @property
    def ceiling(self) -> Decimal:
        return self.breakdown.total

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def entry(self) -> CeilingEntry:
        return CeilingEntry(self.ceiling, self.form.effective_date, self.form.source, self.form.method)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the API. Amounts are strings."""
        from flexcalc import RULE_VERSION

        form = self.form
        simple = next((f for f in self.findings if f.code == "simple_estimate_difference"), None)
        return {
            "ceiling": amount_str(self.ceiling),
            "effective_date": str(form.effective_date),
            "source": form.source,
            "method": form.method,
            "method_note": form.method_note,
            "employer": form.employer,
            "position": form.position,
            "full_time_hours": plain_number(form.full_time_hours),
            "as_of": str(self.as_of),
            "steps": [step.to_dict() for step in self.breakdown.steps],
            "holiday_supplement_lump_sum": None if self.breakdown.holiday_supplement_lump_sum is None
            else amount_str(self.breakdown.holiday_supplement_lump_sum),
            "corrected_ceiling": None if self.corrected_ceiling is None else amount_str(self.corrected_ceiling),
            "simple_estimate": None if simple is None else amount_str(simple.amounts["simple_estimate"]),
            "findings": [f.to_dict() for f in self.findings],
            "codes": self.codes,
            "errors": sum(f.severity == "error" for f in self.findings),
            "warnings": sum(f.severity == "warning" for f in self.findings),
            "not_checked": self.not_checked,
            "employee_effect": None if self.effect is None else self.effect.to_dict(),
            "ledger_entry": {"amount": amount_str(self.ceiling), "effective_date": str(form.effective_date),
                             "source": form.source, "method": form.method},
            "rule_version": RULE_VERSION,
        }


def check_form(form: NormalWageForm, *, as_of: dt.date | None = None) -> CheckResult:
    """Build the ceiling, run every check and compute the effect for the employee.

    ``as_of`` (the date of the check) is, in order: the argument, the form's ``as_of``, today.
    """
    day = as_of or form.as_of or dt.date.today()
    breakdown = build_ceiling(form)
    findings = run_checks(form, breakdown, day)
    not_checked = [code for code in NEEDS_EMPLOYEE if form.employee is None]
    excluded = any(f.code in ("overtime_included", "capacity_reduction_included") for f in findings)
    corrected = build_ceiling(_without_excluded(form)).total if excluded else None
    effect = employee_effect(form, breakdown.total)
    return CheckResult(form, day, breakdown, findings, not_checked, corrected, effect)


def ceiling_entry(form: NormalWageForm) -> CeilingEntry:
    """The ceiling amount and the date it takes effect (with its source and method), for a case ledger.

    This is the hook for the ledger's ceiling history (issue 5, item 6): the ledger stores the entry and
    recomputes the months it affects; nothing here writes to a ledger.
    """
    return CeilingEntry(build_ceiling(form).total, form.effective_date, form.source, form.method)


def describe_source(form: NormalWageForm) -> str:
    """Who computed the ceiling, in Danish."""
    if form.source == "employer":
        return "Udfyldt af arbejdsgiveren (lønloftskema)."
    method = METHOD_DA.get(form.method or "other", "anden metode")
    note = f" ({form.method_note})" if form.method_note else ""
    return f"Beregnet af kommunen efter {PROVISION_MUNICIPALITY}: {method}{note}."


