"""The explainer in a real browser: the Streamlit app served on loopback, Debian's headless Chromium
driven by Playwright. Load the hours page, change the hours with the keyboard, see the headline change;
screenshots go to ``test-artifacts/`` (gitignored).

Needs ``/usr/bin/chromium`` (CI installs it with scripts/ci-system-deps); never ``playwright install``.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from explainer.components import default_month
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.period import Month

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("FLEXCALC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM} "
                       "(apt-get install chromium; CI installs it in scripts/ci-system-deps)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the Python package playwright is not installed (pip install -e '.[dev]')"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "explainer" / "app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    log = (ARTIFACTS / "streamlit.log")
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    pytest.fail(f"streamlit exited with {process.returncode}; see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer on {url} within 90 s; see {log}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_hours_page_headline_follows_the_hours(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    month = default_month()
    core = hour_scenario(month, Job(hourly=Decimal(200)))
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        headline = page.get_by_role("heading", name="Går du fra")
        expect(headline).to_have_text(core.change_sentence(12, 15), timeout=60_000)
        # change the hours with the keyboard: focus the labelled field, type, press Enter
        hours = page.get_by_role("textbox", name="Timer om ugen, du overvejer")
        hours.focus()
        hours.press("Control+A")
        hours.type("20")
        hours.press("Enter")
        expect(headline).to_have_text(core.change_sentence(12, 20), timeout=30_000)
        assert core.change_sentence(12, 20) != core.change_sentence(12, 15)
        page.get_by_role("table").first.wait_for(timeout=30_000)
        # the chart is drawn (Vega-Lite renders nothing, silently, for a spec it cannot use)
        chart = page.locator("[data-testid=stVegaLiteChart]").first
        expect(chart.locator("svg, canvas").first).to_be_visible(timeout=30_000)
        box = chart.bounding_box()
        assert box is not None and box["height"] > 200
        # Streamlit scrolls inside its main block: a tall viewport gets the whole page on the screenshot
        page.set_viewport_size({"width": 1280, "height": 4200})
        page.wait_for_timeout(1500)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hours-page.png"), full_page=True)
        assert (ARTIFACTS / "hours-page.png").stat().st_size > 10_000
    finally:
        page.close()


def test_payout_change_page_shows_the_causes(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_role("link", name="Hvorfor har min udbetaling ændret sig?").click()
        expect(page.get_by_role("heading", name="Derfor")).to_be_visible(timeout=60_000)
        for label, value in (("Første måned: måned for tilskuddet (fx 2024-03 eller marts 2024)", "2024-12"),
                             ("Anden måned: måned for tilskuddet (fx 2024-03 eller marts 2024)", "2025-01")):
            field = page.get_by_role("textbox", name=label)
            field.fill(value)
            field.press("Enter")
        expect(page.get_by_text("Nye satser fra 1. januar 2025")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name="I alt har du")).to_contain_text("end sidste måned")
        expect(page.get_by_text("for januar 2025 end for december 2024")).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 2000})
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "payout-change-page.png"), full_page=True)
    finally:
        page.close()


def _kr0(amount: Decimal) -> str:
    """Whole kroner with Danish thousands points, as the headline writes them."""
    return f"{int(amount.quantize(Decimal(1))):,}".replace(",", ".") + " kr."


def test_hours_page_opens_on_the_current_month_and_answers_with_its_rates(app_url: str, browser: Any) -> None:
    """15 → 20 hours at 200 kr./h with lønloft 32.067, computed by hand with the current month's rates."""
    import datetime as dt

    from playwright.sync_api import expect

    from flexcalc.law.params import current_month, rates_for
    from flexcalc.text_da.format import month_name

    month = current_month(dt.date.today())
    rates = rates_for(month)
    m, t, ceiling = rates.max_subsidy, rates.threshold, Decimal(32067)

    def total(hours: int) -> Decimal:  # wage + subsidy, by hand: 30 % to T, 55 % above, within the ceiling
        wage = (Decimal(200) * hours * 52 / 12).quantize(Decimal("0.01"))
        subsidy = m - Decimal("0.30") * min(wage, t) - Decimal("0.55") * max(Decimal(0), wage - t)
        subsidy = max(Decimal(0), min(subsidy.quantize(Decimal("0.01")), ceiling - wage))
        return wage + subsidy

    change = total(20) - total(15)
    if month == Month(2026, 12):  # M 21.600, T 17.672: 30.700 → 32.067 (the ceiling binds at 20 hours)
        assert change == Decimal("1367.00")
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="da-DK")
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        field = page.get_by_role("textbox", name="Måned for tilskuddet (fx 2024-03 eller marts 2024)")
        expect(field).to_have_value(str(month), timeout=60_000)
        for name, value in (("Timer om ugen nu", "15"), ("Timer om ugen, du overvejer", "20"),
                            ("Lønloft i kr. om måneden (valgfrit)", "32067")):
            box = page.get_by_role("textbox", name=name)
            box.focus()
            box.press("Control+A")
            box.type(value)
            box.press("Enter")
        headline = page.get_by_role("heading", name="Går du fra")
        expect(headline).to_have_text(
            f"Går du fra 15 til 20 timer om ugen, får du {_kr0(change)} mere om måneden før skat.", timeout=30_000)
        if rates.kind != "published":  # the page says that the month's rates are not published
            expect(page.get_by_text(f"Satserne for {month_name(month)} er", exact=False).first).to_be_visible()
    finally:
        page.close()
