# title: Breve: høringsbrev, afgørelse og månedsspecifikation
"""The caseworker's letters page: draft a hearing letter, a decision letter or a monthly specification,
see the PDF itself (a download and a picture of its first page), approve it and record that it was sent —
with the corrections each letter is about shown by id. No step needs the terminal.

Every read and write goes through the API with the caseworker's own key (``Authorization: Bearer``); the
page never opens the database. Approving and recording "sent" state the draft's ``content_sha256`` as it
was shown, so the API refuses a draft that changed or was superseded by a newer one (409) and stores
nothing. The workbench links here with ``?case=S2&correction=5``. The API's address is FLEXCALC_API (set
by ``flexcalc serve``), else http://127.0.0.1:8000."""

from __future__ import annotations

import base64
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from explainer.components import page_setup, staff_key_inputs  # noqa: E402
from explainer.staff_api import ApiError, request, who  # noqa: E402
from flexcalc.period import Month  # noqa: E402
from flexcalc.text_da.format import date_da, kr, month_name  # noqa: E402

KINDS = {"hearing": "Høringsbrev (partshøring)", "decision": "Afgørelsesbrev", "specification": "Månedsspecifikation"}
KIND_SHORT = {"hearing": "høringsbrev", "decision": "afgørelse", "specification": "specifikation"}
DRAFT_CHANNELS = {"digital_post": "Digital Post (borgeren får brevet samme dag)",
                  "paper": "Papirbrev med posten (borgeren får det 6 postdage senere)"}
SENT_CHANNELS = {"digital_post": "Digital Post", "post": "Med posten", "in_person": "Udleveret personligt"}
ALLOWED_SENT = {"digital_post": ["digital_post"], "paper": ["post", "in_person"], None: list(SENT_CHANNELS)}
STATUS_DA = {"draft": "Udkast", "approved": "Godkendt", "sent": "Sendt"}
CORRECTION_STATUS_DA = {"payable": "Efterbetaling", "repayment_review": "Mulig tilbagebetaling"}


def call(method: str, path: str, *, params: Any = None, body: Any = None) -> Any:
    """One API call with the caseworker's key (a write with a fresh Idempotency-Key); the JSON answer."""
    return request(method, path, params=params, body=body, timeout=90).json()


def post_then_say(path: str, body: dict[str, Any], failed_da: str, done_da: Callable[[dict[str, Any]], str]) -> None:
    """A write on the letter shown; on success the page is drawn again saying what was done, else why not."""
    try:
        done = call("POST", path, body=body)
    except ApiError as error:
        st.error(f"{failed_da}: {error}")
        return
    st.session_state["flash"] = done_da(done)
    st.rerun()



