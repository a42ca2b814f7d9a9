"""The payment file of a month's payouts to NemKonto: flexcalc's own documented format ``flexcalc-udbetaling``
version 2 (NemKonto's own layout is not public, digst.dk/it-loesninger/nemkonto; README, "Payment file").

UTF-8 text, one record a line, fields separated by ``;``, amounts in kroner with a point and two decimals:

    H;flexcalc-udbetaling;2;<benefit month YYYY-MM>;<payment date YYYY-MM-DD>;<sender CVR or empty>
    D;<case id>;<CPR number>;<payment date>;<gross>;<A-skat>;<net>;<text>
    F;<case id>;<CPR number>;<payment date>;<-amount>;0.00;<-amount>;<text>;<kind>;<concerns month>;<cause>;<ref>
    V;<case id>;<CVR number>;<payment date>;<gross>;0.00;<net>;<text>
    T;<number of D, F and V records>;<gross total>;<A-skat total>;<net total>

One ``D`` record per person paid (a person's NemKonto is found by the CPR number), each followed by an ``F``
record per regulation or set-off the run netted for that case (a deduction: its amount negative in the
gross and net columns; ``kind`` ``regulering`` or ``modregning``, the month it concerns, the correction's
reason codes or ``claim``, and ``correction:<id>`` or ``claim:<id>``); then one ``D`` record per back payment
(efterbetaling) paid in the run (text "Efterbetaling fleksløntilskud <the month it concerns>"), then one ``V``
record per transfer to an employer (the old scheme, NemKonto found by the CVR number; no A-skat). The record
letters of payees are the payee kinds' (``flexcalc.ledger.payees.PAYEE_KINDS``). What is transferred to a
payee is the sum of the net column of its records (``D`` and ``F``; ``V``), and ``T`` sums each column over
every record, so its net total is the file's transfer. A deduction is taken from the transfer after A-skat:
the ``D`` record still shows the month's payout, its A-skat and its net, and the month's ``D`` records
reconcile with the payment run (gross = the run's payout total). A deduction larger than the case's net
refuses the file (naming the case). Version 2 because a ``D`` record's net is no longer always the amount
transferred (version 1 had no ``F`` records and did not deduct what the run netted). The file holds CPR
numbers: it is written to the file named and never printed or logged. Transport to NemKonto is outside
flexcalc.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from flexcalc.errors import InputError
from flexcalc.ledger.payees import PAYEE_KINDS, payee_text
from flexcalc.ledger.payouts import DEDUCTION_KINDS, MONTHS_DA, DeductionLine, MonthPayouts, benefit_text
from flexcalc.money import ZERO

FORMAT = "flexcalc-udbetaling"
VERSION = "2"
DEDUCTION_RECORD = "F"


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _deduction_text(line: DeductionLine) -> str:
    word = DEDUCTION_KINDS[line.kind]
    return f"{word[0].upper()}{word[1:]} fleksløntilskud {MONTHS_DA[line.concerns_month.month - 1]} " \
        f"{line.concerns_month.year}"


def _deduction_record(line: DeductionLine) -> str:
    minus = _amount(-line.amount)
    return ";".join((DEDUCTION_RECORD, line.case_id, line.cpr or "", line.payment_date.isoformat(), minus,
                     _amount(ZERO), minus, _deduction_text(line), DEDUCTION_KINDS[line.kind],
                     str(line.concerns_month), line.cause, line.reference))


def _check_transfers(payouts: MonthPayouts) -> None:
    """Every deduction has a payout to be taken from, and no payee's transfer goes below zero."""
    net: dict[str, Decimal] = {}
    for line in [*payouts.lines, *payouts.back_lines]:
        net[line.case_id] = net.get(line.case_id, ZERO) + line.net
    short: list[str] = []
    for d in payouts.deductions:
        left = net.get(d.case_id)
        if left is None or left - d.amount < 0:
            short.append(d.case_id)
        else:
            net[d.case_id] = left - d.amount
    if short:
        shown = ", ".join(sorted(set(short))[:10])
        raise InputError("deductions", f"the regulation or set-off of case(s) {shown} is more than the net payout "
                         "after A-skat", f"reguleringen eller modregningen for sag(er) {shown} er større end "
                         "udbetalingen efter A-skat", code="deduction_exceeds_net")


def payment_records(payouts: MonthPayouts, sender_cvr: str | None = None) -> Iterator[str]:
    """The file's lines (without line ends)."""
    text = benefit_text(payouts.month)
    yield ";".join(("H", FORMAT, VERSION, str(payouts.month), payouts.payment_date.isoformat(), sender_cvr or ""))
    gross = a_skat = net = ZERO
    count = 0
    person = PAYEE_KINDS["person"].record
    deductions: dict[str, list[DeductionLine]] = {}
    for d in payouts.deductions:
        deductions.setdefault(d.case_id, []).append(d)
    for line in [*payouts.lines, *payouts.back_lines]:
        if not line.cpr:
            raise InputError("cpr", f"case {line.case_id} has no CPR number: NemKonto cannot be found",
                             f"sag {line.case_id} har intet CPR-nummer: NemKonto kan ikke findes", code="payee_no_cpr")
        gross, a_skat, net = gross + line.gross, a_skat + line.a_skat, net + line.net
        shown = payee_text("person", line.benefit_month, back_payment=True) if line.back_payment else text
        count += 1
        yield ";".join((person, line.case_id, line.cpr, line.payment_date.isoformat(), _amount(line.gross),
                        _amount(line.a_skat), _amount(line.net), shown))
        for d in deductions.pop(line.case_id, []):  # after the case's first D record (its month's payout)
            gross, net = gross - d.amount, net - d.amount
            count += 1
            yield _deduction_record(d)
    if deductions:  # pragma: no cover - refused by _check_transfers before anything is written
        raise InputError("deductions", "a deduction without a payout", "et fradrag uden en udbetaling",
                         code="deduction_exceeds_net")
    employer = PAYEE_KINDS["employer"].record
    for e in payouts.employer_lines:
        gross, net = gross + e.amount, net + e.amount
        count += 1
        yield ";".join((employer, e.case_id, e.cvr, e.payment_date.isoformat(), _amount(e.amount), _amount(ZERO),
                        _amount(e.amount), e.text))
    yield ";".join(("T", str(count), _amount(gross), _amount(a_skat), _amount(net)))


def write_payment_file(payouts: MonthPayouts, handle: IO[str], sender_cvr: str | None = None) -> int:
    """Write the file to ``handle``; returns the number of payees. A payee without a CPR number refuses the
    whole file before anything is written."""
    missing = [x.case_id for x in [*payouts.lines, *payouts.back_lines] if not x.cpr]
    if missing:
        raise InputError("cpr", f"{len(missing)} case(s) have no CPR number: {', '.join(missing[:10])}",
                         f"{len(missing)} sag(er) har intet CPR-nummer: {', '.join(missing[:10])}",
                         code="payee_no_cpr")
    _check_transfers(payouts)
    handle.writelines(f"{line}\n" for line in payment_records(payouts, sender_cvr))
    return len(payouts.lines) + len(payouts.back_lines) + len(payouts.employer_lines)
