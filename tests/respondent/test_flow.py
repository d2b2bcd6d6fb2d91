"""An expert answers through the personal link: start, save, resume, submit, edit."""

from pathlib import Path

from tests.respondent.conftest import (
    csrf_token,
    invite,
    load_questionnaire,
    lock_version,
    post_page,
    start,
)

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"

FRAMEWORK = {
    "country": "FRA",
    "specific_offence": "yes",
    "offence_year": "2011-05-01",
    "lead_agency": "other",
    "lead_agency.other": "Ministère de la santé",
    "agencies_involved": ["police", "customs"],
    "customs_cases": "42",
}
EVALUATION = {
    "useful": "2",
    "topics.ports": "3",
    "topics.internet": "4",
    "priorities.customs": "1",
    "priorities.regulator": "2",
    "main_obstacle": "Lack of data",
    "comments": "Merci.\n\nDeux paragraphes.",
}


def test_welcome_page_says_what_the_questionnaire_is(client, expert):
    page = client.get(expert.url + "/")
    assert page.status_code == 200
    assert "Minimal questionnaire" in page.text
    assert "Start the questionnaire" in page.text
    assert "Answers are kept safe." in page.text


def test_unknown_malformed_and_revoked_links_get_the_same_404(client, expert):
    unknown = client.get("/r/" + "A" * 43 + "/")
    malformed = client.get("/r/not-a-token!/")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.text.replace(unknown.headers["X-Request-Id"], "") == malformed.text.replace(
        malformed.headers["X-Request-Id"], ""
    )


def test_the_whole_flow(client, expert):
    html = start(client, expert)
    assert "Legal framework" in html
    saved = post_page(client, expert, "framework", html, FRAMEWORK, action="next")
    assert saved.status_code == 302 and saved.location.endswith("/p/evaluation")
    html = client.get(saved.location).text
    done = post_page(
        client, expert, "evaluation", html, EVALUATION, action="review", follow_redirects=True
    )
    assert "Every required question has an answer" in done.text
    submitted = client.post(
        expert.url + "/submit",
        data={"csrf_token": csrf_token(done.text), "lock_version": lock_version(done.text)},
        follow_redirects=True,
    )
    assert submitted.status_code == 200
    assert "your answers are submitted" in submitted.text
    assert "Ministère de la santé" in submitted.text
    assert "<p>Merci.</p><p>Deux paragraphes.</p>" in submitted.text


def test_a_validation_error_keeps_every_answer_as_typed(client, expert):
    html = start(client, expert)
    typed = {**FRAMEWORK, "customs_cases": "-5"}
    response = post_page(client, expert, "framework", html, typed, action="next")
    assert response.status_code == 422
    assert "The smallest number accepted is 0" in response.text
    assert 'value="-5"' in response.text
    assert 'value="Ministère de la santé"' in response.text
    assert 'value="customs" checked' in response.text
    assert 'value="police" checked' in response.text


def test_guessing_links_is_limited_per_address_and_not_by_a_forged_header(app, client, expert):
    from survey.respondent.context import LINK_FAILURES_ALLOWED

    for n in range(LINK_FAILURES_ALLOWED):
        assert client.get(f"/r/{'B' * 42}{n % 10}/").status_code == 404
    blocked = client.get("/r/" + "C" * 43 + "/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert blocked.status_code == 429
    assert "Too many unknown links" in blocked.text
    # Even a valid link answers 429 now: otherwise the limit would still tell valid from not.
    assert client.get(expert.url + "/").status_code == 429
    other_address = app.test_client()
    assert (
        other_address.get(
            expert.url + "/", environ_base={"REMOTE_ADDR": "198.51.100.7"}
        ).status_code
        == 200
    )


def test_a_post_to_an_unknown_link_is_a_quick_404_that_blocks_no_one(app, client, expert):
    import time

    started = time.monotonic()
    response = client.post("/r/" + "D" * 43 + "/start", data={})
    assert response.status_code == 404
    assert time.monotonic() - started < 5  # not the 30 s busy timeout of a self-deadlock
    html = start(client, expert)  # and the database takes writes at once
    assert post_page(client, expert, "framework", html, FRAMEWORK).status_code == 302


def test_a_revoked_link_gets_the_same_404_as_an_unknown_one(app, client, expert):
    from survey.db import database
    from survey.services import links

    with app.app_context(), database().writing() as session:
        links.revoke(session, links.find_invitation(session, expert.token))
    revoked = client.get(expert.url + "/")
    unknown = client.get("/r/" + "Z" * 43 + "/")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.text.replace(revoked.headers["X-Request-Id"], "") == unknown.text.replace(
        unknown.headers["X-Request-Id"], ""
    )


def test_a_link_reaches_only_its_own_questionnaire_pages(app, client, expert):
    start(client, expert)
    assert client.get(expert.url + "/p/no_such_section").status_code == 404
    other = invite(app, load_questionnaire(app, QUESTIONS / "tfm-pre.yaml"), email="o@x.org")
    start(client, other)
    # A section of the other questionnaire is not a page of this one.
    assert client.get(expert.url + "/p/profile").status_code == 404


def submit_from(client, expert, review_html: str):
    return client.post(
        expert.url + "/submit",
        data={"csrf_token": csrf_token(review_html), "lock_version": lock_version(review_html)},
    )


def test_a_submit_refused_for_missing_answers_can_be_completed_and_sent(client, expert):
    start(client, expert)
    html = client.get(expert.url + "/p/evaluation").text
    post_page(client, expert, "evaluation", html, EVALUATION, action="save")
    review = client.get(expert.url + "/review").text
    refused = submit_from(client, expert, review)  # the country (required) is missing
    assert refused.status_code == 422
    # The review shown holds the draft's new lock version: answering from it, then
    # submitting from the next review, goes through without a conflict.
    assert lock_version(refused.text) == lock_version(review) + 1
    html = client.get(expert.url + "/p/framework").text
    assert lock_version(html) == lock_version(refused.text)
    saved = post_page(client, expert, "framework", html, FRAMEWORK, action="review")
    assert saved.status_code == 302
    sent = submit_from(client, expert, client.get(saved.location).text)
    assert sent.status_code == 302 and "/done" in sent.location


def test_a_submit_from_a_stale_review_shows_the_answers_saved_elsewhere(app, client, expert):
    html = start(client, expert)
    post_page(client, expert, "framework", html, FRAMEWORK, action="save")
    html = client.get(expert.url + "/p/evaluation").text
    post_page(client, expert, "evaluation", html, EVALUATION, action="save")
    stale_review = client.get(expert.url + "/review").text
    other_device = app.test_client()
    page = other_device.get(expert.url + "/p/evaluation").text
    changed = {**EVALUATION, "main_obstacle": "Saved on the phone"}
    assert post_page(other_device, expert, "evaluation", page, changed).status_code == 302
    conflict = submit_from(client, expert, stale_review)
    assert conflict.status_code == 409
    assert lock_version(conflict.text) == lock_version(stale_review) + 1
    sent = submit_from(client, expert, conflict.text)
    assert sent.status_code == 302 and "/done" in sent.location
    assert "Saved on the phone" in client.get(sent.location).text
