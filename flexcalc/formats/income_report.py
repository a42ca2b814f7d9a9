"""The income report (indberetning til eIndkomst, Serviceplatformen SF0770_B) of each payout: the subsidy as
A-income without AM-bidrag, the A-skat withheld, the own ATP share and the fields Ydelsesrefusion reads for the
state refund (the YR account, field 0115, and the benefit period). The codes and field numbers are data
(``eindkomst_report.yaml``: each with its source and status).

No schema of the reporting side was found in the stored material (SKAT publishes a record layout — records
5000, 6000, 6001, 6004 with four-digit field numbers — and an Excel/CSV reporting format, but no XSD): this is
flexcalc's own record file ``flexcalc-eindkomst-indberetning`` version 1, built from that published
description, one record a line, fields separated by ``;``:

    1000;flexcalc-eindkomst-indberetning;1;<created YYYYMMDD>;<number of payments>
    5000;<reporter CVR/SE>;<period start YYYYMMDD>;<period end YYYYMMDD>;<disposition date YYYYMMDD>;<income type>
    6000;<CPR number>;<case id (medarbejdernummer, at most 15 characters, else empty)>
    6001;<field>;<amount>          (0014 A-income, 0015 A-skat, 0046 own ATP; kroner with a point, two decimals)
    6004;0115;<YR account>
    6002;0215;<period start YYYYMMDD>;<period end YYYYMMDD>
    9999;<number of 6000 records>;<sum of 0014>;<sum of 0015>;<sum of 0046>

A back payment (efterbetaling) paid in the month's run is reported in the month it is paid (its disposition
date is the payment date), as its own 6000 group whose period (0215) is the month it concerns; no R-mark:
that mark is for correcting an earlier period's report, and nothing reported earlier is changed. The old
scheme's transfers to employers are not the person's income and are not in this report.

``check_income_report`` validates a file against this layout (record order, field numbers, CPR numbers,
amounts, totals). Transport (SF0770_B), the certificate and SKAT's receipt are outside flexcalc.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

import yaml

from flexcalc.errors import InputError
from flexcalc.ledger.payouts import MonthPayouts
from flexcalc.money import ZERO
from flexcalc.period import Month

DATA = Path(__file__).with_name("eindkomst_report.yaml")
_AMOUNT = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
_DATE = re.compile(r"^[0-9]{8}$")
_CPR = re.compile(r"^[0-9]{10}$")
_CVR = re.compile(r"^[0-9]{8}$")


@cache
def report_codes() -> dict[str, Any]:
    """The codes and field numbers (``eindkomst_report.yaml``)."""
    with DATA.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _d(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def income_records(payouts: MonthPayouts, reporter_cvr: str, created: dt.date) -> Iterator[str]:
    """The report's lines for every payout of the month (without line ends)."""
    codes = report_codes()
    fields = codes["fields"]
    f_income, f_skat, f_atp = fields["a_income"]["field"], fields["a_skat"]["field"], fields["own_atp"]["field"]
    f_account, f_period = fields["refund_account"]["field"], fields["benefit_period"]["field"]
    account = codes["refund_account"]["value"]
    start, end = _d(payouts.month.first_day()), _d(payouts.month.last_day())
    reported = [*payouts.lines, *payouts.back_lines]
    yield f"1000;{codes['format']};{codes['version']};{_d(created)};{len(reported)}"
    yield f"5000;{reporter_cvr};{start};{end};{_d(payouts.payment_date)};{codes['income_type']['value']}"
    income = skat = atp = ZERO
    periods: dict[Month, str] = {}
    for line in reported:
        if not line.cpr:
            raise InputError("cpr", f"case {line.case_id} has no CPR number: it cannot be reported",
                             f"sag {line.case_id} har intet CPR-nummer: den kan ikke indberettes", code="report_no_cpr")
        income, skat, atp = income + line.gross, skat + line.a_skat, atp + line.atp_own
        yield f"6000;{line.cpr};{line.case_id if len(line.case_id) <= 15 else ''}"
        yield f"6001;{f_income};{_amount(line.gross)}"
        yield f"6001;{f_skat};{_amount(line.a_skat)}"
        yield f"6001;{f_atp};{_amount(line.atp_own)}"
        yield f"6004;{f_account};{account}"
        concerns = periods.get(line.benefit_month)
        if concerns is None:  # formatted once per month: a national month has one, plus the back payments'
            concerns = periods[line.benefit_month] = f"{_d(line.benefit_month.first_day())};" \
                                                     f"{_d(line.benefit_month.last_day())}"
        yield f"6002;{f_period};{concerns}"
    yield f"9999;{len(reported)};{_amount(income)};{_amount(skat)};{_amount(atp)}"


