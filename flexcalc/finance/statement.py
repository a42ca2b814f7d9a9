"""Reconciliation against the state's refund statement (Ydelsesrefusion).

The state computes the refund monthly from the income register; the municipality receives the refund
lines per person and period (https://info.skat.dk/data.aspx?oid=2236644 describes the refund account and
period fields of the payment reports). flexcalc reads them in the CSV layout documented in
docs/finance.md and fixtures/finance/README.md:

    person,period_start,period_end,benefit,amount,refund

``person`` is the case id or the CPR number: a CPR number is matched to the case whose stored CPR it is at
the door (``match_cpr_at_the_door``) and carried on as that case id; one no case has is counted
(``unmatched_cpr``), never echoed. ``benefit`` is ``fleksloentilskud`` (other benefits are skipped and
counted), ``amount`` the expense the refund is computed on and ``refund`` the state's refund, both in kroner.

Every difference from flexcalc's own computation is listed with its likely cause; a line that matches no
payment is a difference (``missing_payment``), never an error. Causes:
- ``wrong_step``: same amount, and the statement's refund is the amount at another step's rate;
- ``refund_differs``: same amount, a refund no single step explains (a split month, or a profile error);
- ``amount_differs``: the expense differs (a correction not yet reported, or booked in another period);
- ``wrong_period``: the statement's period is not the report's month, or the amount matches a payment of
  the same person in another month;
- ``missing_payment``: no payment of that person and month;
- ``missing_in_statement``: a payment the statement does not refund.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from flexcalc.errors import InputError
from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.parsing.inputs import parse_amount, parse_date
from flexcalc.period import Month

from . import rates
from .ladder import STEPS
from .report import FinanceReport

COLUMNS = ("person", "period_start", "period_end", "benefit", "amount", "refund")
BENEFIT = "fleksloentilskud"

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
        raise InputError(f"{where}.person", "is required", "skal udfyldes")
    start = parse_date(row.get("period_start"), f"{where}.period_start")
    end = parse_date(row.get("period_end"), f"{where}.period_end")
    if end < start:
        raise InputError(f"{where}.period_end", "must not be before period_start", "må ikke ligge før period_start")
    benefit = str(row.get("benefit") or "").strip().lower()
    amount = parse_amount(row.get("amount"), f"{where}.amount", allow_negative=True)
    refund = parse_amount(row.get("refund"), f"{where}.refund", allow_negative=True)
    return StatementLine(index, person, start, end, benefit, amount, refund)


def read_statement_text(text: str) -> list[StatementLine]:
    from flexcalc.csv_text import read_csv_rows

    names, rows = read_csv_rows(text, "statement")
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError("statement", f"missing columns: {', '.join(missing)}",
                         f"mangler kolonner: {', '.join(missing)}")
    return [parse_line(row, index) for index, row in enumerate(rows, start=2)]


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
    unmatched_cpr: int = 0
    """Lines keyed by a CPR number that no stored case has: counted, never echoed."""

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "matched": self.matched,
                "skipped_other_benefits": self.skipped_other_benefits, "unmatched_cpr": self.unmatched_cpr,
                "differences": [d.to_dict() for d in self.differences]}


def _step_explaining(month: Month, amount: Decimal, refund: Decimal) -> int | None:
    for step in STEPS:
        if round_ore(amount * rates.value(step.parameter, month.first_day())) == refund:
            return step.number
    return None


def reconcile_statement(report: FinanceReport, lines: list[StatementLine]) -> Reconciliation:
    """Every difference between the statement's lines and the report's payments (see the module text)."""
    result = Reconciliation(report.month)
    ours = {line.case_id: line for line in report.lines}
    seen: set[str] = set()
    for line in lines:
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
            if theirs_step is not None and theirs_step not in our_steps:
                detail = f"the statement refunds at step {theirs_step}; flexcalc at step(s) {our_steps}"
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


_CPR_LINE = re.compile(r"^\s*([0-9]{6})[- ]?([0-9]{4})\s*$")


def match_cpr_at_the_door(lines: list[StatementLine], cpr_to_case: Callable[[list[str]], dict[str, str]],
                          ) -> tuple[list[StatementLine], int]:
    """The state's statement is keyed by CPR number: each line whose ``person`` is a CPR number is carried
    on under the case id whose stored CPR it is (``cpr_to_case``: ten digits → case id); a CPR number no
    case has is dropped and counted, never echoed. Any other CPR-shaped text in ``person`` is redacted."""
    from flexcalc.security.redact import redact

    wanted = sorted({m.group(1) + m.group(2) for line in lines if (m := _CPR_LINE.match(line.person))})
    known = cpr_to_case(wanted) if wanted else {}
    out: list[StatementLine] = []
    unmatched = 0
    for line in lines:
        found = _CPR_LINE.match(line.person)
        if found is None:
            out.append(replace(line, person=redact(line.person)))
            continue
        case_id = known.get(found.group(1) + found.group(2))
        if case_id is None:
            unmatched += 1
            continue
        out.append(replace(line, person=case_id))
    return out, unmatched


def cases_by_cpr(factory: Callable[[], Any]) -> Callable[[list[str]], dict[str, str]]:
    """``cpr_to_case`` for ``match_cpr_at_the_door`` from the ledger's stored CPR numbers."""

    def lookup(cprs: list[str]) -> dict[str, str]:
        from sqlalchemy import select

        from flexcalc.ledger.models import Case

        with factory() as session:
            return {cpr: case_id for case_id, cpr in session.execute(
                select(Case.id, Case.cpr).where(Case.cpr.in_(cprs)))}

    return lookup
