"""The hours chart: wage and subsidy stacked per weekly hour count, total income as a line, the
person's hours marked and the plateau shaded and named in words.

Not by colour alone: the subsidy bars are light with a dashed outline while the wage bars are solid,
the total is a line with diamond markers, the two hour marks differ by line style and carry text, and
the plateau carries a text label. Amounts become floats here only to place marks on the screen; every
number a person reads (tooltips, labels) is formatted from the exact ``Decimal`` by ``flexcalc.format``.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from flexcalc.extra_hour import ExtraHour
from flexcalc.format import kr
from flexcalc.scenarios import Hours, HourScenario, hours_text

WAGE = "Løn fra arbejdsgiver"
SUBSIDY = "Fleksløntilskud"
TOTAL = "Samlet indkomst"
DANISH_NUMBER = "replace(format(datum.value, ',.0f'), /,/g, '.')"


def chart_frames(scenario: HourScenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    bars, totals = [], []
    for row in scenario.rows:
        common = {"Timer": row.hours, "Løn (tekst)": kr(row.wage), "Tilskud (tekst)": kr(row.subsidy),
                  "Samlet (tekst)": kr(row.total)}
        bars.append({**common, "Del": WAGE, "Beløb": float(row.wage), "Orden": 0})
        bars.append({**common, "Del": SUBSIDY, "Beløb": float(row.subsidy), "Orden": 1})
        totals.append({**common, "Del": TOTAL, "Beløb": float(row.total)})
    return pd.DataFrame(bars), pd.DataFrame(totals)


def hours_chart(scenario: HourScenario, hours_now: Hours, hours_new: Hours) -> alt.LayerChart:
    bars_df, totals_df = chart_frames(scenario)
    highest = float(max(row.total for row in scenario.rows))
    top = highest * 1.5  # room above the bars for the labels: plateau at the top, the hour marks below it
    x = alt.X("Timer:Q", title="Timer om ugen", scale=alt.Scale(domain=[0.4, 37.6], nice=False),
              axis=alt.Axis(values=list(range(1, 38, 2)), format="d"))
    y_axis = alt.Axis(title="Kr. om måneden før skat", labelExpr=DANISH_NUMBER)
    tooltip = [alt.Tooltip("Timer:Q", title="Timer om ugen"), alt.Tooltip("Løn (tekst):N", title="Løn"),
               alt.Tooltip("Tilskud (tekst):N", title="Tilskud"), alt.Tooltip("Samlet (tekst):N", title="Samlet")]
    parts = alt.Scale(domain=[WAGE, SUBSIDY], range=["#1f4e79", "#f2b880"])
    bars = alt.Chart(bars_df).mark_bar(size=14, strokeWidth=1.5, stroke="#333333").encode(
        x=x,
        y=alt.Y("sum(Beløb):Q", axis=y_axis, stack="zero", scale=alt.Scale(domain=[0, top], nice=False)),
        fill=alt.Fill("Del:N", scale=parts, sort=[WAGE, SUBSIDY],
                      legend=alt.Legend(orient="top", direction="horizontal", title=None, labelFontSize=13,
                                        labelLimit=180)),
        strokeDash=alt.StrokeDash("Del:N", scale=alt.Scale(domain=[WAGE, SUBSIDY], range=[[1, 0], [4, 2]]),
                                  legend=None),
        order=alt.Order("Orden:Q"),
        tooltip=tooltip,
    )
    line = alt.Chart(totals_df).mark_line(color="#000000", strokeWidth=2.5, point=alt.OverlayMarkDef(
        shape="diamond", size=60, filled=True, color="#000000")).encode(
        x=x, y=alt.Y("Beløb:Q", axis=y_axis), tooltip=tooltip)
    layers: list[Any] = []
    plateau = scenario.plateau_from_hours
    if plateau is not None:
        end = next(r.to_hours for r in scenario.regions if r.kind == "plateau")
        span = f"{plateau} time" if plateau == end == 1 else (
            f"{plateau} timer" if plateau == end else f"{plateau}–{end} timer")
        band = pd.DataFrame([{"fra": plateau - 0.5, "til": end + 0.5, "bund": 0.0, "top": top,
                              "tekst_y": highest * 1.44, "midt": (plateau + end) / 2,
                              "tekst": f"Loftet: {span}"}])
        layers.append(alt.Chart(band).mark_rect(color="#bbbbbb", opacity=0.35).encode(
            x="fra:Q", x2="til:Q", y="bund:Q", y2="top:Q"))
        layers.append(alt.Chart(band).mark_text(align="center", baseline="middle", fontSize=12,
                                                fontWeight="bold").encode(
            x="midt:Q", y="tekst_y:Q", text="tekst:N"))
    layers += [bars, line]
    # the label of the lower hour count sits left of its line, the higher one right of it, so they never meet
    now_left = hours_now <= hours_new
    marks = pd.DataFrame([
        {"Timer": float(hours_now), "tekst": f"Nu: {hours_text(hours_now)} t", "streg": "nu", "y": highest * 1.30,
         "align": "right" if now_left else "left", "dx": -4 if now_left else 4},
        {"Timer": float(hours_new), "tekst": f"Ny: {hours_text(hours_new)} t", "streg": "overvejet",
         "y": highest * 1.16,
         "align": "left" if now_left else "right", "dx": 4 if now_left else -4},
    ])
    if hours_now == hours_new:
        marks = marks.iloc[:1]
    marks["bund"], marks["top"] = 0.0, highest * 1.36  # the rules stop below the plateau's label
    layers.append(alt.Chart(marks).mark_rule(strokeWidth=2.5, color="#8b0000").encode(
        x="Timer:Q", y="bund:Q", y2="top:Q", strokeDash=alt.StrokeDash("streg:N", scale=alt.Scale(
            domain=["nu", "overvejet"], range=[[1, 0], [6, 3]]), legend=None)))
    for _, mark in marks.iterrows():
        layers.append(alt.Chart(marks[marks["streg"] == mark["streg"]]).mark_text(
            align=mark["align"], baseline="middle", dx=int(mark["dx"]), fontSize=12, color="#8b0000",
            fontWeight="bold").encode(x="Timer:Q", y="y:Q", text="tekst:N"))
    return alt.layer(*layers).resolve_scale(strokeDash="independent").properties(
        height=470, title=alt.Title(["Løn og tilskud (søjler) og i alt (linje)", "efter timer om ugen"]),
        description=HOURS_CHART_NAME)


HOURS_CHART_NAME = ("Figur: løn, fleksløntilskud og samlet indkomst om måneden for 1 til 37 timer om ugen. "
                    "Alle tal står også i tabellen nedenfor.")
EXTRA_HOUR_CHART_NAME = ("Figur: hvad du beholder om måneden af en time mere om ugen, før og efter skat, for hvert "
                         "antal timer. Alle tal står også i tabellen nedenfor.")
KEPT, NEAR = "Du beholder noget", "Næsten intet eller mindre"


def extra_hour_chart(extra: ExtraHour) -> alt.LayerChart:
    """What one more weekly hour keeps, per hour count: bars before tax (dashed outline and a cross on the zero
    line where it keeps near nothing), and after tax a line with square markers. Not by colour alone: the
    marked hours carry a cross and a dashed outline, and the sentence and table say the same."""
    rows = []
    for step in extra.steps:
        marked = step.mark != "normal"
        rows.append({"Timer": step.hours, "Før skat": float(step.kept), "Mærke": NEAR if marked else KEPT,
                     "Før (tekst)": kr(step.kept),
                     "Efter (tekst)": "–" if step.kept_after_tax is None else kr(step.kept_after_tax),
                     "Efter skat": None if step.kept_after_tax is None else float(step.kept_after_tax)})
    frame = pd.DataFrame(rows)
    x = alt.X("Timer:Q", title="Fra timer om ugen til én time mere", scale=alt.Scale(domain=[0.4, 36.6], nice=False),
              axis=alt.Axis(values=list(range(1, 37, 5)), format="d"))
    y_axis = alt.Axis(title="Kr. om måneden", labelExpr=DANISH_NUMBER)
    tooltip = [alt.Tooltip("Timer:Q", title="Timer om ugen"), alt.Tooltip("Før (tekst):N", title="Før skat"),
               alt.Tooltip("Efter (tekst):N", title="Efter skat (skøn)")]
    bars = alt.Chart(frame).mark_bar(size=7, strokeWidth=1.5, stroke="#333333").encode(
        x=x, y=alt.Y("Før skat:Q", axis=y_axis),
        fill=alt.Fill("Mærke:N", scale=alt.Scale(domain=[KEPT, NEAR], range=["#1f4e79", "#f2b880"]),
                      legend=alt.Legend(orient="top", direction="horizontal", title=None, labelFontSize=13,
                                        labelLimit=180)),
        strokeDash=alt.StrokeDash("Mærke:N", scale=alt.Scale(domain=[KEPT, NEAR], range=[[1, 0], [3, 2]]),
                                  legend=None),
        tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame([{"y": 0.0}])).mark_rule(color="#000000").encode(y="y:Q")
    # a bar of 0 kr. cannot be seen: the hours that keep near nothing also get a cross on the zero line
    crosses = alt.Chart(frame[frame["Mærke"] == NEAR].assign(nul=0.0)).mark_point(
        shape="cross", size=70, filled=True, color="#000000").encode(x=x, y="nul:Q", tooltip=tooltip)
    layers: list[Any] = [bars, zero, crosses]
    if extra.after_tax:
        layers.append(alt.Chart(frame).mark_line(color="#8b0000", strokeWidth=2, point=alt.OverlayMarkDef(
            shape="square", size=30, filled=True, color="#8b0000")).encode(x=x, y="Efter skat:Q", tooltip=tooltip))
    return alt.layer(*layers).resolve_scale(strokeDash="independent").properties(
        height=400, title=alt.Title(["Hvad du beholder af en time mere", "(søjler: før skat; linje: efter skat)"]),
        description=EXTRA_HOUR_CHART_NAME)
