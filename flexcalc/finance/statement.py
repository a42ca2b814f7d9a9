"""Reconciliation against the state's refund statement (Ydelsesrefusion).

The state computes the refund monthly from the income register; the municipality receives the refund
lines per person and period (https://info.skat.dk/data.aspx?oid=2236644 describes the refund account and
period fields of the payment reports). flexcalc reads them as CSV (comma or semicolon, UTF-8, amounts with
decimal point or comma), the columns documented in docs/finance.md:

    cpr,period_start,period_end,benefit,amount,refund      (Danish names accepted: see ``ALIASES``)

The statement is keyed by CPR number. Each CPR is matched at the door to the CPR stored on a case
(``flexcalc.ledger.refund_history.cases_by_cpr``) and only the case id goes on; a CPR number with no case
is counted and its refund summed (``unmatched_cpr``, ``unmatched_refund``), never echoed. A ``person`` or
``case_id`` column holding case ids is read as before (a CPR-shaped value there is matched like a CPR).
``benefit`` is ``fleksloentilskud`` (other benefits are skipped and counted), ``amount`` the expense the
refund is computed on and ``refund`` the state's refund, both in kroner.

The month's summary: ``statement_total`` (the state's refund of fleksløntilskud for the month: every line
of the month, matched or not, and the lines of earlier periods that settle a money line booked in the month),
``expected_total`` (flexcalc's refund of the month's payments and of the money lines booked in it) and
``difference`` (statement − expected).

A money line (an efterbetaling, a regulation, a set-off, a collection) is refunded at the step of the month it
concerns and settled in the statement of the month it is booked in (docs/decisions.md, "Finance: money lines and
their refund"): so the statement of the booking month may carry a line for the earlier period. Such a line is
compared with the case's money lines booked in the month that concern that period (their subsidy and refund
summed), not reported as a wrong period.

Every difference from flexcalc's own computation is listed with its likely cause; a line that matches no
payment is a difference (``missing_payment``), never an error. Causes:
- ``wrong_step``: same amount, and the statement's refund is the amount at another step's rate;
- ``refund_differs``: same amount, a refund no single step explains (a split month, or a profile error);
- ``amount_differs``: the expense differs (a correction not yet reported, or booked in another period);
- ``wrong_period``: the statement's period is not the report's month and no money line of the case booked in
  the month concerns it;
- ``missing_payment``: no payment of that person and month;
- ``missing_in_statement``: a payment, or a money line moving the refund, the statement does not refund.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.parsing.inputs import parse_amount, parse_date
from flexcalc.period import Month

from . import rates
from .ladder import STEPS
from .report import FinanceReport

COLUMNS = ("person", "period_start", "period_end", "benefit", "amount", "refund")
ALIASES = {
    "person": ("cpr", "cprnr", "cpr_nr", "person", "case_id"),
    "period_start": ("period_start", "periode_start", "periode_fra", "fra"),
    "period_end": ("period_end", "periode_slut", "periode_til", "til"),
    "benefit": ("benefit", "ydelse"),
    "amount": ("amount", "udgift", "beloeb", "beløb"),
    "refund": ("refund", "refusion"),
}
BENEFIT = "fleksloentilskud"
BENEFIT_NAMES = {"fleksloentilskud", "fleksløntilskud", "flekslontilskud"}

CAUSES_DA = {
    "wrong_step": "forkert trin på refusionstrappen",
    "refund_differs": "refusionen afviger (fx en måned delt mellem to trin)",
    "amount_differs": "udgiften afviger (fx en regulering, der endnu ikke er indberettet)",
    "wrong_period": "forkert periode",
    "missing_payment": "ingen udbetaling til personen i perioden",
    "missing_in_statement": "udbetalingen mangler i refusionsopgørelsen",
}


@dataclass(frozen=True, slots=True)
class StatementLine:
    row: int
    person: str
    period_start: dt.date
    period_end: dt.date
    benefit: str
    amount: Decimal
    refund: Decimal

    @property
    def month(self) -> Month:
        return Month.of(self.period_start)


def parse_line(row: Mapping[str, Any], index: int) -> StatementLine:
    where = f"row {index}"
    person = str(row.get("person") or "").strip()
    if not person:
        raise InputError(f"{where}.person", "is required (cpr or case id)", "skal udfyldes (cpr eller sagsnummer)")
    start = parse_date(row.get("period_start"), f"{where}.period_start")
    end = parse_date(row.get("period_end"), f"{where}.period_end")
    if end < start:
        raise InputError(f"{where}.period_end", "must not be before period_start", "må ikke ligge før period_start")
    benefit = str(row.get("benefit") or "").strip().lower()
    benefit = BENEFIT if benefit in BENEFIT_NAMES else benefit
    amount = parse_amount(row.get("amount"), f"{where}.amount", allow_negative=True)
    refund = parse_amount(row.get("refund"), f"{where}.refund", allow_negative=True)
    return StatementLine(index, person, start, end, benefit, amount, refund)


def read_statement_text(text: str) -> list[StatementLine]:
    """The statement's lines, keyed as in the file (CPR numbers still in ``person``: match them with
    ``match_statement`` before anything else sees them)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [c.strip().lower() for c in (reader.fieldnames or [])]
    except csv.Error as error:
        from flexcalc.csv_text import unreadable

        raise unreadable("statement", reader.line_num, error) from None
    names: dict[str, str] = {}
    for column, aliases in ALIASES.items():
        found = next((a for a in aliases if a in header), None)
        if found is not None:
            names[column] = found
    missing = [c if c != "person" else "cpr" for c in COLUMNS if c not in names]
    if missing:
        raise InputError("statement", f"missing columns: {', '.join(missing)}",
                         f"mangler kolonner: {', '.join(missing)}", code="column_missing")
    reader.fieldnames = header
    try:
        return [parse_line({c: row.get(names[c]) for c in COLUMNS}, index)
                for index, row in enumerate(reader, start=2)]
    except csv.Error as error:
        from flexcalc.csv_text import unreadable

        raise unreadable("statement", reader.line_num, error) from None


