"""The caseworker's workbench in a real browser: the API (uvicorn) and the
explainer (Streamlit) served on loopback as ``flexcalc serve`` starts them (the explainer finds the API
through FLEXCALC_API), on a constructed ledger (tests/support/workbench_ledger.py), driven by Debian's
headless Chromium through Playwright. Without a key no case is shown; with a caseworker's key the
caseworker decides a correction and sees the worklist change. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.explainer.test_browser import ARTIFACTS, browser, pytestmark
from tests.support.browser_servers import served
from tests.support.workbench_ledger import build

__all__ = ["browser", "pytestmark"]  # the browser fixture is test_browser's
PAGE_LINK = "Sagsbehandler: arbejdsliste, sager og efterreguleringer"


@contextmanager
def _serve(url: str, second_held: bool = False) -> Iterator[tuple[str, str, str]]:
    """The ledger at ``url`` built, the API and the explainer started on it: (app url, key, api url)."""
    from flexcalc.ledger.db import session_factory, upgrade
    from flexcalc.security.keys import create_key

    build(url, second_held=second_held)
    upgrade(url)
    with session_factory(url).begin() as session:
        key = create_key(session, "caseworker", label="browser test")[1]
    with served(url, "workbench") as (app_url, api_url):
        yield app_url, key, api_url


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('workbench') / 'flexcalc.sqlite'}"
    with _serve(url) as (app_url, key, _):
        yield app_url, key


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
        form.get_by_role("textbox", name="Begrundelse til brevet (vidste eller burde borgeren vide det?)").fill(
            "Borgeren burde vide, at lønnen fra bijobbet talte med")
        form.get_by_role("textbox", name="Borgerens svar, kort (til brevet)").fill("Du skrev, at du ikke vidste det")
        form.get_by_role("textbox", name="Sådan har vi vurderet svaret (til brevet)").fill(
            "Lønsedlen viste bijobbet")
        form.get_by_role("button", name="Registrér afgørelse").click()
        expect(page.get_by_text("Udført: Afgørelse — sag C, marts 2024")).to_be_visible(timeout=60_000)
        worklist = page.get_by_role("table").first
        expect(worklist).not_to_contain_text("Svar modtaget: træf afgørelse", timeout=30_000)
        # one repayment item fewer; the collect decision made C a claim, whose own items (due and unpaid,
        # limitation near) depend on today's date, so they are counted apart
        rows = worklist.locator("tbody tr")
        claims = rows.filter(has_text="Krav").or_(rows.filter(has_text="Afdrag"))
        expect(rows.filter(has_text="Svar modtaget: træf afgørelse")).to_have_count(0, timeout=30_000)
        assert rows.count() - claims.count() == 5, [rows.nth(i).inner_text() for i in range(rows.count())]
        # every claim item is C's (the "Sag" column, the row's first data cell, is exactly "C")
        claim_cases = [claims.nth(i).locator("td").first.inner_text().strip() for i in range(claims.count())]
        assert set(claim_cases) <= {"C"}, claim_cases
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


@pytest.fixture(params=["sqlite", "postgres"])
def user_test(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A fresh ledger with two held months (A's and G's April) on each database, served for one test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'flexcalc.sqlite'}"
    else:
        url = str(request.getfixturevalue("postgres_url"))
    with _serve(url, second_held=True) as running:
        yield running


def _api(api_url: str, key: str, path: str) -> Any:
    import json

    request = urllib.request.Request(f"{api_url}{path}", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _login(browser: Any, app_url: str, key: str, width: int = 1400) -> Any:
    from playwright.sync_api import expect

    page = _open(browser, app_url)
    page.set_viewport_size({"width": width, "height": 1200})
    field = page.get_by_label("Din API-nøgle")
    field.fill(key)
    field.press("Enter")
    initials = page.get_by_role("textbox", name="Dine initialer", exact=True)
    initials.fill("sb-browser")
    initials.press("Enter")
    expect(page.get_by_role("table").first).to_contain_text("Afventer indberetning", timeout=60_000)
    return page


def _choose(page: Any, option: str) -> None:
    """Choose the item by typing its label (filters the list to it), as the case is chosen below, and wait
    until the page says which item the forms act on."""
    from playwright.sync_api import expect

    case, month = option.split(" · ")[:2]
    for attempt in range(3):
        page.wait_for_timeout(1000)  # let the page finish drawing
        page.get_by_role("combobox", name="Opgave").click()
        page.keyboard.type(option)
        page.keyboard.press("Enter")
        shown = page.get_by_text(f"Du handler på: sag {case}, {month}")
        try:
            expect(shown).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def _click_twice(button: Any) -> None:
    """The user's double click: a second click on the same button at once (if the form is still there)."""
    button.click()
    with contextlib.suppress(Exception):  # the form may be gone already: nothing left to click
        button.click(timeout=2000)


def _no_form_left(page: Any, button: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name=button)).to_have_count(0, timeout=30_000)
    expect(page.get_by_role("combobox", name="Opgave")).to_have_value("")  # nothing chosen for the user


