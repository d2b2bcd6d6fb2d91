"""An expert fills in the real pre-meeting questionnaire in Chromium, in English and in Arabic:
answers the first pages, saves, closes the browser, resumes in a new one, fills what the
review says is missing, submits, reads the printable copy, changes an answer and submits again.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from survey.db import database
from survey.models import Questionnaire, Submission
from survey.services import answering, links
from tests.browser.expert import (
    answer_page,
    expect_answers,
    expect_language,
    go_to_page,
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

PRE = "tfm-pre"
# The first pages as the expert answers them before stopping. Left for later, on purpose:
# "answering_capacity" and "conf_takedown_request" (both required), for the review to list.
PROFILE = {"country": "KEN", "agency_type": "customs", "role": "investigation"}
KNOWLEDGE = {
    "aware_untoc": "3",
    "aware_medicrime": "2",
    "aware_who_gsms": "1",
    "aware_pangea": "4",
    "conf_mla_request": "2",
    "conf_freeze_proceeds": "1",
}
LEGAL = {  # the offence details are asked only when there is a specific offence
    "offence_type": "specific_criminal_code",
    "offence_conducts": ["manufacture", "trafficking"],
    "serious_crime": "yes",
}
SUPPLY_CHAIN = {  # a grid: every place in the supply chain, how often products were found
    "detection_frequency.manufacture": "1",
    "detection_frequency.import_ports": "4",
    "detection_frequency.free_trade_zones": "2",
    "detection_frequency.transit": "2",
    "detection_frequency.wholesale": "1",
    "detection_frequency.pharmacies": "dont_know",
    "detection_frequency.informal_markets": "3",
    "detection_frequency.post_express": "5",
    "detection_frequency.online_sale": "3",
}
CASES = {"cases_detected": "120", "investigations.na": "1"}  # a number, and "not available"
PRACTICE = {  # a ranking of the three channels that worked best
    "coop_channels": ["interpol", "wco", "direct_contacts"],
    "coop_what_works.interpol": "1",
    "coop_what_works.direct_contacts": "2",
    "coop_what_works.wco": "3",
}
ANSWERED_FIRST = {
    "profile": PROFILE,
    "knowledge_confidence": KNOWLEDGE,
    "legal_framework": LEGAL,
    "supply_chain": SUPPLY_CHAIN,
    "cases_seizures": CASES,
    "cooperation_practice": PRACTICE,
}


def answer_the_first_pages(page: Page) -> None:
    """From the first page to page 9, answering what the expert knows, then save and stop."""
    answer_page(page, "profile", PROFILE)
    answer_page(page, "knowledge_confidence", KNOWLEDGE)
    answer_page(page, "legal_framework", LEGAL)
    answer_page(page, "agencies", {})
    answer_page(page, "supply_chain", SUPPLY_CHAIN)
    answer_page(page, "online_sale", {})
    answer_page(page, "cases_seizures", CASES)
    answer_page(page, "cooperation_tools", {})
    answer_page(page, "cooperation_practice", PRACTICE, then="save")
    expect(page.locator(".flash-success")).to_be_visible()  # "Your answers are saved..."


def find_every_answer_again(page: Page, expert) -> None:
    for section, answers in ANSWERED_FIRST.items():
        go_to_page(page, expert, section)
        expect_answers(page, answers)


def fill_what_the_review_says_is_missing(page: Page, lang: str) -> None:
    """The review lists the two required questions left; each link leads to its question."""
    expect(page.locator("#error-summary")).to_be_visible()
    assert still_needed(page) == [
        label(PRE, "answering_capacity", lang),
        label(PRE, "conf_takedown_request", lang),
    ]
    page.get_by_role("link", name=label(PRE, "answering_capacity", lang)).click()
    on_page(page, "profile")
    answer_page(page, "profile", {"answering_capacity": "for_agency"}, then="review")
    assert still_needed(page) == [label(PRE, "conf_takedown_request", lang)]
    page.get_by_role("link", name=label(PRE, "conf_takedown_request", lang)).click()
    answer_page(page, "knowledge_confidence", {"conf_takedown_request": "2"}, then="review")
    assert still_needed(page) == []
    expect(page.locator("#error-summary")).to_have_count(0)


def copied_answer(page: Page, key: str, lang: str):
    """On the confirmation, the answer under question ``key`` in the copy."""
    question = page.locator("dl.copy dt").filter(
        has_text=re.compile(f"^{re.escape(label(PRE, key, lang))}$")
    )
    return question.locator("xpath=following-sibling::dd[1]")


def expect_printable_copy(page: Page, lang: str, role: str) -> None:
    """The confirmation's copy of the answers, in the expert's language."""
    expected = {
        "country": {"en": "Kenya", "ar": "كينيا"}[lang],
        "agency_type": label(PRE, "agency_type", lang, "customs"),
        "role": label(PRE, "role", lang, role),
        "answering_capacity": label(PRE, "answering_capacity", lang, "for_agency"),
        "aware_pangea": label(PRE, "aware_pangea", lang, "4"),
        "offence_conducts": "; ".join(
            label(PRE, "offence_conducts", lang, code) for code in LEGAL["offence_conducts"]
        ),
        "detection_frequency": f"{label(PRE, 'detection_frequency', lang, 'import_ports')}: "
        f"{label(PRE, 'detection_frequency', lang, '4')}",
        "cases_detected": "120",
        "coop_what_works": [
            f"{rank}. {label(PRE, 'coop_what_works', lang, code)}"
            for rank, code in [(1, "interpol"), (2, "direct_contacts"), (3, "wco")]
        ],
    }
    for key, words in expected.items():
        for line in [words] if isinstance(words, str) else words:
            expect(copied_answer(page, key, lang)).to_contain_text(line)


def submissions_of(app, expert) -> tuple[list[Submission], int, list[dict]]:
    """The expert's submissions (oldest first), the current one's id, and each one's values."""
    with app.app_context(), database().writing() as session:
        invitation = links.find_invitation(session, expert.token)
        response = answering.find_response(session, invitation, app.config["PSEUDONYM_KEY"])
        found = list(
            session.scalars(
                select(Submission)
                .where(Submission.response_id == response.id)
                .order_by(Submission.number)
            )
        )
        definition = answering.definition_of(session.get(Questionnaire, expert.questionnaire_id))
        values = [answering.submitted_values(session, s.id, definition) for s in found]
        return found, response.current_submission_id, values


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_expert_saves_resumes_elsewhere_submits_and_edits(app, browse, lang):
    expert = invite_to(app, PRE, language=lang)

    # Day one: answer the first pages, save, close the browser.
    first_device = browse.new_context()
    page = first_device.new_page()
    open_link(page, expert, lang)
    start(page)
    expect_language(page, lang)
    answer_the_first_pages(page)
    first_device.close()

    # Day two, another device: the same link continues where the expert stopped.
    page = browse.new_page()
    open_link(page, expert, lang)
    start(page)
    on_page(page, "cooperation_practice")
    find_every_answer_again(page, expert)

    # To the end, and the review: what is still required, then fill it.
    go_to_page(page, expert, "meeting")
    assert press(page, "review") == 200
    expect_language(page, lang)
    fill_what_the_review_says_is_missing(page, lang)

    submit(page)
    expect_language(page, lang)
    expect(page.locator("h1")).to_be_visible()
    expect_printable_copy(page, lang, role="investigation")

    # Change one answer and submit again: the copy shows the new one.
    start(page)  # "Change my answers"
    go_to_page(page, expert, "profile")
    expect_answers(page, {**PROFILE, "answering_capacity": "for_agency"})
    answer_page(page, "profile", {"role": "border_control"}, then="review")
    assert still_needed(page) == []
    submit(page)
    expect_printable_copy(page, lang, role="border_control")
    new_role = label(PRE, "role", lang, "border_control")
    expect(copied_answer(page, "role", lang)).to_have_text(new_role)

    # Both revisions are kept; the latest counts.
    submissions, current, values = submissions_of(app, expert)
    assert [s.number for s in submissions] == [1, 2]
    assert current == submissions[-1].id
    assert [v["role"]["code"] for v in values] == ["investigation", "border_control"]
    assert all(s.language == lang for s in submissions)
