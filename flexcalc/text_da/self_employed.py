"""The self-employed subsidy told in plain Danish for the person (short words, short sentences: LIX ≤ 35,
measured in ``tests/self_employed/test_letters.py``). Built from the facts of ``flexcalc.self_employed``;
no rule is computed here."""

from __future__ import annotations

from typing import Any

from flexcalc.text_da.format import kr


def explain_year_da(result: Any) -> list[str]:
    """What the year's subsidy is and how it was found (a ``YearResult``), one paragraph a string."""
    year = result.year
    lines = [
        f"Du driver din egen virksomhed og har et fleksjob i den. Derfor får du et tilskud fra kommunen. "
        f"Tilskuddet for {year} er {kr(result.annual)}",
        f"Vi starter med et fast beløb. I {year} er det {kr(result.basic_amount)} Så trækker vi 30 øre fra for "
        f"hver krone, du tjener. Det gælder både dit overskud i virksomheden og anden løn.",
    ]
    income = result.counted_profit + result.other_income
    lines.append(f"Vi regner med, at du tjener {kr(income)} i alt. 30 procent af det er {kr(result.reduction)}")
    if result.annual == 0:
        lines.append(f"Det er mere end det faste beløb. Derfor får du ikke noget tilskud i {year}.")
    else:
        lines.append(f"Du får tilskuddet hver måned. Det er {kr(result.monthly)} om måneden. I december kan beløbet "
                     f"være et par øre anderledes, så det hele passer.")
    if result.profit < 0:
        lines.append("Har virksomheden underskud, tæller det som 0 kr.")
    lines.append("Beløbet bygger på det overskud, vi regner med. Når du får din årsopgørelse fra Skat, ser vi på "
                 "det igen. Har du fået for lidt, får du resten. Har du fået for meget, skriver vi til dig, før vi "
                 "beslutter noget.")
    return lines


def explain_settlement_da(result: Any) -> list[str]:
    """What the settlement on the tax assessment found (a ``SettlementResult``), one paragraph a string."""
    year = result.year
    count = len(result.months_paid)
    lines = [
        f"Vi har fået din årsopgørelse for {year}. Den viser et overskud på {kr(result.settled.counted_profit)} "
        f"Derfor har vi regnet dit tilskud ud igen.",
        f"For de {count} måneder, vi har betalt, skulle du have haft {kr(result.entitled)} "
        f"Vi har betalt {kr(result.paid)}",
    ]
    if result.settled_before:
        lines.append(f"Vi har før rettet {kr(result.settled_before)} for året. Det er trukket fra.")
    if result.outcome == "underpayment":
        lines.append(f"Du har fået for lidt. Du får {kr(result.difference)} mere. Pengene kommer med den næste "
                     "udbetaling.")
    elif result.outcome == "overpayment":
        lines.append(f"Du har fået {kr(-result.difference)} for meget. Vi har ikke besluttet, om du skal betale det "
                     "tilbage. Først skal du have lov at sige din mening. Vi skriver til dig om det.")
    else:
        lines.append("Du har fået det rigtige beløb. Du skal ikke gøre noget.")
    return lines


SELF_EMPLOYED_EXPLANATION_DA: tuple[str, ...] = (
    "Har du din egen virksomhed, og kan du ikke arbejde fuldt ud på grund af dit helbred? Så kan du få et "
    "tilskud fra kommunen. Det er et fleksjob i din egen virksomhed.",
    "Kommunen skal først vurdere, at du kan få fleksjob. Virksomheden skal være dit job. Du skal have arbejdet "
    "i den i en vis tid.",
    "Tilskuddet regnes for et helt år ad gangen. Vi starter med et fast beløb for året. Beløbet stiger hvert år.",
    "Så trækker vi 30 øre fra for hver krone, du tjener. Det gælder dit overskud i virksomheden. Det gælder også "
    "løn fra et andet job. Har virksomheden underskud, tæller det som 0 kr.",
    "Du får en tolvtedel af tilskuddet hver måned. Det første år bygger på det overskud, vi regner med, at du får.",
    "Når du får din årsopgørelse fra Skat, regner vi tilskuddet ud igen. Har du fået for lidt, får du resten. "
    "Har du fået for meget, skriver vi til dig. Du kan sige din mening, før vi beslutter, om du skal betale "
    "noget tilbage.",
    "Tjener du mere, end du regnede med? Så sig det til kommunen hurtigt. Så bliver beløbet rigtigt fra start.",
    "Har du spørgsmål, så kontakt din kommune.",
)
"""The subsidy explained before any amount (LAB § 126; BEK 233/2024 § 8): the citizen page's first part."""
