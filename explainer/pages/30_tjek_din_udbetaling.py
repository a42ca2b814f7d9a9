# title: Tjek din udbetaling
"""For citizens and their advisers: check the municipality's calculation of the fleksløntilskud month by month,
see the causes of each difference, and download a draft complaint or request to reopen. Every figure comes
from ``flexcalc.check``; nothing is stored (an adviser keeps the check as a file with the citizen's consent)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import (  # noqa: E402
    amount_input,
    default_month,
    keep_fields,
    month_input,
    nbsp,
    page_setup,
    past_date,
    plain,
)
from flexcalc.check import CheckFile, CheckFileError, check_calculation, dump_check, load_check  # noqa: E402
from flexcalc.check.request import draft_request  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.text_da.check import CEILING_EXPLAINED_DA, total_text  # noqa: E402
from flexcalc.text_da.format import date_da, kr, month_name  # noqa: E402

page_setup()
# what was typed stays, also in a run that stops before drawing the later fields (a typo higher up)
keep_fields([str(key) for key in list(st.session_state.keys()) if str(key).startswith("check_")
             and str(key) not in ("check_upload", "check_pdf", "check_text", "check_file")])

st.title("Tjek din udbetaling")
st.write("Har kommunen regnet dit fleksløntilskud rigtigt? Skriv tallene fra kommunens brev og fra din lønseddel. "
         "Så regner vi efter. Vi gemmer intet.")

upload = st.file_uploader("Har du gemt et tjek før? Vælg filen her (højst 1 MB)", type=["yaml", "yml"],
                          key="check_upload")

data: dict[str, Any] | None = None
check: CheckFile | None = None
if upload is not None:
    raw = upload.getvalue()
    try:
        if len(raw) > 1_000_000:
            raise CheckFileError([InputError("fil", "larger than 1 MB", "er større end 1 MB", code="too_large")])
        check = load_check(raw.decode("utf-8"))
        st.info("Vi bruger tallene fra filen.")
    except (CheckFileError, UnicodeDecodeError) as error:
        errors = error.errors if isinstance(error, CheckFileError) else []
        for item in errors or [InputError("fil", "not UTF-8 text", "er ikke tekst i UTF-8", code="file_unreadable")]:
            st.error(f"Tjekfilen, {plain(item.field)}: {item.reason_da}", icon="⚠️")
        st.stop()
else:
    st.subheader("Tallene")
    st.write(CEILING_EXPLAINED_DA)
    count = int(st.selectbox("Hvor mange måneder vil du tjekke?", [1, 2, 3, 4, 5, 6], key="check_count"))
    months: list[dict[str, Any]] = []
    payslips: list[dict[str, Any]] = []
    ok = True
    first = default_month()
    for i in range(count):
        n = i + 1
        st.markdown(f"#### Måned {n}")
        left, right = st.columns(2)
        with left:
            month = month_input(f"Måned {n}: måned for tilskuddet (fx 2024-03 eller marts 2024)", f"check_month_{i}",
                                first + i)
            paid, paid_ok = amount_input(f"Måned {n}: tilskud kommunen betalte, i kr.", f"check_paid_{i}", "",
                                         help="Tilskuddet før dit eget ATP-bidrag. Det står i kommunens brev.")
            used_wage, used_wage_ok = amount_input(f"Måned {n}: løn kommunen brugte, i kr.", f"check_used_wage_{i}",
                                                   "", optional=True)
            used_ceiling, used_ceiling_ok = amount_input(f"Måned {n}: lønloft kommunen brugte, i kr.",
                                                         f"check_used_ceiling_{i}", "", optional=True,
                                                         help="Det lønloft, der står i kommunens brev.")
        with right:
            wage, wage_ok = amount_input(f"Måned {n}: din løn i måneden før, med pension, i kr.", f"check_wage_{i}",
                                         "", help="Lønnen fra lønsedlen for måneden før. Tag pension og "
                                                  "ferietillæg med.")
            pension, pension_ok = amount_input(f"Måned {n}: heraf pension, i kr.", f"check_pension_{i}", "",
                                               optional=True)
            holiday, holiday_ok = amount_input(f"Måned {n}: heraf ferietillæg, i kr.", f"check_holiday_{i}", "",
                                               optional=True)
            ceiling, ceiling_ok = amount_input(f"Måned {n}: det rigtige lønloft, i kr.", f"check_ceiling_{i}", "",
                                               help="Hvad en kollega på fuld tid i samme job får. Med pension og "
                                                    "tillæg.")
        fields_ok = all((paid_ok, used_wage_ok, used_ceiling_ok, wage_ok, pension_ok, holiday_ok, ceiling_ok))
        if month is None or not fields_ok or paid is None or wage is None or ceiling is None:
            ok = False
            continue
        line: dict[str, Any] = {"month": str(month), "paid_subsidy": paid, "ceiling": ceiling}
        if used_wage is not None:
            line["used_wage"] = used_wage
        if used_ceiling is not None:
            line["used_ceiling"] = used_ceiling
        parts = (pension or Decimal(0)) + (holiday or Decimal(0))
        if parts:
            if parts > wage:
                st.error(f"Måned {n}: pension og ferietillæg kan ikke være mere end lønnen.", icon="⚠️")
                ok = False
                continue
            payslips.append({"month": str(month.previous()), "wage": wage - parts,
                             "pension_employer": pension or Decimal(0), "ferietillaeg": holiday or Decimal(0)})
        else:
            line["wage"] = wage
        months.append(line)

    st.markdown("#### Kommunens brev")
    letter_left, letter_right = st.columns(2)
    received_text = letter_left.text_input("Dato du fik brevet (fx 2024-03-15, valgfrit)", key="check_received",
                                           placeholder="Lad feltet stå tomt")
    municipality = letter_right.text_input("Kommunens navn (valgfrit)", key="check_municipality",
                                           placeholder="Lad feltet stå tomt")
    received, received_ok = past_date(received_text, "check_received", "Dato du fik brevet")
    ok = ok and received_ok
    if not ok or not months:
        st.info("Udfyld felterne for hver måned. Så ser du svaret her.")
        st.stop()
    data = {"months": months, "payslips": payslips}
    if received is not None or municipality.strip():
        data["decision"] = {"received": received, "municipality": municipality.strip() or None}
    try:
        check = CheckFile.model_validate(data)
    except Exception as error:  # the fields were each checked above; a month typed twice lands here
        st.error(f"Tallene kan ikke bruges: {plain(error)}", icon="⚠️")
        st.stop()

if check is None:
    st.stop()
try:
    result = check_calculation(check)
except InputError as error:
    st.error(f"{plain(error.field)}: {error.reason_da}", icon="⚠️")
    st.stop()

st.divider()
st.subheader(nbsp(total_text(result.total_difference)))
table = pd.DataFrame([{"Måned": month_name(m.month), "Rigtigt tilskud": nbsp(kr(m.right_subsidy)),
                       "Udbetalt": nbsp(kr(m.paid_subsidy)), "Forskel": nbsp(kr(m.difference, sign=True))}
                      for m in result.months])
st.table(table.set_index("Måned"))
st.caption("Forskel er det rigtige tilskud minus det udbetalte. Et plus betyder, at du har fået for lidt.")

for m in result.months:
    st.markdown(f"#### {month_name(m.month)}")
    if m.difference > 0:
        st.warning(nbsp(m.verdict_da), icon="💡")
    elif m.difference < 0:
        st.warning(nbsp(m.verdict_da), icon="⚠️")
    else:
        st.success(nbsp(m.verdict_da), icon="✅")
    for cause in m.causes:
        st.markdown(f"- **{cause.title_da}.** {nbsp(cause.text_da)}")
        st.caption(f"Regel: {cause.provision}")
    with st.expander(f"Se beregningen for {month_name(m.month)}"):
        for step in m.right.steps:
            amount = "" if step.amount is None else f": {kr(step.amount)}"
            st.write(nbsp(f"{step.label}{amount}"))

if result.differing:
    draft = draft_request(result)
    st.divider()
    st.subheader("Udkast til brev til kommunen")
    if draft.kind == "complaint" and draft.deadline is not None:
        st.write(nbsp(f"Du kan klage. Fristen er {date_da(draft.deadline)}. Det er 4 uger efter, du fik brevet."))
    else:
        st.write("Du kan bede kommunen om at se på sagen igen. Det hedder genoptagelse.")
    st.write("Du bestemmer selv, om du vil sende brevet.")
    pdf_col, text_col = st.columns(2)
    pdf_col.download_button("Hent udkastet som PDF", draft.pdf(), file_name="udkast-til-kommunen.pdf",
                            mime="application/pdf", key="check_pdf")
    text_col.download_button("Hent udkastet som tekst", draft.text, file_name="udkast-til-kommunen.txt",
                             mime="text/plain", key="check_text")
    with st.expander("Læs udkastet"):
        st.text(draft.text)

st.divider()
with st.expander("For rådgivere: gem tjekket som fil"):
    st.write("Filen bliver hos dig. Den kommer ikke i kommunens system. Du skal have borgerens samtykke.")
    adviser = st.text_input("Rådgiverens navn", key="check_adviser")
    organisation = st.text_input("Organisation (valgfrit)", key="check_organisation",
                                 placeholder="Lad feltet stå tomt")
    citizen = st.text_input("Borgerens navn", key="check_citizen")
    consent_text = st.text_input("Dato for samtykket (fx 2024-03-15)", key="check_consent_date")
    agreed = st.checkbox("Borgeren har givet samtykke til tjekket", key="check_consent")
    consent_day, _ = past_date(consent_text, "check_consent_date", "Dato for samtykket")
    if agreed and adviser.strip() and citizen.strip() and consent_day is not None:
        saved = CheckFile.model_validate({
            **check.model_dump(exclude={"person", "adviser", "consent"}), "person": citizen.strip(),
            "adviser": {"name": adviser.strip(), "organisation": organisation.strip() or None},
            "consent": {"given_by": citizen.strip(), "date": consent_day}})
        st.download_button("Hent tjekfilen (YAML)", dump_check(saved), file_name="tjekfil.yaml",
                           mime="application/x-yaml", key="check_file")
    else:
        st.caption("Udfyld navnene og datoen, og sæt kryds for samtykke. Så kan du hente filen.")
