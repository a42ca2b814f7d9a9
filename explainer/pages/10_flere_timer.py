# title: Kan det betale sig at arbejde flere timer?
"""The hours page: what a fleksjob gives in total at every weekly hour count, and what a change of
hours gives. Every number comes from ``flexcalc.scenarios`` (which calls ``calculate_month``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.charts import hours_chart  # noqa: E402
from explainer.components import amount_input, default_month, month_input, show_error  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.explain import explain_month_da  # noqa: E402
from flexcalc.format import kr, month_name  # noqa: E402
from flexcalc.scenarios import MAX_HOURLY, Job, describe_month_da, hour_scenario  # noqa: E402
from flexcalc.tax_estimate import (  # noqa: E402
    explain_estimate_da,
    municipal_rate,
    pension_rate,
    scenario_after_tax,
)

REGION_DA = {"low": "30 %", "high": "55 %", "plateau": "Loftet", "no_subsidy": "Intet tilskud"}

st.title("Kan det betale sig at arbejde flere timer?")
st.write(
    "Her kan du se, hvad du får i alt om måneden i et fleksjob: løn fra din arbejdsgiver plus "
    "fleksløntilskud fra kommunen. Du kan se, hvad der sker, hvis du arbejder flere eller færre timer. "
    "Alle beløb er før skat og med pension."
)

left, right = st.columns(2)
with left:
    hourly, hourly_ok = amount_input(
        "Din timeløn i kr. (med pension og tillæg)", "hourly", "200", maximum=MAX_HOURLY,
        help="Det, du tjener i timen, inkl. den pension, du og din arbejdsgiver betaler, og faste tillæg. "
             "Skriv fx 185,50.")
    hours_now = st.number_input("Timer om ugen nu", min_value=1, max_value=37, value=12, step=1, key="hours_now",
                                help="Hvor mange timer du arbejder om ugen i dag (1–37).")
    hours_new = st.number_input("Timer om ugen, du overvejer", min_value=1, max_value=37, value=15, step=1,
                                key="hours_new", help="Det antal timer, du gerne vil se, hvad giver (1–37).")
with right:
    ceiling, ceiling_ok = amount_input(
        "Lønloft i kr. om måneden (valgfrit)", "ceiling", "", optional=True,
        help="Lønloftet er, hvad en kollega på fuld tid (37 timer) i samme job får om måneden med pension og "
             "tillæg. Din arbejdsgiver har oplyst det til kommunen. Lader du feltet stå tomt, regner vi med "
             "37 timer × din timeløn.")
    month = month_input("Måned for tilskuddet (ÅÅÅÅ-MM)", "month", default_month(),
                        help="Tilskuddet for en måned beregnes af lønnen for måneden før, med den måneds satser.")

if not (hourly_ok and ceiling_ok and month is not None and hourly is not None):
    st.stop()

try:
    scenario = hour_scenario(month, Job(hourly=hourly), ceiling)
except InputError as error:
    show_error("Timeløn" if error.field == "hourly" else error.field, error)
    st.stop()

now, new = scenario.row(int(hours_now)), scenario.row(int(hours_new))
st.subheader(scenario.change_sentence(now.hours, new.hours))

c1, c2, c3 = st.columns(3)
c1.metric(f"I alt ved {now.hours} timer", kr(now.total, decimals=0))
c2.metric(f"I alt ved {new.hours} timer", kr(new.total, decimals=0))
c3.metric("Forskel om måneden", kr(new.total - now.total, decimals=0, sign=True))

if scenario.plateau_from_hours is None:
    st.success(f"Lønloftet ({kr(scenario.ceiling)}) nås ikke: jo flere timer, jo mere får du i alt.")
elif scenario.plateau_from_hours == 1:
    st.warning(f"Loftet gælder fra første time: løn og tilskud når lønloftet ({kr(scenario.ceiling)}) allerede "
               f"ved 1 time om ugen. Flere timer giver ikke flere penge før skat.", icon="ℹ️")
else:
    st.warning(f"Loftet fra {scenario.plateau_from_hours} timer om ugen: her når løn og tilskud lønloftet "
               f"({kr(scenario.ceiling)}), og flere timer giver ikke flere penge før skat.", icon="ℹ️")

st.altair_chart(hours_chart(scenario, now.hours, new.hours), width="stretch")
st.caption(
    "Figuren: de mørke, helt optrukne søjler er lønnen, de lyse søjler med stiplet kant er tilskuddet, og "
    "den sorte linje med ruder er det samlede beløb. Den grå flade er loftet. De røde lodrette streger "
    "viser dine timer nu (fuld streg) og de timer, du overvejer (stiplet). Alle tal står også i tabellen."
)

st.markdown("#### Sådan ændrer beløbet sig med timerne")
for region in scenario.regions:
    st.markdown(f"- {region.text_da}")
ceiling_text = ("anslået som 37 timer × din timeløn" if scenario.ceiling_source == "full_time_wage"
                else "som du har skrevet")
st.caption(f"Lønloft: {kr(scenario.ceiling)} ({ceiling_text}). {describe_month_da(scenario)}")

st.markdown("#### Skøn: hvad har du tilbage efter skat?")
st.write(
    "Tilskuddet er skattepligtigt, men der betales ikke AM-bidrag af det – kun af lønnen. Derfor kan en ekstra "
    "time give lidt mindre efter skat end før skat, og på loftet kan den endda give lidt mindre til rådighed. "
    "Tallene her er et **skøn**, ikke din skatteberegning."
)
tax_left, tax_right = st.columns(2)
with tax_left:
    municipal_text = st.text_input(
        "Din kommuneskat i % (med kirkeskat, hvis du betaler den)", value="25", key="municipal_tax_rate",
        help="Står på din forskudsopgørelse. Kommuneskatten er ca. 25 % i gennemsnit.")
with tax_right:
    pension_text = st.text_input(
        "Pension i % af lønnen uden pension (din egen + arbejdsgiverens)", value="0", key="pension_rate",
        help="Mange overenskomster har 12 %. Pensionen bliver sparet op og er ikke penge, du har nu.")
after_tax = None
try:
    after_tax = scenario_after_tax(scenario, municipal_rate(municipal_text), pension_rate(pension_text))
except InputError as error:
    if error.field == "month":
        st.info("Skønnet efter skat findes kun for månederne 2024-01 til 2026-12.")
    else:
        label = "Kommuneskat" if error.field == "municipal_tax_rate" else "Pension"
        show_error(label, error)
if after_tax is not None:
    st.markdown(f"**{after_tax.change_sentence(now.hours, new.hours)}**")
    a1, a2 = st.columns(2)
    a1.metric(f"Til rådighed ved {now.hours} timer (skøn)", kr(after_tax.row(now.hours).estimate.disposable,
                                                                decimals=0))
    a2.metric(f"Til rådighed ved {new.hours} timer (skøn)", kr(after_tax.row(new.hours).estimate.disposable,
                                                                decimals=0))
    losing = after_tax.negative_gain_sentence_da()
    if losing:
        st.warning(losing, icon="ℹ️")
    if any(r.estimate.above_top_threshold for r in after_tax.rows):
        st.caption("Ved de højeste timetal er indkomsten over grænsen for topskat/mellemskat, som ikke er med i "
                   "skønnet.")
    taxed = pd.DataFrame([{
        "Timer om ugen": str(r.hours),
        "I alt før skat": kr(scenario.row(r.hours).total, decimals=0),
        "Til rådighed efter skat (skøn)": kr(r.estimate.disposable, decimals=0),
        "En time mere giver efter skat (skøn)": "–" if r.net_gain_next_hour is None
        else kr(r.net_gain_next_hour, sign=True, decimals=0),
    } for r in after_tax.rows]).set_index("Timer om ugen")
    with st.expander("Se skønnet efter skat for hvert antal timer"):
        st.table(taxed)
    with st.expander(f"Sådan er skønnet regnet ud ved {new.hours} timer om ugen"):
        for line in explain_estimate_da(after_tax.row(new.hours).estimate):
            st.write(line)
        st.caption("Med: AM-bidrag 8 % af lønnen, pension, eget ATP-bidrag, beskæftigelsesfradrag, personfradrag, "
                   "kommuneskat og bundskat, som om alle årets måneder var som denne. Ikke med: topskat/"
                   "mellemskat, jobfradrag, andre fradrag (fx befordring og renter) og ATP af lønnen.")

st.markdown("#### Tallene for hvert antal timer")
table = pd.DataFrame([{
    "Timer om ugen": str(row.hours),
    "Dig": "nu" if row.hours == now.hours else ("overvejet" if row.hours == new.hours else ""),
    "Løn": kr(row.wage),
    "Fleksløntilskud": kr(row.subsidy),
    "I alt før skat": kr(row.total),
    "En time mere giver": "–" if row.gain_next_hour is None else kr(row.gain_next_hour, sign=True),
    "Område": REGION_DA[row.region],
} for row in scenario.rows]).set_index("Timer om ugen")
st.table(table)
st.caption("I alt = løn med pension + fleksløntilskud. Af tilskuddet betaler du selv ATP-bidrag (5 %, højst "
           "500 kr.), som går til din ATP-pension.")

for row, who in ((new, "de timer, du overvejer"), (now, "dine timer nu")):
    with st.expander(f"Sådan er tilskuddet regnet ud ved {row.hours} timer om ugen ({who})"):
        st.write(f"Løn: {row.hours} timer × {kr(scenario.job.hourly_equivalent)} × 52 uger / 12 måneder = "
                 f"{kr(row.wage)} om måneden.")
        for line in explain_month_da(row.result)[1:]:
            if line:
                st.write(line)
    if now.hours == new.hours:
        break

st.caption(f"Beregnet med satserne for {month_name(scenario.benefit_month)}. Beregningen er vejledende; "
           "kommunen regner med den løn, din arbejdsgiver indberetter.")
