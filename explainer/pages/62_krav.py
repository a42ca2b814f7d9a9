# title: Sagsbehandler: tilbagebetalingskrav
"""The caseworker's page of repayment claims (LAB § 125): every claim with its balance, status, due date and
limitation date; one claim's events; and the actions — register a payment, fix an instalment plan (an amount,
or from the person's income by the debt-collection order's table), hand the claim over to Gældsstyrelsen — and
the demand letter as PDF, and a claim handed over shows the file sent (made again by the API from the ledger).

Everything goes through the API with the caseworker's own key (``Authorization: Bearer``), so every read and
write is checked and audited as the API's are; each write names the balance the caseworker saw
(``balance_seen``), so a claim changed since (a set-off in a payment run, a payment registered by someone
else) is refused and nothing is stored. The page never opens the database. The API's address is FLEXCALC_API
(set by ``flexcalc serve``), else http://127.0.0.1:8000."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from explainer.components import page_setup  # noqa: E402
from explainer.staff_api import ApiError, answer, request, who  # noqa: E402
from flexcalc.text_da.format import date_da, kr  # noqa: E402

STATUS_DA = {"open": "åbent", "paid": "betalt", "handed_over": "sendt til inddrivelse", "time_barred": "forældet"}
METHODS = {"instalment": "Afdrag (borgeren betaler)", "setoff": "Modregning i tilskuddet", "deferral": "Henstand"}


def call(method: str, path: str, *, params: Any = None, body: Any = None) -> Any:
    """One API call with the caseworker's key (a write with its own Idempotency-Key); the JSON answer, or the
    raw bytes of a PDF or a CSV file. A write refused because the claim changed since is said so."""
    return answer(request(method, path, params=params, body=body, conflict_da={
        "balance_seen": "Kravet er ændret, siden det blev vist. Intet er gemt. Se kravet igen."}))


def cell_date(text: str) -> str:
    """A date for a table cell: "9.\u00a0juni 2024" (a non-breaking space, so "9. " is not read as a numbered
    list in the cell's markdown)."""
    return date_da(dt.date.fromisoformat(text)).replace(". ", ".\u00a0", 1)



def write(path: str, body: dict[str, Any], done: str) -> None:
    try:
        call("POST", path, body=body)
    except ApiError as error:
        st.error(str(error))
        return
    st.session_state["claims_done"] = done
    st.rerun()


page_setup()
st.title("Tilbagebetalingskrav")
st.caption("Krav efter en afgørelse om tilbagebetaling (LAB § 125): restgæld, afdrag, modregning og "
           "overdragelse til Gældsstyrelsen. Alt hentes og registreres gennem API'et med din egen nøgle og logges.")
key_col, by_col = st.columns(2)
key_col.text_input("Din API-nøgle", type="password", key="api_key")
by_col.text_input("Dine initialer", key="by", help="Registreres som den, der handler (fx sb-17).")
if not st.session_state.get("api_key", "").strip():
    st.info("Skriv din API-nøgle for at se kravene. Har du ingen, laver en administrator en med kommandoen: "
            "flexcalc keys create --role caseworker")
    st.stop()

filters = st.columns(2)
case_filter = filters[0].text_input("Kun sagen", key="claims_case").strip()
as_of = filters[1].text_input("Dato (ÅÅÅÅ-MM-DD; tom: i dag)", key="claims_as_of").strip()
params = {k: v for k, v in (("case", case_filter), ("as_of", as_of)) if v}
try:
    claims = call("GET", "/v1/claims", params=params)
except ApiError as error:
    st.error(str(error))
    st.stop()
if st.session_state.get("claims_done"):
    st.success(st.session_state.pop("claims_done"))
if not claims:
    st.info("Der er ingen tilbagebetalingskrav" + (f" i sag {case_filter}." if case_filter else "."))
    st.stop()

st.table([{"Krav": f"FLX-{c['id']}", "Sag": c["case_id"], "Måned": c["concerns_month"],
           "Beløb": kr(Decimal(c["amount"])), "Restgæld": kr(Decimal(c["balance"])),
           "Status": STATUS_DA.get(c["status"], c["status"]), "Forfald": cell_date(c["due_date"]),
           "Forældelse": cell_date(c["limitation_date"]),
           "Ordning": METHODS.get(c["plan"]["method"], "") if c["plan"] else "ingen"} for c in claims])

chosen = st.selectbox("Vælg et krav", [c["id"] for c in claims], format_func=lambda i: f"FLX-{i}", key="claim_id")
claim = next(c for c in claims if c["id"] == chosen)
balance = claim["balance"]
st.subheader(f"Krav FLX-{claim['id']} i sag {claim['case_id']}")
st.metric("Restgæld", kr(Decimal(balance)))
st.caption(f"Regler: {claim['legal_basis']}. Fordringstype {claim['claim_type']}.")
if claim["events"]:
    st.table([{"Dato": cell_date(e["on_date"]), "Hændelse": e["kind"],
               "Beløb": kr(Decimal(e["amount"])) if e["amount"] else "", "Tekst": e["reference"] or "",
               "Af": e["by"]} for e in claim["events"]])
try:
    letter = call("GET", f"/v1/cases/{claim['case_id']}/claims/{claim['id']}/letter",
                  params={"format": "pdf", **({"as_of": as_of} if as_of else {})})
    st.download_button("Hent opkrævningen (PDF)", data=letter, file_name=f"opkraevning-FLX-{claim['id']}.pdf",
                       mime="application/pdf", key="claim_letter")
except ApiError as error:
    st.error(str(error))

if claim["handover"]:
    try:
        handed = call("GET", f"/v1/claims/{claim['id']}/handover-file")
        st.markdown(f"**Overdragelsesfilen** ({claim['handover']['file']}, sendt "
                    f"{date_da(dt.date.fromisoformat(claim['handover']['on_date']))} af {claim['handover']['by']})")
        st.code(handed.decode("utf-8"), language=None)
        st.download_button("Hent overdragelsesfilen (CSV)", data=handed, file_name=claim["handover"]["file"],
                           mime="text/csv", key="claim_handover_file")
    except ApiError as error:
        st.error(str(error))

if claim["status"] != "open":
    st.info(f"Kravet er {STATUS_DA.get(claim['status'], claim['status'])}: der kan ikke registreres mere her.")
    st.stop()
today = as_of or dt.date.today().isoformat()
base = {"balance_seen": balance, "on": today}

with st.form("claim_payment"):
    st.markdown("**Registrér en indbetaling**")
    paid = st.text_input("Beløb (kr.)", key="pay_amount")
    reference = st.text_input("Reference (fx bankens tekst)", key="pay_reference")
    if st.form_submit_button("Registrér indbetalingen") and (name := who()):
        write(f"/v1/claims/{claim['id']}/payments", {**base, "amount": paid, "reference": reference or None,
                                                       "by": name}, f"Indbetaling på {paid} kr. er registreret.")

with st.form("claim_plan"):
    st.markdown("**Fastsæt en afdragsordning**")
    method = st.selectbox("Ordning", list(METHODS), format_func=lambda m: METHODS[m], key="plan_method")
    monthly = st.text_input("Beløb pr. måned (kr.; tomt: efter indkomst eller uden indkomstoplysninger)",
                            key="plan_monthly")
    income = st.text_input("Nettoindkomst om året (kr.; beløbet beregnes efter tabellen)", key="plan_income")
    provider = st.checkbox("Har forsørgerpligt over for børn", key="plan_provider")
    first = st.text_input("Første måned (ÅÅÅÅ-MM; tom: næste)", key="plan_first")
    reason = st.text_input("Begrundelse", key="plan_reason")
    if st.form_submit_button("Gem ordningen") and (name := who()):
        body = {**base, "method": method, "reason": reason, "by": name, "provider": provider,
                "monthly_amount": monthly or None, "net_income": income or None, "first_month": first or None}
        write(f"/v1/claims/{claim['id']}/plan", body, "Afdragsordningen er gemt.")

with st.form("claim_handover"):
    st.markdown("**Send kravet til Gældsstyrelsen**")
    if st.form_submit_button("Send til inddrivelse") and (name := who()):
        write(f"/v1/claims/{claim['id']}/handover", {**base, "by": name}, "Kravet er sendt til inddrivelse.")
