"""Which incomes of the basis month count as wage income, and which do not.

Counted (added to the wage income W, and inside the ceiling):
- wage from any other employer: LAB § 123, stk. 2 ("dels af lønindtægten i fleksjobbet, dels af anden
  lønindtægt"); BEK 227/2024 § 1, nr. 1;
- profit of side self-employment (overskud før renter): BEK 227/2024 § 1, nr. 3;
- holiday pay or feriegodtgørelse paid by the employer when the holiday is taken: BEK § 5;
- tabt arbejdsfortjeneste (barnets lov § 87) and plejevederlag (barnets lov § 90, stk. 1, nr. 11;
  serviceloven §§ 119–122): "som ved lønindtægt" from 1 January 2024 (BEK 1806/2023 § 11, now BEK
  227/2024); for benefit months before 2024 they are not wage income and are not counted;
- a bonus or tantieme from own work (Ankestyrelsen PM 27-23); a bonus covering several months is
  spread over them (``bonus_share``; ``flexcalc.month_events.spread_bonus``);
- ferietillæg, feriedifference, fritvalg and søgnehelligdagsbetaling in the month paid (PM 14-22),
  see ``flexcalc.rules.special_payments``.

Whether and from when each kind counts is data: ``flexcalc/parameters/law/income_kinds.yaml`` (the
2024 date itself is ``income_rules_2024`` in ``law_dates.yaml``).

Not counted (accepted and shown in the trace with the reason, never deducted):
- staff benefits (fri bil, telefon, kost og logi, sundhedsforsikring): PM 39-19;
- pension payouts, insurance payouts (gruppeliv m.v.), compensation for lost working capacity:
  not wage income (det faglige hus; Scleroseforeningen);
- a Christmas gift in cash: "arbejdsfri indtægt" (PM 27-23).
"""

from __future__ import annotations

from flexcalc.lawdata import income_kind, income_kinds
from flexcalc.period import Month
from flexcalc.provisions import Provision

LABEL = {
    "wage_other_employer": "Løn fra anden arbejdsgiver",
    "self_employment_profit": "Overskud af selvstændig bibeskæftigelse",
    "employer_holiday_pay": "Løn under ferie / feriegodtgørelse udbetalt af arbejdsgiveren",
    "tabt_arbejdsfortjeneste": "Hjælp til dækning af tabt arbejdsfortjeneste",
    "plejevederlag": "Plejevederlag",
    "bonus": "Bonus eller tantieme",
    "bonus_share": "Andel af bonus fordelt over flere måneder",
    "ferietillaeg": "Ferietillæg",
    "feriedifference": "Feriedifference",
    "fritvalg": "Udbetaling fra fritvalgsordning",
    "soegnehelligdag": "Udbetaling fra søgnehelligdagskonto",
    "staff_benefit": "Personalegode (fri bil, telefon, kost, forsikring)",
    "pension_payout": "Udbetaling af pension",
    "insurance_payout": "Forsikringsudbetaling",
    "christmas_gift": "Julegave",
    "compensation_working_capacity": "Erstatning for tab af erhvervsevne",
}

PROVISION = {kind: Provision(rule.reference, f"income_kind.{kind}") for kind, rule in income_kinds().kinds.items()}
"""The provision of each income kind: the ``reference`` column of ``income_kinds.yaml`` (written once)."""

WHY_NOT = {
    "staff_benefit": "Personalegoder er ikke lønindtægt og indgår hverken i fradraget eller i lønloftet",
    "pension_payout": "Løbende pensionsudbetalinger er ikke lønindtægt og giver ikke fradrag",
    "insurance_payout": "Forsikringsudbetalinger er ikke lønindtægt og giver ikke fradrag",
    "christmas_gift": "En julegave er arbejdsfri indtægt og giver ikke fradrag",
    "compensation_working_capacity": "Erstatning for tab af erhvervsevne er ikke lønindtægt og giver ikke fradrag",
    "tabt_arbejdsfortjeneste": "Før 1. januar 2024 er tabt arbejdsfortjeneste ikke lønindtægt og indgår ikke",
    "plejevederlag": "Før 1. januar 2024 er plejevederlag ikke lønindtægt og indgår ikke",
}


def counts(kind: str, benefit_month: Month) -> bool:
    """Whether an income of ``kind`` counts as wage income for ``benefit_month``'s subsidy: the
    ``counts_from`` date of ``flexcalc/parameters/law/income_kinds.yaml`` (issue 11 item 8)."""
    return income_kind(kind).counts(benefit_month)
