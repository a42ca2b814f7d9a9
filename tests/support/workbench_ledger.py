"""A constructed ledger with one item of every worklist kind, its figures computed by hand.

Cases A–D: the fleksjob employer (11111111) reports 15.600 kr. (14.000 + 600 + 1.000) a month, so each
month is W = 15.600 → 19.952 − 0,30 × (15.600 − 0) … = 15.272,00 kr. (as in fixtures/ledger/late_report);
a side job (22222222) paid 2.000 kr. in February, reported on 20 April: March on W = 17.600 →
14.352,75 kr., a possible repayment of −919,25 kr., found by the reconciliation as of 30 April 2024.

- A: April is held (no March report, run as of 6 April) and March's repayment has no hearing yet;
- B: hearing letter 2 May 2024, reply date (default 14 days) 16 May, no reply;
- C: hearing letter 2 May, reply received 10 May;
- D: decided (waived): not on the list;
- E: the employer sent February twice under two ids (15.600 kr. each), received 4 and 5 March;
- F: February's report says 0 kr. (sick without pay): March paid 0 as of 5 March; the sickness and
  11.000 kr. dagpenge registered on 20 March: 19.952 − 11.000 = 8.952,00 kr. more when reconciled
  (fixtures/ledger/sickness_registered_late).

On 1 June 2024: E since 5 March (88 days), F since 20 March (73), A's held April since 6 April (56),
A's repayment since 30 April (32), C since 10 May (22), B since 16 May (16).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2024, 6, 1)
SICKNESS = Path(__file__).resolve().parents[2] / "fixtures" / "ledger" / "sickness_registered_late" / "sickness.json"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CPH)


def _report(rid: str, case: str, employer: str, paid: str, start: str, end: str, wage: str, own: str, employer_p: str,
            received: str, kind: str = "original", corrects: str | None = None) -> dict[str, Any]:
    return {"report_id": rid, "case_id": case, "employer_id": employer, "payment_date": paid, "period_start": start,
            "period_end": end, "wage": wage, "pension_own": own, "pension_employer": employer_p, "hours": "64",
            "received_at": received, "kind": kind, "corrects": corrects}


def month_report(case: str, month: str, received: str, rid: str | None = None) -> dict[str, Any]:
    year, number = (int(p) for p in month.split("-"))
    last = (dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
    return _report(rid or f"{case}-{month}", case, "11111111", last, f"{month}-01", last, "14000", "600", "1000",
                   received)


def build(url: str, copies: int = 1, second_held: bool = False) -> dict[str, int]:
    """Fill the ledger at ``url``; returns the correction ids by case. ``copies`` > 1 repeats the six
    cases under prefixes (W0000A …) for the benchmark (bench/worklist_bench.py). ``second_held`` adds case G,
    paid as A in February and March and, like A, held in April (no March report): two held months, A's
    first, as the user test of the workbench had them."""
    from flexcalc.ledger.corrections import record_decision
    from flexcalc.ledger.hearings import record_hearing_reply, record_hearing_sent
    from flexcalc.ledger.models import Correction
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.registrations import register_events
    from flexcalc.ledger.reports import parse_report
    from flexcalc.ledger.store import create_case, ingest, open_ledger, transaction
    from flexcalc.period import Month

    factory: Callable[[], Session] = open_ledger(url)
    ceiling = Decimal("32067")
    prefixes = [""] if copies == 1 else [f"W{n:04d}" for n in range(copies)]
    abcd = [f"{p}{c}" for p in prefixes for c in "ABCD"]
    extra = ["G"] if second_held else []
    with transaction(factory) as session:
        reports = []
        for case in [*abcd, *extra]:
            create_case(session, case, ceiling, Month(2024, 2), ["11111111"])
            reports += [month_report(case, "2024-01", "2024-02-05T09:00:00+01:00"),
                        month_report(case, "2024-02", "2024-03-05T09:00:00+01:00")]
        for p in prefixes:
            create_case(session, f"{p}E", ceiling, Month(2024, 3), ["11111111"])
            reports += [month_report(f"{p}E", "2024-02", "2024-03-04T09:00:00+01:00", f"{p}E-1"),
                        month_report(f"{p}E", "2024-02", "2024-03-05T09:00:00+01:00", f"{p}E-2")]
            create_case(session, f"{p}F", Decimal("30000"), Month(2024, 3), ["77777777"])
            reports.append(_report(f"{p}F-02", f"{p}F", "77777777", "2024-02-29", "2024-02-01", "2024-02-29", "0", "0",
                                   "0", "2024-03-01T09:00:00+01:00"))
        ingest(session, [parse_report(r) for r in reports])
    pay_month(factory, Month(2024, 2), at("2024-02-06"), [*abcd, *extra])
    pay_month(factory, Month(2024, 3), at("2024-03-06"), [*abcd, *extra])
    pay_month(factory, Month(2024, 3), at("2024-03-05"), [f"{p}F" for p in prefixes])
    pay_month(factory, Month(2024, 4), at("2024-04-06"), [f"{p}A" for p in prefixes] + extra)  # no March report
    with transaction(factory) as session:
        ingest(session, [parse_report(_report(f"{case}-X", case, "22222222", "2024-02-15", "2024-02-01",
                                              "2024-02-15", "2000", "0", "0", "2024-04-20T10:30:00+02:00"))
                         for case in abcd])
    reconcile(factory, at("2024-04-30", "23:59:59"), abcd)
    with transaction(factory) as session:
        ids = {c.case_id: c.id for c in session.query(Correction).order_by(Correction.id)}
        for p in prefixes:
            b, c, d = f"{p}B", f"{p}C", f"{p}D"
            record_hearing_sent(session, b, ids[b], "2024-05-02", None, "sb-1")
            record_hearing_sent(session, c, ids[c], "2024-05-02", None, "sb-1", "L-7")
            record_hearing_reply(session, c, ids[c], "2024-05-10", "Vidste ikke, at bijobbet talte med", "sb-1")
            record_decision(session, ids[d], "waive", "god tro", "sb-1")
            register_events(session, f"{p}F", Month(2024, 3), json.loads(SICKNESS.read_text()), received_at=at(
                "2024-03-20", "10:00"), registered_by="sb-1", document="lægeerklæring")
    return ids
