"""The citizen pages, third pass, in a real browser (as a new user would try them): Danish amounts, a typo that
keeps the other fields and the after-tax estimate, no English on the Danish pages, 0 hours answered, the extra
hour's answer in view, the phone menu (grouped, closing after a choice), the lønloft page's verdict."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.explainer.test_browser import app_url as app_url
from tests.explainer.test_browser import browser as browser
from tests.explainer.test_browser_citizen import WIDTHS, _axe, _describe, _open
from tests.explainer.test_browser_citizen import pytestmark as citizen_marks

pytestmark = citizen_marks
ENGLISH = re.compile(r"Drag and drop|Browse files|per file|Choose an? option|Choose options|Press (Ctrl\+)?Enter|"
                     r"Show data|Help for|docs/|decisions\.md|People files|Deploy|Running")
HOURS_LINK = "/?timeloen=200&maaned=2024-03&timer_nu=12&timer_ny=15&kommuneskat=25"


def _heading(page: Any, name: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=name).first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(800)


def _no_english(page: Any, name: str) -> None:
    text = page.inner_text("body")
    labels = " ".join(page.evaluate("() => [...document.querySelectorAll('[aria-label], [placeholder], [title]')]"
                                    ".map(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), "
                                    "e.getAttribute('title')].filter(Boolean).join(' '))"))
    found = ENGLISH.findall(text + " " + labels)
    assert not found, f"English or file names on {name}: {found}"


def _type(page: Any, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")
    page.wait_for_timeout(600)


@pytest.mark.parametrize(("path", "heading"), [
    (HOURS_LINK, "Kan det betale sig at arbejde flere timer?"),
    ("/udbetaling", "Hvorfor har min udbetaling ændret sig?"),
    ("/tjek_din_udbetaling", "Tjek din udbetaling"),
    ("/tjek_lonloftet", "Tjek lønloftet"),
    ("/reformer", "Reformer: hvad hvis reglerne ændres?"),
], ids=["hours", "payout", "check", "lonloft", "reform"])
def test_no_english_on_the_danish_pages(app_url: str, browser: Any, path: str, heading: str) -> None:
    page = _open(browser, app_url + path, WIDTHS["desktop"])
    try:
        _heading(page, heading)
        page.wait_for_timeout(1500)
        _no_english(page, path)
        # the reform page shows its title first: nothing from its code above it
        first = page.locator("[data-testid=stMain] [data-testid=stMarkdownContainer], "
                             "[data-testid=stMain] h1").first.inner_text()
        assert first.strip() == heading
    finally:
        page.close()


def test_hours_page_danish_amount_zero_hours_and_one_more_hour(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _open(browser, app_url + HOURS_LINK, WIDTHS["mobile"])
    try:
        _heading(page, "Går du fra")
        # the answer to one more hour is in view without opening a table (200 kr. an hour: 866,67 kr., 70 øre)
        answer = page.get_by_text("Går du fra 12 til 13 timer om ugen, tjener du 866,67\u00a0kr. mere om måneden.")
        expect(answer).to_be_visible()
        answer.scroll_into_view_if_needed()
        assert answer.is_visible()
        _type(page, "Lønloft i kr. om måneden (valgfrit)", "32.067,50")
        expect(page.get_by_text(re.compile(r"Lønloft: 32\.067,50"))).to_be_visible(timeout=30_000)
        _type(page, "Timer om ugen nu", "0")
        expect(page.get_by_role("heading", name="Ved 0 timer er der intet tilskud")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Uden løn fra fleksjobbet er der intet tilskud.", exact=False)).to_be_visible()
        violations = _axe(page)
        assert not violations, _describe(violations)
    finally:
        page.close()


def test_a_typo_keeps_the_other_fields_and_the_estimate(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _open(browser, app_url + HOURS_LINK, WIDTHS["desktop"])
    try:
        _heading(page, "Går du fra")
        _type(page, "Din kommuneskat i % (med kirkeskat, hvis du betaler den)", "27,5")
        expect(page.get_by_text("Til rådighed ved 12 timer (skøn)")).to_be_visible(timeout=30_000)
        hourly = page.get_by_label("Din timeløn i kr. (med pension og tillæg)", exact=True)
        hourly.fill("2OO")  # still in the field: Streamlit's "Press Enter to apply" would show now
        page.wait_for_timeout(400)
        assert "Press Enter" not in page.inner_text("body")
        hourly.press("Tab")
        expect(page.get_by_text("Din timeløn i kr. (med pension og tillæg): '2OO' er ikke et beløb i kroner")
               ).to_be_visible(timeout=30_000)
        _type(page, "Din timeløn i kr. (med pension og tillæg)", "200")
        expect(page.get_by_text("Til rådighed ved 12 timer (skøn)")).to_be_visible(timeout=30_000)
        tax = page.get_by_label("Din kommuneskat i % (med kirkeskat, hvis du betaler den)", exact=True)
        assert tax.input_value() == "27,5"
    finally:
        page.close()


def test_phone_menu_groups_the_pages_and_closes_after_a_choice(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _open(browser, app_url + HOURS_LINK, WIDTHS["mobile"])
    try:
        _heading(page, "Går du fra")
        page.locator("[data-testid=stExpandSidebarButton]").click()
        sidebar = page.locator("[data-testid=stSidebar]")
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        # the menu is drawn after the sidebar opens: read it once its last citizen and staff links are there
        expect(sidebar.get_by_role("link", name="Tjek din udbetaling")).to_be_visible(timeout=30_000)
        expect(sidebar.get_by_role("link", name="Sagsbehandler").first).to_be_visible(timeout=30_000)
        menu = sidebar.inner_text()
        citizen, staff = menu.index("For borgere og rådgivere"), menu.index("For kommunens medarbejdere")
        assert citizen < menu.index("Tjek din udbetaling") < staff < menu.index("Sagsbehandler")
        sidebar.get_by_role("link", name="Tjek din udbetaling").click()
        expect(page.get_by_role("heading", name="Tjek din udbetaling")).to_be_visible(timeout=60_000)
        expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=10_000)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_lonloft_page_verdict_labels_and_danish_amounts(app_url: str, browser: Any, width: int) -> None:
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/tjek_lonloftet", width)
    try:
        _heading(page, "2. Lønloftet, del for del")
        labels = page.evaluate("() => [...document.querySelectorAll('[data-testid=stWidgetLabel]')]"
                               ".map(e => e.innerText.trim()).filter(Boolean)")
        assert len(labels) == len(set(labels)), [label for label in labels if labels.count(label) > 1]
        expect(page.get_by_role("heading", name="Svaret")).to_be_visible()
        expect(page.get_by_text("Lønloftet ser rigtigt ud:")).to_be_visible()
        _type(page, "Grundløn pr. måned ved fuld tid", "20.000")
        expect(page.get_by_text("Lønloftet er ikke rigtigt. Ret dette:")).to_be_visible(timeout=30_000)
        assert page.get_by_text("Du skal ikke gøre noget").count() == 0
        blocks = page.locator("[data-testid=stMain] [data-testid=stAlert]")
        assert "Lønloftet er ikke rigtigt" in blocks.last.inner_text()
        violations = _axe(page)
        assert not violations, _describe(violations)
    finally:
        page.close()
