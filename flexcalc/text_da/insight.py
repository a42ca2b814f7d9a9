"""The words of the management page (explainer/pages/75_ledelse.py): each figure's name and a plain sentence
that says what it counts. Kept here so their LIX is measured (tests/insight/test_insight_page.py) without a page
running."""

from __future__ import annotations

INTRO_DA = ("Her ser du måneden i tal og de 12 måneder før. Der står ingen navne og ingen sager. Et tal under 5 "
            "står som <5. Så kan ingen finde en person ud fra tallet.")

FIGURES_DA: dict[str, tuple[str, str]] = {
    "caseload": ("Sager", "Så mange sager havde vi i måneden."),
    "payments": ("Udbetalinger", "Så mange gange gav vi penge for måneden."),
    "held_still": ("Venter stadig", "Her mangler vi stadig løn fra arbejdsgiveren. Vi har ikke betalt endnu."),
    "corrections": ("Rettelser", "Så mange gange regnede vi en betalt måned om."),
    "late_reports": ("Sene lønsedler", "Lønnen kom, efter vi havde betalt for måneden."),
    "hearings_sent": ("Breve om at høre borgeren", "Så mange breve sendte vi, før vi ville kræve penge tilbage."),
    "replies_on_time": ("Svar i tide", "Så mange svar kom, før tiden var gået."),
    "complaints_received": ("Klager", "Så mange klager fik vi i måneden."),
}
"""The figures shown as metrics and in the trend: (name, plain sentence)."""

TREND_DA = ("Linjen viser, hvordan tallet har ændret sig. Et tal under 5 er ikke med i linjen. Det står som <5 i "
            "tabellen.")
EMPLOYERS_DA = ("Her er de firmaer, der sendte løn for sent eller rettede den. Tallet viser også, hvor mange sager "
                "det ramte. Det tager tid for jer at rette. Tal med firmaet om det.")
AGES_DA = "Her ser du, hvor længe de måneder har ventet, som vi ikke har betalt endnu."
CAUSES_DA: dict[str, str] = {
    "late_report": "løn kom for sent", "corrected_report": "løn rettet", "reversal": "løn trukket tilbage",
    "re_report": "løn sendt igen", "ceiling_change": "nyt lønloft", "events_registered": "sygdom eller ferie",
    "rates_changed": "nye satser", "provisional_settled": "foreløbig betaling gjort op",
    "recalculation": "regnet om",
}
