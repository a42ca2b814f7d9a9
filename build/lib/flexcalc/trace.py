"""The trace: ordered steps of a calculation, each with a Danish label, its inputs, its amount
and the provision it applies.

A step with ``part_of="subsidy"`` carries its signed ``effect`` on the subsidy, and those effects
add up to the subsidy exactly; a step with ``part_of="payout"`` does the same for the payout, and
``part_of="ceiling"`` for the monthly ceiling built from the employer's lønloft form
(``flexcalc.normal_wage``).
``provision`` is the citation as text (a ``flexcalc.provisions.Provision`` is a ``str`` that also
carries its structure); the JSON has it as text (``provision``) and as structured citations
(``provision_ref``: law, paragraph, stk., pkt., nr., and the quoted sentence where it is at hand).
Other steps (``part_of=None``) inform: the basis month, the wage income, an intermediate result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month
from flexcalc.provisions import provision_ref

Part = Literal["subsidy", "payout", "ceiling"]
PartOf = Part | None


@dataclass(slots=True)
class Step:
    key: str
    label: str
    provision: str
    amount: Decimal | None
    inputs: dict[str, Decimal | str | Month] = field(default_factory=dict)
    effect: Decimal | None = None
    part_of: PartOf = None

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "provision": str(self.provision),
            "provision_ref": provision_ref(self.provision),
            "amount": None if self.amount is None else amount_str(self.amount),
            "inputs": {k: amount_str(v) if isinstance(v, Decimal) else str(v) for k, v in self.inputs.items()},
            "effect": None if self.effect is None else amount_str(self.effect),
            "part_of": self.part_of,
        }


def total_of(steps: Iterable[Step], part: Part) -> Decimal:
    """Re-add the effects of the steps that make up ``part``."""
    return sum((s.effect for s in steps if s.part_of == part and s.effect is not None), ZERO)
