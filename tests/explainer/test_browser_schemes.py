"""The two other schemes' citizen pages in a real browser: the old scheme (fleksjob begun before 2013) and the
subsidy to the self-employed, at 1280 and 390 px: Danish page language, no English interface text, axe-core
without serious or critical violations, no sideways scrolling, and the worked example the core computes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from explainer.components import nbsp
from flexcalc.self_employed import calculate_year
from flexcalc.text_da.format import kr
from tests.explainer.test_browser import app_url as app_url
from tests.explainer.test_browser import browser as browser
from tests.explainer.test_browser_citizen import WIDTHS, _open, _page_checks
from tests.explainer.test_browser_citizen import pytestmark as citizen_marks

pytestmark = citizen_marks
YEAR = calculate_year(2024, Decimal("300000"))  # 156.956 − 90.000 = 66.956 a year, 5.579,67 a month


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(("path", "heading", "answer"), [
    ("gammel_ordning", "Fleksjob fra før 2013", "Din arbejdsgiver får et tilskud på 21.800,00 kr."),
    ("selvstaendig", "Tilskud til selvstændige", f"Det er {kr(YEAR.monthly)} om måneden."),
], ids=["old", "self_employed"])
def test_scheme_pages_are_danish_accessible_and_show_the_core(app_url: str, browser: Any, path: str,
                                                             heading: str, answer: str, width: int) -> None:
    from playwright.sync_api import expect

    page = _open(browser, f"{app_url}/{path}", width)
    try:
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
        expect(page.get_by_text(nbsp(answer), exact=False).or_(page.get_by_text(answer, exact=False)).first
               ).to_be_visible(timeout=30_000)
        page.wait_for_timeout(800)
        assert "kr.." not in page.inner_text("body")
        _page_checks(page, width, path)
    finally:
        page.close()
