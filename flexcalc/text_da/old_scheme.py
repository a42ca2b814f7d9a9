"""The old fleksjob scheme (begun before 2013) told to a citizen in plain Danish (LIX measured in
tests/old_scheme/test_old_scheme_text.py). The facts come from LAB § 133 and the job-change practice in
docs/decisions.md; amounts are put in by ``old_scheme_example_da`` from a calculation, never typed here."""

from __future__ import annotations

from flexcalc.old_scheme import OldSchemeResult
from flexcalc.text_da.format import kr, month_name

OLD_SCHEME_EXPLANATION_DA: tuple[str, ...] = (
    "Fik du dit fleksjob før 1. januar 2013? Så er du i den gamle ordning.",
    "I den gamle ordning får du hele din løn fra din arbejdsgiver. Du får ikke fleksløntilskud fra kommunen.",
    "I stedet får din arbejdsgiver et tilskud til din løn. Tilskuddet er halvdelen eller to tredjedele af lønnen. "
    "Det afhænger af, hvor meget du kan arbejde.",
    "Der er et loft. Lønnen tæller kun med op til et vist beløb om året og i timen. Loftet stiger hvert år.",
    "Er du syg, og får din arbejdsgiver penge for de dage? Så bliver tilskuddet mindre for de dage.",
    "Du bliver i den gamle ordning, så længe du har det samme job. Får du nye timer eller nye skånehensyn, er "
    "det stadig det samme job.",
    "Skifter du til et nyt fleksjob, gælder de nye regler fra første dag i det nye job. Så får du selv "
    "fleksløntilskud fra kommunen. Du kan ikke komme tilbage til den gamle ordning.",
    "Har du spørgsmål, så kontakt din kommune.",
)


def old_scheme_example_da(result: OldSchemeResult) -> tuple[str, ...]:
    """A worked example in plain Danish from one calculation."""
    share = "halvdelen" if result.fraction.value == "1/2" else "to tredjedele"
    # an amount never ends a sentence followed by another in the same line: "kr." would run the two together
    lines = [f"Eksempel for {month_name(result.month)}: Lønnen med pension og ATP er {kr(result.basis)}"]
    if result.capped_basis < result.basis:
        lines.append(f"Der regnes kun af loftet for måneden, som er {kr(result.cap)}")
    lines.append(f"{share.capitalize()} af {kr(result.capped_basis)} giver et tilskud på {kr(result.gross_subsidy)}")
    if result.sickness_reduction:
        lines.append(f"For sygedagene trækkes {kr(result.sickness_reduction)} fra.")
    lines.append("Du får din løn som aftalt.")
    lines.append(f"Din arbejdsgiver får et tilskud på {kr(result.subsidy)}")
    return tuple(lines)
