"""The finance report as CSV — the payment rows only (``report_csv``: a sum of a column is the total) and the
totals apart (``totals_csv``: the month's figures, and the year's when given) — and as an Excel workbook (openpyxl):
sheets for the totals, the accounts, the refund by step, the payments and the statement's differences.
Amounts are written as exact decimal text in CSV and as numbers with two decimals in Excel."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from flexcalc.errors import require
from flexcalc.money import amount_str

from .report import AMOUNTS, FinanceReport
from .statement import Reconciliation

CSV_COLUMNS = ("case_id", "benefit_month", "weeks_before", "steps", *AMOUNTS)


def _steps(line: Any) -> str:
    return " ".join(f"{p.step.number}:{p.days}d@{p.rate}" for p in line.refund.parts) if line.refund else ""


def report_csv(report: FinanceReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in report.lines:
        writer.writerow([line.case_id, str(line.month), "" if line.weeks_before is None else line.weeks_before,
                         _steps(line), *(amount_str(line.amounts[k]) for k in AMOUNTS)])
    return out.getvalue()


TOTALS_COLUMNS = ("period", "status", "payments", *AMOUNTS)


def totals_csv(report: FinanceReport, year: dict[str, Any] | None = None) -> str:
    """The totals, one row per period: the month, and with ``year`` (``report.year_figures``) each month of
    the year so far and the year; a month without payments or rates has its status and no amounts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TOTALS_COLUMNS)
    totals = report.totals()
    writer.writerow([str(report.month), "ok" if report.lines else "no_data", len(report.lines),
                     *(amount_str(totals[k]) if report.lines else "" for k in AMOUNTS)])
    if year is not None:
        for month in year["months"]:
            amounts = month["totals"] or {}
            writer.writerow([month["month"], month["status"], month["payments"],
                             *(amounts.get(k, "") for k in AMOUNTS)])
        writer.writerow([f"{year['year']} (through {year['through']})", "ok" if year["months_with_data"] else "no_data",
                         sum(m["payments"] for m in year["months"]), *(year["totals"][k] for k in AMOUNTS)])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def _is_formula_like(text: str) -> bool:
    """Text a spreadsheet would read as a formula (OWASP "CSV injection": a cell beginning with = + - @,
    tab or CR), other than a plain signed number such as "-120.00"."""
    return text.startswith(_FORMULA_START) and not _NUMBER_TEXT.match(text)


def report_xlsx(report: FinanceReport, path: str | Path, reconciliation: Reconciliation | None = None) -> None:
    from openpyxl import Workbook

    def number(value: Decimal) -> Decimal:
        return value  # openpyxl writes a Decimal as an exact number cell

    book = Workbook()
    sheet = require(book.active, "the workbook's first sheet")
    sheet.title = "Totaler"
    sheet.append(["Måned", str(report.month)])
    sheet.append(["Udbetalinger", len(report.lines)])
    for key, value in report.totals().items():
        sheet.append([key, number(value)])
    accounts = book.create_sheet("Konti")
    accounts.append(["Konto", "Funktion", "Dranst", "Gruppering", "Tekst", "Beløb", "Status"])
    for row in report.by_account():
        accounts.append([row["id"], row["function"], row["dranst"], row["grouping"], row["label_da"],
                         Decimal(row["amount"]), row["status"]])
    steps = book.create_sheet("Trin")
    steps.append(["Trin", "Tilskud", "Refusion"])
    for key, values in report.refund_by_step().items():
        steps.append([key, number(values["subsidy"]), number(values["refund"])])
    lines = book.create_sheet("Udbetalinger")
    lines.append(list(CSV_COLUMNS))
    for line in report.lines:
        lines.append([line.case_id, str(line.month), line.weeks_before, _steps(line),
                      *(number(line.amounts[k]) for k in AMOUNTS)])
    if reconciliation is not None:
        diffs = book.create_sheet("Afvigelser")
        keys = ("person", "period", "cause", "cause_da", "ours_refund", "statement_refund", "refund_difference",
                "detail")
        diffs.append(list(keys))
        for d in reconciliation.differences:
            data = d.to_dict()
            diffs.append([data[k] for k in keys])
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and _is_formula_like(cell.value):
                    cell.value = "'" + cell.value  # OWASP CSV/formula injection: shown as text, never run
                    cell.data_type = "s"
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    book.save(str(path))


LINES_COLUMNS = ("case_id", "kind", "booked_month", "concerns_month", "refund_month", "amount", "subsidy",
                 "atp_own", "refund", "net_municipal_cost", "refund_step", "source")


def lines_csv(report: FinanceReport) -> str:
    """The month's money lines, one row each (no total row: a column's sum is the total)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINES_COLUMNS)
    for line in report.money_lines:
        data = line.to_dict()
        writer.writerow([data[c] for c in LINES_COLUMNS])
    return out.getvalue()
