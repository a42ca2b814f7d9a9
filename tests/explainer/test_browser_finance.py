"""The finance page in a real browser: "what did the state refund us for March?" answered from the page
with a finance key. The API and the explainer are served on a ledger replaying the job-change fixture
(fixtures/finance/job_change: J1 paid February and March 2024, its earlier history imported by CPR); the
finance officer uploads the state's refund statement (keyed by CPR) and reads the state's total, what we
expected and the difference, with J1's wrong step as the cause. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.explainer.test_browser import ARTIFACTS, browser, pytestmark
from tests.explainer.test_browser_citizen import _page_checks
from tests.finance.test_finance_report import replay
from tests.support.browser_servers import api_and_explainer

__all__ = ["browser", "pytestmark"]  # the browser fixture is test_browser's
PAGE_LINK = "Økonomi: refusion, bidrag og kontering"
JOB_CHANGE = ARTIFACTS.parent / "fixtures" / "finance" / "job_change"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    url = f"sqlite:///{tmp_path_factory.mktemp('finance') / 'flexcalc.sqlite'}"
    replay(JOB_CHANGE, url)
    upgrade(url)
    with session_factory(url).begin() as session:
        key = create_key(session, "finance", label="browser test")[1]
    with api_and_explainer(url, "finance") as app_url:
        yield app_url, key


def test_what_did_the_state_refund_us_for_march(served: tuple[str, str], browser: Any) -> None:
    from playwright.sync_api import expect

    app_url, key = served
    page = browser.new_page(viewport={"width": 1400, "height": 1200}, locale="da-DK")
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_role("link", name=PAGE_LINK).click()
        expect(page.get_by_text("Skriv din API-nøgle for at se måneden.")).to_be_visible(timeout=60_000)
        body = page.locator("section.stMain, [data-testid=stMain]").first
        assert "9.708,80" not in body.inner_text()  # nothing without a key
        page.get_by_label("Din API-nøgle").fill(key)
        page.get_by_label("Din API-nøgle").press("Enter")
        month = page.get_by_label("Ydelsesmåned (ÅÅÅÅ-MM)")
        month.fill("2024-03")
        month.press("Enter")
        page.locator("input[type=file]").first.set_input_files(str(JOB_CHANGE / "statement-2024-03.csv"))
        answer = page.get_by_text("Staten refunderede 9.708,80 kr. i fleksløntilskud for marts 2024.")
        expect(answer).to_be_visible(timeout=60_000)
        expect(page.get_by_text("forkert trin på refusionstrappen")).to_be_visible(timeout=60_000)
        text = body.inner_text()
        assert "Vi havde ventet 5.419,10 kr." in text and "Forskellen er 4.289,70 kr.\n" in text
        assert "Opgørelsen har 1 CPR-nummer uden en sag hos os. Det giver 3.600,00 kr. i refusion." in text
        assert "forkert trin på refusionstrappen" in text and "J1" in text
        for cpr in ("1503841234", "150384-1234", "0101011234"):
            assert cpr not in text
        page.screenshot(path=str(ARTIFACTS / "finance-march.png"), full_page=True)
        _page_checks(page, 1400, "finance-march")  # with the figures shown: Danish, axe-core, no sideways scroll
        page.set_viewport_size({"width": 390, "height": 1200})  # and on a phone, as the workbench
        page.wait_for_timeout(1000)
        _page_checks(page, 390, "finance-march-390")
    finally:
        page.close()
