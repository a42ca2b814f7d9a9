"""The letters page (Breve) in a real browser: the API (uvicorn) and the explainer (Streamlit) on loopback, a
ledger with a possible repayment (tests/letters/support.rising_wage_case), driven by headless Chromium. With a
caseworker's key and the page opened as the workbench links to it (``/breve?case=SP&correction=N``): draft a
hearing letter for paper post → its PDF's first page is shown and can be downloaded → approve → record sent;
the API then holds exactly that letter as sent, with the hearing opened. axe-core finds no serious or
critical violation at 1280 and 390 px. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.explainer.test_browser import ARTIFACTS, browser, pytestmark
from tests.explainer.test_browser_citizen import SERIOUS, WIDTHS, _axe, _describe
from tests.support.browser_servers import served

__all__ = ["browser", "pytestmark"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key
    from tests.letters.support import correction_id, rising_wage_case

    url = f"sqlite:///{tmp_path_factory.mktemp('letters') / 'flexcalc.sqlite'}"
    upgrade(url)
    factory = rising_wage_case(url, "SP")
    cid = correction_id(factory, "SP", "-120.00")
    with session_factory(url).begin() as session:
        key = create_key(session, "caseworker", label="letters browser test")[1]
    with served(url, "letters", {"FLEXCALC_MUNICIPALITY": "demo"}) as (app_url, api_url):
        yield {"app": app_url, "api": api_url, "key": key, "correction": cid}


def _open(browser: Any, servers: dict[str, Any], width: int) -> Any:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": 1000}, locale="da-DK", accept_downloads=True)
    page.goto(f"{servers['app']}/breve?case=SP&correction={servers['correction']}", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Breve", exact=True)).to_be_visible(timeout=60_000)
    field = page.get_by_label("Din API-nøgle")
    field.fill(servers["key"])
    field.press("Enter")
    initials = page.get_by_role("textbox", name="Dine initialer", exact=True)
    initials.fill("sb-browser")
    initials.press("Enter")
    expect(page.get_by_role("heading", name="Sagens efterreguleringer")).to_be_visible(timeout=60_000)
    return page


def _letters(servers: dict[str, Any]) -> list[dict[str, Any]]:
    answer = httpx.get(f"{servers['api']}/v1/cases/SP/letters",
                       headers={"Authorization": f"Bearer {servers['key']}"}, timeout=30)
    answer.raise_for_status()
    return list(answer.json())


def test_draft_preview_approve_and_send_from_the_page(servers: dict[str, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    cid = servers["correction"]
    page = _open(browser, servers, WIDTHS["desktop"])
    try:
        expect(page.get_by_role("table").first).to_contain_text(f"#{cid}", timeout=30_000)
        # the link named the correction: a hearing letter about it is offered
        expect(page.get_by_role("radio", name="Høringsbrev (partshøring)")).to_be_checked()
        form = page.locator("[data-testid=stForm]").filter(has_text="Sendes med")
        form.get_by_text("Papirbrev med posten", exact=False).click()
        form.get_by_role("button", name="Lav udkast").click()
        expect(page.get_by_text(f"Udkast lavet: brev 1 (høringsbrev, sag SP, efterreguleringer #{cid}).")
               ).to_be_visible(timeout=90_000)
        preview = page.get_by_role("img", name="Første side af brev 1 som PDF")
        expect(preview).to_be_visible(timeout=90_000)
        assert preview.evaluate("img => img.naturalWidth") > 500
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Hent brevet som PDF").click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF")
        from io import BytesIO

        from pypdf import PdfReader

        text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
        assert "Demo Kommune" in text and "70 10 20 30" in text and "Sendt med almindelig post" in text
        assert [x["status"] for x in _letters(servers)] == ["draft"]
        page.screenshot(path=str(ARTIFACTS / "letters-draft.png"), full_page=True)

        page.get_by_role("button", name="Godkend brevet").click()
        expect(page.get_by_text("Brev 1 (sag SP) er godkendt af sb-browser.")).to_be_visible(timeout=60_000)
        assert [(x["status"], x["approved_by"]) for x in _letters(servers)] == [("approved", "sb-browser")]

        sent_form = page.locator("[data-testid=stForm]").filter(has_text="Hvordan blev brevet sendt?")
        expect(sent_form).to_be_visible(timeout=30_000)
        assert sent_form.get_by_role("radio").count() == 2  # a paper letter: by post or handed over, not Digital Post
        sent_form.get_by_text("Med posten", exact=True).click()
        sent_form.get_by_role("button", name="Registrér som sendt").click()
        expect(page.get_by_text("Brev 1 (sag SP) er registreret som sendt (Med posten) af sb-browser.")
               ).to_be_visible(timeout=60_000)
        letters = _letters(servers)
        assert [(x["id"], x["status"], x["channel"], x["sent_by"], x["correction_ids"]) for x in letters] == [
            (1, "sent", "post", "sb-browser", [cid])]
        page.screenshot(path=str(ARTIFACTS / "letters-sent.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS.values()))
def test_letters_page_passes_axe(servers: dict[str, Any], browser: Any, width: int) -> None:
    from playwright.sync_api import expect

    page = _open(browser, servers, width)
    try:
        expect(page.get_by_role("heading", name="Sagens breve")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1500)
        assert page.evaluate("document.documentElement.lang") == "da"
        violations = _axe(page)
        assert not [v for v in violations if v.get("impact") in SERIOUS], _describe(violations)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(ARTIFACTS / f"letters-{width}.png"), full_page=True)
    finally:
        page.close()
