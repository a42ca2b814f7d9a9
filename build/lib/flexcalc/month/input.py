"""What one month's calculation needs (``MonthInput``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flexcalc.events import MonthEvents
from flexcalc.money import ZERO
from flexcalc.period import Month
from flexcalc.rules import timing


@dataclass(slots=True)
class MonthInput:
    """What one month's calculation needs.

    ``benefit_month`` is the month the subsidy is for (and whose rates apply); the wage amounts are
    those of the basis month, the month before. ``wage`` is the fleksjob wage incl. the employee's
    own and the employer's pension contribution — the wage *from the fleksjob employer*: a month
    where it is 0 pays no subsidy unless an exception applies (``flexcalc.rules.fleksjob_wage``);
    ``other_wage`` is wage from any other employer; ``other_income`` is other income that counts like
    wage (side self-employment profit; from 2024 tabt arbejdsfortjeneste and plejevederlag). A wage
    earned on a ship in DIS is entered converted to gross wage (BEK 227/2024 § 1, stk. 2;
    docs/decisions.md, "DIS wage"). ``ceiling`` is the lønloft in force.

    ``events`` (optional) holds what else happened in the basis and the benefit month: holiday,
    sickness, maternity, ressourceforløbsydelse, ledighedsydelse days, more incomes, a job starting or
    ending, the paid hours for the state ATP (``flexcalc.events.MonthEvents``). Without events the
    event stages of the pipeline do nothing (``flexcalc.month.pipeline``).
    """

    benefit_month: Month
    wage: Decimal
    ceiling: Decimal
    other_wage: Decimal = ZERO
    other_income: Decimal = ZERO
    events: MonthEvents | None = None

    @property
    def basis_month(self) -> Month:
        return timing.basis_month_of(self.benefit_month)
