"""The keys of the month's trace steps, in pipeline order, each written once.

The labels are in ``flexcalc.text_da.month``; the stages that emit each key are in
``flexcalc.month.pipeline``. Every key below is a name an explainer, a letter or a test may look for.
"""

from __future__ import annotations

from typing import Final

# wage income
TIMING: Final = "timing"
REGULATION: Final = "regulation"
BONUS_SPREAD_OUT: Final = "bonus_spread_out"
FERIEKONTO_EARNED: Final = "feriekonto_earned"
FERIEKONTO: Final = "feriekonto"
INCOME_COUNTED: Final = "income_counted"
INCOME_NOT_COUNTED: Final = "income_not_counted"
WAGE_INCOME: Final = "wage_income"
FLEKSJOB_WAGE_EXCEPTION: Final = "fleksjob_wage_exception"
# maximum
MAX_SUBSIDY: Final = "max_subsidy"
EMPLOYMENT_SHARE: Final = "employment_share"
# reduction
HOLIDAY_BASIS: Final = "holiday_basis"
PAID_ABSENCE: Final = "paid_absence"
ABSENCE_DAYS: Final = "absence_days"
REDUCTION_LOW: Final = "reduction_low"
REDUCTION_HIGH: Final = "reduction_high"
# sickness top-up
SICKNESS_BENEFIT: Final = "sickness_benefit"
SICKNESS_ENTITLED: Final = "sickness_entitled"
RESOURCE_BENEFIT: Final = "resource_benefit"
FLOOR_AT_ZERO: Final = "floor_at_zero"
ROUNDING: Final = "rounding"
NO_FLEKSJOB_WAGE: Final = "no_fleksjob_wage"
SUBSIDY_BEFORE_CEILING: Final = "subsidy_before_ceiling"
# ceiling
CEILING_CHANGES: Final = "ceiling_changes"
CEILING_EMPLOYMENT_SHARE: Final = "ceiling_employment_share"
CEILING_RAISE: Final = "ceiling_raise"
CEILING: Final = "ceiling"
# holiday on ledighedsydelse
HOLIDAY_DAYS: Final = "holiday_days"
LEDIGHEDSYDELSE_DAYS: Final = "ledighedsydelse_days"
REGULATION_DUE: Final = "regulation_due"
ABSENCE_NEXT_MONTH: Final = "absence_next_month"
# own ATP, payout, state ATP
SUBSIDY: Final = "subsidy"
ATP_OWN: Final = "atp_own"
PAYOUT: Final = "payout"
ATP_STATE: Final = "atp_state"

STAGES: Final = ("wage_income", "maximum", "reduction", "sickness_top_up", "ceiling",
                 "holiday_on_ledighedsydelse", "own_atp", "state_atp")
"""The pipeline's named stages, in order (``flexcalc.month.pipeline.STAGES`` holds the functions)."""