def test_each_action_acts_once_on_the_item_it_was_shown_for(user_test: tuple[str, str, str], browser: Any) -> None:
    """The user test that found the wrong case paid, step by step: release A's held April and click the same
    button again; decide C and click again; record A's hearing and click again. Each time exactly the chosen
    item changes, once; the finished item's form is gone and nothing is chosen for the user."""
    from playwright.sync_api import expect

    app_url, key, api_url = user_test
    held_before = _api(api_url, key, "/v1/held-months")
    assert [(h["case_id"], h["benefit_month"]) for h in held_before] == [("A", "2024-04"), ("G", "2024-04")]
    page = _login(browser, app_url, key)
    try:
        # 1. release A's held April on a payslip, then click the same button again at once
        _choose(page, "A · april 2024 · Afventer indberetning")
        form = page.locator("[data-testid=stForm]").filter(has_text="Frigiv foreløbig udbetaling")
        form.get_by_role("textbox", name="Dokumenteret løn inkl. pension (kr.)").fill("15600")
        form.get_by_role("textbox", name="Dokumentation (fx lønseddel maj 2024)").fill("lønseddel A marts 2024")
        button = form.get_by_role("button", name="Frigiv udbetaling")
        _click_twice(button)
        expect(page.get_by_text("Udført: Foreløbig udbetaling — sag A, april 2024, 15.272,00 kr., af "
                                "sb-browser.")).to_be_visible(timeout=60_000)
        _no_form_left(page, "Frigiv udbetaling")
        held_after = _api(api_url, key, "/v1/held-months")
        assert [(h["case_id"], h["benefit_month"]) for h in held_after] == [("G", "2024-04")]  # G untouched
        released = _api(api_url, key, "/v1/cases/A/months/2024-04")["payment"]
        assert (released["documentation"], released["released_by"], released["subsidy"]) == (
            "lønseddel A marts 2024", "sb-browser", "15272.00")  # 19.952 − 0,30 × 15.600
        assert _api(api_url, key, "/v1/cases/G/months/2024-04")["payment"] is None
        # the months table shows the wage the released month was paid on (not 0,00)
        page.get_by_role("combobox", name="Sag", exact=True).click()
        page.keyboard.type("A")
        page.keyboard.press("Enter")
        months = page.locator("[data-testid=stTable]").filter(has_text="Udbetalt på løn")
        expect(months).to_contain_text("15.600,00 kr. (dokumenteret)", timeout=30_000)
        # 2. decide C (its reply is in): collect, with the reply for the letter; click again
        _choose(page, "C · marts 2024 · Svar modtaget: træf afgørelse · -919,25 kr.")
        form = page.locator("[data-testid=stForm]").filter(has_text="Afgørelse om mulig tilbagebetaling")
        form.get_by_text("Opkræv", exact=True).click()
        form.get_by_role("textbox", name="Begrundelse til brevet (vidste eller burde borgeren vide det?)").fill(
            "Lønsedlen viste bijobbet")
        form.get_by_role("textbox", name="Borgerens svar, kort (til brevet)").fill("Du skrev, at du ikke vidste det")
        form.get_by_role("textbox", name="Sådan har vi vurderet svaret (til brevet)").fill("Lønsedlen var tydelig")
        button = form.get_by_role("button", name="Registrér afgørelse")
        _click_twice(button)
        expect(page.get_by_text("Udført: Afgørelse — sag C, marts 2024")).to_be_visible(timeout=60_000)
        _no_form_left(page, "Registrér afgørelse")
        decided = [m for m in _api(api_url, key, "/v1/cases/C")["months"] if m["benefit_month"] == "2024-03"]
        assert [c["decision"]["outcome"] for c in decided[0]["corrections"]] == ["collect"]
        b_march = [m for m in _api(api_url, key, "/v1/cases/B")["months"] if m["benefit_month"] == "2024-03"]
        assert [c["decision"] for c in b_march[0]["corrections"]] == [None]  # the next item was not decided
        # 3. A's possible repayment: record the hearing letter; click again
        _choose(page, "A · marts 2024 · Mulig tilbagebetaling: send partshøring · -919,25 kr.")
        form = page.locator("[data-testid=stForm]").filter(has_text="Partshøring holdt")
        button = form.get_by_role("button", name="Registrér partshøring")
        _click_twice(button)
        expect(page.get_by_text("Udført: Partshøring — sag A, marts 2024")).to_be_visible(timeout=60_000)
        _no_form_left(page, "Registrér partshøring")
        a_march = next(m for m in _api(api_url, key, "/v1/cases/A")["months"] if m["benefit_month"] == "2024-03")
        hearing = _api(api_url, key, f"/v1/cases/A/corrections/{a_march['corrections'][0]['id']}/hearing")
        assert [e["kind"] for e in hearing["events"]] == ["sent"]  # once
        b_hearing = _api(api_url, key, f"/v1/cases/B/corrections/{b_march[0]['corrections'][0]['id']}/hearing")
        assert [e["kind"] for e in b_hearing["events"]] == ["sent"]  # B's own letter of 2 May only
        page.screenshot(path=str(ARTIFACTS / "workbench-user-test.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_workbench_with_a_key_passes_axe(servers: tuple[str, str], browser: Any, width: int) -> None:
    """With a key, the worklist and a chosen item's forms shown: Danish, axe-core without serious or critical
    violations, no sideways scrolling of the page, at 1280 and 390 px."""
    from tests.explainer.test_browser_citizen import _axe, _describe

    app_url, key = servers
    page = _login(browser, app_url, key, width)
    try:
        _choose(page, "A · april 2024 · Afventer indberetning")
        page.locator("[data-testid=stForm]").filter(has_text="Frigiv foreløbig udbetaling").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.evaluate("document.documentElement.lang") == "da"
        violations = _axe(page)
        assert not violations, _describe(violations)
        overflow = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]') || document.body;"
                                 " return [document.documentElement.scrollWidth, m.scrollWidth]; }")
        assert overflow[0] <= width and overflow[1] <= width, overflow
        page.screenshot(path=str(ARTIFACTS / f"workbench-axe-{width}.png"), full_page=True)
    finally:
        page.close()
