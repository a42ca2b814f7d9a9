# title: Tjek lønloftet
"""For employers: fill in the lønloft form, see the ceiling part by part, the checks, what it means for the
employee, and download a summary to sign. Every figure comes from ``flexcalc.normal_wage``; the page only
collects the form and shows the result."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explainer.components import page_setup  # noqa: E402
from flexcalc.law.params import coverage  # noqa: E402
from flexcalc.normal_wage import (  # noqa: E402
    METHOD_DA,
    PENSION_BASE_DA,
    TITLES,
    FormError,
    check_form,
    validate_form,
)
from flexcalc.parsing.danish import danish_amount_text  # noqa: E402
from flexcalc.text_da.format import kr, month_name  # noqa: E402
from flexcalc.text_da.normal_wage import (  # noqa: E402
    breakdown_rows,
    effect_lines,
    hours_da,
    summary_html,
    summary_markdown,
)

LABELS_DA = {
    "effective_date": "Gælder fra",
    "as_of": "Dato for tjekket",
    "last_pay_rise": "Seneste lønstigning",
    "full_time_hours": "Timer pr. uge ved fuld tid",
    "hourly_rate": "Timeløn ved fuld tid",
    "monthly_base_wage": "Grundløn pr. måned ved fuld tid",
    "supplements.qualification": "Kvalifikationstillæg",
    "supplements.seniority": "Anciennitetstillæg",
    "supplements.function": "Funktionstillæg",
    "supplements.other.0.name": "Andet fast tillæg (navn)",
    "supplements.other.0.amount": "Andet fast tillæg (beløb)",
    "variable_supplements.evening": "Aftentillæg",
    "variable_supplements.night": "Nattillæg",
    "variable_supplements.weekend": "Weekendtillæg",
    "pension.employer_percent": "Arbejdsgiverens pension (%)",
    "pension.employee_percent": "Medarbejderens egen pension (%)",
    "holiday_supplement.percent": "Ferietillæg (%)",
    "overtime": "Overarbejde medregnet",
    "capacity_reduction": "Nedsættelse for nedsat arbejdsevne",
    "method": "Kommunens metode",
    "employee.hourly_wage": "Medarbejderens timeløn",
    "employee.hours_per_week": "Medarbejderens timer pr. uge",
    "employee.pension_employer_percent": "Medarbejderens pension fra arbejdsgiveren (%)",
    "employee.pension_own_percent": "Egen pension på medarbejderens løn (%)",
    "employee.actual_variable_supplements": "Medarbejderens faktiske variable tillæg",
    "employee.benefit_month": "Ydelsesmåned",
}
def typed(text: str) -> str:
    """The text as typed, read as Danes write amounts ("26.500" is 26.500 kr.: ``flexcalc.parsing.danish``);
    flexcalc then reads it (``flexcalc.parsing.inputs``: one way in) or refuses it with the reason."""
    return danish_amount_text(text)


def cell(amount: str) -> str:
    """A breakdown amount for the table: the sign and "kr." held to the number with non-breaking spaces, so the
    sign is not read as a list bullet and "kr." never wraps onto a line of its own."""
    sign, _, rest = amount.partition(" ") if amount[:1] in "+−=" else ("", "", amount)
    rest = rest.replace(" kr.", "\u00a0kr.")
    return f"{sign}\u00a0{rest}" if sign else rest


page_setup()  # Danish page language and readable notes, also when opened by its own address
st.title("Tjek lønloftet")
st.write(
    "Lønloftet er det, stillingen betaler på **fuld tid på almindelige vilkår**. Det kaldes også normalløn. "
    "Løn og fleksløntilskud kan tilsammen højst blive det beløb (LAB § 123, stk. 3). Pension skal med. Det "
    "skal de tillæg også, som en fuldtidsansat i stillingen får. Det gælder også tillæg for aften, nat og "
    "weekend som et gennemsnit. Overarbejde skal **ikke** med. Det skal en lavere løn for den nedsatte "
    "arbejdsevne heller **ikke** (Ankestyrelsen, principmeddelelse 48-22)."
)
st.write("Udfyld skemaet. Så regner siden lønloftet ud del for del. Den finder de typiske fejl. Og den viser, hvad "
         "lønloftet betyder for medarbejderen. Vi gemmer intet.")

st.header("1. Skemaet")
source_da = st.radio("Hvem har beregnet lønloftet?", ["Arbejdsgiveren", "Kommunen (muligt fra 2024)"],
                     key="source", horizontal=True)
form: dict[str, Any] = {"source": "employer" if source_da == "Arbejdsgiveren" else "municipality"}
if form["source"] == "municipality":
    methods = list(METHOD_DA)
    form["method"] = st.selectbox("Kommunens metode (LAB § 123, stk. 3, 3. pkt.)", methods, key="method",
                                  format_func=lambda m: METHOD_DA[m].capitalize())
    note = st.text_input("Metoden med ord (fx overenskomst og løntrin)", key="method_note")
    if note.strip():
        form["method_note"] = note

col1, col2, col3 = st.columns(3)
employer = col1.text_input("Arbejdsgiver", key="employer")
position = col2.text_input("Stilling", key="position")
employee_name = col3.text_input("Medarbejderens navn (ikke CPR-nummer)", key="employee_name")
for key, value in (("employer", employer), ("position", position), ("employee_name", employee_name)):
    if value.strip():
        form[key] = value

today = dt.date.today()
default_effective = min(dt.date(today.year, today.month, 1), coverage()[1].first_day())
col1, col2, col3 = st.columns(3)
form["effective_date"] = col1.date_input("Lønloftet gælder fra", value=default_effective, key="effective_date",
                                         format="DD.MM.YYYY", min_value=dt.date(2013, 1, 1)).isoformat()
form["as_of"] = col2.date_input("Dato for tjekket", value=today, key="as_of",
                                format="DD.MM.YYYY").isoformat()
if col3.checkbox("Lønnen er steget siden", key="has_pay_rise"):
    form["last_pay_rise"] = col3.date_input("Seneste lønstigning", value=today, key="last_pay_rise",
                                            format="DD.MM.YYYY").isoformat()

st.subheader("Løn ved fuld tid")
col1, col2, col3 = st.columns(3)
form["full_time_hours"] = typed(col1.text_input("Timer pr. uge ved fuld tid efter overenskomsten",
                                                        value="37", key="full_time_hours"))
base_kind = col2.radio("Grundløn angives som", ["Månedsløn", "Timeløn"], key="base_kind", horizontal=True)
base = typed(col3.text_input("Grundløn pr. måned ved fuld tid" if base_kind == "Månedsløn"
                                     else "Timeløn ved fuld tid", value="26500", key="base_amount"))
form["monthly_base_wage" if base_kind == "Månedsløn" else "hourly_rate"] = base

st.subheader("Faste tillæg (kr. pr. måned ved fuld tid)")
col1, col2, col3 = st.columns(3)
form["supplements"] = {
    "qualification": typed(col1.text_input("Kvalifikationstillæg", "0", key="qualification")),
    "seniority": typed(col2.text_input("Anciennitetstillæg", "0", key="seniority")),
    "function": typed(col3.text_input("Funktionstillæg", "0", key="function")),
}
col1, col2 = st.columns(2)
other_name = col1.text_input("Andet fast tillæg: navn (fx fast bonus)", key="other_name")
other_amount = typed(col2.text_input("Andet fast tillæg: kr. pr. måned", "0", key="other_amount"))
if other_name.strip():
    form["supplements"]["other"] = [{"name": other_name, "amount": other_amount}]

st.subheader("Variable tillæg (gennemsnit pr. måned)")
st.caption("Skriv tillæg for aften, nat og weekend som et gennemsnit. Brug det, en fuldtidsansat i samme stilling "
           "får. Det gælder, selv om medarbejderen ikke har de vagter (PM 48-22).")
col1, col2, col3 = st.columns(3)
form["variable_supplements"] = {
    "evening": typed(col1.text_input("Aftentillæg", "0", key="evening")),
    "night": typed(col2.text_input("Nattillæg", "0", key="night")),
    "weekend": typed(col3.text_input("Weekendtillæg", "0", key="weekend")),
}
basis = st.radio("Beløbene er", ["gennemsnittet for en almindelig fuldtidsansat", "medarbejderens egne tillæg"],
                 key="variable_basis", horizontal=True)
form["variable_supplements"]["basis"] = ("full_time_average" if basis.startswith("gennemsnittet")
                                         else "employee_actual")

st.subheader("Pension og ferietillæg")
col1, col2, col3 = st.columns(3)
pension_bases = list(PENSION_BASE_DA)
form["pension"] = {
    "employer_percent": typed(col1.text_input("Arbejdsgiverens pension (%)", "8", key="employer_percent")),
    "employee_percent": typed(col2.text_input("Medarbejderens egen pension (%)", "4",
                                                      key="employee_percent")),
    "computed_on": col3.selectbox("Pensionen beregnes af", pension_bases, index=1, key="computed_on",
                                  format_func=lambda b: PENSION_BASE_DA[b]),
    "employee_share_in_wage": st.checkbox(
        "Medarbejderens egen andel trækkes i lønnen ovenfor (den er en del af bruttolønnen)", value=True,
        key="employee_share_in_wage"),
}
col1, col2 = st.columns(2)
form["holiday_supplement"] = {
    "percent": typed(col1.text_input("Ferietillæg (%)", "1", key="holiday_percent")),
    "paid": "monthly" if col2.radio("Ferietillæg udbetales", ["med hver løn", "samlet (1–2 gange om året)"],
                                    key="holiday_paid", horizontal=True) == "med hver løn" else "lump_sum",
}

st.subheader("Må ikke indgå")
col1, col2 = st.columns(2)
form["overtime"] = typed(col1.text_input("Overarbejde, der er regnet med (kr. pr. måned)", "0",
                                                 key="overtime"))
form["capacity_reduction"] = typed(col2.text_input(
    "Nedsættelse af lønnen for nedsat arbejdsevne, der er regnet med (kr. pr. måned)", "0",
    key="capacity_reduction"))

st.subheader("Medarbejderen i fleksjob")
st.caption("Vi bruger tallene til at tjekke lønloftet mod medarbejderens egen løn. Og til at vise, hvad det "
           "betyder for tilskuddet. Lad timelønnen stå tom for at springe det over.")
col1, col2, col3 = st.columns(3)
hourly = typed(col1.text_input("Medarbejderens timeløn inkl. pension og tillæg", "175", key="emp_hourly"))
hours = typed(col2.text_input("Medarbejderens timer pr. uge nu", "15", key="emp_hours"))
benefit = col3.text_input("Ydelsesmåned (ÅÅÅÅ-MM; tom: måneden lønloftet gælder fra)", "", key="emp_month")
col1, col2, col3 = st.columns(3)
emp_employer_pct = typed(col1.text_input("Pension fra arbejdsgiveren på medarbejderens løn (%)", "8",
                                                 key="emp_employer_pct"))
emp_own_pct = typed(col2.text_input("Egen pension på medarbejderens løn (%)", "4", key="emp_own_pct"))
emp_variable = typed(col3.text_input("Medarbejderens faktiske variable tillæg pr. måned (valgfrit)", "",
                                             key="emp_variable"))
if hourly:
    form["employee"] = {"hourly_wage": hourly, "hours_per_week": hours, "pension_employer_percent": emp_employer_pct,
                        "pension_own_percent": emp_own_pct}
    if emp_variable:
        form["employee"]["actual_variable_supplements"] = emp_variable
    if benefit.strip():
        form["employee"]["benefit_month"] = benefit.strip()

try:
    result = check_form(validate_form(form))
except FormError as error:
    st.error("Skemaet kan ikke regnes ud endnu. Ret disse felter:")
    for problem in error.errors:
        st.error(f"**{LABELS_DA.get(problem.field, problem.field)}**: {problem.reason_da}")
    st.stop()
except ValueError as error:  # InputError raised while computing (e.g. a reduction larger than the wage)
    field = getattr(error, "field", "skemaet")
    st.error(f"**{LABELS_DA.get(field, field)}**: {getattr(error, 'reason_da', str(error))}")
    st.stop()

st.header("2. Lønloftet, del for del")
st.metric("Lønloft pr. måned", kr(result.ceiling))
st.table([{"Del": label, "Beløb pr. måned": cell(amount), "Regel": provision}
          for _, label, amount, provision in breakdown_rows(result)])
if result.corrected_ceiling is not None:
    st.warning(f"Uden overarbejde og nedsættelse for nedsat arbejdsevne er lønloftet "
               f"**{kr(result.corrected_ceiling)}**")

st.header("3. Tjek")
if not result.findings:
    st.success("Ingen bemærkninger.")
has_error = any(f.severity == "error" for f in result.findings)
for finding in result.findings:
    if has_error and finding.severity == "info":
        continue  # no "nothing to do" box under a red error: the error is what to do

    show = {"error": st.error, "warning": st.warning, "info": st.info}[finding.severity]
    show(f"**{TITLES[finding.code][0]}**\n\n{finding.message_da}\n\n*Gør:* {finding.action_da}  \n"
         f"({finding.provision})")
if result.not_checked:
    st.caption("Ikke tjekket, fordi vi mangler tal om medarbejderen: "
               + "; ".join(TITLES[code][0] for code in result.not_checked) + ".")
st.caption("Advarsler stopper ikke noget. Arbejdsgiveren beslutter selv.")

st.header("4. Hvad det betyder for medarbejderen")
effect = result.effect
if effect is None:
    st.write(effect_lines(result)[0])
else:
    col1, col2, col3 = st.columns(3)
    col1.metric(f"Løn ved {hours_da(effect.hours_per_week)} timer", kr(effect.current.wage_income))
    col2.metric(f"Fleksløntilskud ({month_name(effect.benefit_month)})", kr(effect.current.subsidy))
    col3.metric("I alt", kr(effect.current.wage_income + effect.current.subsidy))
    for line in effect_lines(result)[1:]:
        st.write(line.strip())
    st.table([{"Timer pr. uge": hours_da(row.hours), "Løn": kr(row.wage), "Fleksløntilskud": kr(row.subsidy),
               "I alt": kr(row.total), "Lønloftet binder": "ja" if row.ceiling_binds else "nej"}
              for row in effect.rows])

st.header("5. Opsummering til underskrift")
st.write("Hent en opsummering. Den har lønloftet, delene og bemærkningerne. Der er en linje til underskrift. Åbn "
         "filen i en browser, og skriv den ud.")
stem = f"lonloft_{result.form.effective_date.isoformat()}"
col1, col2 = st.columns(2)
col1.download_button("Hent opsummering (HTML til udskrift)", summary_html(result), file_name=f"{stem}.html",
                     mime="text/html", key="download_html")
col2.download_button("Hent opsummering (Markdown)", summary_markdown(result), file_name=f"{stem}.md",
                     mime="text/markdown", key="download_md")

st.header("Svaret")
errors = [f for f in result.findings if f.severity == "error"]
warnings = [f for f in result.findings if f.severity == "warning"]
if errors:
    fixes = "\n".join(f"- **{TITLES[f.code][0]}.** {f.action_da}" for f in errors)
    st.error(f"Lønloftet er ikke rigtigt. Ret dette:\n\n{fixes}")
elif warnings:
    checks = "\n".join(f"- **{TITLES[f.code][0]}.** {f.action_da}" for f in warnings)
    st.warning(f"Lønloftet på {kr(result.ceiling)} kan være rigtigt. Se efter:\n\n{checks}")
else:
    st.success(f"Lønloftet ser rigtigt ud: {kr(result.ceiling)} om måneden.")
