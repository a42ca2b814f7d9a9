# title: Hvorfor har min udbetaling ændret sig?
"""Two months side by side and the causes of the difference in words. Every number comes from
``flexcalc.citizen.month_change`` (which recalculates through ``calculate_month``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import (  # noqa: E402
    amount_input,
    default_month,
    load_link,
    month_input,
    nbsp,
    page_setup,
    save_link,
)
from flexcalc.citizen.explanation import explain_month_da  # noqa: E402
from flexcalc.citizen.month_change import Adjustment, MonthSide, explain_month_change  # noqa: E402
from flexcalc.citizen.scenarios import NOT_PUBLISHED_DA  # noqa: E402
from flexcalc.month import MonthInput  # noqa: E402
from flexcalc.text_da.format import kr, month_name  # noqa: E402

# The page's address holds its inputs (a shareable link): name in the address → widget key.
page_setup()  # Danish page language and readable notes, also when opened by its own address
LINK = {f"{side}_{name}": f"{prefix}_{key}" for side, prefix in (("m1", "first"), ("m2", "second"))
        for name, key in (("maaned", "month"), ("loen", "wage"), ("loft", "ceiling"),
                          ("efterregulering", "correction"))}
load_link(LINK)

st.title("Hvorfor har min udbetaling ændret sig?")
st.write(
    "Skriv tallene for to måneder. Så viser vi, hvad du fik udbetalt i fleksløntilskud hver måned, og "
    "hvorfor beløbet er ændret – fx fordi din løn steg, fordi satserne er nye fra 1. januar, eller fordi "
    "lønloftet begrænser tilskuddet. Tilskuddet for en måned regnes af lønnen for måneden før."
)

second_default = default_month()
first_default = second_default.previous()
sides: list[MonthSide | None] = []
columns = st.columns(2)
for column, prefix, title, month_default, wage_default in (
    (columns[0], "first", "Første måned", first_default, "15600"),
    (columns[1], "second", "Anden måned", second_default, "17000"),
):
    with column:
        st.subheader(title)
        month = month_input(f"{title}: måned for tilskuddet (fx 2024-03 eller marts 2024)", f"{prefix}_month",
                            month_default)
        wage, wage_ok = amount_input(
            f"{title}: løn i måneden før, i kr. (med pension)", f"{prefix}_wage", wage_default,
            help="Lønnen fra din lønseddel for måneden før, med den pension, du og din arbejdsgiver betaler.")
        ceiling, ceiling_ok = amount_input(
            f"{title}: lønloft i kr.", f"{prefix}_ceiling", "32067",
            help="Hvad en kollega på fuld tid i samme job får om måneden med pension og tillæg.")
        correction, correction_ok = amount_input(
            f"{title}: efterregulering udbetalt med måneden, i kr. (valgfrit)", f"{prefix}_correction", "",
            optional=True, allow_negative=True,
            help="Hvis kommunen har rettet en tidligere måned og betalt mere (skriv et plus-beløb) eller trukket "
                 "noget (skriv et minus-beløb) sammen med denne måned.")
        ok = month is not None and wage is not None and ceiling is not None and wage_ok and ceiling_ok
        if ok and correction_ok:
            assert month is not None and wage is not None and ceiling is not None
            adjustments = () if not correction else (Adjustment("correction", correction),)
            sides.append(MonthSide(MonthInput(month, wage, ceiling), adjustments))
        else:
            sides.append(None)

save_link(LINK)
first, second = sides
if first is None or second is None:
    st.stop()

change = explain_month_change(first, second)
st.divider()
st.subheader(nbsp(change.headline_da()))
st.write(nbsp(change.summary_da()))

top = st.columns(3)
top[0].metric(f"I alt for {first.name_da} (løn + udbetaling)", nbsp(kr(change.first_total_income)))
top[1].metric(f"I alt for {second.name_da} (løn + udbetaling)", nbsp(kr(change.second_total_income)))
top[2].metric("Forskel i alt", nbsp(kr(change.total_income_change, sign=True)))
left, right = st.columns(2)
left.metric(f"Udbetaling for {first.name_da}", nbsp(kr(change.first_payout)))
right.metric(f"Udbetaling for {second.name_da}", nbsp(kr(change.second_payout)),
             delta=nbsp(kr(change.difference, sign=True)), delta_color="normal")

st.markdown("#### Derfor")
if not change.causes:
    st.write("Ingen af tallene har ændret udbetalingen.")
for cause in change.causes:
    st.markdown(f"- {nbsp(cause.text_da)}")
for note in change.notes_da:
    st.markdown(f"- {nbsp(note)}")

table = pd.DataFrame([{"Årsag": cause.title_da, "Beløb": nbsp(kr(cause.amount, sign=True)),
                       "Regel": cause.provision} for cause in change.causes]
                     + [{"Årsag": "Forskel i alt", "Beløb": nbsp(kr(change.difference, sign=True)), "Regel": ""}])
st.table(table.set_index("Årsag"))
st.caption("Beløbene i tabellen lægges sammen til forskellen i alt, øre for øre. Udbetaling er fleksløntilskud "
           "minus dit eget ATP-bidrag, før skat.")
derived = set(change.first_result.rates.derived) | set(change.second_result.rates.derived)
if derived:
    st.caption(NOT_PUBLISHED_DA)

with st.expander("Se beregningen for begge måneder"):
    one, two = st.columns(2)
    for column, side, result in ((one, first, change.first_result), (two, second, change.second_result)):
        with column:
            st.markdown(f"**{month_name(side.inp.benefit_month)}**")
            for line in explain_month_da(result)[1:]:
                if line:
                    st.write(nbsp(line))
            for adjustment in side.adjustments:
                st.write(nbsp(adjustment.text_da()))
