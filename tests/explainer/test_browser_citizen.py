"""The citizen pages in a real browser: Danish page language, axe-core without serious or critical
violations, and at 390 px no sideways scrolling of the page, whole chart titles and "kr." on the line of its
amount; a shared link opens the same calculation. Screenshots at 1280 and 390 px go to ``test-artifacts/``
(gitignored).

One Streamlit server and one browser for the module (``tests/explainer/test_browser.py`` starts them the same
way); each page is loaded once per width and every check runs on it, so the module stays well under a minute.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from explainer.components import nbsp
from flexcalc.citizen.month_change import MonthSide, explain_month_change
from flexcalc.citizen.scenarios import Job, hour_scenario
from flexcalc.month import MonthInput
from flexcalc.period import Month
from flexcalc.text_da.format import kr
from tests.explainer.test_browser import ARTIFACTS
from tests.explainer.test_browser import app_url as app_url
from tests.explainer.test_browser import browser as browser
from tests.explainer.test_browser import pytestmark as browser_marks

pytestmark = [*browser_marks, pytest.mark.skipif(
    importlib.util.find_spec("axe_playwright_python") is None,
    reason="axe-playwright-python is not installed (pip install -e '.[dev]')")]

WIDTHS = {"desktop": 1280, "mobile": 390}
SERIOUS = {"serious", "critical"}


def _axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page, WCAG 2.1 A/AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                              "wcag21aa", "best-practice"]}})
    return [v for v in result.response["violations"] if v.get("impact") in SERIOUS]


def _describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): "
                     f"{[(n['target'], n.get('failureSummary'), n.get('html', '')[:200]) for n in v['nodes']][:3]}"
                     for v in violations)


def _open(browser: Any, url: str, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="da-DK")
    page.goto(url, wait_until="domcontentloaded")
    return page


def _settle(page: Any, heading: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    # wait for every chart on the page to be drawn, and for Streamlit to finish the run
    page.wait_for_function("document.querySelectorAll('[data-testid=stVegaLiteChart] canvas, "
                           "[data-testid=stVegaLiteChart] svg').length >= "
                           "document.querySelectorAll('[data-testid=stVegaLiteChart]').length", timeout=30_000)
    page.wait_for_timeout(800)


def _page_checks(page: Any, width: int, name: str) -> None:
    """What every citizen page must hold at this width."""
    assert page.evaluate("document.documentElement.lang") == "da"
    body_text = page.inner_text("body")
    for english in ("Deploy", "Rerun", "Running", "Settings", "Print", "Record a screencast", "Clear cache",
                    "Skip to main content"):
        assert english not in body_text, f"English interface text {english!r} on {name}"
    violations = _axe(page)
    assert not violations, _describe(violations)
    # every table's own scroll box is reachable by keyboard, whether or not it scrolls at this width
    boxes = page.locator("[data-testid=stTable] > div")
    for i in range(boxes.count()):
        assert boxes.nth(i).get_attribute("tabindex") == "0", f"table {i} on {name} has no tab stop"
    # the page never scrolls sideways (a wide table scrolls inside its own box)
    overflow = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]') || document.body;"
                             " return [document.documentElement.scrollWidth, m.scrollWidth, window.innerWidth]; }")
    assert overflow[0] <= width and overflow[1] <= width, f"sideways scrolling on {name} at {width}px: {overflow}"
    # every chart has an accessible name and fits its column (no cut title)
    charts = page.locator("[data-testid=stVegaLiteChart]")
    for i in range(charts.count()):
        chart = charts.nth(i)
        label = chart.locator("[aria-label], [role=graphics-document]").first.get_attribute("aria-label") or ""
        assert label.startswith("Figur:"), f"chart {i} on {name} has no accessible name"
        box, inner = chart.bounding_box(), chart.locator("canvas, svg").first.bounding_box()
        assert box is not None and inner is not None and inner["width"] <= box["width"] + 1
    page.set_viewport_size({"width": width, "height": 5200})
    page.wait_for_timeout(1200)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"citizen-{name}-{width}.png"), full_page=True)


@pytest.fixture(scope="module")
def hours_core() -> Any:
    return hour_scenario(Month(2024, 3), Job(hourly=Decimal(200)), Decimal(20000))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_hours_page_from_a_shared_link(app_url: str, browser: Any, hours_core: Any, width: int) -> None:
    """The lønloft below the 37-hour wage (item 1), half hours (item 3) and the link (item 10)."""
    from playwright.sync_api import expect

    link = f"{app_url}/?timeloen=200&loft=20000&maaned=2024-03&timer_nu=12&timer_ny=25,5&kommuneskat=25"
    page = _open(browser, link, width)
    try:
        _settle(page, "Går du fra")
        headline = page.get_by_role("heading", name="Går du fra")
        expect(headline).to_have_text(hours_core.change_sentence(12, Decimal("25.5")))
        assert "\u00a0kr." in headline.inner_text()  # kr. held to its amount
        expect(page.get_by_text("Loftet gælder fra 1 til 23 timer om ugen.")).to_be_visible()
        expect(page.get_by_text("Dit lønloft på 20.000,00")).to_be_visible()
        # the worded arithmetic is open: its first line is visible without a click
        expect(page.get_by_text(nbsp(hours_core.wage_sentence_da(12)))).to_be_visible()
        expect(page.get_by_role("heading", name="Hvad beholder du af en ekstra time?")).to_be_visible()
        expect(page.get_by_role("heading", name="Året frem: hvis du skifter timer")).to_be_visible()
        # the address holds the inputs: a reload gives the same calculation
        assert "timer_ny=25%2C5" in page.url or "timer_ny=25,5" in page.url
        _page_checks(page, width, "hours")
    finally:
        page.close()


def test_hours_page_out_of_range_hours_get_a_danish_message(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/?timeloen=200&maaned=2024-03&timer_nu=12&timer_ny=38", 1280)
    try:
        expect(page.get_by_text("skal være fra 1 til 37 timer om ugen, ikke 38")).to_be_visible(timeout=60_000)
        assert page.get_by_role("heading", name="Går du fra").count() == 0  # no result for a value not shown
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_payout_page_opens_with_the_total_income(app_url: str, browser: Any, width: int) -> None:
    from playwright.sync_api import expect

    core = explain_month_change(MonthSide(MonthInput(Month(2024, 12), Decimal(15600), Decimal(32067))),
                                MonthSide(MonthInput(Month(2025, 1), Decimal(17000), Decimal(32067))))
    link = (f"{app_url}/udbetaling?m1_maaned=2024-12&m1_loen=15600&m1_loft=32067&m2_maaned=2025-01&m2_loen=17000"
            "&m2_loft=32067")
    page = _open(browser, link, width)
    try:
        expect(page.get_by_role("heading", name="I alt har du")).to_have_text(nbsp(core.headline_da()),
                                                                              timeout=60_000)
        expect(page.get_by_role("heading", name="Derfor")).to_be_visible()
        metric = page.locator("[data-testid=stMetric]", has_text="Forskel i alt")
        expect(metric).to_contain_text(nbsp(kr(core.total_income_change, sign=True)))
        _page_checks(page, width, "payout")
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_lonloft_page_breakdown_keeps_its_signs(app_url: str, browser: Any, width: int) -> None:
    """Item 7: the breakdown's plus signs are shown as signs (not a bullet list) and "kr." is not doubled."""
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/tjek_lonloftet", width)
    try:
        expect(page.get_by_role("heading", name="2. Lønloftet, del for del")).to_be_visible(timeout=60_000)
        table = page.locator("table", has_text="Beløb pr. måned").first
        text = table.inner_text()
        assert "kr.." not in text
        assert "+\u00a0" in text and "=\u00a0" in text
        assert table.locator("ul, li").count() == 0
        _page_checks(page, width, "lonloft")
    finally:
        page.close()


@pytest.fixture(scope="module", autouse=True)
def _artifacts() -> Iterator[None]:
    ARTIFACTS.mkdir(exist_ok=True)
    yield


@pytest.mark.parametrize(("path", "heading"), [
    ("reformer", "Reformer: hvad hvis reglerne ændres?"),
    ("okonomi", "Økonomi: refusion, bidrag og kontering"),
    ("sagsbehandler", "Sagsbehandlerens arbejdsbord"),
], ids=["reform", "finance", "caseworker"])
def test_staff_pages_are_danish_and_pass_axe(app_url: str, browser: Any, path: str, heading: str) -> None:
    """The staff pages hold the same promises as the citizen pages (Danish, axe-core without serious or
    critical violations, no sideways scrolling, named charts); the finance and caseworker pages as a person
    without a key sees them."""
    page = _open(browser, f"{app_url}/{path}", WIDTHS["desktop"])
    try:
        _settle(page, heading)
        _page_checks(page, WIDTHS["desktop"], path)
    finally:
        page.close()
