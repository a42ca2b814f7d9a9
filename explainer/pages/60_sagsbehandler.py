# title: Sagsbehandler: arbejdsliste, sager og efterreguleringer
"""The caseworker's workbench (issue 15): the worklist across cases, a case's months as a timeline with
the corrections and their causes, and the actions — record a hearing letter sent and the reply, decide
collect or waive, release a held month on a documented wage, register a month's events, run
reconciliation.

Everything goes through the API with the caseworker's own key (``Authorization: Bearer``), so every read
and write is checked and audited as the API's are; the page never opens the database, and shows no
stored case data without a key. The API's address is FLEXCALC_API (set by ``flexcalc serve``), else
http://127.0.0.1:8000."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import streamlit as st  # noqa: E402

from explainer.caseworker_charts import money, month_rows, timeline_chart, without_citations  # noqa: E402
from explainer.components import page_setup  # noqa: E402
from flexcalc.format import date_da, kr, month_name  # noqa: E402
from flexcalc.ledger.worklist import KIND_LABELS_DA, KINDS  # noqa: E402  (the kinds' names; no database)
from flexcalc.period import Month  # noqa: E402

API = os.environ.get("FLEXCALC_API", "http://127.0.0.1:8000")
OUTCOMES = {"waive": "Frafald (tilbagebetales ikke)", "collect": "Opkræv"}


class ApiError(Exception):
    """An answer other than the one hoped for, in Danish."""


def call(method: str, path: str, *, params: Any = None, body: Any = None) -> Any:
    """One API call with the caseworker's key (writes with a fresh Idempotency-Key); the JSON answer."""
    headers = {"Authorization": f"Bearer {st.session_state['api_key'].strip()}"}
    if method != "GET":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    try:
        with httpx.Client(base_url=API, timeout=60) as client:
            response = client.request(method, path, params=params, json=body, headers=headers)
    except httpx.HTTPError as error:
        raise ApiError(f"API'et kan ikke nås ({API}): {error.__class__.__name__}") from None
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code in (401, 403):
        raise ApiError("Nøglen giver ikke adgang (sagsbehandlerens side kræver en sagsbehandlernøgle).")
    if response.status_code >= 400:
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors:
            raise ApiError("; ".join(f"{e.get('field')}: {e.get('reason_da') or e.get('reason')}" for e in errors))
        detail = data.get("detail_da") or data.get("detail") if isinstance(data, dict) else None
        raise ApiError(f"API'et svarede {response.status_code}" + (f": {detail}" if detail else "."))
    return data


def act(label: str, method: str, path: str, body: Any) -> None:
    """A write through the API; on success the page is drawn again (the worklist changes) with a note."""
    try:
        call(method, path, body=body)
    except ApiError as error:
        st.error(f"{label}: {error}")
        return
    st.session_state["flash"] = f"{label}: registreret."
    st.rerun()


def day(text: str) -> str:
    return date_da(dt.date.fromisoformat(text))


def who() -> str | None:
    name = st.session_state.get("by", "").strip()
    if not name:
        st.error("Skriv dine initialer øverst: de registreres ved hver handling.")
        return None
    return str(name)


page_setup()  # Danish page language and readable notes, also when opened by its own address
st.title("Sagsbehandlerens arbejdsbord")
st.caption("Arbejdslisten på tværs af sager, sagens måneder og efterreguleringerne. Alt hentes og registreres "
           "gennem API'et med din egen nøgle og logges. En mulig tilbagebetaling opkræves aldrig automatisk.")

key_col, by_col = st.columns(2)
key_col.text_input("Din API-nøgle", type="password", key="api_key")
by_col.text_input("Dine initialer", key="by", help="Registreres som den, der handler (fx sb-17).")

if not st.session_state.get("api_key", "").strip():
    st.info("Skriv din API-nøgle for at se arbejdslisten og sagerne. Har du ingen, laver en administrator en "
            "med kommandoen: flexcalc keys create --role caseworker")
    st.stop()

if st.session_state.get("flash"):
    st.success(st.session_state.pop("flash"))

# ---------------------------------------------------------------------------------------------- worklist
st.header("Arbejdsliste")
filters = st.columns(4)
chosen = filters[0].multiselect("Slags", list(KINDS), format_func=lambda k: KIND_LABELS_DA[k], key="kinds")
case_filter = filters[1].text_input("Kun sagen", key="filter_case")
month_filter = filters[2].text_input("Ydelsesmåned (ÅÅÅÅ-MM)", key="filter_month")
min_age = filters[3].number_input("Mindst så mange dage gammel", min_value=0, value=0, step=1, key="min_age")
params: list[tuple[str, str]] = [("kind", k) for k in chosen] + [("limit", "200")]
if case_filter.strip():
    params.append(("case_id", case_filter.strip()))
