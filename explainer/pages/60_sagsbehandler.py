# title: Sagsbehandler: arbejdsliste, sager og efterreguleringer
"""The caseworker's workbench: the worklist across cases, a case's months as a timeline with
the corrections and their causes, and the actions — record a hearing letter sent and the reply, decide
collect or waive, release a held month on a documented wage, register a month's events, run
reconciliation.

Everything goes through the API with the caseworker's own key (``Authorization: Bearer``), so every read
and write is checked and audited as the API's are; the page never opens the database, and shows no
stored case data without a key. The API's address is FLEXCALC_API (set by ``flexcalc serve``), else
http://127.0.0.1:8000."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from explainer.caseworker_charts import money, month_rows, timeline_chart, without_citations  # noqa: E402
from explainer.components import page_setup, plain, staff_key_inputs  # noqa: E402
from explainer.staff_api import ApiError, InProgress, request, who  # noqa: E402
from flexcalc.period import Month  # noqa: E402
from flexcalc.text_da.citizen_pages import field_da  # noqa: E402
from flexcalc.text_da.format import date_da, kr, month_name  # noqa: E402
from flexcalc.text_da.worklist import KIND_LABELS_DA  # noqa: E402

OUTCOMES = {"waive": "Frafald (tilbagebetales ikke)", "collect": "Opkræv"}


def call(method: str, path: str, *, params: Any = None, body: Any = None,
         headers: dict[str, str] | None = None) -> Any:
    """One API call with the caseworker's key; the JSON answer. A write carries ``headers`` (``If-Match``:
    the version of the item it acts on, and its ``Idempotency-Key``)."""
    return request(method, path, params=params, body=body, headers=headers, field_da=field_da).json()


def item_key(item: dict[str, Any]) -> str:
    """A short key for the item as shown (its id and version): every form widget of the item carries it, so
    no value typed for one item, or for one state of it, is ever sent for another."""
    return hashlib.sha256(f"{item['id']}|{item['version']}".encode()).hexdigest()[:12]


def act(label: str, path: str, body: Any, item: dict[str, Any]) -> None:
    """A write on ``item`` through the API, bound to the version it was shown in (``If-Match``). The
    Idempotency-Key is the item, its version, the action and the body: a double click or a resend is a replay
    of the first answer, never a second action. On success the item's form is gone and the page says what
    was done; the next item is the user's choice."""
    digest = hashlib.sha256(json.dumps([item["id"], item["version"], path, body], sort_keys=True,
                                       default=str).encode()).hexdigest()
    pending = {"label": label, "path": path, "body": body,
               "item": {k: item.get(k) for k in ("id", "version", "case_id", "month", "amount")},
               "headers": {"If-Match": f'"{item["version"]}"', "Idempotency-Key": f"page-{digest[:40]}"}}
    st.session_state["pending"] = pending  # a run cut off by a second click resends it: a replay, not a 2nd action
    finish(pending)


def finish(pending: dict[str, Any]) -> None:
    """Send (or resend) a pending write; on success remember what was done and draw the page again. A resend
    that meets the first request still running waits for its answer (a replay), never a second action."""
    import time

    try:
        for attempt in range(20):
            try:
                answer = call("POST", pending["path"], body=pending["body"], headers=pending["headers"])
                break
            except InProgress:
                if attempt == 19:
                    raise
                time.sleep(0.25)
    except ApiError as error:
        st.session_state.pop("pending", None)
        st.error(f"{pending['label']}: {plain(error)}")
        return
    item, body = pending["item"], pending["body"] or {}
    shown = (answer.get("subsidy") if isinstance(answer, dict) else None) or item.get("amount")
    st.session_state["done"] = {
        "label": pending["label"], "case_id": item["case_id"], "month": item["month"], "amount": shown,
        "by": body.get("by") or body.get("released_by") or body.get("decided_by") or body.get("registered_by")
        or st.session_state.get("by", "").strip()}
    st.session_state.pop("pending", None)
    st.session_state["clear_item"] = True
    st.rerun()


def day(text: str) -> str:
    return date_da(dt.date.fromisoformat(text))



page_setup()  # Danish page language and readable notes, also when opened by its own address
st.title("Sagsbehandlerens arbejdsbord")
st.caption("Arbejdslisten på tværs af sager, sagens måneder og efterreguleringerne. Alt hentes og registreres "
           "gennem API'et med din egen nøgle og logges. En mulig tilbagebetaling opkræves aldrig automatisk.")

