"""Rates published after payment: FLEXCALC_PARAMETERS_DIR replaces packaged files of
the same name; the rule version's fingerprint changes when a value changes; a paid month keeps its
version and reconciliation records "satser ændret" with the old and the new version."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from flexcalc.errors import InputError
from flexcalc.law.params import OVERRIDE_ENV, PARAMETER_DIR, rates_for, reload_parameters
from flexcalc.ledger.asof import rule_version_of
from flexcalc.period import Month
from tests.support.ledger_cli import invoke

# The CLI never migrates: each test's database gets the explicit `flexcalc db upgrade` first.
pytestmark = pytest.mark.usefixtures("migrated_databases")

OVERRIDES = Path(__file__).resolve().parents[2] / "fixtures" / "ledger" / "rate_published_after_payment" / "overrides"


def test_the_override_replaces_only_its_own_file_and_changes_the_version_of_the_months_it_touches() -> None:
    reload_parameters()
    before_2026, before_2024 = rule_version_of(Month(2026, 2)), rule_version_of(Month(2024, 3))
    before_jan = rule_version_of(Month(2026, 1))
    assert rates_for(Month(2026, 2)).max_subsidy == Decimal("21600")
    assert rates_for(Month(2026, 2)).status("max_subsidy") == "assumed"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(OVERRIDE_ENV, str(OVERRIDES))
        reload_parameters()
        assert rates_for(Month(2026, 2)).max_subsidy == Decimal("21650")
        assert rates_for(Month(2026, 2)).status("max_subsidy") == "published"
        assert rates_for(Month(2026, 2)).threshold == Decimal("17672")  # the packaged threshold still
        assert rule_version_of(Month(2026, 2)) != before_2026
        assert rule_version_of(Month(2024, 3)) == before_2024  # 2024's values did not change
        # January 2026 rests on a basis month in 2025 but its own rates changed: a new version too
        assert rule_version_of(Month(2026, 1)) != before_jan
    reload_parameters()
    assert rule_version_of(Month(2026, 2)) == before_2026


def test_a_folder_that_is_not_there_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(OVERRIDE_ENV, str(tmp_path / "missing"))
    reload_parameters()
    with pytest.raises(InputError) as caught:
        rates_for(Month(2024, 3))
    assert caught.value.field == OVERRIDE_ENV
    monkeypatch.delenv(OVERRIDE_ENV)
    reload_parameters()


def test_a_bad_override_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shutil.copy(PARAMETER_DIR / "subsidy" / "threshold.yaml", tmp_path / "threshold.yaml")
    text = (tmp_path / "threshold.yaml").read_text(encoding="utf-8")
    (tmp_path / "threshold.yaml").write_text(text.replace("name: threshold", "name: other"), encoding="utf-8")
    monkeypatch.setenv(OVERRIDE_ENV, str(tmp_path))
    reload_parameters()
    with pytest.raises(ValueError, match="must match the file name"):
        rates_for(Month(2024, 3))
    monkeypatch.delenv(OVERRIDE_ENV)
    reload_parameters()


def test_paid_months_keep_their_version_and_the_correction_records_both(sqlite_url: str, tmp_path: Path) -> None:
    reports = tmp_path / "r.csv"
    shutil.copy(OVERRIDES.parent / "reports-1.csv", reports)
    import json

    for args in (["case", "create", "S10", "--ceiling", "30000", "--from", "2026-02", "--employer", "10101010"],
                 ["reports", "ingest", str(reports)]):
        assert invoke(*args, "--db", sqlite_url).exit_code == 0
    # February 2026's rates are assumed (the 2026 dagpenge amount rests on a secondary page): held first
    held = json.loads(invoke("pay", "2026-02", "--as-of", "2026-02-05", "--json", "--db", sqlite_url).stdout)
    assert held["summary"]["paid"] == 0
    assert held["held"][0]["reason_da"] == "satserne for februar 2026 er ikke bekræftet"
    for args in (["rates", "confirm", "--month", "2026-02", "--source", "kommunens beslutning", "--by", "AJ"],
                 ["pay", "2026-02", "--as-of", "2026-02-05"]):
        assert invoke(*args, "--db", sqlite_url).exit_code == 0

    paid_version = json.loads(invoke("case", "show", "S10", "--month", "2026-02", "--json", "--db",
                                     sqlite_url).stdout)["payment"]["rule_version"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(OVERRIDE_ENV, str(OVERRIDES))
        reload_parameters()
        out = json.loads(invoke("reconcile", "--as-of", "2026-02-20", "--json", "--db", sqlite_url).stdout)
        [c] = out["corrections"]
        assert (c["difference"], c["reasons"]) == ("50.00", ["rates_changed"])
        assert c["previous_rule_version"] == paid_version and c["rule_version"] == rule_version_of(Month(2026, 2))
        assert f"satser ændret (regelversion {paid_version} → {c['rule_version']})" in c["explanation_da"]
        shown = json.loads(invoke("case", "show", "S10", "--month", "2026-02", "--json", "--db",
                                  sqlite_url).stdout)
        assert shown["payment"]["rule_version"] == paid_version  # the payment keeps its version
        again = json.loads(invoke("reconcile", "--as-of", "2026-03-01", "--json", "--db", sqlite_url).stdout)
        assert again["corrections"] == []
    reload_parameters()
    assert rule_version_of(Month(2026, 2)) == paid_version  # the packaged files again