if month_filter.strip():
    params.append(("month", month_filter.strip()))
if min_age:
    params.append(("min_age", str(int(min_age))))
try:
    items = call("GET", "/v1/worklist", params=params)
except ApiError as error:
    st.error(str(error))
    st.stop()

if items:
    st.table([{"Sag": i["case_id"], "Måned": month_name(Month.parse(i["month"])), "Opgave": i["kind_da"],
               "Alder (dage)": str(i["age_days"]), "Beløb": money(i["amount"]), "Hvad": i["label_da"]}
              for i in items])
    if len(items) == 200:
        st.caption("Viser de 200 ældste opgaver; brug filtrene for at se andre.")
else:
    st.write("Ingen opgaver.")

# ---------------------------------------------------------------------------------------------- actions
st.header("Handl på en opgave")
choice = None
if items:
    labels = [f"{i['case_id']} · {month_name(Month.parse(i['month']))} · {i['kind_da']}"
              + (f" · {money(i['amount'])}" if i["amount"] else "") for i in items]
    index = st.selectbox("Opgave", range(len(items)), format_func=lambda n: labels[n], key="item")
    choice = items[index] if index is not None else None
if choice is not None:
    names = {a["action"]: a for a in choice["actions"]}
    today = dt.date.today().isoformat()
    if choice["kind"] == "possible_duplicate":
        d = choice["details"]
        st.info(f"Spørg arbejdsgiver {d['employer_id']}, om lønnen for "
                f"{month_name(Month.parse(d['basis_month']))} er sendt to gange ({', '.join(d['report_ids'])}). "
                "Er den det, sender arbejdsgiveren en tilbageførsel af den ene. Begge tæller, indtil det sker.")
    if "hearing" in names:
        with st.form("hearing_form"):
            st.subheader("Partshøring sendt")
            sent_on = st.text_input("Brevets dato (ÅÅÅÅ-MM-DD)", value=today, key="hearing_sent_on")
            reply_by = st.text_input("Svarfrist (ÅÅÅÅ-MM-DD; tom: 14 dage efter brevets dato)", key="hearing_reply_by")
            letter = st.text_input("Brevets id i sagen (valgfrit)", key="hearing_letter")
            if st.form_submit_button("Registrér sendt partshøring", key="hearing_submit") and (by := who()):
                act("Partshøring", "POST", names["hearing"]["href"],
                    {"sent_on": sent_on, "reply_by": reply_by or None, "by": by, "letter_id": letter or None})
    if "reply" in names:
        with st.form("reply_form"):
            st.subheader("Svar på partshøring")
            received_on = st.text_input("Svaret modtaget (ÅÅÅÅ-MM-DD)", value=today, key="reply_received_on")
            summary = st.text_area("Hvad svaret siger (kort)", key="reply_summary")
            if st.form_submit_button("Registrér svar", key="reply_submit") and (by := who()):
                act("Svar på partshøring", "POST", names["reply"]["href"],
                    {"received_on": received_on, "summary": summary, "by": by})
    if "decide" in names:
        with st.form("decide_form"):
            st.subheader("Afgørelse om mulig tilbagebetaling")
            outcome = st.radio("Afgørelse", list(OUTCOMES), format_func=lambda o: OUTCOMES[o], key="decide_outcome")
            reason = st.text_area("Begrundelse (vidste eller burde borgeren vide det?)", key="decide_reason")
            if st.form_submit_button("Registrér afgørelse", key="decide_submit") and (by := who()):
                act("Afgørelse", "POST", names["decide"]["href"],
                    {"outcome": outcome, "reason": reason, "decided_by": by})
    if "release" in names:
        with st.form("release_form"):
            st.subheader("Frigiv foreløbig udbetaling på dokumenteret løn")
            wage = st.text_input("Dokumenteret løn inkl. pension (kr.)", key="release_wage")
            documentation = st.text_input("Dokumentation (fx lønseddel maj 2024)", key="release_documentation")
            if st.form_submit_button("Frigiv udbetaling", key="release_submit") and (by := who()):
                act("Foreløbig udbetaling", "POST", names["release"]["href"],
                    {"wage": wage, "documentation": documentation, "released_by": by})
    if "reconcile" in names:
        with st.form("reconcile_item_form"):
            st.subheader("Efterregulering af sagen")
            if st.form_submit_button("Kør efterregulering nu", key="reconcile_item_submit"):
                act("Efterregulering", "POST", "/v1/reconciliations",
                    {"as_of": dt.datetime.now(dt.UTC).isoformat(), "case_ids": [choice["case_id"]]})

