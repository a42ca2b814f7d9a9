"""The claims page in a real browser with a caseworker's key: the open claim of
fixtures/ledger/claim_reaches_limitation (S15, 919,25 kr.) is shown with its due date, and the page passes the
page checks (Danish, axe-core, no sideways scrolling). Screenshot in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.explainer.test_browser import ARTIFACTS, browser, pytestmark
from tests.explainer.test_browser_citizen import _page_checks
from tests.ledger.test_ledger_scenarios import SCENARIOS, replay
from tests.support.browser_servers import api_and_explainer

__all__ = ["browser", "pytestmark"]
PAGE_LINK = "Sagsbehandler: tilbagebetalingskrav"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    url = f"sqlite:///{tmp_path_factory.mktemp('claims') / 'flexcalc.sqlite'}"
    replay(SCENARIOS / "claim_reaches_limitation", url)
    upgrade(url)
    with session_factory(url).begin() as session:
        key = create_key(session, "caseworker", label="browser test")[1]
    with api_and_explainer(url, "caseworker") as app_url:
        yield app_url, key


def test_the_claims_page_shows_the_claim_and_passes_the_page_checks(served: tuple[str, str], browser: Any) -> None:
    from playwright.sync_api import expect

    app_url, key = served
    page = browser.new_page(viewport={"width": 1400, "height": 1200}, locale="da-DK")
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_role("link", name=PAGE_LINK).click()
        expect(page.get_by_text("Skriv din API-nøgle for at se kravene.", exact=False)).to_be_visible(timeout=60_000)
        page.get_by_label("Din API-nøgle").fill(key)
        page.get_by_label("Din API-nøgle").press("Enter")
        date = page.get_by_label("Dato (ÅÅÅÅ-MM-DD; tom: i dag)")
        date.fill("2024-07-01")
        date.press("Enter")
        expect(page.get_by_text("Hent opkrævningen (PDF)")).to_be_visible(timeout=60_000)
        body = page.locator("section.stMain, [data-testid=stMain]").first
        text = "".join(body.inner_text().split())  # table cells and non-breaking spaces: compare without spaces
        assert "919,25kr." in text and "9.juni2024" in text and "FLX-1" in text, text[:800]
        page.screenshot(path=str(ARTIFACTS / "claims.png"), full_page=True)
        _page_checks(page, 1400, "claims")
    finally:
        page.close()
