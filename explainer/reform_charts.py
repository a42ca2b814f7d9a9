"""Charts of the analyst page (reforms): winners and losers by weekly hour band, and the hours curve of a
typical person before and after. Amounts become floats here only to place marks; every number a person
reads (tooltips) is formatted from the exact values by ``flexcalc.text_da.format``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd

from flexcalc.reforms.curve import HoursCurve
from flexcalc.text_da.format import kr

DANISH_NUMBER = "replace(format(datum.value, ',.0f'), /,/g, '.')"
WINNERS, LOSERS = "Får mere", "Får mindre"
TODAY, REFORM = "I dag", "Med reformen"


def band_frame(result: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for band in result["by_hour_band"]:
        for label, key in ((WINNERS, "winners"), (LOSERS, "losers")):
            rows.append({"Timer om ugen": band["group"], "Gruppe": label, "Personer": band[key],
                         "Forskel i alt": kr(Decimal(band["difference"]), decimals=0, sign=True)})
    return pd.DataFrame(rows)


def band_chart(result: dict[str, Any]) -> alt.Chart:
    """Grouped bars: winners and losers per hour band (told apart by fill and by pattern of outline)."""
    order = [band["group"] for band in result["by_hour_band"]]
    return alt.Chart(band_frame(result)).mark_bar(stroke="#333333", strokeWidth=1).encode(
        x=alt.X("Timer om ugen:N", sort=order, title="Timer om ugen"),
        xOffset=alt.XOffset("Gruppe:N", sort=[WINNERS, LOSERS]),
        y=alt.Y("Personer:Q", title="Personer", axis=alt.Axis(labelExpr=DANISH_NUMBER)),
        fill=alt.Fill("Gruppe:N", scale=alt.Scale(domain=[WINNERS, LOSERS], range=["#1f7a4d", "#b33a3a"]),
                      legend=alt.Legend(orient="bottom", title=None)),
        strokeDash=alt.StrokeDash("Gruppe:N", scale=alt.Scale(domain=[WINNERS, LOSERS], range=[[1, 0], [4, 2]]),
                                  legend=None),
        tooltip=["Timer om ugen:N", "Gruppe:N", alt.Tooltip("Personer:Q", format=","), "Forskel i alt:N"],
    )


def curve_frame(curve: HoursCurve) -> pd.DataFrame:
    rows = []
    for row in curve.rows:
        for label, total in ((TODAY, row.total_today), (REFORM, row.total_reform)):
            rows.append({"Timer": row.hours, "Regler": label, "Beløb": float(total), "I alt": kr(total, decimals=0)})
    return pd.DataFrame(rows)


def curve_chart(curve: HoursCurve, hours: int) -> alt.LayerChart | alt.FacetChart:
    """Total income (wage + subsidy) per weekly hour count: today solid with circles, reform dashed with squares."""
    base = alt.Chart(curve_frame(curve))
    x = alt.X("Timer:Q", title="Timer om ugen", scale=alt.Scale(domain=[1, 37], nice=False))
    lines = base.mark_line(strokeWidth=2.5, point=True).encode(
        x=x,
        y=alt.Y("Beløb:Q", title="Løn + tilskud, kr. om måneden", axis=alt.Axis(labelExpr=DANISH_NUMBER)),
        color=alt.Color("Regler:N", scale=alt.Scale(domain=[TODAY, REFORM], range=["#1f4e79", "#c0392b"]),
                        legend=alt.Legend(orient="bottom", title=None)),
        strokeDash=alt.StrokeDash("Regler:N", scale=alt.Scale(domain=[TODAY, REFORM], range=[[1, 0], [6, 3]]),
                                  legend=None),
        shape=alt.Shape("Regler:N", scale=alt.Scale(domain=[TODAY, REFORM], range=["circle", "square"]),
                        legend=None),
        tooltip=["Timer:Q", "Regler:N", "I alt:N"],
    )
    mark = alt.Chart(pd.DataFrame({"Timer": [hours]})).mark_rule(color="#555555", strokeDash=[2, 2]).encode(x="Timer:Q")
    return alt.layer(lines, mark)
