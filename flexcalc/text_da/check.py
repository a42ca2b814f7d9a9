"""The Danish words of the check of the municipality's calculation ("Tjek kommunens beregning"), written once.

Each cause has a short plain sentence (what went wrong) built from the amounts, and the provision it
rests on. The check (``flexcalc.check``) finds the causes by recomputing; this module only words them.
"""

from __future__ import annotations

from decimal import Decimal

from flexcalc.text_da.format import kr

TITLES: dict[str, str] = {
    "rates_differ": "Satserne er ikke årets satser",
    "wrong_year_rates": "Satserne er fra et andet år",
    "wage_differs": "Lønnen er en anden",
    "pension_missing": "Pensionen mangler i lønnen",
    "holiday_wrong_month": "Ferietillæg i den forkerte måned",
    "wrong_basis_month": "Lønnen er fra den forkerte måned",
    "other_employer_counted": "Løn fra en anden arbejdsgiver talt med to gange",
    "ceiling_differs": "Lønloftet er et andet",
    "ceiling_without_supplements": "Lønloftet er uden tillæg",
    "ceiling_without_pension": "Lønloftet er uden pension",
    "ceiling_without_supplements_and_pension": "Lønloftet er uden tillæg og pension",
    "atp": "Beløbet er efter ATP",
    "rounding": "Afrunding",
    "unexplained": "Forskel uden kendt årsag",
}
"""A short title for each cause code."""


def _effect(amount: Decimal) -> str:
    if amount > 0:
        return f"Det gav dig {kr(amount)} for lidt."
    if amount < 0:
        return f"Det gav dig {kr(-amount)} for meget."
    return "Det ændrede ikke tilskuddet."


def cause_text(code: str, amount: Decimal, facts: dict[str, Decimal | str]) -> str:
    """The Danish sentence for cause ``code`` whose share of the difference is ``amount`` (right − paid)."""
    f = {k: kr(v) if isinstance(v, Decimal) else v for k, v in facts.items()}
    texts = {
        "rates_differ": f"Kommunen brugte andre satser end dem for {f.get('month', 'måneden')}.",
        "wrong_year_rates": f"Kommunen brugte satserne for {f.get('used_year', 'et andet år')}. "
                            f"Den skulle bruge satserne for {f.get('right_year', 'året')}.",
        "wage_differs": f"Kommunen brugte en løn på {f.get('used')}. Den rigtige løn er {f.get('right')}.",
        "pension_missing": f"Kommunen har ikke talt pensionen på {f.get('part')} med i lønnen. "
                           "Pension skal tælle med.",
        "holiday_wrong_month": f"Ferietillæg på {f.get('part')} er talt med i den forkerte måned. "
                               "Det tæller i den måned, det bliver udbetalt.",
        "wrong_basis_month": f"Kommunen brugte lønnen fra {f.get('used_month')}. "
                             f"Den skulle bruge lønnen fra {f.get('right_month')}.",
        "other_employer_counted": f"Løn fra en anden arbejdsgiver på {f.get('part')} er talt med to gange.",
        "ceiling_differs": f"Kommunen brugte et lønloft på {f.get('used')}. Det rigtige er {f.get('right')}.",
        "ceiling_without_supplements": f"Kommunens lønloft mangler tillæg på {f.get('part')}. "
                                       "En fuldtidsansat får dem. Så skal de med.",
        "ceiling_without_pension": f"Kommunens lønloft mangler pension på {f.get('part')}. Pension skal med.",
        "ceiling_without_supplements_and_pension": f"Kommunens lønloft mangler tillæg og pension på "
                                                   f"{f.get('part')}. Begge dele skal med.",
        "atp": f"Beløbet ser ud til at være efter dit eget ATP-bidrag på {f.get('part')}. "
               "Skriv tilskuddet før ATP.",
        "rounding": "Kommunen har afrundet på en anden måde.",
        "unexplained": "Vi kan ikke se, hvad forskellen skyldes. Spørg kommunen.",
    }
    text = texts[code] if code == "atp" else f"{texts[code]} {_effect(amount)}"
    return text.replace("kr..", "kr.")


def direction_text(difference: Decimal) -> str:
    """What the month's difference means for the person, said honestly in both directions."""
    if difference > 0:
        return f"Du har fået {kr(difference)} for lidt. Du kan bede kommunen om at betale resten."
    if difference < 0:
        return (f"Du har fået {kr(-difference)} for meget. Kommunen kan kræve pengene tilbage. "
                "Det må den kun, hvis du vidste eller burde vide, at beløbet var forkert. "
                "Kommunen skal først høre dig. Nogle fejl skal kommunen dog rette i senere udbetalinger.")
    return "Kommunen har regnet rigtigt."


ROUNDING_PROVISION = "Ingen regel fastsætter afrundingen; beregningen her afrunder tilskuddet én gang til hele øre"
"""Rounding: no provision sets it (RULES, open question 1); said as such, without a file name."""

OVERPAID_PROVISION = "LAB § 125; forvaltningsloven § 19; Ankestyrelsen PM 6-23"
"""Repayment only when the person knew or should have known, after a hearing (RULES: repayment is a decision)."""


def total_text(total: Decimal) -> str:
    """The verdict over all months."""
    if total > 0:
        return f"I alt har du fået {kr(total)} for lidt."
    if total < 0:
        return f"I alt har du fået {kr(-total)} for meget."
    return "I alt passer udbetalingen."


CEILING_EXPLAINED_DA = (
    "Lønloftet er den løn, en kollega på fuld tid i det samme job får. Pension og faste tillæg skal med. "
    "Din løn og tilskuddet må til sammen ikke blive mere end lønloftet. Kommunen skriver lønloftet i sit brev "
    "om dit fleksjob. Spørg din arbejdsgiver, hvis du ikke kan finde det."
)
"""What the ceiling (lønloft, LAB § 123, stk. 3) is, before the page asks for it: plain Danish, LIX measured in
tests/check/test_check_core.py."""
