# title: Sagsbehandler: sagens måneder og efterreguleringer
"""The caseworker's page: a case's months as a timeline, each with its basis wage, what is due, what was
paid, and the corrections with their causes. Reads the ledger (``flexcalc.ledger.casefile``); computes
nothing itself. The database is FLEXCALC_DATABASE_URL, else the embedded SQLite file."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import altair as alt  # noqa: E402
import streamlit as st  # noqa: E402
from sqlalchemy import select  # noqa: E402

from flexcalc.format import kr, month_name  # noqa: E402
from flexcalc.ledger.casefile import case_file  # noqa: E402
from flexcalc.ledger.models import Case  # noqa: E402
from flexcalc.ledger.store import open_ledger  # noqa: E402
from flexcalc.period import Month  # noqa: E402

STATUS = {"paid": "udbetalt", "held": "afventer indberetning", "not_paid": "ikke udbetalt",
          "provisional": "foreløbig udbetalt", "to_reconcile": "skal efterreguleres"}


def money(value: str | None) -> str:
    return "—" if value is None else kr(Decimal(value))


st.title("Sagens måneder og efterreguleringer")
st.caption("Tilskuddet for en måned beregnes på lønnen i måneden før (LAB § 123, stk. 1). Sene og rettede "
           "indberetninger efterreguleres (Ankestyrelsen PM 48-22); en mulig tilbagebetaling opkræves aldrig "
           "automatisk, men kræver en afgørelse efter partshøring (PM 6-23).")

try:
    factory = open_ledger(None)
    with factory() as session:
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
except Exception as error:  # the database cannot be opened: say so, show nothing else
    st.error(f"Databasen kan ikke åbnes: {error.__class__.__name__}")
    st.stop()

if not case_ids:
    st.info("Der er ingen sager endnu. Indlæs demodata med `scripts/demo-data` eller opret en sag med "
            "`flexcalc case create`.")
    st.stop()

case_id = st.selectbox("Sag", case_ids, key="case")
with factory() as session:
    data = case_file(session, case_id)

cols = st.columns(3)
cols[0].metric("Første ydelsesmåned", month_name(Month.parse(data["first_month"])))
cols[1].metric("Lønloft nu", money(data["current_ceiling"]))
cols[2].metric("Arbejdsgivere", ", ".join(e["employer_id"] for e in data["employments"]) or "—")

months = data["months"]
rows = []
for m in months:
    label = month_name(Month.parse(m["benefit_month"]))
    for series, value in (("Skyldig nu", m["due"]), ("Udbetalt", m["paid"]), ("Afregnet i alt", m["settled"])):
        if value is not None:
            rows.append({"måned": m["benefit_month"], "navn": label, "beløb": float(Decimal(value)),  # chart only
                         "serie": series})
st.subheader("Tidslinje")
if rows:
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("måned:O", title="Ydelsesmåned"), xOffset="serie:N",
        y=alt.Y("beløb:Q", title="Kroner"), color=alt.Color("serie:N", title=""),
        tooltip=["navn:N", "serie:N", alt.Tooltip("beløb:Q", format=",.2f")])
    st.altair_chart(chart, width="stretch")

table = [{
    "Ydelsesmåned": month_name(Month.parse(m["benefit_month"])),
    "Lønmåned": month_name(Month.parse(m["basis_month"])),
    "Løn i lønmåneden": money(m["basis_wage"]),
    "Lønloft": money(m["ceiling"]),
    "Skyldig nu": money(m["due"]),
    "Udbetalt": money(m["paid"]),
    "Efterreguleret": money(m["corrections_total"]) if m["corrections"] else "—",
    "Status": STATUS.get(m["status"], m["status"]),
} for m in months]
st.subheader("Måneder")
st.table(table)

st.subheader("Efterreguleringer og tilbageholdte måneder")
shown = False
for m in months:
    title = month_name(Month.parse(m["benefit_month"]))
    if m.get("held"):
        shown = True
        st.warning(f"**{title}**: {m['held']['reason_da']}")
    for c in m["corrections"]:
        shown = True
        difference = Decimal(c["difference"])
        header = f"**{title}** — efterregulering {kr(difference, sign=True)} ({c['reason_text_da']})"
        box = st.success if difference > 0 else st.error
        box(header)
        st.markdown(c["explanation_da"])
        details = f"Årsag: {', '.join(c['caused_by']) or 'ingen ny indberetning'} · Hjemmel: {c['legal_basis']}"
        st.caption(details)
        if c["status"] == "repayment_review":
            if c["decision"]:
                d = c["decision"]
                outcome = "opkræves" if d["outcome"] == "collect" else "frafaldes"
                st.info(f"Afgørelse: {outcome} — {d['reason']} ({d['decided_by']})")
            else:
                st.info("Afventer sagsbehandlerens afgørelse (opkræv eller frafald) efter partshøring: "
                        f"`flexcalc corrections decide {c['id']} collect|waive --reason … --by …`")
if not shown:
    st.write("Ingen efterreguleringer eller tilbageholdte måneder.")
