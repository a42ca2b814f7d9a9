"""Provisions and constants of the employer's lønloft check (LAB § 123, stk. 3; Ankestyrelsen PM 48-22)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from flexcalc.law.lawdata import law_date
from flexcalc.law.provisions import base

# --------------------------------------------------------------------------------------------------
# Provisions and constants
# --------------------------------------------------------------------------------------------------

PROVISION_CEILING = base("normal_wage_ceiling")
PROVISION_FULL_TIME = base("normal_wage_full_time")
PROVISION_SUPPLEMENTS = base("normal_wage_supplements")
PROVISION_VARIABLE = base("normal_wage_variable")
PROVISION_REDUCTION = base("normal_wage_reduction")
PROVISION_OVERTIME = base("normal_wage_overtime")
PROVISION_PENSION = base("normal_wage_pension")
PROVISION_HOLIDAY = base("normal_wage_holiday")
PROVISION_TOTAL = base("normal_wage_total")
PROVISION_MUNICIPALITY = base("normal_wage_municipality")
PROVISION_REPORT_CHANGES = base("normal_wage_report_changes")
PROVISION_STAR = "STAR, 'Beregn din indtægt i et fleksjob' (37 timer × timeløn × 52/12)"

DEFAULT_FULL_TIME_HOURS = Decimal(37)
MIN_HOURS = Decimal(1)
MAX_HOURS = Decimal(48)
SCHEME_START = dt.date(2013, 1, 1)
"""The fleksløntilskud (and so the ceiling) exists for fleksjobs begun from 1 January 2013."""
MUNICIPALITY_FROM = law_date("municipality_may_compute_ceiling")
"""LAB § 123, stk. 3, 3. pkt. (L 83, in force 1 January 2024): the municipality may compute the ceiling
(a dated law fact: ``flexcalc/law/data/law_dates.yaml``)."""
STALE_AFTER_MONTHS = 12
HUNDRED = Decimal(100)

Severity = Literal["error", "warning", "info"]
PensionBase = Literal["base_wage", "base_and_fixed_supplements", "all_wage"]
VariableBasis = Literal["full_time_average", "employee_actual"]
HolidayPaid = Literal["monthly", "lump_sum"]
Source = Literal["employer", "municipality"]
Method = Literal["collective_agreement", "employee_wage_scaled", "comparable_position", "other"]

PENSION_BASE_DA: dict[str, str] = {
    "base_wage": "grundlønnen",
    "base_and_fixed_supplements": "grundløn og faste tillæg",
    "all_wage": "hele lønnen inkl. variable tillæg",
}
METHOD_DA: dict[str, str] = {
    "collective_agreement": "overenskomstens satser for stillingen",
    "employee_wage_scaled": "medarbejderens egen løn omregnet til fuld tid",
    "comparable_position": "lønnen i en tilsvarende stilling (fx lønstatistik)",
    "other": "anden metode",
}
SEVERITY_DA: dict[str, str] = {"error": "FEJL", "warning": "ADVARSEL", "info": "OPLYSNING"}

_OVERTIME_WORDS = re.compile(r"overarbejd|overtid|merarbejd|over-?time", re.IGNORECASE)
_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # ASCII digits only