staff_key_inputs("arbejdslisten og sagerne")

if st.session_state.get("pending"):
    finish(st.session_state["pending"])  # a write whose run was cut off: the same request again is a replay
if st.session_state.pop("clear_item", False):
    st.session_state["item"] = None  # the finished item's form is gone; the next item is the user's choice
done_box = st.empty()  # what was just done: shown until the user chooses the next item (below)
if st.session_state.get("flash"):
    st.success(st.session_state.pop("flash"))

# ---------------------------------------------------------------------------------------------- worklist
st.header("Arbejdsliste")
filters = st.columns(4)
chosen = filters[0].multiselect("Slags", list(KIND_LABELS_DA), format_func=lambda k: KIND_LABELS_DA[k], key="kinds")
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
               "Hvad betyder det": i["kind_plain_da"], "Alder (dage)": str(i["age_days"]), "Beløb": money(i["amount"]),
               "Hvad": i["label_da"]} for i in items])
    if len(items) == 200:
        st.caption("Viser de 200 ældste opgaver; brug filtrene for at se andre.")
else:
    st.write("Ingen opgaver.")

# ---------------------------------------------------------------------------------------------- actions
st.header("Handl på en opgave")
GROUNDS = {
    "own_information": "Borgeren har selv givet oplysningerne (forvaltningsloven § 19, stk. 1 gælder ikke)",
    "fvl_19_2_1": "Ubetænkeligt at afgøre på det foreliggende grundlag (§ 19, stk. 2, nr. 1)",
    "fvl_19_2_2": "En lovbestemt frist ville blive overskredet (§ 19, stk. 2, nr. 2)",
    "fvl_19_2_3": "Formålet med afgørelsen ville forspildes (§ 19, stk. 2, nr. 3)",
    "fvl_19_2_4": "Borgeren har ikke ret til aktindsigt i oplysningerne (§ 19, stk. 2, nr. 4)",
    "fvl_19_2_5": "Væsentlige offentlige eller private interesser taler imod (§ 19, stk. 2, nr. 5)",
}
by_id = {i["id"]: i for i in items}
if st.session_state.get("item") not in by_id:
    st.session_state["item"] = None  # the item shown before is done or changed: nothing is chosen for the user
labels = {i["id"]: f"{i['case_id']} · {month_name(Month.parse(i['month']))} · {i['kind_da']}"
          + (f" · {money(i['amount'])}" if i["amount"] else "") for i in items}
chosen_id = st.selectbox("Opgave", list(by_id), format_func=lambda n: labels[n], key="item", index=None,
                         placeholder="Vælg en opgave") if items else None
choice = by_id.get(chosen_id) if chosen_id else None
# The message of what was done stays until an item is chosen again. It is decided here, from the item the
# page really shows, not by the selectbox's change event: a second click sent by a browser that has not yet
# seen the finished item go away would otherwise count as a new choice and hide the message.
if choice is not None:
    st.session_state.pop("done", None)
done = st.session_state.get("done")
if done:
    done_box.success(f"Udført: {done['label']} — sag {done['case_id']}, {month_name(Month.parse(done['month']))}"
                     + (f", {money(done['amount'])}" if done.get("amount") else "")
                     + f", af {done['by'] or '—'}. Vælg den næste opgave i listen.")
