"""Provisions and constants of the employer's lønloft check (LAB § 123, stk. 3; Ankestyrelsen PM 48-22)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from flexcalc.lawdata import law_date

# --------------------------------------------------------------------------------------------------
# Provisions and constants
# --------------------------------------------------------------------------------------------------

PROVISION_CEILING = "LAB § 123, stk. 3"
PROVISION_FULL_TIME = "LAB § 123, stk. 3 (fuld tid på ordinære vilkår); Ankestyrelsen PM 48-22"
PROVISION_SUPPLEMENTS = "LAB § 123, stk. 3; Ankestyrelsen PM 48-22 (fuldtidsløn med tillæg)"
PROVISION_VARIABLE = "Ankestyrelsen PM 48-22 (gennemsnitlig løn for en almindelig fuldtidsansat)"
PROVISION_REDUCTION = "Ankestyrelsen PM 48-22 (uden reduktion for den nedsatte arbejdsevne)"
PROVISION_OVERTIME = "LAB § 123, stk. 3 (ordinære vilkår, uden overarbejde); kommunernes lønloftskema"
PROVISION_PENSION = "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 2; Ankestyrelsen PM 48-22"
PROVISION_HOLIDAY = "LAB § 123, stk. 3; BEK 227/2024 § 1, nr. 1 (herunder ferietillæg); Ankestyrelsen PM 14-22"
PROVISION_TOTAL = "LAB § 123, stk. 3; Ankestyrelsen PM 48-22"
PROVISION_MUNICIPALITY = "LAB § 123, stk. 3, 3. pkt."
PROVISION_REPORT_CHANGES = "Ankestyrelsen PM 48-22 (arbejdsgiveren skal oplyse ændringer i fuldtidslønnen)"
PROVISION_STAR = "STAR, 'Beregn din indtægt i et fleksjob' (37 timer × timeløn × 52/12)"

DEFAULT_FULL_TIME_HOURS = Decimal(37)
MIN_HOURS = Decimal(1)
MAX_HOURS = Decimal(48)
SCHEME_START = dt.date(2013, 1, 1)
"""The fleksløntilskud (and so the ceiling) exists for fleksjobs begun from 1 January 2013."""
MUNICIPALITY_FROM = law_date("municipality_may_compute_ceiling")
"""LAB § 123, stk. 3, 3. pkt. (L 83, in force 1 January 2024): the municipality may compute the ceiling
(a dated law fact: ``flexcalc/parameters/law/law_dates.yaml``)."""
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
