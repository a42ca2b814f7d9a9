"""Letters a decision needs (issue 15, item 3): the hearing letter (partshøring), the decision letter and the
monthly specification, in plain Danish, rendered from the case file's facts to text, HTML and PDF; kept in the
case file as drafts that a caseworker approves and marks sent. Nothing is ever sent by the system.

- ``hearing.hearing_letter``, ``decision.decision_letter``, ``specification.specification_letter`` build a
  ``document.Letter`` (no rule is computed here: amounts come from the ledger and ``flexcalc.month_change``);
- ``store``: ``save_letter``, ``approve_letter``, ``mark_letter_sent`` (returns the letter row: where a
  hearing record opens), ``list_letters``.
"""

from __future__ import annotations

from .decision import complaint_deadline, decision_letter
from .document import Letter
from .hearing import hearing_letter, reply_date
from .specification import specification_letter
from .store import approve_letter, get_letter, letter_pdf, list_letters, mark_letter_sent, save_letter

__all__ = ["Letter", "approve_letter", "complaint_deadline", "decision_letter", "get_letter", "hearing_letter",
           "letter_pdf", "list_letters", "mark_letter_sent", "reply_date", "save_letter", "specification_letter"]
