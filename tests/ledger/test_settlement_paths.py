"""Settlement in the payment run is the same on both paths: the caseload of ``test_payrun_set_based`` paid
and reconciled (efterbetalinger and possible repayments), some repayments collected by set-off, then the
next month paid set-based and case by case. The same payments, the same lines (efterbetaling, regulation,
set-off) to the øre, the same statements in the run's answer; and every case's account balances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from flexcalc.ledger.claim_models import Claim, Settlement
from flexcalc.ledger.claims import record_plan
from flexcalc.ledger.corrections import record_decision
from flexcalc.ledger.hearings import record_hearing_sent
from flexcalc.ledger.models import Case, Correction
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.settlement import case_balance
from flexcalc.ledger.store import ingest, open_ledger, transaction
from flexcalc.period import Month
from tests.ledger.test_payrun_set_based import FLEX, FLEX2, MONTHS, OTHER, at, build

APRIL = Month(2024, 4)


def _next_month(url: str) -> None:
    """March's reports of every known employer (so April is paid), and a collect decision (after a hearing
    whose reply date has passed) with a set-off plan on every third possible repayment — built the same way
    in any database."""
    factory = open_ledger(url)
    with transaction(factory) as session:
        reports = []
        for (case_id,) in session.execute(select(Case.id).order_by(Case.id)):
            for employer in (FLEX, FLEX2, OTHER[:-1] + "9"):
                reports.append(WageReport(f"{case_id}-{employer[-1]}-apr", case_id, employer, dt.date(2024, 3, 28),
                                          dt.date(2024, 3, 1), dt.date(2024, 3, 28), Decimal("9000"), Decimal(0),
                                          Decimal(0), Decimal(40), at(APRIL, 3), "original"))
        ingest(session, reports)
        review = list(session.scalars(select(Correction).where(Correction.status == "repayment_review")
                                      .order_by(Correction.case_id, Correction.benefit_month, Correction.sequence)))
        for n, c in enumerate(review):
            if n % 3 or c.track == "regulation" or c.previous_payout <= c.due_payout:
                continue
            # the hearing first (letter the day the correction is made, 2 April; reply date 3 April, passed)
            record_hearing_sent(session, c.case_id, c.id, dt.date(2024, 4, 2), dt.date(2024, 4, 3), "sb")
            decision = record_decision(session, c.id, "collect", "partshøring, svarfristen er udløbet", "sb",
                                       knowledge="knew", decided_at=at(APRIL, 4))
            claim_id = session.scalar(select(Claim.id).where(Claim.decision_id == decision.id))
            record_plan(session, claim_id, "setoff", Decimal("250"), "modregning", "sb", dt.date(2024, 4, 4), APRIL)


def lines(url: str) -> list[tuple[Any, ...]]:
    with open_ledger(url)() as session:
        return sorted((s.case_id, str(s.payment_month), s.kind, s.amount, str(s.concerns_month), s.cause)
                      for s in session.scalars(select(Settlement)))


def test_settlement_is_the_same_on_both_paths_and_every_account_balances(database_url: str, tmp_path: Path) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    build(database_url)
    build(reference)
    fast, slow = open_ledger(database_url), open_ledger(reference)
    for benefit in MONTHS:
        pay_month(fast, benefit, at(benefit, 6))
        pay_month(slow, benefit, at(benefit, 6), set_based=False)
    final = at(Month(2024, 4), 2)
    reconcile(fast, final)
    reconcile(slow, final, set_based=False)
    _next_month(database_url)
    _next_month(reference)
    a = pay_month(fast, APRIL, at(APRIL, 6)).to_dict()
    b = pay_month(slow, APRIL, at(APRIL, 6), set_based=False).to_dict()

    def without_ids(run: dict[str, Any]) -> list[Any]:
        return [{**p, "settlement": None if "settlement" not in p else {
            **p["settlement"], "lines": [{k: v for k, v in line.items() if not k.endswith("_id")}
                                         for line in p["settlement"]["lines"]]}} for p in run["paid"]]

    assert without_ids(a) == without_ids(b)
    got = lines(database_url)
    assert got == lines(reference)
    kinds = {line[2] for line in got}
    assert kinds >= {"efterbetaling", "setoff"}, kinds
    assert sum(1 for line in got if line[2] == "efterbetaling") >= 5
    # each paid statement: net = payout + back payments − deductions, never below 0
    for p in a["paid"]:
        s = p.get("settlement")
        if s is None:
            continue
        net = Decimal(s["due_payout"]) + sum(Decimal(x["amount"]) * (1 if x["kind"] == "efterbetaling" else -1)
                                             for x in s["lines"])
        assert net == Decimal(s["net_payout"]) >= 0
    with fast() as session:
        cases = list(session.scalars(select(Case.id)))
        for case_id in cases:
            assert case_balance(session, case_id, dt.date(2024, 4, 30))["balanced"] == "true", case_id
