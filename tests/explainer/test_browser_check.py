"""The page "Tjek din udbetaling" in a real browser at 1280 and 390 px: an adviser's check file uploaded (the
lønloft without the evening supplement: 1.442,75 kr. too little), Danish amounts typed, the upload box and
the fields in Danish only, axe-core without serious or critical violations, no sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.explainer.test_browser import ARTIFACTS
from tests.explainer.test_browser import app_url as app_url
from tests.explainer.test_browser import browser as browser
from tests.explainer.test_browser_citizen import WIDTHS, _axe, _describe, _open
from tests.explainer.test_browser_citizen import pytestmark as citizen_marks

pytestmark = citizen_marks
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "check" / "ceiling_without_evening.yaml"
ENGLISH = ("Drag and drop", "Browse files", "per file", "Upload", "Press Enter", "Choose", "Deploy", "Running",
           "Limit", "200MB")


def _common_checks(page: Any, width: int, name: str) -> None:
    assert page.evaluate("document.documentElement.lang") == "da"
    body = page.inner_text("body")
    for english in ENGLISH:
        assert english not in body, f"English interface text {english!r} on {name} at {width}px"
    labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute("
                           "'aria-label'))")
    assert not [label for label in labels if label.startswith(("Help for", "Show data"))], labels
    violations = _axe(page)
    assert not violations, _describe(violations)
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= width, f"sideways scrolling on {name} at {width}px: {overflow}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"check-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_check_page_with_an_uploaded_check_file(app_url: str, browser: Any, width: int) -> None:
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/tjek_din_udbetaling", width)
    try:
        expect(page.get_by_role("heading", name="Tjek din udbetaling")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(800)
        _common_checks(page, width, "empty")
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(FIXTURE))
        verdict = page.get_by_role("heading", name="I alt har du fået")
        expect(verdict).to_have_text("I alt har du fået 1.442,75\u00a0kr. for lidt.", timeout=60_000)
        # the cause in the month's list (the draft below, shown as text, says it too)
        expect(page.get_by_role("listitem").filter(has_text="Kommunens lønloft mangler tillæg på 2.000,00")
               .first).to_be_visible()
        expect(page.get_by_role("button", name="Hent udkastet som PDF")).to_be_visible()
        page.wait_for_timeout(800)
        _common_checks(page, width, "uploaded")
    finally:
        page.close()


def test_check_page_typed_danish_amounts_and_a_typo(app_url: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/tjek_din_udbetaling", 1280)
    try:
        expect(page.get_by_role("heading", name="Tjek din udbetaling")).to_be_visible(timeout=60_000)
        values = {"Måned 1: måned for tilskuddet (fx 2024-03 eller marts 2024)": "2024-03",
                  "Måned 1: tilskud kommunen betalte, i kr.": "15.452",
                  "Måned 1: løn kommunen brugte, i kr.": "15.000",
                  "Måned 1: din løn i måneden før, med pension, i kr.": "16.800",
                  "Måned 1: heraf pension, i kr.": "1.800",
                  "Måned 1: det rigtige lønloft, i kr.": "32.000,00"}
        for label, value in values.items():
            field = page.get_by_label(label, exact=True)
            field.fill(value)
            field.press("Tab")
            page.wait_for_timeout(400)
        expect(page.get_by_role("heading", name="I alt har du fået")).to_have_text(
            "I alt har du fået 659,25\u00a0kr. for meget.", timeout=60_000)
        wage = page.get_by_label("Måned 1: løn kommunen brugte, i kr.", exact=True)
        wage.fill("15.OOO")
        wage.press("Tab")
        expect(page.get_by_text("Måned 1: løn kommunen brugte, i kr.: '15.OOO' er ikke et beløb i kroner")
               ).to_be_visible(timeout=30_000)
        assert page.get_by_label("Måned 1: din løn i måneden før, med pension, i kr.", exact=True).input_value() \
            == "16.800"
    finally:
        page.close()
