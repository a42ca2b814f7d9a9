# title: Kan det betale sig at arbejde flere timer?
"""The hours page: what a fleksjob gives in total at every weekly hour count, and what a change of
hours gives. Every number comes from ``flexcalc.citizen.scenarios`` (which calls ``calculate_month``)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.charts import extra_hour_chart, hours_chart  # noqa: E402
from explainer.components import (  # noqa: E402
    amount_input,
    default_month,
    hours_input,
    keep_fields,
    load_link,
    month_input,
    nbsp,
    page_setup,
    save_link,
    share_url,
    show_error,
)
from flexcalc.citizen.explanation import worded_month_da  # noqa: E402
from flexcalc.citizen.extra_hour import extra_hour  # noqa: E402
from flexcalc.citizen.scenarios import (  # noqa: E402
    MAX_HOURLY,
    Job,
    describe_month_da,
    hour_scenario,
    hours_text,
)
from flexcalc.citizen.tax_estimate import (  # noqa: E402
    explain_estimate_da,
    municipal_rate,
    pension_rate,
    scenario_after_tax,
)
from flexcalc.citizen.year_view import YearView, year_view  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.text_da.citizen_pages import one_more_hour_da, zero_hours_da  # noqa: E402
from flexcalc.text_da.format import kr, month_name  # noqa: E402

REGION_DA = {"low": "30 %", "high": "55 %", "plateau": "Loftet", "no_subsidy": "Intet tilskud"}
page_setup()  # Danish page language and readable notes, also when opened by its own address
LINK = {"timeloen": "hourly", "loft": "ceiling", "maaned": "month", "timer_nu": "hours_now", "timer_ny": "hours_new",
        "skift": "change_month", "kommuneskat": "municipal_tax_rate", "pension": "pension_rate"}
# The page's address holds its inputs (a shareable link): name in the address → widget key.

load_link(LINK)
keep_fields(list(LINK.values()))
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
    hours_now = hours_input("Timer om ugen nu", "hours_now", "12", allow_zero=True,
                            help="Hvor mange timer du arbejder om ugen i dag: 1 til 37, hele eller halve (fx 12,5).")
    hours_new = hours_input("Timer om ugen, du overvejer", "hours_new", "15", allow_zero=True,
                            help="Det antal timer, du gerne vil se, hvad giver: 1 til 37, hele eller halve.")
with right:
    ceiling, ceiling_ok = amount_input(
        "Lønloft i kr. om måneden (valgfrit)", "ceiling", "", optional=True,
        help="Lønloftet er, hvad en kollega på fuld tid (37 timer) i samme job får om måneden med pension og "
             "tillæg. Din arbejdsgiver har oplyst det til kommunen. Lader du feltet stå tomt, regner vi med "
             "37 timer × din timeløn.")
    month = month_input("Måned for tilskuddet (fx 2024-03 eller marts 2024)", "month", default_month(),
                        help="Tilskuddet for en måned beregnes af lønnen for måneden før, med den måneds satser. "
                             "Vi foreslår den måned, vi er i nu. Er dens satser ikke offentliggjort endnu, står "
                             "det under svaret.")

if month is not None and 0 in (hours_now, hours_new):
    answer, provision = zero_hours_da(month)
    st.subheader("Ved 0 timer er der intet tilskud")
    st.info(answer)
    st.caption(f"Regel: {provision}")
    save_link(LINK)
    st.stop()
if not (hourly_ok and ceiling_ok and month is not None and hourly is not None and hours_now is not None
        and hours_new is not None):
    save_link(LINK)
    st.stop()

try:
    scenario = hour_scenario(month, Job(hourly=hourly), ceiling)
except InputError as error:
    show_error("Timeløn" if error.field == "hourly" else error.field, error)
    st.stop()

now, new = scenario.row(hours_now), scenario.row(hours_new)
st.subheader(nbsp(scenario.change_sentence(hours_now, hours_new)))

c1, c2, c3 = st.columns(3)
c1.metric(f"I alt ved {hours_text(hours_now)} timer", nbsp(kr(now.total, decimals=0)))
c2.metric(f"I alt ved {hours_text(hours_new)} timer", nbsp(kr(new.total, decimals=0)))
c3.metric("Forskel om måneden", nbsp(kr(new.total - now.total, decimals=0, sign=True)))

for finding in scenario.findings:
    st.warning(nbsp(finding.message_da), icon="⚠️")
if scenario.plateau_from_hours is None:
    st.success(nbsp(scenario.plateau_sentence_da()))
else:
    st.warning(nbsp(scenario.plateau_sentence_da()), icon="ℹ️")

share = st.empty()  # filled at the end, when every input of the page is known

st.markdown(f"#### Sådan er tilskuddet regnet ud ved {hours_text(hours_now)} timer om ugen (dine timer nu)")
with st.expander("Regnestykket", expanded=True):
    st.write(nbsp(scenario.wage_sentence_da(hours_now)))
    worded = worded_month_da(now.result)
    for line in worded:
        st.write(nbsp(line.text))
with st.expander("Reglerne bag regnestykket"):
    for line in worded:
        st.write(nbsp(f"{line.text} ({line.provision})"))

st.altair_chart(hours_chart(scenario, hours_now, hours_new), width="stretch")
st.caption(
    "Figuren: de mørke, helt optrukne søjler er lønnen, de lyse søjler med stiplet kant er tilskuddet, og "
    "den sorte linje med ruder er det samlede beløb. Den grå flade er loftet. De røde lodrette streger "
    "viser dine timer nu (fuld streg) og de timer, du overvejer (stiplet). Alle tal står også i tabellen."
)

st.markdown("#### Sådan ændrer beløbet sig med timerne")
for region in scenario.regions:
    st.markdown(f"- {nbsp(region.text_da)}")
ceiling_text = ("anslået som 37 timer × din timeløn" if scenario.ceiling_source == "full_time_wage"
                else "som du har skrevet")
st.caption(nbsp(f"Lønloft: {kr(scenario.ceiling)} ({ceiling_text}). {describe_month_da(scenario)}"))

st.markdown("#### Skøn: hvad har du tilbage efter skat?")
st.write(
    "Tilskuddet er skattepligtigt, men der betales ikke AM-bidrag af det – kun af lønnen. Derfor kan en ekstra "
    "time give lidt mindre efter skat end før skat, og på loftet kan den endda give lidt mindre til rådighed. "
    "Tallene her er et **skøn**, ikke din skatteberegning."
)
tax_left, tax_right = st.columns(2)
with tax_left:
    st.session_state.setdefault("municipal_tax_rate", "25")
    municipal_text = st.text_input(
        "Din kommuneskat i % (med kirkeskat, hvis du betaler den)", key="municipal_tax_rate",
        help="Står på din forskudsopgørelse. Kommuneskatten er ca. 25 % i gennemsnit.")
with tax_right:
    st.session_state.setdefault("pension_rate", "0")
    pension_text = st.text_input(
        "Pension i % af lønnen uden pension (din egen + arbejdsgiverens)", key="pension_rate",
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
    st.markdown(f"**{nbsp(after_tax.change_sentence(hours_now, hours_new))}**")
    a1, a2 = st.columns(2)
    a1.metric(f"Til rådighed ved {hours_text(hours_now)} timer (skøn)",
              nbsp(kr(after_tax.row(hours_now).estimate.disposable, decimals=0)))
    a2.metric(f"Til rådighed ved {hours_text(hours_new)} timer (skøn)",
              nbsp(kr(after_tax.row(hours_new).estimate.disposable, decimals=0)))
    losing = after_tax.negative_gain_sentence_da()
    if losing:
        st.warning(nbsp(losing), icon="ℹ️")
    if any(r.estimate.above_top_threshold for r in after_tax.rows):
        st.caption("Ved de højeste timetal er indkomsten over grænsen for topskat/mellemskat, som ikke er med i "
                   "skønnet.")
    taxed = pd.DataFrame([{
        "Timer om ugen": str(r.hours),
        "I alt før skat": nbsp(kr(scenario.row(r.hours).total, decimals=0)),
        "Til rådighed efter skat (skøn)": nbsp(kr(r.estimate.disposable, decimals=0)),
        "En time mere giver efter skat (skøn)": "–" if r.net_gain_next_hour is None
        else nbsp(kr(r.net_gain_next_hour, sign=True, decimals=0)),
    } for r in after_tax.rows]).set_index("Timer om ugen")
    with st.expander("Se skønnet efter skat for hvert antal timer"):
        st.table(taxed)
    with st.expander(f"Sådan er skønnet regnet ud ved {hours_text(hours_new)} timer om ugen"):
        for estimate_line in explain_estimate_da(after_tax.row(hours_new).estimate):
            st.write(nbsp(estimate_line))
        st.caption("Med: AM-bidrag 8 % af lønnen, pension, eget ATP-bidrag, beskæftigelsesfradrag, personfradrag, "
                   "kommuneskat og bundskat, som om alle årets måneder var som denne. Ikke med: topskat/"
                   "mellemskat, jobfradrag, andre fradrag (fx befordring og renter) og ATP af lønnen.")

st.markdown("#### Hvad beholder du af en ekstra time?")
extra = extra_hour(scenario, after_tax)
own_step = next((step for step in extra.steps if step.hours == hours_now), None)
if own_step is not None:
    st.success(nbsp(one_more_hour_da(own_step.hours, own_step.kept, own_step.extra_wage, own_step.kept_after_tax)))
for sentence in extra.sentences_da():
    st.write(nbsp(sentence))
st.altair_chart(extra_hour_chart(extra), width="stretch")
st.caption("Figuren: hver søjle er, hvad én time mere om ugen giver om måneden før skat. Mørke, helt optrukne "
           "søjler: du beholder noget. Lyse søjler med stiplet kant og et kryds på nul-linjen: næsten intet (under 10 "
           "øre pr. krone). Den "
           "røde linje med firkanter er skønnet efter skat.")
kept_table = pd.DataFrame([{
    "Fra timer om ugen": f"{step.hours} → {step.hours + 1}",
    "Mere i løn": nbsp(kr(step.extra_wage)),
    "Du beholder før skat": nbsp(kr(step.kept, sign=True)),
    "Andel": nbsp(f"{(step.share * 100).quantize(Decimal(1))} %"),
    "Efter skat (skøn)": "–" if step.kept_after_tax is None else nbsp(kr(step.kept_after_tax, sign=True)),
    "Næsten intet": "ja" if step.mark != "normal" or step.mark_after_tax not in (None, "normal") else "",
} for step in extra.steps]).set_index("Fra timer om ugen")
with st.expander("Se tallene for hver ekstra time"):
    st.table(kept_table)

st.markdown("#### Året frem: hvis du skifter timer")
st.write("Tilskuddet for en måned regnes af lønnen for måneden før. Derfor følger tilskuddet dine nye timer "
         "først en måned senere.")
change_month = month_input("Du skifter timer fra (fx 2024-03 eller marts 2024)", "change_month", month.next(),
                           help="Den første måned, hvor du arbejder det nye antal timer.")
if change_month is not None:
    year: YearView | None
    try:
        year = year_view(scenario.job, scenario.ceiling, hours_now, hours_new, change_month)
    except InputError as error:
        show_error("Du skifter timer fra", error)
        year = None
    if year is not None:
        for sentence in year.sentences_da():
            st.write(nbsp(sentence))
        st.table(pd.DataFrame([{
            "Måned": month_name(m.month),
            "Timer om ugen": hours_text(m.hours),
            "Løn": nbsp(kr(m.wage)),
            "Tilskuddet regnes af": f"lønnen i {month_name(m.month.previous())} ({hours_text(m.basis_hours)} t)",
            "Tilskud": nbsp(kr(m.subsidy)),
            "I alt": nbsp(kr(m.total)),
            "Forskel mod nu": nbsp(kr(m.difference, sign=True)),
        } for m in year.months]).set_index("Måned"))

st.markdown("#### Tallene for hvert antal timer")
table = pd.DataFrame([{
    "Timer om ugen": str(row.hours),
    "Dig": "nu" if row.hours == now.hours else ("overvejet" if row.hours == new.hours else ""),
    "Løn": nbsp(kr(row.wage)),
    "Fleksløntilskud": nbsp(kr(row.subsidy)),
    "I alt før skat": nbsp(kr(row.total)),
    "En time mere giver": "–" if row.gain_next_hour is None else nbsp(kr(row.gain_next_hour, sign=True)),
    "Område": REGION_DA[row.region],
} for row in scenario.rows]).set_index("Timer om ugen")
st.table(table)
st.caption("I alt = løn med pension + fleksløntilskud. Af tilskuddet betaler du selv ATP-bidrag (5 %, højst "
           "500 kr.), som går til din ATP-pension.")

if hours_new != hours_now:
    with st.expander(f"Sådan er tilskuddet regnet ud ved {hours_text(hours_new)} timer om ugen (de timer, du "
                     "overvejer)"):
        st.write(nbsp(scenario.wage_sentence_da(hours_new)))
        for line in worded_month_da(new.result):
            st.write(nbsp(f"{line.text} ({line.provision})"))

st.caption(f"Beregnet med satserne for {month_name(scenario.benefit_month)}. Beregningen er vejledende; "
           "kommunen regner med den løn, din arbejdsgiver indberetter.")

save_link(LINK)
share.markdown(f"**Del beregningen:** [link til præcis denne beregning]({share_url(LINK)}). Adressen i browseren "
               "viser også dine tal, så du kan kopiere den og sende den.")
