# title: Økonomi: refusion, bidrag og kontering for en måned
"""The finance staff's page: what the state refunded for a month (the statement's total), what flexcalc
expects from the cases' own refund history, the difference per case with its cause; the month's totals,
the refund by step (a chart), the amounts per account. A month without payments or without rates is said
plainly, never shown as 0 kr. Every figure comes from the API
(``POST /v1/finance/reports``) with the user's own key; the page never opens the database. The API's
address is FLEXCALC_API (set by ``flexcalc serve``), else http://127.0.0.1:8000."""

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

API = settings().api
TOTALS = (("subsidy", "Fleksløntilskud"), ("atp_own", "Eget ATP-bidrag (trukket)"), ("payout", "Udbetalt til borgerne"),
          ("municipal_atp", "Kommunens ATP-bidrag"), ("op", "Obligatorisk pension"), ("refund", "Statsrefusion"),
          ("fleksbidrag", "Særligt fleksbidrag"), ("municipal_atp_refund", "Refusion af ATP"),
          ("op_refund", "Refusion af pension"), ("net_municipal_cost", "Kommunens nettoudgift"))
STEPS = {"weeks_1_4": "Uge 1–4 (80 %)", "weeks_5_26": "Uge 5–26 (40 %)", "weeks_27_52": "Uge 27–52 (30 %)",
         "week_53_on": "Fra uge 53 (20 %)", "before_ladder": "Hidtidige regler",
         "cohort_unknown": "Mangler visitationsdato"}


def money(value: str | None) -> str:
    return "—" if value is None else kr(Decimal(value))


def fetch(key: str, body: dict[str, Any]) -> tuple[int, Any]:
    with httpx.Client(base_url=API, timeout=60) as client:
        response = client.post("/v1/finance/reports", json=body, headers={"Authorization": f"Bearer {key}"})
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {}


page_setup()  # Danish page language and readable notes, also when opened by its own address
st.title("Økonomi: refusion, bidrag og kontering")
st.caption("Statens refusion følger refusionstrappen: 80 % i uge 1–4, 40 % i uge 5–26, 30 % i uge 27–52 og "
           "20 % fra uge 53 (lov om kommunernes finansiering § 5, stk. 2). Pension og kommunens ATP betales oven i "
           "tilskuddet og refunderes fuldt. Tallene kommer fra API'et med din egen nøgle.")

key = st.text_input("Din API-nøgle", type="password", key="api_key")
month_text = st.text_input("Ydelsesmåned (ÅÅÅÅ-MM)", value="2024-03", key="month")
statement_file = st.file_uploader("Statens refusionsopgørelse (CSV fra Ydelsesrefusion)", type=["csv", "txt"],
                                  key="statement_file")
statement = st.text_area("… eller sæt opgørelsen ind her (CSV: cpr, periode_start, periode_slut, ydelse, udgift, "
                         "refusion)", key="statement", height=100)
st.caption("CPR-numrene i opgørelsen bliver slået op på sagerne i API'et. Siden viser kun sagsnumre.")
show_year = st.checkbox("Vis også året fra januar til måneden", key="year")

month = key_and_month(key, month_text, "finance")
statement_text = statement_file.getvalue().decode("utf-8-sig", errors="replace") if statement_file else statement
body: dict[str, Any] = {"month": str(month), "statement_csv": statement_text.strip() or None, "year": show_year}
try:
    status, data = fetch(key.strip(), body)
except httpx.HTTPError as error:
    st.error(f"API'et kan ikke nås ({API}): {error.__class__.__name__}")
    st.stop()
if status in (401, 403):
    st.error("Nøglen giver ikke adgang til økonomitallene (kræver rollen økonomi eller sagsbehandler).")
    st.stop()
if status == 422:
    errors = data.get("errors", [])
    if any(e.get("code") == "no_rates" for e in errors):
        st.warning(f"Der er ingen satser for {month_name(month)} endnu. Derfor kan vi ikke regne refusion og bidrag "
                   "for måneden. Tallene er ikke 0 kr.: de findes ikke endnu.")
    for problem in errors:
        st.error(f"{plain(problem.get('field'))}: {plain(problem.get('reason_da'))}")
    st.stop()
if status != 200:
    st.error(f"API'et svarede {status}.")
    st.stop()

