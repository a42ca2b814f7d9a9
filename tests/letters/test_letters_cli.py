"""``flexcalc letters``: drafts as text, HTML and PDF, kept with --save, approved, marked sent, listed. Bad
input exits 2 naming the field in English and Danish, and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from tests.letters.support import correction_id, replay_fixture
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")


@pytest.fixture
def db(sqlite_url: str) -> str:
    replay_fixture("r_marked_correction", sqlite_url)  # #1 +660,00 payable; #2 −165,00 possible repayment
    return sqlite_url


def _letters(db: str) -> int:
    from flexcalc.ledger.db import session_factory

    with session_factory(db)() as session:
        return int(session.execute(text("SELECT count(*) FROM ledger_letter")).scalar_one())


def run(db: str, *args: str) -> object:
    return invoke(*args, "--db", db)


def test_draft_save_approve_send_and_list(db: str, tmp_path: Path) -> None:
    from flexcalc.ledger.store import open_ledger

    cid = correction_id(open_ledger(db), "S2", "-165.00")
    out = run(db, "letters", "hearing", "--correction", str(cid), "--date", "2024-06-10", "--reply-by", "2024-06-28")
    assert out.exit_code == 0, out.stderr  # type: ignore[attr-defined]
    assert "Vi skal have dit svar senest den 28. juni 2024." in " ".join(out.stdout.split())  # type: ignore[attr-defined]
    assert _letters(db) == 0  # not kept without --save
    html = run(db, "letters", "hearing", "--correction", str(cid), "--date", "2024-06-10", "--format", "html")
    assert html.stdout.startswith("<!DOCTYPE html>") and "<aside class=\"provisions\"" in html.stdout  # type: ignore[attr-defined]
    pdf = tmp_path / "horing.pdf"
    out = run(db, "letters", "hearing", "--correction", str(cid), "--date", "2024-06-10", "--format", "pdf",
              "--output", str(pdf), "--save", "--by", "sb-17", "--channel", "paper")
    assert out.exit_code == 0, out.stderr  # type: ignore[attr-defined]
    assert "165,00 kr." in PdfReader(str(pdf)).pages[0].extract_text()
    assert _letters(db) == 1
    assert run(db, "letters", "sent", "1", "--by", "sb-17", "--channel", "post").exit_code == 2  # not approved
    assert run(db, "letters", "approve", "1", "--by", "sb-2").exit_code == 0
    assert run(db, "letters", "sent", "1", "--by", "sb-17", "--channel", "post").exit_code == 0
    listed = run(db, "letters", "list", "S2")
    assert "#1 2024-06-10 hearing:" in listed.stdout and "[sendt af sb-2" in listed.stdout  # type: ignore[attr-defined]
    shown = run(db, "letters", "show", "1")
    assert "Sag S2" in shown.stdout and "2. juli 2024" in shown.stdout  # type: ignore[attr-defined]  # paper: received 18 June, +14 days


@pytest.mark.parametrize(("args", "field"), [
    (("letters", "hearing", "--correction", "{payable}"), "correction"),       # an efterbetaling
    (("letters", "hearing", "--correction", "999"), "correction"),             # unknown
    (("letters", "hearing", "--correction", "{repay}", "--date", "2024-06-04"), "date"),  # before 5 June
    (("letters", "hearing", "--correction", "{repay}", "--date", "2024-06-31"), "date"),
    (("letters", "hearing", "--correction", "{repay}", "--date", "2024-06-10", "--reply-by", "2024-06-10"),
     "reply_by"),
    (("letters", "decision", "--correction", "{repay}", "--date", "2024-06-10"), "correction"),  # not decided
    (("letters", "specification", "--case", "S2", "--month", "2024-13"), "month"),
    (("letters", "specification", "--case", "NOPE", "--month", "2024-03"), "case"),
    (("letters", "specification", "--case", "S2", "--month", "2024-04"), "month"),  # not paid
    (("letters", "hearing", "--correction", "{repay}", "--format", "docx"), "format"),
    (("letters", "hearing", "--correction", "{repay}", "--format", "pdf"), "output"),
    (("letters", "hearing", "--correction", "{repay}", "--save"), "by"),
    (("letters", "list", "NOPE"), "case"),
])
def test_bad_input_exits_2_naming_the_field_and_stores_nothing(db: str, args: tuple[str, ...], field: str) -> None:
    from flexcalc.ledger.store import open_ledger

    factory = open_ledger(db)
    ids = {"payable": str(correction_id(factory, "S2", "660.00")),
           "repay": str(correction_id(factory, "S2", "-165.00"))}
    argv = [a.format(**ids) for a in args]
    if "--save" not in argv and argv[1] != "list":
        argv += ["--save", "--by", "sb"]
    out = run(db, *argv)
    assert out.exit_code == 2, out.stdout  # type: ignore[attr-defined]
    assert f"error: {field}:" in out.stderr and f"fejl: {field}:" in out.stderr  # type: ignore[attr-defined]
    assert _letters(db) == 0


def test_no_municipality_profile_exits_2_naming_the_field(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLEXCALC_MUNICIPALITY")
    out = run(db, "letters", "specification", "--case", "S2", "--month", "2024-03", "--date", "2024-04-10",
              "--save", "--by", "sb")
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert "municipality" in out.stderr and "kommuneprofil" in out.stderr  # type: ignore[attr-defined]
    assert _letters(db) == 0
