"""The caseworker page's chart and the way it shows a case's months.

From the user test: a held month's wage is unknown, not "0,00 kr."; a paid month with a possible
repayment not yet decided says "afventer afgørelse"; the timeline uses Danish numbers (15.272 kr.),
tells its series apart by shape and label as well as colour, does not use red for "paid", and shows the
held months; the legal basis is said once per correction. Nothing here computes a rule: it shows what
the API returns (``GET /v1/cases/{case_id}``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import altair as alt

from flexcalc.period import Month
from flexcalc.text_da.format import kr, month_name

UNKNOWN_WAGE = "ukendt — afventer indberetning"
STATUS_DA = {"paid": "udbetalt", "held": "afventer indberetning", "not_paid": "ikke udbetalt",
             "provisional": "foreløbig udbetalt", "to_reconcile": "skal efterreguleres",
             "pending_decision": "afventer afgørelse"}

# The series: colour, shape and a word of their own (never colour alone). No red: red reads as an error.
SERIES = (("Skyldig nu", "#1f4e79", "circle"), ("Udbetalt", "#2a7f62", "square"),
          ("Afregnet i alt", "#b5651d", "diamond"), ("Afventer indberetning", "#6b6b6b", "triangle-up"))

DANISH_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]}}
"""Vega-Lite's number locale, Danish: the axis' ",.0f" writes 15.272, not 15,272 (tooltips carry the text
from ``flexcalc.text_da.format.kr``)."""

_CITATION = re.compile(r"\s*\((?:Ankestyrelsen\s+)?(?:PM|LAB|BEK)\s[^)]*\)")


def money(value: str | None) -> str:
    return "—" if value is None else kr(Decimal(value))


def pending_decision(month: dict[str, Any]) -> bool:
    """A possible repayment of the month waits for the caseworker's decision."""
    return any(c["status"] == "repayment_review" and c.get("track") != "regulation" and c.get("decision") is None
               for c in month["corrections"])


def month_status(month: dict[str, Any]) -> str:
    """The month's status in Danish: the case file's status, except that a paid month with a possible
    repayment not yet decided "afventer afgørelse"."""
    if month["status"] in ("paid", "provisional", "to_reconcile") and pending_decision(month):
        return STATUS_DA["pending_decision"]
    return STATUS_DA.get(month["status"], month["status"])


def basis_wage_text(month: dict[str, Any]) -> str:
    """The basis month's wage; unknown (not 0) while a known employer's report is missing."""
    if month["status"] == "held" or (month.get("paid") is None and month.get("missing_employers")):
        return UNKNOWN_WAGE
    payment = month.get("payment") or {}
    if payment.get("kind") == "provisional" and month.get("missing_employers"):
        return f"{money(payment.get('basis_wage'))} (dokumenteret)"  # released on a payslip: the report is missing
    return money(month.get("basis_wage"))


def paid_on_text(month: dict[str, Any]) -> str:
    """The wage the month was paid on (a released month: the documented wage), or — when not paid."""
    payment = month.get("payment")
    return "—" if not payment else money(payment.get("basis_wage"))


def month_rows(months: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The months table."""
    return [{
        "Ydelsesmåned": month_name(Month.parse(m["benefit_month"])),
        "Lønmåned": month_name(Month.parse(m["basis_month"])),
        "Løn i lønmåneden": basis_wage_text(m),
        "Udbetalt på løn": paid_on_text(m),
        "Lønloft": money(m.get("ceiling")),
        "Skyldig nu": money(m.get("due")),
        "Udbetalt": money(m.get("paid")),
        "Efterreguleret": money(m["corrections_total"]) if m["corrections"] else "—",
        "Status": month_status(m),
    } for m in months]


def without_citations(text: str) -> str:
    """A correction's explanation without its parenthetical provisions (they stand once, in the
    correction's "Hjemmel" line)."""
    return _CITATION.sub("", text)


def timeline_rows(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One point per month and series; a held month is a point of its own at 0 labelled "afventer
    indberetning" (its wage, and so its amount, is unknown). Amounts are floats for drawing only, with
    the Danish text beside them for the tooltip."""
    rows: list[dict[str, Any]] = []
    for m in months:
        name = month_name(Month.parse(m["benefit_month"]))
        if m["status"] == "held":
            rows.append({"måned": m["benefit_month"], "navn": name, "serie": "Afventer indberetning",
                         "beløb": 0.0, "tekst": UNKNOWN_WAGE, "status": month_status(m)})
            continue
        for series, key in (("Skyldig nu", "due"), ("Udbetalt", "paid"), ("Afregnet i alt", "settled")):
            value = m.get(key)
            if value is not None:
                rows.append({"måned": m["benefit_month"], "navn": name, "serie": series,
                             "beløb": float(Decimal(value)),  # drawing only, never computed on
                             "tekst": kr(Decimal(value)), "status": month_status(m)})
    return rows


def timeline_chart(months: list[dict[str, Any]]) -> alt.Chart | None:
    """The case's months as points: shape, colour and legend name each series; Danish numbers."""
    rows = timeline_rows(months)
    if not rows:
        return None
    names = [s[0] for s in SERIES]
    scale_colour = alt.Scale(domain=names, range=[s[1] for s in SERIES])
    scale_shape = alt.Scale(domain=names, range=[s[2] for s in SERIES])
    base = alt.Chart(alt.Data(values=rows))
    order = list(dict.fromkeys(r["navn"] for r in rows))  # the months in order, by their Danish names
    x = alt.X("navn:O", title="Ydelsesmåned", sort=order, axis=alt.Axis(labelAngle=0))
    points = base.mark_point(filled=True, size=140, opacity=0.9).encode(
        x=x,
        y=alt.Y("beløb:Q", title="Kroner", axis=alt.Axis(format=",.0f")),
        xOffset=alt.XOffset("serie:N", sort=names),
        color=alt.Color("serie:N", title="Serie", scale=scale_colour, sort=names),
        shape=alt.Shape("serie:N", title="Serie", scale=scale_shape, sort=names),
        tooltip=[alt.Tooltip("navn:N", title="Måned"), alt.Tooltip("serie:N", title="Serie"),
                 alt.Tooltip("tekst:N", title="Beløb"), alt.Tooltip("status:N", title="Status")])
    held = base.transform_filter(alt.datum.serie == "Afventer indberetning").mark_text(
        dy=-14, fontSize=11, color="#333333").encode(x=x, y="beløb:Q", text=alt.value("afventer"))
    chart = alt.layer(points, held).properties(height=320)
    return chart.configure(locale=DANISH_LOCALE)
