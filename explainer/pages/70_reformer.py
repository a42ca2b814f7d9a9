# title: Reformer: hvad hvis reglerne ændres?
"""The analyst page: choose or upload a reform, see its cost, winners and losers by weekly hour band, and the
hours curve of a typical person before and after. Every number comes from ``flexcalc.reforms`` (the exact
kernel and the reform's exact rules); every sentence from ``flexcalc.text_da.reforms``."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import (  # noqa: E402
    amount_input,
    month_input,
    page_setup,
    show_error,
)
from explainer.reform_charts import band_chart, curve_chart  # noqa: E402
from fixtures.population import generate  # noqa: E402
from flexcalc.citizen.scenarios import MAX_HOURLY, Job  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.period import Month  # noqa: E402
from flexcalc.reforms import load_reform, reform_from_text  # noqa: E402
from flexcalc.reforms.curve import hours_curve  # noqa: E402
from flexcalc.reforms.run import compare_table  # noqa: E402
from flexcalc.text_da.format import kr, month_name, number  # noqa: E402
from flexcalc.text_da.reforms import (  # noqa: E402
    band_sentence_da,
    cost_sentence_da,
    curve_sentence_da,
    keep_sentence_da,
    winners_sentence_da,
)

EXAMPLES = {load_reform(p).name: p for p in sorted((ROOT / "fixtures" / "reforms").glob("*.yaml"))
            if p.name != "hand_computed.yaml"}
MAX_UPLOAD_MB = 50  # people files larger than this are refused on the page (use `flexcalc reform run` for those)


@st.cache_data(show_spinner=False)
def synthetic_people(people: int, seed: int) -> pa.Table:
    return generate(people, seed=seed)


def uploaded_people(upload) -> pa.Table:  # type: ignore[no-untyped-def]
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise InputError("people", f"the file is larger than {MAX_UPLOAD_MB} MB",
                         f"filen er større end {MAX_UPLOAD_MB} MB; brug flexcalc reform run", code="file_too_large")
    try:
        if upload.name.lower().endswith(".csv"):
            return pacsv.read_csv(io.BytesIO(data))
        return pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as error:
        raise InputError("people", f"not a readable file: {error}", "filen kan ikke læses som CSV eller Parquet",
                         code="file_malformed") from None


page_setup()  # Danish page language and readable notes, also when opened by its own address
st.title("Reformer: hvad hvis reglerne ændres?")
st.write(
    "Her kan du lægge et forslag til nye regler ved siden af reglerne i dag for en hel gruppe af personer i "
    "fleksjob. Du ser, hvad det koster, hvem der får mere eller mindre, og om det bedre kan betale sig at "
    "arbejde en time mere. Alle beløb er eksakte og før skat."
)

left, right = st.columns(2)
with left:
    choice = st.selectbox("Vælg en reform", list(EXAMPLES), key="reform_choice",
                          help="Eksemplerne ligger i fixtures/reforms/ og henviser til de forslag, de bygger på.")
    upload = st.file_uploader("… eller hent en reformfil (YAML)", type=["yaml", "yml"], key="reform_upload")
    pasted = st.text_area("… eller skriv reformen her (YAML)", value="", key="reform_text", height=120,
                          help="Samme form som filerne i fixtures/reforms/. Står der noget her, bruges det.")
with right:
    month = month_input("Ydelsesmåned (ÅÅÅÅ-MM)", "month", Month(2024, 3),
                        help="Måneden, hvis satser bruges; lønnen er månedens før.")
    people_count = st.number_input("Antal personer i den syntetiske befolkning", min_value=100, max_value=200_000,
                                   value=20_000, step=1_000, key="people",
                                   help="Befolkningen følger de offentliggjorte fordelinger "
                                        "(se fixtures/population.py).")
    people_upload = st.file_uploader(f"… eller hent jeres egne personer (CSV eller Parquet, højst {MAX_UPLOAD_MB} MB)",
                                     type=["csv", "parquet"], key="people_upload")

if month is None:
    st.stop()
try:
    if pasted.strip():
        reform = reform_from_text(pasted)
    elif upload is not None:
        reform = reform_from_text(upload.getvalue().decode("utf-8", errors="replace"))
    else:
        reform = load_reform(EXAMPLES[choice])
    table = uploaded_people(people_upload) if people_upload is not None else synthetic_people(int(people_count), 8)
    result = compare_table(month, table, reform).to_dict()
except InputError as error:
    if error.code == "no_rates":
        st.warning(f"Der er ingen satser for {month_name(month)} endnu. Derfor kan vi ikke regne noget for den "
                   "måned. Tallene er ikke 0 kr.: de findes ikke endnu. Vælg en tidligere måned.")
    show_error(f"Reform ({error.field})", error)
    st.stop()

st.subheader(reform.name)
if reform.description:
    st.write(reform.description)
if reform.proposal:
    st.caption(f"Forslag: {reform.proposal}")

if Decimal(result["difference"]) == 0 and result["winners"] == 0 and result["losers"] == 0:
    st.warning(f"Reformen ændrer ingen beløb i {month_name(month)}. Måske gælder dens satser kun et andet år. "
               "Så er forskellen 0 kr., fordi reglerne er de samme som i dag, ikke fordi reformen er gratis.")
st.markdown("#### Udgift")
c1, c2, c3 = st.columns(3)
c1.metric("Udgift i dag", kr(Decimal(result["cost_before"]), decimals=0))
c2.metric("Udgift med reformen", kr(Decimal(result["cost_after"]), decimals=0))
c3.metric("Forskel om måneden", kr(Decimal(result["difference"]), decimals=0, sign=True))
st.write(cost_sentence_da(result))
st.caption("Udgiften er fleksløntilskuddet før eget ATP-bidrag, for én måned.")
shares = result.get("finance_shares")
if shares:
    rate = number(Decimal(shares["refund_rate"]) * 100, decimals=0)
    st.write(f"Staten betaler {kr(Decimal(shares['before']['state']), decimals=0)} i dag og "
             f"{kr(Decimal(shares['after']['state']), decimals=0)} med reformen. Kommunen betaler resten: "
             f"{kr(Decimal(shares['before']['municipality']), decimals=0)} i dag og "
             f"{kr(Decimal(shares['after']['municipality']), decimals=0)} med reformen.")
    st.caption(f"Vi regner, som om alle er på refusionstrinnet {shares['refund_step_da']} ({rate} % refusion, "
               f"{shares['provision']}). En befolkningsfil har ikke hver persons forløb.")

st.markdown("#### Hvem får mere, og hvem får mindre?")
st.write(winners_sentence_da(result))
st.write(band_sentence_da(result))
st.altair_chart(band_chart(result), width="stretch")
st.caption("Figuren: de grønne søjler med fuld kant er dem, der får mere; de røde søjler med stiplet kant er "
           "dem, der får mindre. Tallene står også i tabellen.")
bands = pd.DataFrame([{
    "Timer om ugen": row["group"], "Personer": number(Decimal(row["people"]), decimals=0),
    "Får mere": number(Decimal(row["winners"]), decimals=0), "Får mindre": number(Decimal(row["losers"]), decimals=0),
    "Uændret": number(Decimal(row["unchanged"]), decimals=0),
    "Forskel i alt": kr(Decimal(row["difference"]), decimals=0, sign=True),
} for row in result["by_hour_band"]]).set_index("Timer om ugen")
st.table(bands)
with st.expander("Fordeling af gevinster og tab, og opdelt på køn"):
    st.table(pd.DataFrame([{"Ændring om måneden": b["bucket"], "Personer": number(Decimal(b["people"]), decimals=0)}
                           for b in result["distribution"]]).set_index("Ændring om måneden"))
    st.table(pd.DataFrame([{"Køn": {"F": "Kvinder", "M": "Mænd"}.get(row["group"], "Ukendt"),
                            "Personer": number(Decimal(row["people"]), decimals=0),
                            "Får mere": number(Decimal(row["winners"]), decimals=0),
                            "Får mindre": number(Decimal(row["losers"]), decimals=0)}
                           for row in result["by_sex"]]).set_index("Køn"))

st.markdown("#### Kan det betale sig at arbejde en time mere?")
st.write(keep_sentence_da(result))

st.markdown("#### En typisk person: indkomsten ved hvert antal timer")
p1, p2, p3 = st.columns(3)
with p1:
    hourly, hourly_ok = amount_input("Timeløn i kr. (med pension)", "typical_hourly", "200", maximum=MAX_HOURLY)
with p2:
    typical_hours = st.number_input("Timer om ugen", min_value=1, max_value=37, value=12, step=1, key="typical_hours")
with p3:
    ceiling, ceiling_ok = amount_input("Lønloft i kr. (valgfrit)", "typical_ceiling", "", optional=True,
                                       help="Tomt: 37 timer × timelønnen.")
agreement = None
if reform.rules.agreement_ceilings is not None:
    agreement = st.selectbox("Overenskomst", list(reform.rules.agreement_ceilings.ceilings), key="typical_agreement")
if not (hourly_ok and ceiling_ok and hourly is not None):
    st.stop()
try:
    curve = hours_curve(month, Job(hourly=hourly), reform, ceiling, agreement)
except InputError as error:
    show_error(error.field, error)
    st.stop()
hours = int(typical_hours)
st.write(curve_sentence_da(hours, curve.gain_next_hour(hours, "today"), curve.gain_next_hour(hours, "reform")))
st.altair_chart(curve_chart(curve, hours), width="stretch")
st.caption("Figuren: den blå, helt optrukne linje med cirkler er i dag; den røde, stiplede linje med firkanter er "
           "med reformen. Den grå stiplede streg er de valgte timer.")
st.table(pd.DataFrame([{
    "Timer om ugen": str(row.hours), "Løn": kr(row.wage, decimals=0), "I alt i dag": kr(row.total_today, decimals=0),
    "I alt med reformen": kr(row.total_reform, decimals=0),
    "Forskel": kr(row.total_reform - row.total_today, decimals=0, sign=True),
} for row in curve.rows]).set_index("Timer om ugen"))
st.caption(f"Beregnet med satserne for {month_name(month)}. Befolkningen er syntetisk, medmindre I henter jeres egne "
           "personer; tallene viser virkningen af reglerne, ikke et budget.")
