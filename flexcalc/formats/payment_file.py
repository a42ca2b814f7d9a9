"""The payment file of a month's payouts to NemKonto: flexcalc's own documented format ``flexcalc-udbetaling``
version 1 (NemKonto's own layout is not public, digst.dk/it-loesninger/nemkonto; README, "Payment file").

UTF-8 text, one record a line, fields separated by ``;``, amounts in kroner with a point and two decimals:

    H;flexcalc-udbetaling;1;<benefit month YYYY-MM>;<payment date YYYY-MM-DD>;<sender CVR or empty>
    D;<case id>;<CPR number>;<payment date>;<gross>;<A-skat>;<net>;<text>
    T;<number of D records>;<gross total>;<A-skat total>;<net total>

One ``D`` record per payee (a person's NemKonto is found by the CPR number); ``net`` is what is transferred.
The totals reconcile with the payment run (gross = the run's payout total). The file holds CPR numbers: it
is written to the file named and never printed or logged. Transport to NemKonto is outside flexcalc.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from flexcalc.errors import InputError
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
    for line in payouts.lines:
        if not line.cpr:
            raise InputError("cpr", f"case {line.case_id} has no CPR number: NemKonto cannot be found",
                             f"sag {line.case_id} har intet CPR-nummer: NemKonto kan ikke findes", code="payee_no_cpr")
        gross, a_skat, net = gross + line.gross, a_skat + line.a_skat, net + line.net
        yield ";".join(("D", line.case_id, line.cpr, line.payment_date.isoformat(), _amount(line.gross),
                        _amount(line.a_skat), _amount(line.net), text))
    yield ";".join(("T", str(len(payouts.lines)), _amount(gross), _amount(a_skat), _amount(net)))


def write_payment_file(payouts: MonthPayouts, handle: IO[str], sender_cvr: str | None = None) -> int:
    """Write the file to ``handle``; returns the number of payees. A payee without a CPR number refuses the
    whole file before anything is written."""
    missing = [x.case_id for x in payouts.lines if not x.cpr]
    if missing:
        raise InputError("cpr", f"{len(missing)} case(s) have no CPR number: {', '.join(missing[:10])}",
                         f"{len(missing)} sag(er) har intet CPR-nummer: {', '.join(missing[:10])}",
                         code="payee_no_cpr")
    handle.writelines(f"{line}\n" for line in payment_records(payouts, sender_cvr))
    return len(payouts.lines)