# ---------------------------------------------------------------------------------------------- a case
st.header("Sagen")
try:
    cases = [c["case_id"] for c in call("GET", "/v1/cases", params={"limit": 1000})]
except ApiError as error:
    st.error(str(error))
    st.stop()
if not cases:
    st.info("Der er ingen sager endnu.")
    st.stop()
start = cases.index(choice["case_id"]) if choice is not None and choice["case_id"] in cases else 0
case_id = st.selectbox("Sag", cases, index=start, key="case")
try:
    data = call("GET", f"/v1/cases/{case_id}")
except ApiError as error:
    st.error(str(error))
    st.stop()

cols = st.columns(3)
cols[0].metric("Første ydelsesmåned", month_name(Month.parse(data["first_month"])))
cols[1].metric("Lønloft nu", money(data["current_ceiling"]))
cols[2].metric("Arbejdsgivere", ", ".join(e["employer_id"] for e in data["employments"]) or "—")

months = data["months"]
st.subheader("Tidslinje")
chart = timeline_chart(months)
if chart is not None:
    st.altair_chart(chart, width="stretch")
    st.caption("Form og farve viser serien; en tilbageholdt måned står som en trekant ved 0 med teksten "
               "\"afventer\": lønnen er ukendt, til indberetningen kommer.")
st.subheader("Måneder")
st.table(month_rows(months))

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
        regulation = c.get("track") == "regulation"
        kind = "efterbetaling" if difference > 0 else "regulering" if regulation else "mulig tilbagebetaling"
        with st.container(border=True):
            st.markdown(f"**{title}** — {kind} {kr(difference, sign=True)} ({c['reason_text_da']})")
            st.markdown(without_citations(c["explanation_da"]))
            if c["status"] == "repayment_review" and not regulation:
                d = c["decision"]
                if d:
                    outcome = "opkræves" if d["outcome"] == "collect" else "frafaldes"
                    st.markdown(f"Afgørelse: {outcome} — {d['reason']} ({d['decided_by']})")
                else:
                    try:
                        hearing = call("GET", f"/v1/cases/{case_id}/corrections/{c['id']}/hearing")
                        state = hearing["status_da"]
                        if hearing["sent_on"]:
                            state += (f" (brev {day(hearing['sent_on'])}, svarfrist {day(hearing['reply_by'])}"
                                      + (f", svar {day(hearing['received_on'])}: {hearing['summary']}"
                                         if hearing["received_on"] else "") + ")")
                    except ApiError:
                        state = "partshøringens status kan ikke hentes"
                    st.markdown(f"Afventer afgørelse (opkræv eller frafald) — {state}.")
            st.caption(f"Årsag: {', '.join(c['caused_by']) or 'ingen ny indberetning'} · Hjemmel: {c['legal_basis']}")
if not shown:
    st.write("Ingen efterreguleringer eller tilbageholdte måneder.")

# ---------------------------------------------------------------------------------------------- case actions
st.subheader("Registrér månedens hændelser")
with st.form("events_form"):
    events_month = st.text_input("Ydelsesmåned (ÅÅÅÅ-MM)", key="events_month")
    events_text = st.text_area("Hændelser (JSON som beregningens events)", key="events_json", help=(
        'Fx {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-12", "end": "2024-02-23"}], '
        '"sickness_benefit": "8000"}. Et tomt objekt {} siger, at der ikke skete noget alligevel.'))
    received_at = st.text_input("Kommunen fik kendskab (ÅÅÅÅ-MM-DD; tom: nu)", key="events_received_at")
    document = st.text_input("Dokument (fx lægeerklæring)", key="events_document")
    if st.form_submit_button("Registrér hændelser", key="events_submit") and (by := who()):
        try:
            events = json.loads(events_text or "{}")
        except ValueError:
            st.error("Hændelser: er ikke gyldig JSON.")
        else:
            act("Hændelser", "POST", f"/v1/cases/{case_id}/months/{events_month.strip()}/events",
                {"events": events, "received_at": received_at.strip() or None, "registered_by": by,
                 "document": document.strip() or None})

st.subheader("Efterregulering")
with st.form("reconcile_form"):
    as_of = st.text_input("Kendt til og med (ÅÅÅÅ-MM-DD; tom: nu)", key="reconcile_as_of")
    if st.form_submit_button("Kør efterregulering af sagen", key="reconcile_submit"):
        act("Efterregulering", "POST", "/v1/reconciliations",
            {"as_of": as_of.strip() or dt.datetime.now(dt.UTC).isoformat(), "case_ids": [case_id]})
