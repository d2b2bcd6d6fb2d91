"""axe-core (WCAG 2.1 A and AA rules) finds nothing on any page an expert reaches, in English
and in Arabic; the keyboard reaches the questions with a visible focus; the layout mirrors.

Screenshots of the main pages go to /tmp/shots/ for a person to look at.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.expert import (
    answer_page,
    close_questionnaire,
    definition,
    expect_language,
    fill,
    go_to_page,
    invite_to,
    open_link,
    press,
    shoot,
    start,
    submit,
)

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
REQUIRED_PRE = {
    "profile": {
        "country": "MAR",
        "agency_type": "medicines_regulator",
        "role": "other",
        "role.other": "Pharmacovigilance",
        "answering_capacity": "for_agency",
    },
    "knowledge_confidence": {
        key: "3"
        for key in [
            "aware_untoc",
            "aware_medicrime",
            "aware_who_gsms",
            "aware_pangea",
            "conf_mla_request",
            "conf_freeze_proceeds",
            "conf_takedown_request",
        ]
    },
    "legal_framework": {"offence_type": "specific_criminal_code", "offence_conducts": ["supply"]},
}


class Audit:
    """Runs axe on page after page and reports every violation of every page at the end."""

    def __init__(self, lang: str):
        self.lang = lang
        self.found: list[str] = []
        self.pages = 0

    def check(self, page: Page, what: str) -> None:
        expect_language(page, self.lang)
        result = AXE.run(page, options=WCAG_21_AA)
        self.pages += 1
        if result.violations_count:
            self.found.append(f"--- {what} ({page.url}):\n{result.generate_report()}")

    def assert_clean(self) -> None:
        assert not self.found, "\n".join(self.found)


def expect_scale_reads_in_language_direction(page: Page, grid: str, lang: str) -> None:
    """A grid's scale runs left to right in English and right to left in Arabic."""
    first = page.locator(f"#c-{grid}-1").bounding_box()
    last = page.locator(f"#c-{grid}-5").bounding_box()
    assert (first["x"] < last["x"]) == (lang != "ar")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_of_the_pre_meeting_questionnaire(app, browse, lang):
    expert = invite_to(app, "tfm-pre", language=lang)
    audit = Audit(lang)
    page = browse.new_page()

    open_link(page, expert, lang)
    audit.check(page, "welcome")
    shoot(page, f"{lang}-welcome")

    start(page)
    for section in definition("tfm-pre").sections:
        go_to_page(page, expert, section.key)
        if section.key == "legal_framework":  # show the conditional question and its fields
            fill(page, {"offence_type": "specific_criminal_code"})
            expect(page.locator("#q-offence_conducts")).to_be_visible()
        audit.check(page, f"page {section.key}")
        if section.key == "supply_chain":
            shoot(page, f"{lang}-grid")
            expect_scale_reads_in_language_direction(page, "detection_frequency", lang)

    go_to_page(page, expert, "cases_seizures")
    fill(page, {"cases_detected": "-5"})
    assert press(page, "next") == 422
    expect(page.locator("#error-summary")).to_be_focused()
    audit.check(page, "page with a validation error")
    shoot(page, f"{lang}-error")

    page.goto(expert.url + "/review")
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check(page, "review, answers missing")
    shoot(page, f"{lang}-review")

    for section, answers in REQUIRED_PRE.items():
        go_to_page(page, expert, section)
        answer_page(page, section, answers, then="review")
    go_to_page(page, expert, "cases_seizures")
    answer_page(page, "cases_seizures", {"cases_detected": "12"}, then="review")
    expect(page.locator("#error-summary")).to_have_count(0)
    audit.check(page, "review, ready to submit")

    submit(page)
    audit.check(page, "confirmation")
    shoot(page, f"{lang}-confirmation")

    close_questionnaire(app, expert)
    open_link(page, expert, lang)
    audit.check(page, "welcome, closed")
    shoot(page, f"{lang}-closed")
    page.locator("main a.button").click()  # "Read the answers you submitted"
    expect(page).to_have_url(f"{browse.origin}{expert.url}/done")
    audit.check(page, "answers, closed")

    assert audit.pages == 18
    audit.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_of_the_post_meeting_questionnaire(app, browse, lang):
    expert = invite_to(app, "tfm-post", language=lang)
    audit = Audit(lang)
    page = browse.new_page()
    open_link(page, expert, lang)
    audit.check(page, "welcome (anonymous)")
    start(page)
    sessions = ["s1", "s2", "s3", "s4", "s5", "s6"]
    answer_page(page, "about_you", {"attended_sessions": sessions}, then="save")
    for section in definition("tfm-post").sections:
        go_to_page(page, expert, section.key)
        if section.key == "takeaways":  # the country to quote with appears with its condition
            fill(page, {"quote_consent": "quoted_with_country"})
            expect(page.locator("#f-quote_country")).to_be_visible()
        audit.check(page, f"page {section.key}")
    assert audit.pages == 13
    audit.assert_clean()


def test_the_keyboard_reaches_the_first_question_with_a_visible_focus(app, browse):
    expert = invite_to(app, "tfm-pre")
    page = browse.new_page()
    open_link(page, expert)
    start(page)
    field = page.locator("#f-country")
    for _ in range(20):
        page.keyboard.press("Tab")
        if field.evaluate("e => e === document.activeElement"):
            break
    expect(field).to_be_focused()
    outline = field.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    # The skip link is the first stop, and takes the keyboard straight to the page's content.
    page.reload()
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
