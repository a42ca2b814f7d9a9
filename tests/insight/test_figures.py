"""The month in figures on the hand-built caseload (tests/insight/caseload.py, where every figure is counted by
hand), on SQLite and PostgreSQL; the manager's view suppresses every count from 1 to 4; CSV and Excel carry the
same figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flexcalc.period import Month
from tests.insight.caseload import AS_OF, build


def _figures(url: str, as_of: dt.datetime = AS_OF):  # type: ignore[no-untyped-def]
    from flexcalc.insight.figures import month_figures
    from flexcalc.ledger.store import open_ledger

    return month_figures(open_ledger(url), Month(2024, 5), as_of)


def test_the_month_against_hand_counts(database_url: str) -> None:
    build(database_url)
    data = _figures(database_url).to_dict()
    c = data["current"]
    assert (c["caseload"], c["caseload_by_scheme"]) == (8, {"new": 8, "old": 0, "self_employed": 0})
    assert (c["payments"], c["subsidy_total"], c["payout_total"], c["provisional_payments"]) == (
        6, "5500.00", "4950.00", 1)
    assert (c["held"], c["held_still"]) == (2, 1)
    assert data["held_by_age_days"] == {"0-30": 1, "31-60": 1, "61-90": 0, "over 90": 1}
    assert c["corrections"] == 3
    assert c["corrections_by_cause"] == {"late_report": 2, "corrected_report": 1, "ceiling_change": 1}
    assert c["corrections_by_track"] == {"regulation": 1, "repayment_review": 2}
    assert (c["repayments_collected"], c["repayments_collected_amount"]) == (2, "550.00")
    assert (c["repayments_waived"], c["repayments_waived_amount"]) == (1, "150.00")
    assert (c["claims_outstanding"], c["claims_balance"]) == (1, "300.00")
    assert (c["hearings_sent"], c["replies_on_time"], c["replies_late"], c["no_reply"]) == (4, 1, 1, 1)
    assert (c["complaints_received"], c["complaints_reconsidered"], c["complaints_sent_to_ankestyrelsen"]) == (1, 1, 1)
    assert (c["complaint_outcomes"], c["complaint_effects"]) == ({"changed": 1}, {"amount_changed": 1})
    assert (c["ceiling_changes"], c["events_after_payment"]) == (1, 1)
    assert (c["late_reports"], c["corrected_reports"], c["reversed_reports"]) == (6, 1, 1)
    assert data["employers"] == [
        {"employer_cvr": "11111111", "late": 3, "corrected": 1, "reversed": 1, "cases_touched": 2},
        {"employer_cvr": "22222222", "late": 3, "corrected": 0, "reversed": 0, "cases_touched": 3}]
    trend = {m["month"]: m for m in data["trend"]}
    assert len(trend) == 13 and next(iter(trend)) == "2023-05"
    assert [trend[m]["caseload"] for m in ("2023-12", "2024-01", "2024-03", "2024-04")] == [0, 9, 9, 8]
    april = trend["2024-04"]
    assert (april["late_reports"], april["corrections"], april["corrections_by_cause"]) == (
        1, 3, {"reversal": 1, "late_report": 2})
    assert (april["held"], april["held_still"], april["claims_outstanding"], april["complaints_received"]) == (
        1, 1, 0, 1)
    assert trend["2024-02"]["held_still"] == 1 and trend["2024-03"]["corrections"] == 1


def test_figures_drawn_earlier_count_only_what_was_recorded_by_then(database_url: str) -> None:
    build(database_url)
    c = _figures(database_url, dt.datetime(2024, 5, 16, tzinfo=dt.UTC)).to_dict()["current"]
    # by 16 May: May's regular payments (not c06's release of 20 May), the corrections of 11 and 13 May,
    # the decision of 10 May, hearings sent 2, 3 and 14 May (the reply of 27 May not yet in)
    assert (c["payments"], c["held_still"], c["corrections"]) == (5, 2, 2)
    assert (c["repayments_collected"], c["repayments_waived"], c["claims_outstanding"]) == (1, 0, 0)
    # (no reply counted yet: c05's reply date is 16 May, c06's 17 May, neither passed on 16 May)
    assert (c["hearings_sent"], c["replies_on_time"], c["no_reply"]) == (3, 0, 0)
    assert c["late_reports"] == 4  # b4 (8 May: April paid 5 April), a1 (10 May), a2 (12 May), a3 (15 May)


def test_manager_view_suppresses_small_counts_and_shows_no_person(sqlite_url: str) -> None:
    from flexcalc.insight.figures import SUPPRESSED, manager_view

    build(sqlite_url)
    view = manager_view(_figures(sqlite_url))
    c = view["current"]
    assert (c["caseload"], c["payments"], c["late_reports"]) == (8, 6, 6)
    assert (c["held"], c["corrections"], c["hearings_sent"], c["claims_outstanding"]) == (SUPPRESSED,) * 4
    assert c["claims_balance"] is None and c["repayments_waived_amount"] is None  # an amount of 1 claim, 1 waiver
    assert c["subsidy_total"] == "5500.00"  # 6 payments
    assert view["employers"][0] == {"employer_cvr": "11111111", "late": SUPPRESSED, "corrected": SUPPRESSED,
                                    "reversed": SUPPRESSED, "cases_touched": SUPPRESSED}
    text = str(view)
    assert "c0" not in text and "c1" not in text and "0101900" not in text


def test_csv_and_xlsx_carry_the_figures(sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from flexcalc.insight.export import figures_csv, figures_xlsx

    build(sqlite_url)
    figures = _figures(sqlite_url)
    rows = list(csv.DictReader(io.StringIO(figures_csv(figures.to_dict()))))
    assert len(rows) == 13 and rows[-1]["month"] == "2024-05"
    assert (rows[-1]["corrections_by_cause.late_report"], rows[-1]["subsidy_total"]) == ("2", "5500.00")
    assert rows[0]["corrections_by_cause.reversal"] == "0"
    figures_xlsx(figures, tmp_path / "m.xlsx")
    book = load_workbook(tmp_path / "m.xlsx")
    cells = {r[0]: r[1] for r in book["Måneden"].iter_rows(values_only=True)}
    assert cells["late_reports"] == 6 and str(cells["subsidy_total"]) == "5500"
    employers = list(book["Arbejdsgivere"].iter_rows(values_only=True))
    assert employers[1] == ("11111111", 3, 1, 1, 2)
