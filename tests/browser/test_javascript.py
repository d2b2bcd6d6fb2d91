"""What the page script adds: conditions applied at once, "please specify" only for Other,
and autosave, so that closing the tab loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from survey.db import database
from survey.services import answering, links
from tests.browser.expert import fill, go_to_page, invite_to, open_link, start

pytestmark = pytest.mark.browser


def draft(app, expert) -> dict:
    """The answers the app keeps for the expert's link, as typed."""
    with app.app_context(), database().writing() as session:
        invitation = links.find_invitation(session, expert.token)
        return answering.find_response(session, invitation, app.config["PSEUDONYM_KEY"]).draft


@pytest.fixture
def expert(app):
    return invite_to(app, "tfm-pre")


@pytest.fixture
def page(browse, expert):
    """An expert who has started the pre-meeting questionnaire, with scripts on."""
    page = browse.new_page()
    open_link(page, expert)
    start(page)
    return page


def test_a_condition_on_the_same_page_shows_and_hides_its_question_at_once(page, expert):
    go_to_page(page, expert, "legal_framework")
    details = page.locator("#q-offence_conducts")
    expect(details).to_be_hidden()
    fill(page, {"offence_type": "specific_criminal_code"})
    expect(details).to_be_visible()
    expect(details.locator(".condition-note")).to_be_hidden()  # only needed without scripts
    fill(page, {"offence_type": "general_offences"})
    expect(details).to_be_hidden()
    fill(page, {"offence_type": "specific_other_law"})
    expect(details).to_be_visible()


def test_please_specify_appears_only_when_other_is_chosen(page):
    role_other = page.locator("#f-role-other")
    agency_other = page.locator("#f-agency_type-other")
    expect(role_other).to_be_hidden()
    expect(agency_other).to_be_hidden()
    fill(page, {"role": "laboratory"})
    expect(role_other).to_be_hidden()
    fill(page, {"role": "other"})
    expect(role_other).to_be_visible()
    fill(page, {"role.other": "Pharmacovigilance"})
    fill(page, {"agency_type": "other"})  # a select, not radios
    expect(agency_other).to_be_visible()
    fill(page, {"agency_type": "police"})
    expect(agency_other).to_be_hidden()


def test_typing_is_saved_without_pressing_a_button(app, page, expert):
    go_to_page(page, expert, "meeting")
    text = "Mobile testing laboratories at the main airport.\n\nSecond paragraph: مختبرات."
    with page.expect_response(lambda r: r.url.endswith("/autosave"), timeout=6_000) as saved:
        page.locator("#f-good_practice").fill(text)  # saved about 2 s after the last key
    assert saved.value.status == 200
    expect(page.locator(".autosave-status")).to_have_text("Saved automatically.")
    page.reload()
    expect(page.locator("#f-good_practice")).to_have_value(text)
    assert draft(app, expert)["good_practice"] == {"": [text]}  # kept by the app, not the browser
    # The character counter follows what is typed.
    expect(page.locator("#count-good_practice")).to_have_text(f"{len(text)} / 3000")


def test_enter_in_a_text_field_steps_forward_and_saves(page, expert, app):
    first = page.url
    page.locator("#f-role-other").evaluate("e => e.closest('.other-text').hidden = false")
    fill(page, {"role": "other", "role.other": "Head of unit"})
    page.locator("#f-role-other").press("Enter")
    page.wait_for_load_state()
    assert page.url != first and "/p/" in page.url  # the next page, never the previous one
    assert draft(app, expert)["role"]["other"] == ["Head of unit"]