def write_income_report(payouts: MonthPayouts, handle: IO[str], reporter_cvr: str, created: dt.date) -> int:
    """Write the report; a reporter that is not a CVR number, or a payee without CPR, writes nothing."""
    if not _CVR.match(reporter_cvr or ""):
        raise InputError("reporter_cvr", "must be the municipality's CVR/SE number (8 digits)",
                         "skal være kommunens CVR/SE-nummer (8 cifre)", code="reporter_cvr")
    missing = [x.case_id for x in [*payouts.lines, *payouts.back_lines] if not x.cpr]
    if missing:
        raise InputError("cpr", f"{len(missing)} case(s) have no CPR number: {', '.join(missing[:10])}",
                         f"{len(missing)} sag(er) har intet CPR-nummer: {', '.join(missing[:10])}",
                         code="report_no_cpr")
    handle.writelines(f"{line}\n" for line in income_records(payouts, reporter_cvr, created))
    return len(payouts.lines) + len(payouts.back_lines)


@dataclass(frozen=True, slots=True)
class ReportedPayment:
    """One person's reported fields, read back from a report."""

    cpr: str
    case_id: str
    fields: dict[str, Decimal]
    account: str
    period: tuple[str, str]


class ReportError(ValueError):
    """A report that does not follow the layout: the line number and what is wrong."""


def _fail(number: int, what: str) -> ReportError:
    return ReportError(f"line {number}: {what}")


def _check_head(lines: list[str]) -> None:
    head = lines[0].split(";")
    if len(head) != 5 or head[0] != "1000" or head[1] != report_codes()["format"] or not _DATE.match(head[3]):
        raise _fail(1, "record 1000 (format, version, created date, count) expected")
    rep = lines[1].split(";") if len(lines) > 1 else []
    if len(rep) != 6 or rep[0] != "5000" or not _CVR.match(rep[1]) or not all(_DATE.match(x) for x in rep[2:5]):
        raise _fail(2, "record 5000 (reporter CVR, period start and end, disposition date, income type) expected")
    if rep[5] != report_codes()["income_type"]["value"]:
        raise _fail(2, f"income type {rep[5]!r} is not the subsidy's")


def _person(lines: list[str], at: int) -> ReportedPayment:
    codes = report_codes()["fields"]
    wanted = [codes[k]["field"] for k in ("a_income", "a_skat", "own_atp")]
    person = lines[at].split(";")
    if len(person) != 3 or person[0] != "6000" or not _CPR.match(person[1]):
        raise _fail(at + 1, "record 6000 with a 10-digit CPR number expected")
    values: dict[str, Decimal] = {}
    for offset, field in enumerate(wanted, start=1):
        parts = lines[at + offset].split(";") if at + offset < len(lines) else []
        if len(parts) != 3 or parts[0] != "6001" or parts[1] != field or not _AMOUNT.match(parts[2]):
            raise _fail(at + offset + 1, f"record 6001 field {field} with an amount expected")
        values[field] = Decimal(parts[2])
    account = lines[at + 4].split(";") if at + 4 < len(lines) else []
    if len(account) != 3 or account[0] != "6004" or account[1] != codes["refund_account"]["field"] or \
            not account[2].startswith("urn:oio:"):
        raise _fail(at + 5, "record 6004 field 0115 with a urn:oio: account expected")
    period = lines[at + 5].split(";") if at + 5 < len(lines) else []
    if len(period) != 4 or period[0] != "6002" or period[1] != codes["benefit_period"]["field"] or \
            not (_DATE.match(period[2]) and _DATE.match(period[3])):
        raise _fail(at + 6, "record 6002 field 0215 with the period's dates expected")
    return ReportedPayment(person[1], person[2], values, account[2], (period[2], period[3]))


def check_income_report(text: str | Iterable[str]) -> list[ReportedPayment]:
    """Validate a report against the layout and return what it reports (``ReportError`` naming the line)."""
    lines = [x.rstrip("\n") for x in (text.splitlines() if isinstance(text, str) else text)]
    if len(lines) < 3:
        raise _fail(len(lines), "a report has at least records 1000, 5000 and 9999")
    _check_head(lines)
    people, at = [], 2
    while at < len(lines) - 1:
        people.append(_person(lines, at))
        at += 6
    tail = lines[-1].split(";")
    if at != len(lines) - 1 or len(tail) != 5 or tail[0] != "9999":
        raise _fail(len(lines), "record 9999 (count and totals) expected last")
    codes = report_codes()["fields"]
    sums = [sum((p.fields[codes[k]["field"]] for p in people), ZERO) for k in ("a_income", "a_skat", "own_atp")]
    if tail[1] != str(len(people)) or lines[0].split(";")[4] != str(len(people)):
        raise _fail(len(lines), f"count {tail[1]} is not the {len(people)} persons reported")
    if [Decimal(x) for x in tail[2:]] != sums:
        raise _fail(len(lines), "totals differ from the sum of the persons' fields")
    return people
