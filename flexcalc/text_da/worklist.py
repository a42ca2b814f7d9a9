"""The worklist's kinds in a few Danish words (the caseworker page's filter and headings, the API's
``kind_da``) and said plainly beside the legal term (``kind_plain_da``). The rule of which item is which
lives in ``flexcalc.ledger.worklist``; the page reads the kinds and their labels from here, with no
database behind them."""

from __future__ import annotations

KIND_LABELS_DA: dict[str, str] = {
    "held_month": "Afventer indberetning",
    "repayment_awaiting_hearing": "Mulig tilbagebetaling: send partshøring",
    "hearing_awaiting_reply": "Partshøring sendt: venter på svar",
    "hearing_reply_overdue": "Svarfristen er udløbet: træf afgørelse",
    "awaiting_decision": "Svar modtaget: træf afgørelse",
    "possible_duplicate": "Mulig dobbelt indberetning",
    "events_after_payment": "Hændelser registreret efter udbetaling",
    "claim_due_unpaid": "Krav forfaldet og ikke betalt",
    "instalment_missed": "Afdrag ikke betalt",
    "claim_limitation_near": "Kravet forældes inden for 6 måneder",
    "supervision_follow_up": "Opfølgning på ledelsestilsyn",
    "self_employed_repayment_review": "Selvstændig: for meget udbetalt, træf afgørelse",
}
"""Every worklist kind, in the worklist's order, with its label."""

KIND_PLAIN_DA: dict[str, str] = {
    "held_month": "Vi har ikke fået lønnen fra arbejdsgiveren. Derfor venter vi med at betale.",
    "repayment_awaiting_hearing": "Borgeren har måske fået for meget. Borgeren skal høres, før vi beslutter noget.",
    "hearing_awaiting_reply": "Vi har bedt borgeren om svar. Fristen er ikke slut endnu.",
    "hearing_reply_overdue": "Borgeren har ikke svaret, og fristen er slut. Nu skal vi beslutte.",
    "awaiting_decision": "Borgeren har svaret. Nu skal vi beslutte.",
    "possible_duplicate": "Den samme løn er måske sendt to gange. Spørg arbejdsgiveren.",
    "events_after_payment": "Der er sket noget i en måned, vi har betalt. Beløbet skal regnes igen.",
    "claim_due_unpaid": "Borgeren skal betale penge tilbage. Fristen er gået, og der er ikke betalt.",
    "instalment_missed": "Borgeren har ikke betalt et aftalt afdrag.",
    "claim_limitation_near": "Kravet bliver snart for gammelt. Efter den dato kan vi ikke kræve pengene.",
    "supervision_follow_up": "Lederen har set på sagen og fundet noget, du skal rette. Skriv, når det er gjort.",
    "self_employed_repayment_review": "Skat viser, at borgeren har fået for meget. Tal med borgeren. Afgør så, om "
                                      "hun eller han skal betale noget af det tilbage.",
}
"""The kind said in plain Danish beside the legal term (LIX measured in tests/ledger/test_worklist_lix.py)."""
