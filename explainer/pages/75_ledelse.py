# title: Ledelse: måneden i tal
"""The management page: the month in figures and the 12 months before it, in plain Danish, with the trend of
each figure (Altair) and the employers whose reports came late or were corrected. Everything comes from the
API (``GET /v1/insight/{month}``) with the manager's own key; the answer holds no person (no case id, no CPR
number, counts 1–4 as "<5"). The page never opens the database. The API's address is FLEXCALC_API, else
http://127.0.0.1:8000."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import altair as alt  # noqa: E402
import httpx  # noqa: E402
import streamlit as st  # noqa: E402

from explainer.components import key_and_month, page_setup, plain  # noqa: E402
from flexcalc.period import Month  # noqa: E402
from flexcalc.settings import settings  # noqa: E402
from flexcalc.text_da.format import kr, month_name  # noqa: E402
from flexcalc.text_da.insight import AGES_DA, CAUSES_DA, EMPLOYERS_DA, FIGURES_DA, INTRO_DA, TREND_DA  # noqa: E402

API = settings().api


def shown(value: Any) -> str:
    return str(value)


def money(value: str | None) -> str:
    return "<5 udbetalinger: vises ikke" if value is None else kr(Decimal(value))


def fetch(key: str, month: Month) -> tuple[int, Any]:
    with httpx.Client(base_url=API, timeout=60) as client:
        response = client.get(f"/v1/insight/{month}", headers={"Authorization": f"Bearer {key}"})
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {}


page_setup()
st.title("Ledelse: måneden i tal")
st.write(INTRO_DA)
key = st.text_input("Din API-nøgle (leder)", type="password", key="api_key")
month_text = st.text_input("Ydelsesmåned (fx 2024-05 eller maj 2024)", value="2024-05", key="month")
month = key_and_month(key, month_text, "manager")
try:
    status, data = fetch(key.strip(), month)
except httpx.HTTPError as error:
    st.error(f"API'et kan ikke nås ({API}): {error.__class__.__name__}")
    st.stop()
if status in (401, 403):
    st.error("Nøglen giver ikke adgang til tallene. Det kræver rollen leder (manager).")
    st.stop()
if status == 422:
    for problem in data.get("errors", []):
        st.error(f"{plain(problem.get('field'))}: {plain(problem.get('reason_da'))}")
    st.stop()
if status != 200:
    st.error(f"API'et svarede {status}.")
    st.stop()

current = data["current"]
st.subheader(f"{month_name(month).capitalize()}")
cols = st.columns(4)
for col, figure in zip(cols, ("caseload", "payments", "held_still", "late_reports"), strict=True):
    col.metric(FIGURES_DA[figure][0], shown(current[figure]))
st.write(f"Vi betalte {money(current['subsidy_total'])} i tilskud for måneden.")
st.table([{"Tal": name, "Måneden": shown(current[figure]), "Det betyder": text}
          for figure, (name, text) in FIGURES_DA.items()])

st.subheader("Sådan har tallene ændret sig")
st.write(TREND_DA)
choice = st.selectbox("Vælg et tal", list(FIGURES_DA), format_func=lambda f: FIGURES_DA[f][0], key="figure")
points = [{"måned": m["month"], "antal": m[choice]} for m in data["trend"] if isinstance(m[choice], int)]
if points:
    chart = alt.Chart(alt.Data(values=points)).mark_line(point=True).encode(
        x=alt.X("måned:O", title="Måned"), y=alt.Y("antal:Q", title=FIGURES_DA[choice][0]),
        tooltip=["måned:O", "antal:Q"])
    st.altair_chart(chart, width="stretch")
st.table([{"Måned": month_name(Month.parse(m["month"])), FIGURES_DA[choice][0]: shown(m[choice])}
          for m in data["trend"]])

st.subheader("Hvorfor vi regnede om")
causes = current["corrections_by_cause"]
if causes:
    st.table([{"Årsag": CAUSES_DA.get(k, k), "Antal": shown(v)} for k, v in causes.items()])
else:
    st.write("Vi regnede ingen måneder om i måneden.")

st.subheader("Måneder, der venter")
st.write(AGES_DA)
st.table([{"Dage": k, "Måneder": shown(v)} for k, v in data["held_by_age_days"].items()])

st.subheader("Firmaer med sen eller rettet løn")
st.write(EMPLOYERS_DA)
if data["employers"]:
    st.table([{"CVR": e["employer_cvr"], "For sent": shown(e["late"]), "Rettet": shown(e["corrected"]),
               "Trukket tilbage": shown(e["reversed"]), "Sager": shown(e["cases_touched"])}
              for e in data["employers"]])
else:
    st.write("Ingen firmaer sendte løn for sent i måneden.")
