# title: Fleksjob fra før 2013 (den gamle ordning)
"""The old scheme explained in plain Danish, with a worked example from ``flexcalc.old_scheme`` (the core
computes; this page only shows)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import explained_example_page  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.old_scheme import calculate_old_scheme  # noqa: E402
from flexcalc.old_scheme.inputs import old_scheme_input  # noqa: E402
from flexcalc.parsing.danish import parse_month_da  # noqa: E402
from flexcalc.text_da.old_scheme import OLD_SCHEME_EXPLANATION_DA, old_scheme_example_da  # noqa: E402

explained_example_page("Fleksjob fra før 2013", OLD_SCHEME_EXPLANATION_DA, "Regn et eksempel", {
    "old_month": "2024-03", "old_wage": "30000", "old_contributions": "2700", "old_fraction": "2/3"})
month_text = st.text_input("Måned (fx 2024-03 eller marts 2024)", key="old_month")
wage_text = st.text_input("Løn efter overenskomsten, kr.", key="old_wage")
contributions_text = st.text_input("Arbejdsgiverens pension og ATP, kr.", key="old_contributions")
fraction_text = st.radio("Tilskud", ["1/2", "2/3"], key="old_fraction", horizontal=True)
try:
    result = calculate_old_scheme(old_scheme_input(month=parse_month_da(month_text, "month"),
                                                   agreement_wage=wage_text.strip(),
                                                   employer_contributions=contributions_text.strip(),
                                                   fraction=fraction_text))
except InputError as error:
    labels = {"month": "Måned", "agreement_wage": "Løn", "employer_contributions": "Pension og ATP",
              "fraction": "Tilskud"}
    st.error(f"{labels.get(error.field, error.field)}: {error.reason_da}", icon="⚠️")
else:
    for line in old_scheme_example_da(result):
        st.write(line)
    st.caption("Reglerne står i lov om en aktiv beskæftigelsesindsats § 133.")