@dataclass(slots=True)
class Matched:
    """A statement with its CPR numbers replaced by case ids at the door."""

    lines: list[StatementLine]
    unmatched_cpr: int = 0
    unmatched_lines: list[StatementLine] = field(default_factory=list)


def match_statement(session: Session, lines: list[StatementLine]) -> Matched:
    """Replace each line's CPR number by its case's id (``cases_by_cpr``); a line whose CPR number no case
    has is kept aside without the number (counted, its amounts summed) and never shown."""
    from flexcalc.ledger.refund_history import cases_by_cpr
    from flexcalc.parsing.identifiers import looks_like_cpr
    from flexcalc.security.redact import redact

    def digits(text: str) -> str:
        return text.replace("-", "").replace(" ", "")

    def is_cpr(text: str) -> bool:  # 0101901234, 010190-1234 or 010190 1234
        return looks_like_cpr(text) and len(digits(text)) == 10 and digits(text).isascii() and digits(text).isdigit()

    found = cases_by_cpr(session, [line.person for line in lines if is_cpr(line.person)])
    out = Matched([])
    unknown: set[str] = set()
    for line in lines:
        if not is_cpr(line.person):  # a case id; any CPR-shaped text in it is redacted, never echoed
            out.lines.append(replace(line, person=redact(line.person)))
            continue
        case_id = found.get(digits(line.person))
        if case_id is None:
            unknown.add(digits(line.person))
            out.unmatched_lines.append(replace(line, person=""))
        else:
            out.lines.append(replace(line, person=case_id))
    out.unmatched_cpr = len(unknown)
    return out


def read_statement(path: str | Path) -> list[StatementLine]:
    return read_statement_text(Path(path).read_text(encoding="utf-8"))


@dataclass(slots=True)
class Difference:
    person: str
    period: str
    cause: str
    ours_amount: Decimal | None
    theirs_amount: Decimal | None
    ours_refund: Decimal | None
    theirs_refund: Decimal | None
    detail: str = ""
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        def s(v: Decimal | None) -> str | None:
            return None if v is None else amount_str(v)
        diff = (self.theirs_refund or ZERO) - (self.ours_refund or ZERO)
        return {"person": self.person, "period": self.period, "row": self.row, "cause": self.cause,
                "cause_da": CAUSES_DA[self.cause], "detail": self.detail, "ours_amount": s(self.ours_amount),
                "statement_amount": s(self.theirs_amount), "ours_refund": s(self.ours_refund),
                "statement_refund": s(self.theirs_refund), "refund_difference": amount_str(diff)}


@dataclass(slots=True)
class Reconciliation:
    month: Month
    matched: int = 0
    skipped_other_benefits: int = 0
    differences: list[Difference] = field(default_factory=list)
    statement_total: Decimal = ZERO
    expected_total: Decimal = ZERO
    unmatched_cpr: int = 0
    unmatched_refund: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.statement_total - self.expected_total

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "statement_total": amount_str(self.statement_total),
                "expected_total": amount_str(self.expected_total), "difference": amount_str(self.difference),
                "matched": self.matched, "skipped_other_benefits": self.skipped_other_benefits,
                "unmatched_cpr": self.unmatched_cpr, "unmatched_refund": amount_str(self.unmatched_refund),
                "differences": [d.to_dict() for d in self.differences]}


def _step_explaining(month: Month, amount: Decimal, refund: Decimal) -> int | None:
    for step in STEPS:
        if round_ore(amount * rates.value(step.parameter, month.first_day())) == refund:
            return step.number
    return None