def first_page_png(pdf: bytes) -> bytes:
    """The PDF's first page as a PNG picture (pypdfium2), for the preview."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1.4).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        document.close()


def letter_label(letter: dict[str, Any]) -> str:
    ids = ", ".join(f"#{i}" for i in letter["correction_ids"]) or "ingen"
    day = date_da(dt.date.fromisoformat(letter["letter_date"]))
    return (f"Brev {letter['id']} · {KIND_SHORT[letter['kind']]} · {day} · efterreguleringer {ids} · "
            f"{STATUS_DA[letter['status']]}")


def query_value(name: str) -> str:
    value = st.query_params.get(name, "")
    return str(value).strip()


page_setup()
st.title("Breve")
st.caption("Lav et udkast til et høringsbrev, et afgørelsesbrev eller en månedsspecifikation. Se selve PDF'en, "
           "godkend brevet, og registrér, at det er sendt. Systemet sender aldrig selv et brev. Alt går gennem "
           "API'et med din egen nøgle og logges.")

staff_key_inputs("sagens breve")

try:
    call("GET", "/v1/cases", params={"limit": 1})  # a caseworker's list: another role's key sees nothing here
except ApiError as error:
    st.error(str(error))
    st.stop()

if st.session_state.get("flash"):
    st.success(st.session_state.pop("flash"))

if "case_id" not in st.session_state:
    st.session_state["case_id"] = query_value("case")
case_id = st.text_input("Sag", key="case_id",
                        help="Sagens nummer, fx S2. Arbejdsbordet kan åbne siden med sagen valgt.")
if not case_id.strip():
    st.info("Skriv sagens nummer for at se dens efterreguleringer og breve.")
    st.stop()
case_id = case_id.strip()

try:
    corrections = call("GET", f"/v1/cases/{case_id}/corrections", params={"limit": 200})
    letters = call("GET", f"/v1/cases/{case_id}/letters", params={"limit": 200})
except ApiError as error:
    st.error(f"Sag {case_id}: {error}")
    st.stop()

# ------------------------------------------------------------------------------------------ corrections
st.header("Sagens efterreguleringer")
if corrections:
    st.table([{"Id": f"#{c['id']}", "Måned": month_name(Month.parse(c["benefit_month"])),
               "Forskel": kr(c["difference"]), "Slags": CORRECTION_STATUS_DA.get(c["status"], c["status"]),
               "Afgørelse": {"collect": "Opkræves", "waive": "Frafaldet"}.get(
                   (c.get("decision") or {}).get("outcome", ""), "Ingen endnu")} for c in corrections])
else:
    st.write("Sagen har ingen efterreguleringer.")

# ------------------------------------------------------------------------------------------------ draft
st.header("Nyt udkast")
repayments = [c for c in corrections if c["status"] == "repayment_review"]
undecided = [c["id"] for c in repayments if not c.get("decision")]
decided = [c["id"] for c in repayments if c.get("decision")]
linked = query_value("correction")
linked_id = int(linked) if linked.isdigit() else None
default_kind = "specification"
if linked_id in decided:
    default_kind = "decision"
elif linked_id in undecided:
    default_kind = "hearing"
kind = st.radio("Slags brev", list(KINDS), format_func=lambda k: KINDS[k], key="draft_kind",
                index=list(KINDS).index(default_kind), horizontal=True)
with st.form("draft_form"):
    body: dict[str, Any] = {}
    if kind == "hearing":
        chosen = st.multiselect("Efterreguleringer (mulige tilbagebetalinger uden afgørelse)", undecided,
                                default=[linked_id] if linked_id in undecided else undecided[:1],
                                format_func=lambda i: f"#{i}", key="draft_hearing_ids")
        body["correction_ids"] = chosen
    elif kind == "decision":
        if decided:
            one = st.selectbox("Efterregulering med afgørelse", decided, format_func=lambda i: f"#{i}",
                               index=decided.index(linked_id) if linked_id in decided else 0, key="draft_decision_id")
            body["correction_id"] = one
        else:
            st.write("Ingen efterregulering på sagen har en afgørelse endnu.")
    else:
        default_month = next((c["benefit_month"] for c in corrections if c["id"] == linked_id), "")
        body["month"] = st.text_input("Udbetalt ydelsesmåned (ÅÅÅÅ-MM)", value=default_month, key="draft_month")
        body["case_id"] = case_id
    letter_date = st.date_input("Brevets dato", value=dt.date.today(), format="DD.MM.YYYY", key="draft_date")
    channel = st.radio("Sendes med", list(DRAFT_CHANNELS), format_func=lambda c: DRAFT_CHANNELS[c],
                       key="draft_channel", help="Klagefristen i brevet regnes fra den dag, borgeren får brevet.")
    if st.form_submit_button("Lav udkast", key="draft_submit") and (by := who()):
        body.update({"date": letter_date.isoformat(), "channel": channel, "created_by": by})
        if kind == "hearing" and not body.get("correction_ids"):
            st.error("Vælg mindst én efterregulering.")
        elif kind == "decision" and "correction_id" not in body:
            st.error("Der er ingen afgjort efterregulering at skrive om.")
        else:
            try:
                made = call("POST", f"/v1/letters/{kind}", body=body)
            except ApiError as error:
                st.error(f"Udkastet blev ikke lavet: {error}")
            else:
                st.session_state["letter_choice"] = made["id"]
                about = ", ".join(f"#{i}" for i in made["correction_ids"]) or "ingen"
                st.session_state["flash"] = (f"Udkast lavet: brev {made['id']} ({KIND_SHORT[kind]}, sag {case_id}, "
                                             f"efterreguleringer {about}).")
                st.rerun()

# -------------------------------------------------------------------------------------------- letters
st.header("Sagens breve")
if not letters:
    st.write("Sagen har ingen breve endnu.")
    st.stop()
st.table([{"Brev": letter["id"], "Slags": KIND_SHORT[letter["kind"]],
           "Dato": date_da(dt.date.fromisoformat(letter["letter_date"])),
           "Efterreguleringer": ", ".join(f"#{i}" for i in letter["correction_ids"]) or "–",
           "Kanal": {"digital_post": "Digital Post", "paper": "Papirbrev"}.get(letter.get("draft_channel") or "", "–"),
           "Status": STATUS_DA[letter["status"]],
           "Godkendt af": letter["approved_by"] or "–",
           "Sendt": (f"{letter['sent_at'][:10]} ({SENT_CHANNELS.get(letter['channel'], letter['channel'])})"
                     if letter["sent_at"] else "–")} for letter in letters])

ids = [letter["id"] for letter in letters]
choice = st.session_state.get("letter_choice")
index = ids.index(choice) if choice in ids else len(ids) - 1
by_id = {letter["id"]: letter for letter in letters}
letter_id = st.selectbox("Vis brev", ids, index=index, format_func=lambda i: letter_label(by_id[i]), key="letter_pick")
st.session_state["letter_choice"] = letter_id

try:
    shown = call("GET", f"/v1/letters/{letter_id}")
    pdf = request("GET", f"/v1/letters/{letter_id}", params={"format": "pdf"}, timeout=90).content
except ApiError as error:
    st.error(f"Brev {letter_id}: {error}")
    st.stop()

st.subheader(f"Brev {letter_id}: {shown['subject']}")
facts = [f"Status: {STATUS_DA[shown['status']]}",
         f"Efterreguleringer: {', '.join(f'#{i}' for i in shown['correction_ids']) or 'ingen'}",
         f"Brevets dato: {shown['letter_date_da']}"]
if shown.get("draft_channel"):
    facts.append(f"Skrevet til: {DRAFT_CHANNELS[shown['draft_channel']].split(' (')[0]}")
if shown.get("complaint_deadline"):
    facts.append(f"Klagefrist i brevet: {date_da(dt.date.fromisoformat(shown['complaint_deadline']))}")
if shown.get("reply_by"):
    facts.append(f"Svarfrist i brevet: {date_da(dt.date.fromisoformat(shown['reply_by']))}")
facts.append(f"Udgave (SHA-256): {shown['content_sha256'][:12]}")
st.markdown("\n".join(f"- {line}" for line in facts))

st.download_button("Hent brevet som PDF", data=pdf, file_name=f"brev-{letter_id}.pdf", mime="application/pdf",
                   key="pdf_download")
picture = base64.b64encode(first_page_png(pdf)).decode()
st.markdown(f'<figure class="letter-preview"><img src="data:image/png;base64,{picture}" '
            f'alt="Første side af brev {letter_id} som PDF: {shown["subject"]}" '
            'style="max-width: 100%; border: 1px solid #767676;"><figcaption>Første side af PDF\'en, '
            'som borgeren får den.</figcaption></figure>', unsafe_allow_html=True)

# ------------------------------------------------------------------------------------------- actions
sha = shown["content_sha256"]
if shown["status"] == "draft":
    with st.form("approve_form"):
        st.write(f"Godkend brev {letter_id} som vist ovenfor (udgave {sha[:12]}). Det er stadig ikke sendt.")
        if st.form_submit_button("Godkend brevet", key="approve_submit") and (by := who()):
            post_then_say(f"/v1/letters/{letter_id}/approval", {"approved_by": by, "content_sha256": sha},
                          "Brevet blev ikke godkendt", lambda done: (
                              f"Brev {letter_id} (sag {done['case_id']}) er godkendt af {done['approved_by']}."))
elif shown["status"] == "approved":
    allowed = ALLOWED_SENT.get(shown.get("draft_channel"), list(SENT_CHANNELS))
    with st.form("sent_form"):
        how = st.radio("Hvordan blev brevet sendt?", allowed, format_func=lambda c: SENT_CHANNELS[c],
                       key="sent_channel")
        if st.form_submit_button("Registrér som sendt", key="sent_submit") and (by := who()):
            post_then_say(f"/v1/letters/{letter_id}/sending", {"sent_by": by, "channel": how, "content_sha256": sha},
                          "Brevet blev ikke registreret som sendt", lambda done: (
                              f"Brev {letter_id} (sag {done['case_id']}) er registreret som sendt "
                              f"({SENT_CHANNELS[how]}) af {done['sent_by']}."))
else:
    st.write(f"Brevet er sendt {shown['sent_at'][:10]} ({SENT_CHANNELS.get(shown['channel'], shown['channel'])}) "
             f"af {shown['sent_by']}.")
