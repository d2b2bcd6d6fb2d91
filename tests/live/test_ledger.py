"""The live battery's ledger check must catch what it is there to catch: a lost or changed
answer, a partial submission, a submission nobody was told of, a gap in the numbers.
(In-process, on both databases: no server needed.)"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, update

from survey.db import database
from survey.models import Answer, Response, Submission
from tests.live.harness import Entry, Ledger, evaluation_answers, framework_answers
from tests.respondent.conftest import csrf_token, invite, load_questionnaire, lock_version


def _post(client, ledger, expert, kind, html, page=None, fields=None, action="save"):
    form = {"csrf_token": csrf_token(html), "lock_version": lock_version(html)}
    if kind == "save":
        form.update(action=action, **(fields or {}))
    entry = Entry(kind, expert.token, expert.participant_id, lock_version(html), page,
                  fields or {}, started=time.monotonic())  # fmt: skip
    path = f"{expert.url}/p/{page}" if kind == "save" else f"{expert.url}/submit"
    response = client.post(path, data=form)
    entry.status, entry.location, entry.finished = (
        response.status_code,
        response.location or "",
        time.monotonic(),
    )
    ledger.add(entry)
    return response


@pytest.fixture
def answered(app):
    """One expert who saved both pages and submitted, everything in the ledger."""
    questionnaire_id = load_questionnaire(app)
    expert = invite(app, questionnaire_id)
    client = app.test_client()
    ledger = Ledger()
    welcome = client.get(expert.url + "/").text
    client.post(expert.url + "/start", data={"csrf_token": csrf_token(welcome)})
    html = client.get(expert.url + "/p/framework").text
    _post(client, ledger, expert, "save", html, "framework", framework_answers(2), "next")
    html = client.get(expert.url + "/p/evaluation").text
    _post(client, ledger, expert, "save", html, "evaluation", evaluation_answers(2), "review")
    review = client.get(expert.url + "/review").text
    assert _post(client, ledger, expert, "submit", review).status_code == 302
    return app, ledger, questionnaire_id, client, expert


def _check(app, ledger, questionnaire_id):
    return ledger.check(app.config["DATABASE_URL"], questionnaire_id)


def _change(app, statement):
    with app.app_context(), database().writing() as session:
        session.execute(statement)


def test_the_true_state_passes(answered):
    app, ledger, questionnaire_id, *_ = answered
    assert _check(app, ledger, questionnaire_id)["submissions"] == 1


def test_a_lost_answer_row_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _change(app, delete(Answer).where(Answer.question_key == "comments"))
    with pytest.raises(AssertionError, match="does not hold the answers acknowledged"):
        _check(app, ledger, questionnaire_id)


def test_a_changed_draft_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _change(app, update(Response).values(draft={"country": {"": ["DEU"]}}))
    with pytest.raises(AssertionError, match="the draft is not the acknowledged saves"):
        _check(app, ledger, questionnaire_id)


def test_a_save_nobody_was_told_of_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _change(app, update(Response).values(lock_version=Response.lock_version + 1))
    with pytest.raises(AssertionError, match="something not acknowledged was stored"):
        _check(app, ledger, questionnaire_id)


def test_a_submission_from_a_refused_submit_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    ledger.entries[-1].status = 409  # as if the service had refused the submit it stored
    with pytest.raises(AssertionError, match=r"not acknowledged was stored|was refused"):
        _check(app, ledger, questionnaire_id)


def _unsubmit(app):
    with app.app_context(), database().writing() as session:
        session.execute(
            update(Response).values(
                current_submission_id=None, status="draft", lock_version=Response.lock_version - 1
            )
        )
        session.execute(delete(Answer))
        session.execute(delete(Submission))


def test_an_acknowledged_submit_that_is_not_stored_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _unsubmit(app)
    with pytest.raises(AssertionError, match="something was lost"):
        _check(app, ledger, questionnaire_id)


def test_a_gap_in_the_numbers_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _change(app, update(Submission).values(number=2))
    with pytest.raises(AssertionError, match="numbers"):
        _check(app, ledger, questionnaire_id)


def test_a_backup_missing_an_acknowledged_submit_is_caught(answered):
    app, ledger, questionnaire_id, *_ = answered
    _unsubmit(app)
    with pytest.raises(AssertionError, match=r"acknowledged before it started"):
        ledger.check(app.config["DATABASE_URL"], questionnaire_id, snapshot_of=time.monotonic() + 1)
