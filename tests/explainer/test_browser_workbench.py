"""The caseworker's workbench in a real browser: the API (uvicorn) and the
explainer (Streamlit) served on loopback as ``flexcalc serve`` starts them (the explainer finds the API
through FLEXCALC_API), on a constructed ledger (tests/support/workbench_ledger.py), driven by Debian's
headless Chromium through Playwright. Without a key no case is shown; with a caseworker's key the
caseworker decides a correction and sees the worklist change. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.explainer.test_browser import ARTIFACTS, ROOT, _free_port, browser, pytestmark
from tests.support.workbench_ledger import build

__all__ = ["browser", "pytestmark"]  # the browser fixture is test_browser's
PAGE_LINK = "Sagsbehandler: arbejdsliste, sager og efterreguleringer"


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"{process.args} exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within 90 s; see {log}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    url = f"sqlite:///{tmp_path_factory.mktemp('workbench') / 'flexcalc.sqlite'}"
    build(url)
    upgrade(url)
    with session_factory(url).begin() as session:
        key = create_key(session, "caseworker", label="browser test")[1]
    api_port, app_port = _free_port(), _free_port()
    env = {**os.environ, "FLEXCALC_DATABASE_URL": url, "FLEXCALC_API": f"http://127.0.0.1:{api_port}"}
    ARTIFACTS.mkdir(exist_ok=True)
    commands = {
        "api": [sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1", "--port", str(api_port)],
        "explainer": [sys.executable, "-m", "streamlit", "run", str(ROOT / "explainer" / "app.py"), "--server.address",
                      "127.0.0.1", "--server.port", str(app_port), "--server.headless", "true",
                      "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name, command in commands.items():
            log = ARTIFACTS / f"workbench-{name}.log"
            with log.open("wb") as out:
                processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            health = f"http://127.0.0.1:{api_port}/health" if name == "api" else \
                f"http://127.0.0.1:{app_port}/_stcore/health"
            _wait(health, processes[-1], log)
        yield f"http://127.0.0.1:{app_port}", key
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _open(browser: Any, app_url: str) -> Any:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1200}, locale="da-DK")
    page.goto(app_url, wait_until="domcontentloaded")
    page.get_by_role("link", name=PAGE_LINK).click()
    expect(page.get_by_text("Skriv din API-nøgle for at se arbejdslisten og sagerne.")).to_be_visible(timeout=60_000)
    return page


def test_without_a_key_no_case_is_shown(servers: tuple[str, str], browser: Any) -> None:
    app_url, _ = servers
    page = _open(browser, app_url)
    try:
        page.wait_for_timeout(1500)  # let the page finish drawing: nothing more may come
        body = page.locator("section.stMain, [data-testid=stMain]").first.inner_text()
        for word in ("Mulig dobbelt indberetning", "Svar modtaget", "Afventer indberetning", "Lønloft", "11111111",
                     "919,25"):
            assert word not in body, word
        assert page.get_by_role("table").count() == 0
        page.screenshot(path=str(ARTIFACTS / "workbench-no-key.png"), full_page=True)
    finally:
        page.close()


def test_a_caseworker_decides_and_the_worklist_changes(servers: tuple[str, str], browser: Any) -> None:
    from playwright.sync_api import expect

    app_url, key = servers
    page = _open(browser, app_url)
    try:
        field = page.get_by_label("Din API-nøgle")
        field.fill(key)
        field.press("Enter")
        initials = page.get_by_role("textbox", name="Dine initialer", exact=True)
        initials.fill("sb-browser")
        initials.press("Enter")
        worklist = page.get_by_role("table").first
        expect(worklist).to_contain_text("Svar modtaget: træf afgørelse", timeout=60_000)
        expect(worklist).to_contain_text("Mulig dobbelt indberetning")
        expect(worklist.locator("tbody tr")).to_have_count(6)
        # choose C's correction (its reply is in) and decide: collect, with a reason
        page.get_by_role("combobox", name="Opgave").click()
        page.get_by_role("option", name="C · marts 2024 · Svar modtaget: træf afgørelse · -919,25 kr.").click()
        form = page.locator("[data-testid=stForm]").filter(has_text="Afgørelse om mulig tilbagebetaling")
        expect(form).to_be_visible(timeout=30_000)
        form.get_by_text("Opkræv", exact=True).click()
        form.get_by_role("textbox", name="Begrundelse (vidste eller burde borgeren vide det?)").fill(
            "Borgeren burde vide, at lønnen fra bijobbet talte med")
        form.get_by_role("button", name="Registrér afgørelse").click()
        expect(page.get_by_text("Afgørelse: registreret.")).to_be_visible(timeout=60_000)
        worklist = page.get_by_role("table").first
        expect(worklist).not_to_contain_text("Svar modtaget: træf afgørelse", timeout=30_000)
        expect(worklist.locator("tbody tr")).to_have_count(5, timeout=30_000)  # one item fewer
        expect(worklist).to_contain_text("Svarfristen er udløbet: træf afgørelse")
        # the case's months below: a held month's wage is unknown, not 0
        page.wait_for_timeout(1000)  # let the page finish drawing after the decision
        page.get_by_role("combobox", name="Sag", exact=True).click()
        page.keyboard.type("A")  # filters the cases to "A"
        page.keyboard.press("Enter")
        expect(page.get_by_text("ukendt — afventer indberetning").first).to_be_visible(timeout=30_000)
        chart = page.locator("[data-testid=stVegaLiteChart]").first
        expect(chart.locator("svg, canvas").first).to_be_visible(timeout=30_000)
        page.set_viewport_size({"width": 1400, "height": 4200})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "workbench-decided.png"), full_page=True)
    finally:
        page.close()
