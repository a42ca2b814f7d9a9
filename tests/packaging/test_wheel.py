"""The wheel works outside the repository: built, installed with ``[api]`` into a fresh venv in a temporary
directory, and from there ``flexcalc calculate``, ``flexcalc db upgrade``, ``/health`` and ``/ready`` run
(``scripts/wheel-check``). Also: every data file of the packages is in the wheel, the licence is SPDX."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_SUFFIXES = {".yaml", ".yml", ".j2", ".mako", ".csv", ".json", ".html", ".css", ".toml", ".md"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    out = tmp_path_factory.mktemp("dist")
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' staging folder: no stale module in the wheel
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                    str(out), str(ROOT)], check=True, capture_output=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return next(out.glob("flexcalc-*.whl"))


def test_every_data_file_of_the_packages_is_in_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {str(path.relative_to(ROOT)) for folder in ("flexcalc", "api", "explainer", "fixtures")
              for path in (ROOT / folder).rglob("*") if path.suffix in DATA_SUFFIXES and "__pycache__" not in
              path.parts and not path.name.startswith(".")}
    assert "flexcalc/law/data/provisions.yaml" in wanted
    assert sorted(wanted - names) == []


def test_the_wheel_declares_an_spdx_licence_and_light_core(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in archive.namelist())
    core = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    heavy = ("streamlit", "dask", "weasyprint", "psycopg", "sqlalchemy", "fastapi", "pandas")
    assert [line for line in core if any(h in line.lower() for h in heavy)] == []
    for extra in ("api", "explainer", "ledger", "letters", "dask", "dev"):
        assert f"Provides-Extra: {extra}" in metadata


@pytest.mark.packaging
@pytest.mark.slow
def test_the_wheel_calculates_migrates_and_serves_outside_the_repository() -> None:
    done = subprocess.run(["bash", str(ROOT / "scripts/wheel-check")], capture_output=True, text=True, timeout=600,
                          cwd="/tmp")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "subsidy 15272.00" in out  # LAB § 123: 15.600 kr. basis wage, ceiling 32.067 kr., March 2024
    assert "database up to date" in out
    assert "health ok" in out
    assert "ready 200 ready" in out
    assert "docs-cdn False" in out
    assert f"imported from: {ROOT}" not in out
    assert out.rstrip().endswith("wheel-check: ok")
