"""The command line's claim writes (``claims plan|pay|handover``) are audited and act on the claim as it was
seen, like the API's: attacks on that promise (no balance named, a stale balance, a file read twice, an
unwritable handover file, two writers at once) each leave the ledger and the audit log as they were.

The claim is the one of ``fixtures/ledger/claim_reaches_limitation``: 919,25 kr. for March 2024 (case S15),
due 9 June 2024, nothing paid."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flexcalc.errors import ConflictError
from tests.ledger.test_ledger_scenarios import SCENARIOS, cli, invoke, replay

pytestmark = pytest.mark.usefixtures("migrated_databases")

CLAIM = "1"


def _counts(database_url: str) -> tuple[int, int, list[Any]]:
    """(claim events, audit rows of ``flexcalc claims …`` writes, those rows)."""
    from flexcalc.ledger.claim_models import ClaimEvent
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.models import AuditEntry

    with session_factory(database_url)() as session:
        events = session.scalar(select(func.count()).select_from(ClaimEvent)) or 0
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.route.like("flexcalc claims%"))
                                    .order_by(AuditEntry.id)))
        return events, len(rows), [(r.route, r.case_id, r.key_id, r.role, r.action, r.method) for r in rows]


@pytest.fixture
def claim_db(database_url: str) -> str:
    replay(SCENARIOS / "claim_reaches_limitation", database_url)
    return database_url


def test_each_claim_write_is_audited_in_its_own_transaction(claim_db: str, tmp_path: Path) -> None:
    before_events, before_audit, _ = _counts(claim_db)
    assert before_audit == 0
    cli(claim_db, "claims", "plan", CLAIM, "--method", "instalment", "--monthly", "300", "--reason", "aftalt",
        "--by", "sb-7", "--as-of", "2024-06-01", "--balance-seen", "919.25")
    cli(claim_db, "claims", "pay", CLAIM, "--amount", "100", "--as-of", "2024-06-03", "--reference", "bank",
        "--by", "sb-7", "--balance-seen", "919,25")
    out = tmp_path / "KTBRFLX.csv"
    cli(claim_db, "claims", "handover", CLAIM, "--by", "sb-7", "--out", str(out), "--as-of", "2024-06-20",
        "--balance-seen", "819.25")
    events, audit, rows = _counts(claim_db)
    assert events == before_events + 3 and audit == 3
    assert rows == [
        (f"flexcalc claims plan {CLAIM}", "S15", "cli:sb-7", "cli", "write", "CLI"),
        (f"flexcalc claims pay {CLAIM}", "S15", "cli:sb-7", "cli", "write", "CLI"),
        (f"flexcalc claims handover {CLAIM}", "S15", "cli:sb-7", "cli", "write", "CLI"),
    ]
    # the file names the balance handed over: 919,25 − 100 = 819,25
    assert out.read_text(encoding="utf-8").splitlines()[1].split(",")[3:5] == ["919.25", "819.25"]


def test_without_the_balance_seen_nothing_is_written(claim_db: str, tmp_path: Path) -> None:
    before = _counts(claim_db)
    never = tmp_path / "never-written.csv"
    for args in (("plan", CLAIM, "--method", "setoff", "--monthly", "300", "--reason", "x", "--by", "sb-7"),
                 ("pay", CLAIM, "--amount", "100", "--by", "sb-7"),
                 ("handover", CLAIM, "--by", "sb-7", "--out", str(never), "--as-of", "2024-06-20")):
        result = invoke("claims", *args, "--db", claim_db)
        assert result.exit_code == 2, result.stdout
        assert "--balance-seen" in result.stderr and "skal angives" in result.stderr
    assert _counts(claim_db) == before
    assert not never.exists()


def test_a_stale_balance_is_refused_and_nothing_is_written(claim_db: str, tmp_path: Path) -> None:
    # someone registers 100 kr. after the caseworker read 919,25
    cli(claim_db, "claims", "pay", CLAIM, "--amount", "100", "--as-of", "2024-06-03", "--by", "sb-8",
        "--balance-seen", "919.25")
    before = _counts(claim_db)
    out = tmp_path / "handover.csv"
    for args in (("plan", CLAIM, "--method", "setoff", "--monthly", "300", "--reason", "x", "--by", "sb-7",
                  "--as-of", "2024-06-04"),
                 ("pay", CLAIM, "--amount", "819.25", "--as-of", "2024-06-04", "--by", "sb-7"),
                 ("handover", CLAIM, "--by", "sb-7", "--out", str(out), "--as-of", "2024-06-20")):
        result = invoke("claims", *args, "--balance-seen", "919.25", "--db", claim_db)
        assert result.exit_code == 2, result.stdout
        assert "balance_seen" in result.stderr and "819.25" in result.stderr and "intet er gemt" in result.stderr
    assert _counts(claim_db) == before
    assert not out.exists()


def test_a_payment_file_read_twice_is_refused_as_a_whole(claim_db: str, tmp_path: Path) -> None:
    payments = tmp_path / "bank.csv"
    payments.write_text("claim_id,amount,date,reference\n1,100.00,2024-06-03,bank 0603\n1,50,2024-07-03,bank 0703\n",
                        encoding="utf-8")
    cli(claim_db, "claims", "pay", "--file", str(payments), "--by", "sb-7")
    before = _counts(claim_db)
    assert before[1] == 1 and before[2][0][0] == "flexcalc claims pay --file"
    again = invoke("claims", "pay", "--file", str(payments), "--by", "sb-7", "--db", claim_db)
    assert again.exit_code == 2
    assert "row 2" in again.stderr and "already registered" in again.stderr and "allerede registreret" in again.stderr
    # a file with one new row and one already registered stores neither
    payments.write_text("claim_id,amount,date,reference\n1,25,2024-08-03,bank 0803\n1,50,2024-07-03,bank 0703\n",
                        encoding="utf-8")
    mixed = invoke("claims", "pay", "--file", str(payments), "--by", "sb-7", "--db", claim_db)
    assert mixed.exit_code == 2 and "row 3" in mixed.stderr
    assert _counts(claim_db) == before
    shown = cli(claim_db, "claims", "show", CLAIM, "--as-of", "2024-09-01", "--json")
    assert '"balance": "769.25"' in shown.stdout  # 919,25 − 100 − 50


def test_an_unwritable_handover_file_leaves_the_claim_open(claim_db: str, tmp_path: Path) -> None:
    before = _counts(claim_db)
    result = invoke("claims", "handover", CLAIM, "--by", "sb-7", "--out", str(tmp_path / "no" / "such" / "dir.csv"),
                    "--as-of", "2024-06-20", "--balance-seen", "919.25", "--db", claim_db)
    assert result.exit_code == 2 and "out" in result.stderr and "intet er gemt" in result.stderr
    assert _counts(claim_db) == before
    shown = cli(claim_db, "claims", "show", CLAIM, "--as-of", "2024-06-21", "--json")
    assert '"status": "open"' in shown.stdout


def test_the_handover_file_is_made_again_the_same(claim_db: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from api.app import create_app
    from flexcalc.ledger.db import session_factory
    from flexcalc.security.keys import create_key

    missing = invoke("claims", "handover-file", CLAIM, "--db", claim_db)
    assert missing.exit_code == 2 and "ikke sendt til inddrivelse" in missing.stderr
    first = tmp_path / "first.csv"
    cli(claim_db, "claims", "handover", CLAIM, "--by", "sb-7", "--out", str(first), "--as-of", "2024-06-20",
        "--balance-seen", "919.25")
    # a payment dated before the handover but registered after it does not change the file handed over
    cli(claim_db, "claims", "pay", "--file", str(_bank(tmp_path, "1,19.25,2024-06-19,late\n")), "--by", "sb-7")
    again = tmp_path / "again.csv"
    cli(claim_db, "claims", "handover-file", CLAIM, "--out", str(again))
    assert again.read_bytes() == first.read_bytes()
    assert first.read_text(encoding="utf-8").splitlines()[1].split(",")[:5] == [
        "FLX-1", "KTBRFLX", "S15", "919.25", "919.25"]

    monkeypatch.setenv("FLEXCALC_DATABASE_URL", claim_db)
    with session_factory(claim_db).begin() as session:
        _, worker = create_key(session, "caseworker")
        _, finance = create_key(session, "finance")
    api = TestClient(create_app())
    got = api.get(f"/v1/claims/{CLAIM}/handover-file", headers={"Authorization": f"Bearer {worker}"})
    assert got.status_code == 200 and got.content == first.read_bytes()
    assert 'filename="KTBRFLX-1-2024-06-20.csv"' in got.headers["content-disposition"]
    denied = api.get(f"/v1/claims/{CLAIM}/handover-file", headers={"Authorization": f"Bearer {finance}"})
    assert denied.status_code == 403


def _bank(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "bank-late.csv"
    path.write_text("claim_id,amount,date,reference\n" + rows, encoding="utf-8")
    return path


def test_two_writers_on_one_claim_run_one_after_the_other(claim_db: str) -> None:
    """The first writer holds the case's lock; the second, with the same balance seen, waits and is then
    refused as stale (it never pays from a balance that is gone)."""
    import datetime as dt

    from flexcalc.ledger.claims import claim_for_write, record_payment
    from flexcalc.ledger.db import session_factory

    factory = session_factory(claim_db)
    day = dt.date(2024, 6, 3)
    first = factory()
    claim_for_write(first, 1, day, Decimal("919.25"))
    record_payment(first, 1, Decimal("900.00"), day, "first", "sb-7")
    outcome: dict[str, Any] = {}

    def second() -> None:
        with factory() as session:
            try:
                claim_for_write(session, 1, day, Decimal("919.25"))
                record_payment(session, 1, Decimal("900.00"), day, "second", "sb-8")
                session.commit()
                outcome["result"] = "written"
            except ConflictError as error:
                session.rollback()
                outcome["result"] = error.code

    worker = threading.Thread(target=second)
    worker.start()
    worker.join(timeout=1.0)
    assert worker.is_alive()  # waiting for the first writer's lock
    first.commit()
    first.close()
    worker.join(timeout=30)
    assert outcome == {"result": "stale"}
    shown = cli(claim_db, "claims", "show", CLAIM, "--as-of", "2024-06-03", "--json")
    assert '"balance": "19.25"' in shown.stdout
