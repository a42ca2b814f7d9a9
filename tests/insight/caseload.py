"""A hand-built caseload for the month in figures (benefit month May 2024, drawn as of 1 June 2024 00:00 Danish
time) and for the supervision, its figures counted by hand.

Cases c01–c08 run from January 2024 (c08 to May), c09 from January to March, c10 starts in June:
caseload May = April = 8, January–March = 9, 2023 = 0. Payments of May (run 6 May): c01–c05 regular, 1.000 kr.
each (payout 900), c06 provisional (released on documented wage, 500 kr., payout 450).

Held months: c06 May (held 6 May, released 20 May: held, not still held), c07 May (held 6 May, 26 days on
1 June), c02 April (held 5 April, 57 days), c03 February (held 5 February, 117 days): by age 0–30: 1,
31–60: 1, 61–90: 0, over 90: 1; May held 2, still held 1.

Reports received in May (employer A 11111111, B 22222222):
- A: c01 April report 10 May (late: May paid 6 May); c02 April correction 12 May (corrected and late; its
  original came 2 May, before the run: not flagged); c01 reversal 15 May (reversed and late) → late 3,
  corrected 1, reversed 1, cases 2.
- B: c03 April report 3 May (before the run: not flagged); c04 April report 20 May (late); c07 April report
  25 May (late: May held 6 May); c05 March report 8 May (late: April paid 5 April) → late 3, cases 3.
- April: c05 March report 20 April (late: April paid 5 April) → April late 1.

Corrections made in May: c01 May late_report (regulation); c02 May corrected_report (repayment, −300);
c04 May late_report + ceiling_change (repayment, −200) → causes late_report 2, corrected_report 1,
ceiling_change 1; tracks regulation 1, repayment_review 2. April: c01 April reversal, c05 April (−150),
c06 April (−100); March: c08 March (−250).

Hearings sent in May: c02 (14 May, reply by 28 May, replied 27 May: on time), c04 (22 May, reply by 5 June: not
due), c05 (2 May, by 16 May, replied 20 May: late), c06 (3 May, by 17 May, no reply) → sent 4, on time 1,
late 1, no reply 1.

Decisions in May: collect c02 (29 May, 300, after the hearing), waive c05 (25 May, 150), collect c08 (10 May,
250, **no hearing, no exception**) → collected 2 (550), waived 1 (150). Claims: c02's 300 kr. (decided 29 May):
outstanding at the end of May 1 (300), April 0.

Complaints: c05 received 10 April, reconsidered (kept) 5 May, sent to Ankestyrelsen 6 May, outcome changed
(amount_changed) 28 May; c02 received 30 May → May received 1, reconsidered 1, sent 1, outcome changed 1.
Ceiling changes: c01's second lønloft recorded 15 May → 1. Events after payment: c03 May registered 18 May → 1.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

CPH = ZoneInfo("Europe/Copenhagen")
AS_OF = dt.datetime(2024, 6, 1, tzinfo=CPH)
A, B = "11111111", "22222222"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CPH)


def _report(session: Session, rid: str, case: str, employer: str, basis: str, received: str, kind: str = "original",
            corrects: str | None = None, root: str | None = None) -> None:
    from flexcalc.ledger.models import Report
    from flexcalc.period import Month

    month = Month.parse(basis)
    session.add(Report(employer_id=employer, report_id=rid, case_id=case, payment_date=month.last_day(),
                       basis_month=month, period_start=month.first_day(), period_end=month.last_day(),
                       wage=Decimal("15000"), pension_own=Decimal(0), pension_employer=Decimal(0), hours=Decimal(60),
                       received_at=at(received), kind=kind, corrects=corrects, root_id=root or rid,
                       ingested_at=at(received)))
    session.flush()


def _payment(session: Session, case: str, month: str, created: str, subsidy: str, payout: str,
             kind: str = "regular", **extra: Any) -> None:
    from flexcalc.ledger.models import Payment

    session.add(Payment(case_id=case, benefit_month=month, kind=kind, basis_wage=Decimal("15000"),
                        ceiling=Decimal("30000"), subsidy=Decimal(subsidy), atp_own=Decimal(0), payout=Decimal(payout),
                        report_ids=[], rule_version="t", as_of=at(created), created_at=at(created), **extra))


def _hold(session: Session, case: str, month: str, held: str) -> None:
    from flexcalc.ledger.models import Hold

    session.add(Hold(case_id=case, benefit_month=month, missing_employers=[A], reason="afventer",
                     as_of=at(held), created_at=at(held)))


def _correction(session: Session, case: str, month: str, created: str, reasons: list[str], track: str,
                difference: str, caused_by: list[str] | None = None) -> int:
    from flexcalc.ledger.models import Correction

    status = "payable" if track == "regulation" else "repayment_review"
    row = Correction(case_id=case, benefit_month=month, sequence=1, previous_subsidy=Decimal(1000),
                     due_subsidy=Decimal(1000) + Decimal(difference), difference=Decimal(difference),
                     previous_payout=Decimal(900), due_payout=Decimal(900) + Decimal(difference),
                     basis_wage=Decimal(15000), ceiling=Decimal(30000), report_ids=[], caused_by=caused_by or [],
                     reasons=reasons, explanation_da="x", explanation_en="x", legal_basis="x",
                     earliest_affected_month=month, status=status, rule_version="t", as_of=at(created),
                     created_at=at(created), track=track)
    session.add(row)
    session.flush()
    return row.id


def _hearing(session: Session, case: str, correction: int, sent: str, reply_by: str, replied: str | None) -> None:
    from flexcalc.ledger.hearings import HearingEvent

    session.add(HearingEvent(correction_id=correction, case_id=case, kind="sent", sent_on=dt.date.fromisoformat(sent),
                             reply_by=dt.date.fromisoformat(reply_by), recorded_by="sb", recorded_at=at(sent),
                             channel="letter"))
    if replied:
        session.add(HearingEvent(correction_id=correction, case_id=case, kind="reply",
                                 received_on=dt.date.fromisoformat(replied), summary="svar", recorded_by="sb",
                                 recorded_at=at(replied)))


def _decision(session: Session, correction: int, outcome: str, decided: str) -> int:
    from flexcalc.ledger.models import Decision

    row = Decision(correction_id=correction, outcome=outcome, reason="r", decided_by="sb", decided_at=at(decided))
    session.add(row)
    session.flush()
    return row.id


def build(url: str) -> dict[str, int]:
    """The caseload in a fresh ledger at ``url``; the ids of the corrections and decisions by name."""
    from flexcalc.ledger.claim_models import Claim
    from flexcalc.ledger.models import Case, Ceiling, Employment, EventRegistration
    from flexcalc.ledger.oversight import record_complaint, record_complaint_step
    from flexcalc.ledger.store import open_ledger, transaction

    factory = open_ledger(url)
    ids: dict[str, int] = {}
    with transaction(factory) as s:
        for n in range(1, 11):
            first = "2024-06" if n == 10 else "2024-01"
            last = {8: "2024-05", 9: "2024-03"}.get(n)
            s.add(Case(id=f"c{n:02d}", cpr=f"01019{n:05d}"[:10], first_month=first, last_month=last,
                       created_at=at("2024-01-01")))
        s.flush()
        for n in range(1, 10):
            s.add(Employment(case_id=f"c{n:02d}", employer_id=A if n <= 2 else B, first_basis_month="2023-12",
                             created_at=at("2024-01-01")))
            if n != 2:
                s.add(Ceiling(case_id=f"c{n:02d}", effective_month="2024-01", amount=Decimal(30000),
                              recorded_at=at("2024-01-01"), note="lønloftskema 2024"))
        s.add(Ceiling(case_id="c01", effective_month="2024-05", amount=Decimal(31000), recorded_at=at("2024-05-15"),
                      note="nyt lønloftskema"))
        s.add(Ceiling(case_id="c02", effective_month="2024-05", amount=Decimal(30000), recorded_at=at("2024-05-02"),
                      note=None))
        for n in range(1, 6):
            _payment(s, f"c{n:02d}", "2024-05", "2024-05-06", "1000", "900")
        _payment(s, "c06", "2024-05", "2024-05-20", "500", "450", kind="provisional", released_by="sb",
                 documentation="lønseddel for april")
        _payment(s, "c05", "2024-04", "2024-04-05", "1000", "900")
        _payment(s, "c01", "2024-04", "2024-04-05", "1000", "900")
        for case, month, held in (("c06", "2024-05", "2024-05-06"), ("c07", "2024-05", "2024-05-06"),
                                  ("c02", "2024-04", "2024-04-05"), ("c03", "2024-02", "2024-02-05")):
            _hold(s, case, month, held)
        _report(s, "a1", "c01", A, "2024-04", "2024-05-10")
        _report(s, "a0", "c02", A, "2024-04", "2024-05-02")
        _report(s, "a2", "c02", A, "2024-04", "2024-05-12", "correction", "a0", "a0")
        _report(s, "a3", "c01", A, "2024-04", "2024-05-15", "reversal", "a1", "a1")
        _report(s, "b1", "c03", B, "2024-04", "2024-05-03")
        _report(s, "b2", "c04", B, "2024-04", "2024-05-20")
        _report(s, "b3", "c07", B, "2024-04", "2024-05-25")
        _report(s, "b4", "c05", B, "2024-03", "2024-05-08")
        _report(s, "b5", "c05", B, "2024-03", "2024-04-20")
        ids["k1"] = _correction(s, "c01", "2024-05", "2024-05-11", ["late_report"], "regulation", "100", ["a1"])
        ids["k2"] = _correction(s, "c02", "2024-05", "2024-05-13", ["corrected_report"], "repayment_review", "-300",
                                ["a2"])
        ids["k3"] = _correction(s, "c04", "2024-05", "2024-05-21", ["late_report", "ceiling_change"],
                                "repayment_review", "-200", ["b2"])
        ids["k4"] = _correction(s, "c01", "2024-04", "2024-04-20", ["reversal"], "regulation", "50")
        ids["k5"] = _correction(s, "c05", "2024-04", "2024-04-22", ["late_report"], "repayment_review", "-150",
                                ["b5"])
        ids["k6"] = _correction(s, "c06", "2024-04", "2024-04-25", ["late_report"], "repayment_review", "-100")
        ids["k7"] = _correction(s, "c08", "2024-03", "2024-03-20", ["late_report"], "repayment_review", "-250")
        _hearing(s, "c02", ids["k2"], "2024-05-14", "2024-05-28", "2024-05-27")
        _hearing(s, "c04", ids["k3"], "2024-05-22", "2024-06-05", None)
        _hearing(s, "c05", ids["k5"], "2024-05-02", "2024-05-16", "2024-05-20")
        _hearing(s, "c06", ids["k6"], "2024-05-03", "2024-05-17", None)
        ids["d2"] = _decision(s, ids["k2"], "collect", "2024-05-29")
        ids["d5"] = _decision(s, ids["k5"], "waive", "2024-05-25")
        ids["d8"] = _decision(s, ids["k7"], "collect", "2024-05-10")  # no hearing, no exception
        s.add(Claim(case_id="c02", correction_id=ids["k2"], decision_id=ids["d2"], concerns_month="2024-05",
                    amount=Decimal(300), paid_on=dt.date(2024, 5, 7), known_on=dt.date(2024, 5, 12),
                    decided_on=dt.date(2024, 5, 29), due_date=dt.date(2024, 6, 28),
                    limitation_date=dt.date(2027, 5, 12), claim_type="tilbagebet", created_by="sb",
                    created_at=at("2024-05-29")))
        s.add(EventRegistration(case_id="c03", benefit_month="2024-05", events="{}", digest="d" * 64,
                                received_at=at("2024-05-18"), registered_by="sb", document="lægeerklæring",
                                recorded_at=at("2024-05-18")))
        s.add(EventRegistration(case_id="c04", benefit_month="2024-04", events="{}", digest="e" * 64,
                                received_at=at("2024-04-02"), registered_by="sb", document=None,
                                recorded_at=at("2024-04-02")))
        c5 = record_complaint(s, "c05", "2024-04-10", "Klage over beløbet", "sb", ids["d5"], at=at("2024-04-10"))
        record_complaint_step(s, "c05", c5["id"], "reconsidered", "2024-05-05", "sb", version=0, result="kept",
                              at=at("2024-05-05"))
        record_complaint_step(s, "c05", c5["id"], "sent_to_ankestyrelsen", "2024-05-06", "sb", version=1,
                              at=at("2024-05-06"))
        record_complaint_step(s, "c05", c5["id"], "outcome", "2024-05-28", "sb", version=2, result="changed",
                              effect="amount_changed", at=at("2024-05-28"))
        ids["complaint_c05"] = c5["id"]
        ids["complaint_c02"] = record_complaint(s, "c02", "2024-05-30", "Klage over kravet", "sb",
                                                at=at("2024-05-30"))["id"]
    return ids