name = month_name(month)
reconciliation = data.get("reconciliation")
if reconciliation is not None:
    st.subheader(f"Statens refusion for {name}")
    cols = st.columns(3)
    cols[0].metric(f"Staten refunderede for {name}", money(data["statement_total"]))
    cols[1].metric("Vi forventede", money(data["expected_total"]))
    cols[2].metric("Forskel", money(data["difference"]))
    st.write(f"Staten refunderede {money(data['statement_total'])} i fleksløntilskud for {name}. Vi havde ventet "
             f"{money(data['expected_total'])} ud fra sagernes egen historik. "
             f"Forskellen er {money(data['difference'])}")
    if reconciliation["unmatched_cpr"]:
        count = reconciliation["unmatched_cpr"]
        which = "1 CPR-nummer" if count == 1 else f"{count} CPR-numre"
        st.warning(f"Opgørelsen har {which} uden en sag hos os. Det giver {money(reconciliation['unmatched_refund'])} "
                   "i refusion. Vi viser ikke numrene her.")

STATUS_DA = {"no_data": "ingen udbetalinger", "no_rates": "ingen satser endnu"}
if data.get("year"):
    year = data["year"]
    st.subheader(f"Året {year['year']} til og med {name}")
    st.table([{"Måned": month_name(Month.parse(m["month"])),
               "Udbetalinger": STATUS_DA.get(m["status"], str(m["payments"])),
               "Tilskud": money(m["totals"]["subsidy"]) if m["totals"] else "—",
               "Forventet refusion": money(m["totals"]["refund"]) if m["totals"] else "—"} for m in year["months"]])
    st.write(f"I alt for de {year['months_with_data']} måneder med udbetalinger: tilskud "
             f"{money(year['totals']['subsidy'])}, forventet refusion {money(year['totals']['refund'])}.")

if data["payments"] == 0:
    st.warning(f"Der er ingen udbetalinger for {name} i sagerne. Måneden er måske ikke kørt endnu. "
               "Derfor står der ingen beløb her: tallene er ikke 0 kr., de findes ikke.")
    st.stop()

st.subheader(f"{month_name(Month.parse(data['month']))}: {data['payments']} udbetalinger")
totals = data["totals"]
cols = st.columns(3)
cols[0].metric("Fleksløntilskud", money(totals["subsidy"]))
cols[1].metric("Forventet statsrefusion", money(totals["refund"]))
cols[2].metric("Kommunens nettoudgift", money(totals["net_municipal_cost"]))
st.table([{"Beløb": label, "Kroner": money(totals[k])} for k, label in TOTALS])

st.subheader("Refusion fordelt på trin")
rows = [{"trin": STEPS[k], "serie": serie, "beløb": float(Decimal(v[field]))}  # chart only, never computed on
        for k, v in data["refund_by_step"].items() for field, serie in (("subsidy", "Tilskud"), ("refund", "Refusion"))
        if Decimal(v["subsidy"]) != 0]
if rows:
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("trin:N", title="Trin", sort=list(STEPS.values())), xOffset="serie:N",
        y=alt.Y("beløb:Q", title="Kroner"), color=alt.Color("serie:N", title=""),
        tooltip=["trin:N", "serie:N", alt.Tooltip("beløb:Q", format=",.2f")])
    st.altair_chart(chart, width="stretch")
st.table([{"Trin": STEPS[k], "Tilskud": money(v["subsidy"]), "Refusion": money(v["refund"])}
          for k, v in data["refund_by_step"].items() if Decimal(v["subsidy"]) != 0])

st.subheader("Kontering")
st.table([{"Konto": a["id"], "Tekst": a["label_da"], "Beløb": money(a["amount"]),
           "Kilde": "kontrolleret" if a["status"] == "verified" else "funktion kontrolleret, gruppering lokal"}
          for a in data["accounts"]])

unknown = Decimal(data["refund_by_step"]["cohort_unknown"]["subsidy"])
if unknown:
    st.warning(f"Nogle sager mangler en dato for visitation. Så har vi ikke regnet refusion af {money(str(unknown))} "
               "i tilskud. Hent deres data ind.")
    st.caption("Kommando: flexcalc finance history import FIL.csv (eller POST /v1/finance/history).")

if reconciliation is not None:
    st.subheader("Afvigelser fra statens refusionsopgørelse")
    differences = reconciliation["differences"]
    if not differences:
        st.success(f"Alle {reconciliation['matched']} linjer stemmer.")
    else:
        st.table([{"Sag": d["person"] or "—", "Periode": d["period"], "Årsag": d["cause_da"],
                   "Vores refusion": money(d["ours_refund"]), "Statens refusion": money(d["statement_refund"]),
                   "Forskel": money(d["refund_difference"])} for d in differences])
