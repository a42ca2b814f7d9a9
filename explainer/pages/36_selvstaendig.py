# title: Tilskud til selvstændige
"""The subsidy to the self-employed explained in plain Danish, with the year worked out by
``flexcalc.self_employed`` (the core computes; this page only shows), beside the old scheme's page."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import explained_example_page  # noqa: E402
from flexcalc.errors import InputError, NoRatesError  # noqa: E402
from flexcalc.parsing.danish import parse_amount_da  # noqa: E402
from flexcalc.self_employed import calculate_year  # noqa: E402
from flexcalc.text_da.self_employed import SELF_EMPLOYED_EXPLANATION_DA, explain_year_da  # noqa: E402

explained_example_page("Tilskud til selvstændige", SELF_EMPLOYED_EXPLANATION_DA, "Regn dit år ud", {
    "se_year": "2024", "se_profit": "300.000", "se_other": "0"})
year_text = st.text_input("År (fx 2024)", key="se_year")
profit_text = st.text_input("Overskud i virksomheden, kr. om året", key="se_profit")
other_text = st.text_input("Løn fra andet arbejde, kr. om året", key="se_other")
labels = {"year": "År", "profit": "Overskud", "other_income": "Løn fra andet arbejde"}
try:
    year_value = year_text.strip()
    if not (year_value.isdigit() and len(year_value) == 4):
        raise InputError("year", "must be a year YYYY", "skal være et årstal, fx 2024", code="year")
    result = calculate_year(int(year_value), parse_amount_da(profit_text, "profit", allow_negative=True),
                            parse_amount_da(other_text, "other_income"))
except NoRatesError:
    st.error(f"År: vi kender ikke det faste beløb for {year_text.strip()}.", icon="⚠️")
except InputError as error:
    st.error(f"{labels.get(error.field, error.field)}: {error.reason_da}", icon="⚠️")
else:
    for line in explain_year_da(result):
        st.write(line)
    st.caption("Reglerne står i lov om en aktiv beskæftigelsesindsats § 126 og i bekendtgørelse nr. 233 af "
               "2024 § 8.")
