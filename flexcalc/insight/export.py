"""The month's figures as CSV (one row per month of the trend) and as an Excel workbook (the month, the held
months by age, the employers, the trend). Amounts are exact (``Decimal`` cells, strings in CSV)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from flexcalc.errors import require

from .figures import CAUSES, TRACKS, MonthFigures

_NESTED = {"corrections_by_cause": CAUSES, "corrections_by_track": TRACKS}


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in _NESTED:
            for sub in _NESTED[key]:
                out[f"{key}.{sub}"] = value.get(sub, 0)
        elif isinstance(value, dict):
            for sub, v in sorted(value.items()):
                out[f"{key}.{sub}"] = v
        else:
            out[key] = value
    return out


def figures_csv(data: dict[str, Any]) -> str:
    """The trend (``to_dict`` or ``manager_view``) as CSV, one row per month, oldest first."""
    rows = [_flat(m) for m in data["trend"]]
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval=0, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value) if value.replace(".", "", 1).lstrip("-").isdigit() else value
        except ArithmeticError:
            return value
    return value


def figures_xlsx(figures: MonthFigures, path: str | Path, data: dict[str, Any] | None = None) -> None:
    from openpyxl import Workbook

    data = data or figures.to_dict()
    book = Workbook()
    sheet = require(book.active, "the workbook's first sheet")
    sheet.title = "Måneden"
    sheet.append(["Måned", data["month"]])
    sheet.append(["Opgjort", data["as_of"]])
    for key, value in _flat(data["current"]).items():
        sheet.append([key, _cell(value)])
    ages = book.create_sheet("Tilbageholdt efter alder")
    ages.append(["Dage", "Måneder"])
    for key, value in data["held_by_age_days"].items():
        ages.append([key, _cell(value)])
    employers = book.create_sheet("Arbejdsgivere")
    employers.append(["CVR", "For sent", "Rettet", "Tilbageført", "Sager berørt"])
    for e in data["employers"]:
        employers.append([e["employer_cvr"], e["late"], e["corrected"], e["reversed"], e["cases_touched"]])
    trend = book.create_sheet("Udvikling")
    rows = [_flat(m) for m in data["trend"]]
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    trend.append(columns)
    for r in rows:
        trend.append([_cell(r.get(c, 0)) for c in columns])
    for ws in book.worksheets:  # OWASP formula injection: a text a spreadsheet would run is kept as text
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    cell.value = "'" + cell.value
    book.save(str(path))
