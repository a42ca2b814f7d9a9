"""The check of the municipality's calculation: hand-computed cases to the øre, the attribution, the file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from pathlib import Path

import pypdf
import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from flexcalc.check import CheckFileError, check_calculation, dump_check, load_check, validate_check
from flexcalc.check.request import complaint_deadline_from_receipt, draft_request
from flexcalc.errors import InputError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "check"
# 2024: M = 19.952 kr., T = 16.323 kr. (RULES.md, rates table)


def run(name: str):  # type: ignore[no-untyped-def]
    return check_calculation(load_check((FIXTURES / name).read_text()))


def test_simplest_form_from_the_issue() -> None:
    # W = 18.000: R = 0,3 × 16.323 + 0,55 × 1.677 = 4.896,90 + 922,35 = 5.819,25; 19.952 − 5.819,25 = 14.132,75;
    # room 34.000 − 18.000 = 16.000 does not bind. The municipality's lønloft 31.000 leaves room 13.000 = paid.
    result = run("simple.yaml")
    (month,) = result.months
    assert month.right_subsidy == D("14132.75")
    assert month.difference == D("1132.75")
    assert month.recomputed_subsidy == D("13000.00")
    assert [(c.code, c.reason, c.amount) for c in month.causes] == [("ceiling_differs", None, D("1132.75"))]
    data = result.to_dict()
    assert data["total_difference"] == "1132.75"
    assert data["months"][0]["causes"][0]["provision"].startswith("LAB § 123, stk. 3")


def test_ceiling_without_evening_supplement_is_underpaid() -> None:
    # The right lønloft from the job's terms: 28.000 + evening 2.000 + 8 % employer pension of 28.000 = 2.240
    # → 32.240. W = 17.000: R = 4.896,90 + 0,55 × 677 = 5.269,25; 19.952 − 5.269,25 = 14.682,75 < room 15.240.
    # The municipality's 30.240 (no evening supplement) leaves room 13.240: paid 13.240,00. Underpaid 1.442,75.
    (month,) = run("ceiling_without_evening.yaml").months
    assert month.right.ceiling == D("32240.00")
    assert month.right_subsidy == D("14682.75")
    assert month.difference == D("1442.75")
    (cause,) = month.causes
    assert (cause.code, cause.reason, cause.amount) == ("ceiling_differs", "ceiling_without_supplements", D("1442.75"))
    assert "2.000,00 kr." in cause.text_da and "1.442,75 kr. for lidt" in cause.text_da
    assert "PM 48-22" in cause.provision


def test_pension_missing_from_the_municipalitys_wage_is_overpaid() -> None:
    # Right W = 15.000 + 600 + 1.200 = 16.800: R = 4.896,90 + 0,55 × 477 = 5.159,25 → 14.792,75 (room 15.200).
    # The municipality's W = 15.000: R = 4.500 → 15.452,00. Overpaid 659,25.
    result = run("pension_missing.yaml")
    (month,) = result.months
    assert month.right_subsidy == D("14792.75")
    assert month.difference == D("-659.25")
    (cause,) = month.causes
    assert (cause.code, cause.reason, cause.amount) == ("wage_differs", "pension_missing", D("-659.25"))
    assert "1.800,00 kr." in cause.text_da
    assert "for meget" in month.verdict_da and "vidste eller burde vide" in month.verdict_da
    assert result.to_dict()["months"][0]["direction"] == "overpaid"


def test_ferietillaeg_in_the_wrong_month_both_ways() -> None:
    # May: 15.000 + 1.200 + ferietillæg 1.800 = 18.000 → June's subsidy 14.132,75 (as above); June: 16.200 →
    # July's subsidy 19.952 − 4.860 = 15.092,00. The municipality swapped them: June −959,25, July +959,25.
    result = run("holiday_wrong_month.yaml")
    june, july = result.months
    assert (june.right_subsidy, june.difference) == (D("14132.75"), D("-959.25"))
    assert (july.right_subsidy, july.difference) == (D("15092.00"), D("959.25"))
    assert june.codes == ["wage_differs", "holiday_wrong_month"]
    assert july.codes == ["wage_differs", "holiday_wrong_month"]
    assert result.total_difference == D("0.00")


def test_wrong_years_rates_found_by_recomputing() -> None:
    # March 2024 with 2023's rates (M 19.333, T 15.817): W = 18.000: R = 4.745,10 + 0,55 × 2.183 = 5.945,75 →
    # 13.387,25. With 2024's: 14.132,75. Difference 745,50, all from the rates.
    check = validate_check({"months": [{"month": "2024-03", "paid_subsidy": "13387.25", "wage": "18000",
                                         "ceiling": "40000"}]})
    (month,) = check_calculation(check).months
    assert month.difference == D("745.50")
    assert [(c.code, c.reason, c.amount) for c in month.causes] == [("rates_differ", "wrong_year_rates", D("745.50"))]
    assert str(month.used_rates_month) == "2023-03"


def test_atp_rounding_and_unexplained_residuals() -> None:
    def causes(paid: str) -> list[tuple[str, D]]:
        check = validate_check({"months": [{"month": "2024-03", "paid_subsidy": paid, "wage": "18000",
                                             "ceiling": "40000"}]})
        return [(c.code, c.amount) for c in check_calculation(check).months[0].causes]

    assert causes("13632.75") == [("atp", D("500.00"))]        # 14.132,75 − 500 ATP
    assert causes("14133.00") == [("rounding", D("-0.25"))]    # rounded to whole kroner
    assert causes("14000.00") == [("unexplained", D("132.75"))]
    assert causes("14132.75") == []


@settings(max_examples=60, deadline=None)
@given(wage=st.integers(0, 40000), used_wage=st.integers(0, 40000), ceiling=st.integers(10000, 45000),
       used_ceiling=st.integers(10000, 45000), paid=st.integers(0, 20000))
def test_cause_amounts_add_up_to_the_difference(wage: int, used_wage: int, ceiling: int, used_ceiling: int,
                                                 paid: int) -> None:
    check = validate_check({"months": [{"month": "2025-05", "paid_subsidy": str(paid), "wage": str(wage),
                                         "used_wage": str(used_wage), "ceiling": str(ceiling),
                                         "used_ceiling": str(used_ceiling)}]})
    (month,) = check_calculation(check).months
    assert sum((c.amount for c in month.causes), D(0)) == month.difference
    assert month.difference == month.right_subsidy - D(paid)


def test_bad_files_name_the_field() -> None:
    with pytest.raises(CheckFileError) as error:
        load_check("months:\n  - month: 2024-03\n    paid_subsidy: '26.500'\n    wage: 1\n    ceiling: 2\n")
    assert error.value.errors[0].field == "months.0.paid_subsidy"
    with pytest.raises(CheckFileError) as error:
        validate_check({"months": [{"month": "2024-03", "paid_subsidy": "1", "cpr": "0101011234"}]})
    assert error.value.errors[0].field == "months.0.cpr"
    with pytest.raises(CheckFileError) as error:
        validate_check({"adviser": {"name": "A"}, "months": [{"month": "2024-03", "paid_subsidy": "1"}]})
    assert "samtykke" in error.value.errors[0].reason_da
    check = validate_check({"months": [{"month": "2024-03", "paid_subsidy": "1"}]})
    with pytest.raises(InputError) as missing:
        check_calculation(check)
    assert missing.value.field == "months.0.wage"


def test_adviser_file_round_trips_with_consent() -> None:
    data = {"adviser": {"name": "Rådgiver R", "organisation": "Fagforeningen"},
            "consent": {"given_by": "Borger B", "date": "2024-08-01"}, "person": "Borger B",
            "months": [{"month": "2024-03", "paid_subsidy": "13000.00", "used_ceiling": "31000.00",
                        "wage": "18000.00", "ceiling": "34000.00"}]}
    check = validate_check(data)
    again = load_check(dump_check(check))
    assert again == check
    assert check_calculation(again).total_difference == D("1132.75")


def test_complaint_within_four_weeks_reopening_after() -> None:
    result = run("holiday_wrong_month.yaml")  # received Monday 5 August 2024 → deadline Monday 2 September
    assert complaint_deadline_from_receipt(dt.date(2024, 8, 5)) == dt.date(2024, 9, 2)
    complaint = draft_request(result, today=dt.date(2024, 9, 2))
    assert complaint.kind == "complaint" and "§ 67, stk. 1" in complaint.provision
    reopening = draft_request(result, today=dt.date(2024, 9, 3))
    assert reopening.kind == "reopening" and "genoptage" in reopening.text
    # a deadline on a Saturday moves to Monday: received Saturday 3 August → 31 August (Sat) → 2 September
    assert complaint_deadline_from_receipt(dt.date(2024, 8, 3)) == dt.date(2024, 9, 2)


def test_draft_request_text_and_pdf_carry_months_amounts_causes_and_computation() -> None:
    result = run("pension_missing.yaml")
    draft = draft_request(result, today=dt.date(2024, 5, 1))
    assert draft.kind == "reopening"  # no date of receipt: reopening, and the complaint is mentioned
    text = draft.text
    for expected in ("marts 2024", "14.792,75 kr.", "15.452,00 kr.", "-659,25 kr.", "pensionen på 1.800,00 kr.",
                     "Lønindtægt i basismåneden inkl. pension: 16.800,00 kr.", "for meget"):
        assert expected in text
    pdf_text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(draft.pdf())).pages)
    flat = " ".join(pdf_text.split())
    for expected in ("genoptagelse", "14.792,75", "15.452,00", "659,25", "16.800,00"):
        assert expected in flat


def test_request_and_cause_texts_are_plain_danish() -> None:
    textstat.set_lang("da")
    for name in ("ceiling_without_evening.yaml", "pension_missing.yaml", "holiday_wrong_month.yaml"):
        result = run(name)
        draft = draft_request(result, today=dt.date(2024, 8, 20))
        running = " ".join([*draft.paragraphs, *(c.text_da for m in result.months for c in m.causes),
                            *(m.verdict_da for m in result.months)])
        running = running.replace(" kr.", " kroner")
        assert textstat.lix(running) <= 35, (name, textstat.lix(running))


def test_the_ceiling_is_explained_in_plain_danish_on_the_page_that_asks_for_it() -> None:
    from streamlit.testing.v1 import AppTest

    from flexcalc.text_da.check import CEILING_EXPLAINED_DA

    textstat.set_lang("da")
    assert textstat.lix(CEILING_EXPLAINED_DA) <= 35, textstat.lix(CEILING_EXPLAINED_DA)
    page = Path(__file__).resolve().parents[2] / "explainer" / "pages" / "30_tjek_din_udbetaling.py"
    at = AppTest.from_file(str(page), default_timeout=60).run()
    assert CEILING_EXPLAINED_DA in [m.value for m in at.markdown]
    assert "Måned 1: lønloft kommunen brugte, i kr." in [w.label for w in at.text_input]
    assert "kollega på fuld tid" in CEILING_EXPLAINED_DA and "Pension" in CEILING_EXPLAINED_DA


def test_wrong_basis_month_and_another_employers_wage_counted_twice() -> None:
    # Right W (February) = 15.000: 19.952 − 0,3 × 15.000 = 15.452,00 (room 19.000). The municipality's 18.000
    # gives 14.132,75 (as in the simplest case): 1.319,25 too little, for two different reasons.
    basis = validate_check({"months": [{"month": "2024-03", "paid_subsidy": "14132.75", "used_wage": "18000",
                                         "ceiling": "34000"}],
                            "payslips": [{"month": "2024-02", "wage": "15000"}, {"month": "2024-03", "wage": "18000"}]})
    (month,) = check_calculation(basis).months
    assert (month.right_subsidy, month.difference) == (D("15452.00"), D("1319.25"))
    assert month.codes == ["wage_differs", "wrong_basis_month"]
    assert "marts 2024" in month.causes[0].text_da and "februar 2024" in month.causes[0].text_da
    twice = validate_check({"months": [{"month": "2024-03", "paid_subsidy": "14132.75", "used_wage": "18000",
                                         "ceiling": "34000"}],
                            "payslips": [{"month": "2024-02", "wage": "12000"},
                                         {"month": "2024-02", "employer": "other", "wage": "3000"}]})
    (month,) = check_calculation(twice).months
    assert (month.right_subsidy, month.difference) == (D("15452.00"), D("1319.25"))
    assert month.codes == ["wage_differs", "other_employer_counted"]


def test_lonloft_without_pension_is_named() -> None:
    # Job terms: 28.000 + evening 2.000 + 8 % of 28.000 = 32.240; without pension 30.000. W = 17.000:
    # 14.682,75 before the ceiling; the municipality's room 30.000 − 17.000 = 13.000: 1.682,75 too little.
    data = {"job_terms": {"effective_date": "2024-01-01", "monthly_base_wage": "28000",
                          "variable_supplements": {"evening": "2000"}, "pension": {"employer_percent": "8"}},
            "months": [{"month": "2024-03", "paid_subsidy": "13000", "used_ceiling": "30000", "wage": "17000"}]}
    (month,) = check_calculation(validate_check(data)).months
    assert month.difference == D("1682.75")
    assert month.codes == ["ceiling_differs", "ceiling_without_pension"]
