"""Anonymous questionnaires: answers not linked to the person, yet resumable and pairable."""

from pathlib import Path

from sqlalchemy import select

from survey.db import database
from survey.models import Invitation, Response, Submission
from tests.respondent.conftest import (
    csrf_token,
    invite,
    load_questionnaire,
    lock_version,
    post_page,
    start,
)
from tests.respondent.test_flow import EVALUATION, FRAMEWORK

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def _submit_all(client, expert):
    html = start(client, expert)
    post_page(client, expert, "framework", html, FRAMEWORK)
    page = client.get(expert.url + "/p/evaluation").text
    review = post_page(
        client, expert, "evaluation", page, EVALUATION, action="review", follow_redirects=True
    ).text
    return client.post(
        expert.url + "/submit",
        data={"csrf_token": csrf_token(review), "lock_version": lock_version(review)},
    )


def test_anonymous_answers_carry_no_link_to_the_person(app, client):
    questionnaire_id = load_questionnaire(app, anonymous=True)
    expert = invite(app, questionnaire_id)
    assert _submit_all(client, expert).status_code == 302
    with app.app_context(), database().read_sessions() as session:
        response = session.scalar(select(Response))
        submission = session.scalar(select(Submission))
        invitation = session.scalar(select(Invitation))
    assert response.participant_id is None
    assert expert.token not in (response.respondent_key, response.pair_key)
    assert (submission.submitted_at.hour, submission.submitted_at.minute) == (0, 0)
    assert (response.updated_at.hour, response.updated_at.minute) == (0, 0)
    assert invitation.has_submitted is True


def test_anonymous_answers_can_still_be_resumed_and_edited(app, client):
    questionnaire_id = load_questionnaire(app, anonymous=True)
    expert = invite(app, questionnaire_id)
    html = start(client, expert)
    post_page(client, expert, "framework", html, {"country": "KEN"})
    other_browser = app.test_client()
    welcome = other_browser.get(expert.url + "/")
    assert "Continue where I left off" in welcome.text
    page = other_browser.post(
        expert.url + "/start", data={"csrf_token": csrf_token(welcome.text)}, follow_redirects=True
    )
    assert '<option value="KEN" selected' in page.text


def test_the_pseudonymous_pair_key_matches_pre_and_post(app, client):
    pre = load_questionnaire(app, QUESTIONS / "tfm-pre.yaml")
    post = load_questionnaire(app, QUESTIONS / "tfm-post.yaml")
    expert = invite(app, pre)
    with app.app_context(), database().writing() as session:
        from survey.models import Participant, Questionnaire
        from survey.services import links

        participant = session.get(Participant, expert.participant_id)
        post_token = links.issue_link(session, session.get(Questionnaire, post), participant)
    start(client, expert)
    start(client, type(expert)(post_token, post, expert.participant_id))
    with app.app_context(), database().read_sessions() as session:
        pre_response, post_response = session.scalars(
            select(Response).order_by(Response.questionnaire_id)
        ).all()
    assert pre_response.participant_id == expert.participant_id
    assert post_response.participant_id is None  # the post-meeting questionnaire is anonymous
    assert pre_response.pair_key == post_response.pair_key
    assert pre_response.respondent_key != post_response.respondent_key
