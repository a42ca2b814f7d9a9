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

from flexcalc.format import kr
from flexcalc.scenarios import HourScenario

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


def hours_chart(scenario: HourScenario, hours_now: int, hours_new: int) -> alt.LayerChart:
    bars_df, totals_df = chart_frames(scenario)
    highest = float(max(row.total for row in scenario.rows))
    top = highest * 1.35  # room above the bars for the labels: plateau at the top, the hour marks below it
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
                      legend=alt.Legend(orient="bottom", title="Søjlerne:", labelFontSize=13, titleFontSize=13)),
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
        start = "første time" if plateau == 1 else f"{plateau} timer"
        band = pd.DataFrame([{"fra": plateau - 0.5, "til": end + 0.5, "bund": 0.0, "top": top,
                              "tekst_y": highest * 1.29,
                              "tekst": f"Loftet fra {start}: flere timer giver ikke flere penge"}])
        layers.append(alt.Chart(band).mark_rect(color="#bbbbbb", opacity=0.35).encode(
            x="fra:Q", x2="til:Q", y="bund:Q", y2="top:Q"))
        layers.append(alt.Chart(band).mark_text(align="right", baseline="middle", dx=-4, fontSize=12,
                                                fontWeight="bold").encode(
            x="til:Q", y="tekst_y:Q", text="tekst:N"))
    layers += [bars, line]
    # the label of the lower hour count sits left of its line, the higher one right of it, so they never meet
    now_left = hours_now <= hours_new
    marks = pd.DataFrame([
        {"Timer": hours_now, "tekst": f"Nu: {hours_now} t", "streg": "nu", "y": highest * 1.19,
         "align": "right" if now_left else "left", "dx": -4 if now_left else 4},
        {"Timer": hours_new, "tekst": f"Overvejet: {hours_new} t", "streg": "overvejet", "y": highest * 1.10,
         "align": "left" if now_left else "right", "dx": 4 if now_left else -4},
    ])
    if hours_now == hours_new:
        marks = marks.iloc[:1]
    layers.append(alt.Chart(marks).mark_rule(strokeWidth=2.5, color="#8b0000").encode(
        x="Timer:Q", strokeDash=alt.StrokeDash("streg:N", scale=alt.Scale(
            domain=["nu", "overvejet"], range=[[1, 0], [6, 3]]), legend=None)))
    for _, mark in marks.iterrows():
        layers.append(alt.Chart(marks[marks["streg"] == mark["streg"]]).mark_text(
            align=mark["align"], baseline="middle", dx=int(mark["dx"]), fontSize=12, color="#8b0000",
            fontWeight="bold").encode(x="Timer:Q", y="y:Q", text="tekst:N"))
    return alt.layer(*layers).resolve_scale(strokeDash="independent").properties(
        height=380, title="Løn og fleksløntilskud (søjler) og samlet indkomst (linje) efter timer om ugen")
