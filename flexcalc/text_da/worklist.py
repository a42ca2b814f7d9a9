"""The worklist's kinds in a few Danish words (the caseworker page's filter and headings, the API's
``kind_da``). The rule of which item is which lives in ``flexcalc.ledger.worklist``; the page reads
the kinds and their labels from here, with no database behind them."""

from __future__ import annotations

KIND_LABELS_DA: dict[str, str] = {
    "held_month": "Afventer indberetning",
    "repayment_awaiting_hearing": "Mulig tilbagebetaling: send partshøring",
    "hearing_reply_overdue": "Svarfristen er udløbet: træf afgørelse",
    "awaiting_decision": "Svar modtaget: træf afgørelse",
    "possible_duplicate": "Mulig dobbelt indberetning",
    "events_after_payment": "Hændelser registreret efter udbetaling",
}
"""Every worklist kind, in the worklist's order, with its label."""