if choice is not None:
    names = {a["action"]: a for a in choice["actions"]}
    today = dt.date.today().isoformat()
    k = item_key(choice)
    st.info(f"Du handler på: sag {choice['case_id']}, {month_name(Month.parse(choice['month']))}, "
            f"{choice['kind_da'].lower()}" + (f", {money(choice['amount'])}" if choice["amount"] else "")
            + f". {choice['kind_plain_da']}")
    if choice.get("correction_id"):  # the letters page: draft, preview, approve and record the letter sent
        st.markdown(f"[Skriv brev om efterregulering {int(choice['correction_id'])} (sag {plain(choice['case_id'])})]"
                    f"(breve?case={quote(str(choice['case_id']))}&correction={int(choice['correction_id'])})")
    if choice["kind"] == "possible_duplicate":
        d = choice["details"]
        st.info(f"Spørg arbejdsgiver {plain(d['employer_id'])}, om lønnen for "
                f"{month_name(Month.parse(d['basis_month']))} er sendt to gange "
                f"({plain(', '.join(d['report_ids']))}). "
                "Er den det, sender arbejdsgiveren en tilbageførsel af den ene. Begge tæller, indtil det sker.")
    if "hearing" in names:
        with st.form(f"hearing_form_{k}"):
            st.subheader("Partshøring holdt")
            channel = st.radio("Hvordan", ["letter", "oral"], key=f"hearing_channel_{k}", horizontal=True,
                               format_func=lambda c: {"letter": "Brev", "oral": "Mundtlig (møde eller telefon)"}[c])
            sent_on = st.text_input("Brevets dato eller dagen for den mundtlige høring (ÅÅÅÅ-MM-DD)", value=today,
                                    key=f"hearing_sent_on_{k}")
            reply_by = st.text_input("Svarfrist (ÅÅÅÅ-MM-DD; tom: 14 dage efter)", key=f"hearing_reply_by_{k}")
            letter = st.text_input("Brevets id i sagen (valgfrit)", key=f"hearing_letter_{k}")
            held_by = st.text_input("Mundtlig: hvem holdt høringen, og hvem deltog", key=f"hearing_held_by_{k}")
            if st.form_submit_button("Registrér partshøring", key=f"hearing_submit_{k}") and (by := who()):
                act("Partshøring", names["hearing"]["href"],
                    {"sent_on": sent_on, "reply_by": reply_by or None, "by": by, "letter_id": letter or None,
                     "channel": channel, "held_by": held_by or None}, choice)
    if "exception" in names:
        with st.form(f"exception_form_{k}"):
            st.subheader("Ingen partshøring: hjemmel")
            ground = st.selectbox("Hjemmel", list(GROUNDS), format_func=lambda g: GROUNDS[g],
                                  key=f"exception_ground_{k}")
            explanation = st.text_area("Hvorfor gælder det i denne sag?", key=f"exception_explanation_{k}")
            if st.form_submit_button("Registrér undtagelse", key=f"exception_submit_{k}") and (by := who()):
                act("Undtagelse fra partshøring", names["exception"]["href"],
                    {"ground": ground, "explanation": explanation, "by": by}, choice)
    if "reply" in names:
        with st.form(f"reply_form_{k}"):
            st.subheader("Svar på partshøring")
            received_on = st.text_input("Svaret modtaget (ÅÅÅÅ-MM-DD)", value=today, key=f"reply_received_on_{k}")
            summary = st.text_area("Hvad svaret siger (kort)", key=f"reply_summary_{k}")
            if st.form_submit_button("Registrér svar", key=f"reply_submit_{k}") and (by := who()):
                act("Svar på partshøring", names["reply"]["href"],
                    {"received_on": received_on, "summary": summary, "by": by}, choice)
    if "decide" in names:
        with st.form(f"decide_form_{k}"):
            st.subheader("Afgørelse om mulig tilbagebetaling")
            outcome = st.radio("Afgørelse", list(OUTCOMES), format_func=lambda o: OUTCOMES[o],
                               key=f"decide_outcome_{k}")
            reason = st.text_area("Begrundelse til brevet (vidste eller burde borgeren vide det?)",
                                  key=f"decide_reason_{k}")
            reply_summary = st.text_area("Borgerens svar, kort (til brevet)", key=f"decide_reply_summary_{k}")
            reply_weighing = st.text_area("Sådan har vi vurderet svaret (til brevet)", key=f"decide_reply_weighing_{k}")
            note = st.text_area("Intern note (kommer ikke i brevet)", key=f"decide_note_{k}")
            if st.form_submit_button("Registrér afgørelse", key=f"decide_submit_{k}") and (by := who()):
                act("Afgørelse", names["decide"]["href"],
                    {"outcome": outcome, "reason": reason, "decided_by": by, "reply_summary": reply_summary or None,
                     "reply_weighing": reply_weighing or None, "internal_note": note or None}, choice)
    if "release" in names:
        with st.form(f"release_form_{k}"):
            st.subheader("Frigiv foreløbig udbetaling på dokumenteret løn")
            wage = st.text_input("Dokumenteret løn inkl. pension (kr.)", key=f"release_wage_{k}")
            documentation = st.text_input("Dokumentation (fx lønseddel maj 2024)", key=f"release_documentation_{k}")
            if st.form_submit_button("Frigiv udbetaling", key=f"release_submit_{k}") and (by := who()):
                act("Foreløbig udbetaling", names["release"]["href"],
                    {"wage": wage, "documentation": documentation, "released_by": by}, choice)
    if "reconcile" in names:
        with st.form(f"reconcile_item_form_{k}"):
            st.subheader("Efterregulering af måneden")
            if st.form_submit_button("Kør efterregulering nu", key=f"reconcile_item_submit_{k}"):
                act("Efterregulering", names["reconcile"]["href"], {}, choice)

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
        st.warning(f"**{title}**: {plain(m['held']['reason_da'])}")
    for c in m["corrections"]:
        shown = True
        difference = Decimal(c["difference"])
        regulation = c.get("track") == "regulation"
        kind = "efterbetaling" if difference > 0 else "regulering" if regulation else "mulig tilbagebetaling"
        with st.container(border=True):
            st.markdown(f"**{title}** — {kind} {kr(difference, sign=True)} ({plain(c['reason_text_da'])})")
            st.markdown(without_citations(c["explanation_da"]))
            if c["status"] == "repayment_review" and not regulation:
                d = c["decision"]
                if d:
                    outcome = "opkræves" if d["outcome"] == "collect" else "frafaldes"
                    st.markdown(f"Afgørelse: {outcome} — {plain(d['reason'])} ({plain(d['decided_by'])})")
                else:
                    try:
                        hearing = call("GET", f"/v1/cases/{case_id}/corrections/{c['id']}/hearing")
                        state = hearing["status_da"]
                        if hearing["sent_on"]:
                            state += (f" (brev {day(hearing['sent_on'])}, svarfrist {day(hearing['reply_by'])}"
                                      + (f", svar {day(hearing['received_on'])}: {plain(hearing['summary'])}"
                                         if hearing["received_on"] else "") + ")")
                    except ApiError:
                        state = "partshøringens status kan ikke hentes"
                    st.markdown(f"Afventer afgørelse (opkræv eller frafald) — {state}.")
            st.caption(f"Årsag: {plain(', '.join(c['caused_by'])) or 'ingen ny indberetning'} · "
                       f"Hjemmel: {c['legal_basis']}")
