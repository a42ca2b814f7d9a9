"""A change that can alter results needs a new RULE_VERSION and a CHANGELOG.md entry; a pure move of
modules does not (flexcalc.rule_fingerprint)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flexcalc.law.lawdata import LAW_DIR
from flexcalc.law.params import PARAMETER_DIR
from flexcalc.rule_fingerprint import (
    CHANGELOG,
    LOCK,
    check,
    code_hash,
    current,
    fingerprint,
    law_data_lines,
    main,
    parameter_lines,
    rule_modules,
)
from flexcalc.version import RULE_VERSION


def test_the_recorded_fingerprint_is_the_current_one_and_the_changelog_has_the_version() -> None:
    assert main([]) == 0, "run `python -m flexcalc.rule_fingerprint --update` after bumping RULE_VERSION"


def test_the_guarded_modules_are_the_rules_the_pipeline_and_the_kernel() -> None:
    names = set(rule_modules())
    assert {"flexcalc.month", "flexcalc.month.pipeline", "flexcalc.batch.kernel", "flexcalc.law.params",
            "flexcalc.rules.reduction", "flexcalc.finance.refund"} <= names
    assert not {"flexcalc.version", "flexcalc.cli", "flexcalc.ledger.payments"} & names


def _copy_code(tmp_path: Path, folder: str) -> list[Path]:
    out = []
    for name, path in rule_modules().items():
        target = tmp_path / folder / (name.replace(".", "_") + ".py")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        out.append(target)
    return out


def test_a_pure_move_does_not_count_a_change_of_code_or_of_a_value_does(tmp_path: Path) -> None:
    before = fingerprint(rule_modules().values(), parameter_lines(PARAMETER_DIR), law_data_lines(LAW_DIR))
    assert before == current()
    # move every module to a new package and rewrite its imports, docstrings and comments
    moved = _copy_code(tmp_path, "newhome")
    for path in moved:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^from flexcalc\.(\w+)", r"from flexcalc.core.\1", text, flags=re.MULTILINE)
        text = text.replace('"""', '"""Moved. ', 1) + "\n# a comment added by the move\n"
        path.write_text(text, encoding="utf-8")
    params, law = parameter_lines(PARAMETER_DIR), law_data_lines(LAW_DIR)
    assert fingerprint(moved, params, law) == before
    # one constant of the reduction changes: the code part and the whole change
    [reduction] = [p for p in moved if p.name == "flexcalc_rules_reduction.py"]
    text = reduction.read_text(encoding="utf-8")
    reduction.write_text(text.replace("return", "return 1 +", 1), encoding="utf-8")
    changed = fingerprint(moved, params, law)
    assert changed["code"] != before["code"] and changed["fingerprint"] != before["fingerprint"]
    # one parameter value changes: the parameter part changes
    other = [line.replace("|20670", "|20671") for line in params]
    assert other != params and fingerprint(rule_modules().values(), other, law)["parameters"] != before["parameters"]


def test_docstrings_comments_and_imports_do_not_count() -> None:
    a = 'import os\n"""Doc."""\ndef f(x):\n    """Doc."""\n    return x * 2  # twice\n'
    b = 'from flexcalc.core import os\n\n\ndef f(x):\n    return x*2\n'
    assert code_hash(a) == code_hash(b)
    assert code_hash(a) != code_hash(a.replace("x * 2", "x * 3"))


def test_the_check_asks_for_a_new_version_and_a_changelog_entry() -> None:
    now = current()
    lock = {"rule_version": "1.0", **now}
    assert check(lock, now, "1.0", "## 1.0\n") == []
    changed = {**now, "parameters": "x", "fingerprint": "y"}
    [problem] = check(lock, changed, "1.0", "## 1.0\n")
    assert "without a new RULE_VERSION" in problem and "parameters changed" in problem
    assert any("no '## 1.1' entry" in p for p in check(lock, now, "1.1", "## 1.0\n"))
    assert RULE_VERSION in CHANGELOG.read_text(encoding="utf-8") and LOCK.exists()
