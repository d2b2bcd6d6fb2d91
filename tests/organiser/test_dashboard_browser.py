"""The dashboards in real Chromium: every chart drawn (an SVG each) under the CSP, filters and a
breakdown applied, before and after opened, the analyst refused free text, axe-core clean."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from tests.analysis.conftest import answer, load_pair
from tests.analysis.experts import answer_all
from tests.respondent.conftest import VALID, load_questionnaire

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(app) -> Iterator[str]:
    """The app with answered questionnaires, served for real on a free port."""
    answer_all(app, load_questionnaire(app, VALID / "minimal.yaml"))
    pre_id, post_id = load_pair(app)
    for n in range(6):
        raw = {"topics": {"ports": [str(1 + n % 4)], "internet": ["3"]}, "tools": {"": ["mla"]}}
        answer(app, pre_id, {**raw, "confident": {"": ["2"]}}, email=f"b{n}@example.org")
        answer(app, post_id, {**raw, "confident_after": {"": ["3"]}}, email=f"b{n}@example.org")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def open_page(chromium, site) -> Iterator:
    """A function: a new browser page signed in as ``account``; at the end, checks that no page
    asked another host or raised a script error."""
    contexts, requests, errors = [], [], []

    def signed_in(account) -> Page:
        context = chromium.new_context(base_url=site, viewport={"width": 1100, "height": 900})
        context.set_default_timeout(20_000)
        context.on("request", lambda request: requests.append(request.url))
        context.on("weberror", lambda error: errors.append(str(error.error)))
        contexts.append(context)
        page = context.new_page()
        page.goto("/staff/login")
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", account.password)
        page.click("form.form [type=submit]")
        page.wait_for_url("**/staff/")
        return page

    yield signed_in
    for context in contexts:
        context.close()
    assert not [url for url in requests if not url.startswith(site)], "a page left the app"
    assert not errors, errors


def charts_drawn(page: Page, path: str) -> int:
    """Open ``path``, wait for its charts; how many there are, each checked to have its SVG."""
    page.goto(path)
    page.wait_for_selector("html[data-charts-drawn]", state="attached")
    charts = page.locator(".chart[data-figure]").count()
    drawn = page.locator(".chart[data-figure] .main-svg:first-child").count()
    assert charts and drawn == charts, (path, charts, drawn)
    return charts


def axe_clean(page: Page) -> None:
    result = Axe().run(page, options=WCAG_21_AA)
    assert not result.violations_count, result.generate_report()


def test_an_admin_reads_every_chart_filters_breaks_down_and_compares(open_page, admin):
    page = open_page(admin)
    assert charts_drawn(page, "/staff/q/minimal/dashboard") == 10
    axe_clean(page)
    page.select_option("#filter-region", "150")
    page.select_option("#filter-by", "stakeholder_group")
    page.click(".filters [type=submit]")
    page.wait_for_url("**region=150**")
    assert charts_drawn(page, page.url) == 10
    assert page.locator("#filter-by").input_value() == "stakeholder_group"
    assert charts_drawn(page, "/staff/q/pre/compare") == 5
    axe_clean(page)
    assert charts_drawn(page, "/staff/q/minimal/sessions?lang=ar") == 2
    axe_clean(page)
    page.goto("/staff/q/minimal/texts")
    assert page.locator(".text-answers li").count() == 4
    axe_clean(page)


def test_an_analyst_reads_charts_but_not_free_text(open_page, analyst):
    page = open_page(analyst)
    assert charts_drawn(page, "/staff/q/minimal/dashboard") == 10
    assert page.locator("a[href$='/texts']").count() == 0
    response = page.goto("/staff/q/minimal/texts")
    assert response.status == 403


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_other_organiser_page_passes_axe(open_page, admin, lang):
    page = open_page(admin)
    for path in (
        "/staff/",
        "/staff/q/",
        "/staff/track/",
        "/staff/track/minimal",
        "/staff/track/participants",
        "/staff/accounts",
        "/staff/password",
        "/staff/export/minimal/",
        "/staff/export/audit",
    ):
        response = page.goto(f"{path}?lang={lang}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        axe_clean(page)


def test_the_sign_in_page_passes_axe(chromium, site):
    context = chromium.new_context(base_url=site)
    page = context.new_page()
    for lang in ("en", "ar"):
        page.goto(f"/staff/login?lang={lang}")
        axe_clean(page)
    context.close()
