"""Case files for the letter tests: the ledger fixtures replayed, and a case whose wage rose (for the
monthly specification), all with hand-computed figures (rates 2024: M = 19.952, T = 16.323)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import textstat
from sqlalchemy.orm import Session

from flexcalc.ledger.corrections import record_decision
from flexcalc.ledger.models import Correction
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.reports import parse_report
from flexcalc.ledger.store import create_case, ingest, open_ledger, transaction
from flexcalc.period import Month

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ledger"
CPH = ZoneInfo("Europe/Copenhagen")
LIX_TARGET = 35


def replay_fixture(name: str, db: str) -> Callable[[], Session]:
    """A fixture of fixtures/ledger replayed through the CLI (checked against its scenario.yaml)."""
    from tests.ledger.test_ledger_scenarios import replay

    replay(FIXTURES / name, db)
    return open_ledger(db)


def correction_id(factory: Callable[[], Session], case_id: str, difference: str) -> int:
    with factory() as session:
        return next(c.id for c in session.query(Correction).filter_by(case_id=case_id)
                    if c.difference == Decimal(difference))


def decide(factory: Callable[[], Session], correction: int, outcome: str, reason: str, knowledge: str | None,
           on: dt.datetime) -> None:
    """Record the decision; a ``collect`` first records an exception from the hearing (forvaltningsloven
    § 19, stk. 2, nr. 1), as a collect without a hearing or an exception is refused."""
    from flexcalc.ledger.hearings import record_hearing_exception
    from flexcalc.ledger.models import Correction

    with transaction(factory) as session:
        if outcome == "collect":
            case_id = session.get(Correction, correction).case_id  # type: ignore[union-attr]
            record_hearing_exception(session, case_id, correction, "fvl_19_2_1",
                                     "Lønsedlen og indberetningen viser det samme", "sb-17")
        record_decision(session, correction, outcome, reason, "sb-17", knowledge=knowledge, decided_at=on)


def _report(rid: str, case: str, payment: str, wage: str, received: str, kind: str = "original",
            corrects: str | None = None) -> dict[str, object]:
    return {"report_id": rid, "case_id": case, "employer_id": "11111111", "payment_date": payment,
            "period_start": payment[:8] + "01", "period_end": payment, "wage": wage, "pension_own": "0",
            "pension_employer": "0", "hours": "64", "received_at": received, "kind": kind, "corrects": corrects}


def rising_wage_case(db: str, case: str = "SP") -> Callable[[], Session]:
    """Ceiling 40.000 (never binding). February's wage 15.600 → March 19.952 − 0,30 × 15.600 = 15.272,00;
    March's wage 20.000 → April 15.055,10 − 0,55 × (20.000 − 16.323) = 15.055,10 − 2.022,35 = 13.032,75.
    Own ATP 5 %, at most 500: 500 both months. In April February is corrected to 16.000 (received 8 April,
    reconciled 9 April): March 19.952 − 4.800 = 15.152 → −120,00, a possible repayment."""
    factory = open_ledger(db)
    with transaction(factory) as session:
        create_case(session, case, Decimal("40000"), Month(2024, 3), ["11111111"])
        ingest(session, [parse_report(_report(f"{case}-F", case, "2024-02-29", "15600", "2024-03-04T09:00:00")),
                         parse_report(_report(f"{case}-M", case, "2024-03-28", "20000", "2024-04-03T09:00:00"))])
    pay_month(factory, Month(2024, 3), dt.datetime(2024, 3, 6, 12, tzinfo=CPH))
    pay_month(factory, Month(2024, 4), dt.datetime(2024, 4, 6, 12, tzinfo=CPH))
    with transaction(factory) as session:
        ingest(session, [parse_report(_report(f"{case}-F2", case, "2024-02-29", "16000", "2024-04-08T09:00:00",
                                              "correction", f"{case}-F"))])
    reconcile(factory, dt.datetime(2024, 4, 9, 12, tzinfo=CPH), [case])
    return factory


def lix(text: str) -> float:
    """LIX (textstat, Danish) of running text, measured strictly: "kr." and the full stop of a date
    ("15. marts") are not taken as the end of a sentence (that would make sentences look shorter)."""
    textstat.set_lang("da")
    text = text.replace(" kr.", " kroner")
    text = re.sub(r"(\d)\. ", r"\1 ", text)
    return float(textstat.lix(text))