def _booked_lines(report: FinanceReport) -> dict[tuple[str, Month], tuple[Decimal, Decimal]]:
    """The money lines booked in the report's month that move the refund, per case and the month they concern:
    (subsidy, refund), summed."""
    out: dict[tuple[str, Month], tuple[Decimal, Decimal]] = {}
    for m in report.money_lines:
        if m.refund != 0:
            subsidy, refund = out.get((m.case_id, m.concerns_month), (ZERO, ZERO))
            out[(m.case_id, m.concerns_month)] = (subsidy + m.subsidy, refund + m.refund)
    return out


def _period(month: Month) -> str:
    return f"{month.first_day().isoformat()}..{month.last_day().isoformat()}"


def _settle_booked_lines(result: Reconciliation, report: FinanceReport, lines: list[StatementLine]) -> set[int]:
    """Compare the statement's lines of earlier periods with the money lines booked in the month that concern
    them; add their refund to ``statement_total`` and list each money line the statement leaves out. Returns the
    rows settled so."""
    booked = _booked_lines(report)
    result.expected_total += sum((refund for _, refund in booked.values()), ZERO)
    settled: set[int] = set()
    seen: set[tuple[str, Month]] = set()
    for line in lines:
        key = (line.person, line.month)
        if line.benefit != BENEFIT or line.month == report.month or key not in booked:
            continue
        settled.add(line.row)
        seen.add(key)
        result.statement_total += line.refund
        subsidy, refund = booked[key]
        detail = f"a money line of {line.month} booked in {report.month}"
        if line.amount != subsidy:
            result.differences.append(Difference(line.person, _period(line.month), "amount_differs", subsidy,
                                                 line.amount, refund, line.refund, detail, line.row))
        elif line.refund != refund:
            result.differences.append(Difference(line.person, _period(line.month), "refund_differs", subsidy,
                                                 line.amount, refund, line.refund, detail, line.row))
        else:
            result.matched += 1
    for (case_id, month), (subsidy, refund) in booked.items():
        if (case_id, month) not in seen:
            result.differences.append(Difference(case_id, _period(month), "missing_in_statement", subsidy, None,
                                                 refund, None, f"a money line of {month} booked in {report.month} "
                                                 "with no refund line"))
    return settled


def reconcile_statement(report: FinanceReport, lines: list[StatementLine] | Matched) -> Reconciliation:
    """The month's totals and every difference between the statement's lines and the report's payments
    (see the module text). Give a ``Matched`` statement when it was keyed by CPR."""
    matched = lines if isinstance(lines, Matched) else Matched(lines)
    lines = matched.lines
    result = Reconciliation(report.month, expected_total=report.totals()["refund"],
                            unmatched_cpr=matched.unmatched_cpr)
    for line in matched.unmatched_lines:
        if line.benefit == BENEFIT and line.month == report.month:
            result.unmatched_refund += line.refund
            result.statement_total += line.refund
    for line in lines:
        if line.benefit == BENEFIT and line.month == report.month:
            result.statement_total += line.refund
    ours = {line.case_id: line for line in report.lines}
    seen: set[str] = set()
    settled = _settle_booked_lines(result, report, lines)
    for line in lines:
        if line.row in settled:
            continue
        if line.benefit != BENEFIT:
            result.skipped_other_benefits += 1
            continue
        period = f"{line.period_start.isoformat()}..{line.period_end.isoformat()}"
        mine = ours.get(line.person)
        if line.month != report.month:
            result.differences.append(Difference(line.person, period, "wrong_period", None, line.amount, None,
                                                 line.refund, f"the line is for {line.month}, the report for "
                                                 f"{report.month}", line.row))
            continue
        if mine is None:
            result.differences.append(Difference(line.person, period, "missing_payment", None, line.amount, None,
                                                 line.refund, "no payment of this person in the month", line.row))
            continue
        seen.add(line.person)
        amount, refund = mine.amounts["subsidy"], mine.amounts["refund"]
        if line.amount != amount:
            result.differences.append(Difference(line.person, period, "amount_differs", amount, line.amount, refund,
                                                 line.refund, "", line.row))
        elif line.refund != refund:
            theirs_step = _step_explaining(report.month, line.amount, line.refund)
            our_steps = [p.step.number for p in mine.refund.parts] if mine.refund else []
            if theirs_step is not None and our_steps != [theirs_step]:
                detail = f"the statement refunds every day at step {theirs_step}; flexcalc at step(s) {our_steps}"
                result.differences.append(Difference(line.person, period, "wrong_step", amount, line.amount, refund,
                                                     line.refund, detail, line.row))
            else:
                result.differences.append(Difference(line.person, period, "refund_differs", amount, line.amount,
                                                     refund, line.refund, f"flexcalc step(s) {our_steps}", line.row))
        else:
            result.matched += 1
    for case_id, mine in ours.items():
        if case_id not in seen and mine.amounts["subsidy"] != 0:
            m = report.month
            result.differences.append(Difference(case_id, f"{m.first_day().isoformat()}..{m.last_day().isoformat()}",
                                                 "missing_in_statement", mine.amounts["subsidy"], None,
                                                 mine.amounts["refund"], None, "a payment with no refund line"))
    return result
