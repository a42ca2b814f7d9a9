"""The result of one month: every amount, the rates, and the trace (``MonthResult``); a month computed
with events also says what the events did (``EventMonthResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flexcalc.events import MonthEvents
from flexcalc.money import ZERO, amount_str
from flexcalc.params import Rates
from flexcalc.period import Month
from flexcalc.trace import Step
from flexcalc.version import RULE_VERSION

ONE = Decimal(1)


@dataclass(slots=True)
class MonthResult:
    """The subsidy of one benefit month, every intermediate amount, and the trace."""

    benefit_month: Month
    basis_month: Month
    wage_income: Decimal
    ceiling: Decimal
    rates: Rates
    reduction_low: Decimal
    reduction_high: Decimal
    subsidy_before_ceiling: Decimal
    ceiling_room: Decimal
    ceiling_cut: Decimal
    subsidy: Decimal
    atp_own: Decimal
    payout: Decimal
    steps: list[Step] = field(default_factory=list)

    @property
    def max_subsidy(self) -> Decimal:
        return self.rates.max_subsidy

    @property
    def threshold(self) -> Decimal:
        return self.rates.threshold

    @property
    def reduction(self) -> Decimal:
        return self.reduction_low + self.reduction_high

    @property
    def ceiling_binds(self) -> bool:
        return self.ceiling_cut > 0

    @property
    def no_fleksjob_wage(self) -> bool:
        """True when the month pays nothing because the fleksjob employer paid no wage (issue 11 item 1)."""
        return any(step.key == "no_fleksjob_wage" for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI's ``--json`` and the API. Amounts are strings."""
        return {
            "benefit_month": str(self.benefit_month),
            "basis_month": str(self.basis_month),
            "wage_income": amount_str(self.wage_income),
            "ceiling": amount_str(self.ceiling),
            "max_subsidy": amount_str(self.max_subsidy),
            "threshold": amount_str(self.threshold),
            "reduction_low": amount_str(self.reduction_low),
            "reduction_high": amount_str(self.reduction_high),
            "reduction": amount_str(self.reduction),
            "subsidy_before_ceiling": amount_str(self.subsidy_before_ceiling),
            "ceiling_room": amount_str(self.ceiling_room),
            "ceiling_cut": amount_str(self.ceiling_cut),
            "ceiling_binds": self.ceiling_binds,
            "subsidy": amount_str(self.subsidy),
            "atp_own": amount_str(self.atp_own),
            "payout": amount_str(self.payout),
            "rates_status": {name: entry.status for name, entry in self.rates.entries.items()},
            "derived_rates": self.rates.derived,
            "rule_version": RULE_VERSION,
            "steps": [step.to_dict() for step in self.steps],
        }


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
    sickness_benefit_deducted: Decimal = ZERO
    resource_benefit: Decimal = ZERO
    ceiling_raise: Decimal = ZERO
    ledighedsydelse_days: Decimal = ZERO
    ledighedsydelse_reduction: Decimal = ZERO
    not_counted: Decimal = ZERO
    atp_state: Decimal | None = None
    atp_state_hours: Decimal | None = None
    atp_state_full: bool = False
    provisional_subsidy: Decimal | None = None
    regulation_due: bool = False
    fleksjob_wage_exceptions: tuple[str, ...] = ()
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
            "sickness_benefit_deducted": amount_str(self.sickness_benefit_deducted),
            "resource_benefit": amount_str(self.resource_benefit),
            "ceiling_raise": amount_str(self.ceiling_raise),
            "ledighedsydelse_days": str(self.ledighedsydelse_days),
            "ledighedsydelse_reduction": amount_str(self.ledighedsydelse_reduction),
            "not_counted": amount_str(self.not_counted),
            "atp_state_full": self.atp_state_full,
            "regulation_due": self.regulation_due,
            "fleksjob_wage_exceptions": list(self.fleksjob_wage_exceptions),
            "derived_parameters": self.derived_event_parameters,
            **{k: None if v is None else amount_str(v) for k, v in optional.items()},
        }
        return data
