"""Who is paid in the payment file, and what each kind of payee means for tax and reporting.

The payee kinds are a small table (``PAYEE_KINDS``): the record letter of the payment file, the identifier
NemKonto finds the account by, whether A-skat is withheld, and what goes to the income register. Adding a kind
(the self-employed) is one entry here and one reader of its payouts.

- ``person`` (the new scheme, LAB § 123): the subsidy is the person's A-income; A-skat is withheld from the
  tax card and the payment is reported as A-income (felt 14) on the CPR number (``flexcalc.ledger.payouts``).
- ``employer`` (the old scheme, LAB § 133, stk. 2: the subsidy is paid to the employer): the employer pays the
  person the full wage and reports it; the subsidy is a public grant to the business, not the person's
  income, so no A-skat is withheld and nothing is reported on the person's CPR number for it. SKAT's field
  list has a field for exactly this — felt 37 "Offentlige tilskud og godtgørelser til virksomhed"
  (info.skat.dk oid=2277175, section 8.6) — reported on record 6000 with the business's CVR/SE number in
  place of a CPR number (oid=1745567, record 6000 field 5). flexcalc does not write that report yet
  (docs/decisions.md, "Employer payees and back payments in the files out").

Old-scheme transfers of a month: every settlement of the old flow for that period with a positive
difference (the first payment, and a correction paid later in a re-run of the period), each its own
transfer to the employer's NemKonto, found by the CVR number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.money import amount_str
from flexcalc.period import Month

from .payrun import raw_ore

ORE = Decimal("0.01")
MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december")


@dataclass(frozen=True, slots=True)
class PayeeKind:
    """One kind of payee in the payment file."""

    name: str
    record: str
    """The payment file's record letter."""
    identifier: str
    """What NemKonto finds the account by: ``cpr`` or ``cvr``."""
    withholds_a_skat: bool
    reported_as: str
    """What goes to the income register for it."""
    text: str
    """The payment's text, ``{month}`` the benefit month in Danish."""


PAYEE_KINDS: dict[str, PayeeKind] = {
    "person": PayeeKind("person", "D", "cpr", True, "A-income without AM-bidrag (felt 14) on the CPR number",
                        "Fleksløntilskud {month}"),
    "employer": PayeeKind("employer", "V", "cvr", False,
                          "not on the person (the wage is the employer's report); felt 37 on the CVR, not written",
                          "Tilskud fleksjob før 2013 {month}"),
}


def payee_text(kind: str, month: Month, back_payment: bool = False) -> str:
    """The payment's text on the payee's bank statement: "Tilskud fleksjob før 2013 april 2024"."""
    text = PAYEE_KINDS[kind].text.format(month=f"{MONTHS_DA[month.month - 1]} {month.year}")
    return f"Efterbetaling {text[0].lower()}{text[1:]}" if back_payment else text


@dataclass(frozen=True, slots=True)
class EmployerPayout:
    """One transfer of the old scheme's subsidy to the employer's NemKonto (no A-skat: net = gross)."""

    case_id: str
    cvr: str
    period: Month
    sequence: int
    payment_date: dt.date
    amount: Decimal

    @property
    def text(self) -> str:
        return payee_text("employer", self.period, back_payment=self.sequence > 1)

    def row(self) -> dict[str, str | int]:
        return {"case_id": self.case_id, "payee": "employer", "cvr": self.cvr, "sequence": self.sequence,
                "gross": amount_str(self.amount), "a_skat": "0.00", "net": amount_str(self.amount)}


def employer_payouts(session: Session, month: Month, on: dt.date) -> list[EmployerPayout]:
    """The old scheme's transfers for period ``month`` (see the module), by case and sequence."""
    from .scheme_models import OldSchemeSettlement as S

    query = (select(S.case_id, S.employer_id, S.sequence, raw_ore(S.difference))
             .where(S.period == month).order_by(S.case_id, S.sequence))
    return [EmployerPayout(case_id, cvr, month, sequence, on, Decimal(int(ore)) * ORE)
            for case_id, cvr, sequence, ore in session.execute(query) if int(ore) > 0]
