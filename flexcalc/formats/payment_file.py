"""The payment file of a month's payouts to NemKonto: flexcalc's own documented format ``flexcalc-udbetaling``
version 1 (NemKonto's own layout is not public, digst.dk/it-loesninger/nemkonto; README, "Payment file").

UTF-8 text, one record a line, fields separated by ``;``, amounts in kroner with a point and two decimals:

    H;flexcalc-udbetaling;1;<benefit month YYYY-MM>;<payment date YYYY-MM-DD>;<sender CVR or empty>
    D;<case id>;<CPR number>;<payment date>;<gross>;<A-skat>;<net>;<text>
    V;<case id>;<CVR number>;<payment date>;<gross>;0.00;<net>;<text>
    T;<number of D and V records>;<gross total>;<A-skat total>;<net total>

One ``D`` record per person paid (a person's NemKonto is found by the CPR number), then one ``D`` record per
back payment (efterbetaling) paid in the run (text "Efterbetaling fleksløntilskud <the month it concerns>"),
then one ``V`` record per transfer to an employer (the old scheme, NemKonto found by the CVR number; no
A-skat). The record letters are the payee kinds' (``flexcalc.ledger.payees.PAYEE_KINDS``); ``net`` is what
is transferred. The month's ``D`` records reconcile with the payment run (gross = the run's payout total).
The file holds CPR numbers: it is written to the file named and never printed or logged. Transport to
NemKonto is outside flexcalc.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from flexcalc.errors import InputError
from flexcalc.ledger.payees import PAYEE_KINDS, payee_text
from flexcalc.ledger.payouts import MonthPayouts, benefit_text
from flexcalc.money import ZERO

FORMAT = "flexcalc-udbetaling"
VERSION = "1"


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def payment_records(payouts: MonthPayouts, sender_cvr: str | None = None) -> Iterator[str]:
    """The file's lines (without line ends)."""
    text = benefit_text(payouts.month)
    yield ";".join(("H", FORMAT, VERSION, str(payouts.month), payouts.payment_date.isoformat(), sender_cvr or ""))
    gross = a_skat = net = ZERO
    person = PAYEE_KINDS["person"].record
    for line in [*payouts.lines, *payouts.back_lines]:
        if not line.cpr:
            raise InputError("cpr", f"case {line.case_id} has no CPR number: NemKonto cannot be found",
                             f"sag {line.case_id} har intet CPR-nummer: NemKonto kan ikke findes", code="payee_no_cpr")
        gross, a_skat, net = gross + line.gross, a_skat + line.a_skat, net + line.net
        shown = payee_text("person", line.benefit_month, back_payment=True) if line.back_payment else text
        yield ";".join((person, line.case_id, line.cpr, line.payment_date.isoformat(), _amount(line.gross),
                        _amount(line.a_skat), _amount(line.net), shown))
    employer = PAYEE_KINDS["employer"].record
    for e in payouts.employer_lines:
        gross, net = gross + e.amount, net + e.amount
        yield ";".join((employer, e.case_id, e.cvr, e.payment_date.isoformat(), _amount(e.amount), _amount(ZERO),
                        _amount(e.amount), e.text))
    count = len(payouts.lines) + len(payouts.back_lines) + len(payouts.employer_lines)
    yield ";".join(("T", str(count), _amount(gross), _amount(a_skat), _amount(net)))


def write_payment_file(payouts: MonthPayouts, handle: IO[str], sender_cvr: str | None = None) -> int:
    """Write the file to ``handle``; returns the number of payees. A payee without a CPR number refuses the
    whole file before anything is written."""
    missing = [x.case_id for x in [*payouts.lines, *payouts.back_lines] if not x.cpr]
    if missing:
        raise InputError("cpr", f"{len(missing)} case(s) have no CPR number: {', '.join(missing[:10])}",
                         f"{len(missing)} sag(er) har intet CPR-nummer: {', '.join(missing[:10])}",
                         code="payee_no_cpr")
    handle.writelines(f"{line}\n" for line in payment_records(payouts, sender_cvr))
    return len(payouts.lines) + len(payouts.back_lines) + len(payouts.employer_lines)