if not shown:
    st.write("Ingen efterreguleringer eller tilbageholdte måneder.")

# ---------------------------------------------------------------------------------------------- case actions
st.subheader("Registrér månedens hændelser")
events_month = st.text_input("Ydelsesmåned (ÅÅÅÅ-MM)", key="events_month")
if events_month.strip():
    try:
        shown_month = call("GET", f"/v1/cases/{case_id}/months/{events_month.strip()}")
    except ApiError as error:
        st.error(f"Hændelser: {error}")
    else:
        target = {"id": f"events~{case_id}~{events_month.strip()}", "version": shown_month["version"],
                  "case_id": case_id, "month": events_month.strip(), "amount": None}
        k = item_key(target)
        with st.form(f"events_form_{k}"):
            events_text = st.text_area("Hændelser (JSON som beregningens events)", key=f"events_json_{k}", help=(
                'Fx {"periods": [{"kind": "sickness_unpaid", "start": "2024-02-12", "end": "2024-02-23"}], '
                '"sickness_benefit": "8000"}. Et tomt objekt {} siger, at der ikke skete noget alligevel.'))
            received_at = st.text_input("Kommunen fik kendskab (ÅÅÅÅ-MM-DD; tom: nu)", key=f"events_received_at_{k}")
            document = st.text_input("Dokument (fx lægeerklæring)", key=f"events_document_{k}")
            if st.form_submit_button("Registrér hændelser", key=f"events_submit_{k}") and (by := who()):
                try:
                    events = json.loads(events_text or "{}")
                except ValueError:
                    st.error("Hændelser: er ikke gyldig JSON.")
                else:
                    act("Hændelser", f"/v1/cases/{case_id}/months/{events_month.strip()}/events",
                        {"events": events, "received_at": received_at.strip() or None, "registered_by": by,
                         "document": document.strip() or None}, target)

st.subheader("Efterregulering")
with st.form("reconcile_form"):
    as_of = st.text_input("Kendt til og med (ÅÅÅÅ-MM-DD; tom: nu)", key="reconcile_as_of")
    if st.form_submit_button("Kør efterregulering af sagen", key="reconcile_submit"):
        # the whole case against what is known: no item's state to bind (the months' own actions are above)
        try:
            call("POST", "/v1/reconciliations",
                 body={"as_of": as_of.strip() or dt.datetime.now(dt.UTC).isoformat(), "case_ids": [case_id]})
        except ApiError as error:
            st.error(f"Efterregulering: {error}")
        else:
            st.session_state["flash"] = "Efterregulering: registreret."
            st.rerun()
