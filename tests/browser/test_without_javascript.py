"""The whole flow with JavaScript turned off: plain forms, conditions applied page by page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.expert import (
    answer_page,
    expect_answers,
    invite_to,
    label,
    on_page,
    open_link,
    press,
    start,
    still_needed,
    submit,
)

pytestmark = pytest.mark.browser

PROFILE = {
    "country": "EGY",
    "agency_type": "other",
    "agency_type.other": "Drug control agency",
    "role": "laboratory",
    "answering_capacity": "partly_both",
}
KNOWLEDGE = {
    "aware_untoc": "5",
    "aware_medicrime": "1",
    "aware_who_gsms": "2",
    "aware_pangea": "3",
    "conf_mla_request": "4",
    "conf_freeze_proceeds": "3",
    "conf_takedown_request": "2",
}
# No specific offence, yet offence details ticked: they are not asked for, so not kept.
LEGAL = {"offence_type": "general_offences", "offence_conducts": ["supply"]}


def test_the_pre_meeting_questionnaire_without_javascript(app, browse):
    expert = invite_to(app, "tfm-pre")
    page = browse.new_page(javascript=False)
    open_link(page, expert)
    start(page)

    answer_page(page, "profile", PROFILE, then="save")
    expect(page.locator(".flash-success")).to_be_visible()
    on_page(page, "profile")
    expect_answers(page, PROFILE)  # the "please specify" text too

    press(page, "next")
    answer_page(page, "knowledge_confidence", KNOWLEDGE)

    # Without scripts the offence details stay on the page, with a note saying when to answer.
    on_page(page, "legal_framework")
    details = page.locator("#q-offence_conducts")
    expect(details).to_be_visible()
    expect(details.locator(".condition-note")).to_contain_text(
        label("tfm-pre", "offence_type", "en", "specific_criminal_code")
    )
    answer_page(page, "legal_framework", LEGAL)

    for section in [
        "agencies",
        "supply_chain",
        "online_sale",
        "cases_seizures",
        "cooperation_tools",
        "cooperation_practice",
        "challenges_assistance",
    ]:
        answer_page(page, section, {})
    practice = "Joint customs–regulator inspections."
    answer_page(page, "meeting", {"good_practice": practice}, then="review")

    expect(page.locator("#error-summary")).to_have_count(0)
    assert still_needed(page) == []
    submit(page)
    copy = page.locator("main")
    expect(copy).to_contain_text("Egypt")
    expect(copy).to_contain_text("Other: Drug control agency")
    expect(copy).to_contain_text(practice)
    expect(copy).not_to_contain_text(label("tfm-pre", "offence_conducts", "en"))


def test_a_session_page_appears_after_next_page_without_javascript(app, browse):
    """tfm-post asks about a session on its own page, only when the expert attended it."""
    expert = invite_to(app, "tfm-post")
    page = browse.new_page(javascript=False)
    open_link(page, expert)
    start(page)
    answer_page(
        page, "about_you", {"stakeholder_group": "police", "attended_sessions": ["s2", "s5"]}
    )
    answer_page(page, "knowledge_confidence", {})
    grid = {f"s2_evaluation.{row}": "4" for row in ["relevance", "quality", "usefulness", "time"]}
    answer_page(page, "session_2", grid)  # session 1 was not attended: its page is skipped
    on_page(page, "session_5")
    expect(page.locator("#q-s5_evaluation table.grid")).to_be_visible()
    press(page, "previous")
    on_page(page, "session_2")
    expect_answers(page, grid)
    pages = page.get_by_role("navigation", name="All pages").get_by_role("listitem")
    expect(pages).to_have_count(8)  # 12 pages, less the 4 sessions not attended
    expect(pages.filter(has_text="Session 1:")).to_have_count(0)
