"""``flexcalc insight``, ``flexcalc complaint`` and ``flexcalc supervision`` on the hand-built caseload: the same
figures as the library (JSON, CSV, Excel, the manager's view), the complaint register's writes audited with who
made them, a stale step refused (exit 2, nothing stored), a supervision reproducible from its seed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.insight.caseload import build
from tests.support.ledger_cli import invoke

AS_OF = "2024-06-01T00:00+02:00"


def _ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return str(result.stdout)


def test_insight_json_csv_xlsx_and_manager_view(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url)
    data = json.loads(_ok("insight", "2024-05", "--as-of", AS_OF, "--json", "--db", sqlite_url))
    assert (data["current"]["late_reports"], data["current"]["hearings_sent"]) == (6, 4)
    assert data["employers"][1] == {"employer_cvr": "22222222", "late": 3, "corrected": 0, "reversed": 0,
                                    "cases_touched": 3}
    view = json.loads(_ok("insight", "2024-05", "--as-of", AS_OF, "--json", "--manager", "--db", sqlite_url))
    assert view["current"]["hearings_sent"] == "<5"
    rows = list(csv.DictReader(io.StringIO(_ok("insight", "2024-05", "--as-of", AS_OF, "--csv", "--db", sqlite_url))))
    assert [r["month"] for r in rows][-2:] == ["2024-04", "2024-05"] and rows[-1]["replies_on_time"] == "1"
    _ok("insight", "2024-05", "--as-of", AS_OF, "--xlsx", str(tmp_path / "m.xlsx"), "--db", sqlite_url)
    assert (tmp_path / "m.xlsx").stat().st_size > 1000
    bad = invoke("insight", "2024-5x", "--db", sqlite_url)
    assert bad.exit_code == 2 and "month" in bad.stdout + bad.stderr


def test_complaint_register_and_supervision_on_the_command_line(sqlite_url: str) -> None:
    from sqlalchemy import select

    from flexcalc.ledger.db import session_factory
    from flexcalc.security.models import AuditEntry

    build(sqlite_url)
    made = json.loads(_ok("--by", "sb-3", "complaint", "add", "c04", "--received-on", "2024-06-03", "--subject",
                          "Klage over sygdom", "--json", "--db", sqlite_url))
    step = ("complaint", "step", "c04", str(made["id"]), "--kind", "reconsidered", "--on", "2024-06-04",
            "--result", "kept", "--version", "0", "--db", sqlite_url)
    _ok(*step)
    stale = invoke(*step)
    assert stale.exit_code == 2 and "version" in stale.stdout + stale.stderr
    shown = json.loads(_ok("complaint", "show", "c04", "--db", sqlite_url))
    assert [c["version"] for c in shown] == [1]
    first = json.loads(_ok("supervision", "run", "--from", "2024-05-01", "--to", "2024-05-31", "--size", "3",
                           "--seed", "99", "--json", "--db", sqlite_url))
    again = json.loads(_ok("supervision", "show", str(first["id"]), "--json", "--db", sqlite_url))
    assert again["seed"] == 99 and [c["case_id"] for c in again["cases"]] == [c["case_id"] for c in first["cases"]]
    with session_factory(sqlite_url)() as session:
        rows = [(r.key_id, r.route, r.case_id) for r in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert rows[:2] == [("cli:sb-3", "flexcalc complaint add", "c04"), (rows[1][0], "flexcalc complaint step", "c04")]
    assert rows[2][1] == "flexcalc supervision run" and len(rows) == 3  # the stale step left no row
