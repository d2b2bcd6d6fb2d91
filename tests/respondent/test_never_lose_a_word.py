"""Each way a word could be lost, and the guard that keeps it."""

import threading
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from survey.db import database
from survey.models import Answer, Response, Submission
from survey.respondent import context
from survey.services import answering
from tests.respondent.conftest import csrf_token, lock_version, post_page, start
from tests.respondent.test_flow import EVALUATION, FRAMEWORK


def _response(app, expert):
    with app.app_context(), database().read_sessions() as session:
        return session.scalar(
            select(Response).where(Response.questionnaire_id == expert.questionnaire_id)
        )


def _fill_and_review(client, expert):
    html = start(client, expert)
    post_page(client, expert, "framework", html, FRAMEWORK, action="save")
    page = client.get(expert.url + "/p/evaluation").text
    return post_page(
        client, expert, "evaluation", page, EVALUATION, action="review", follow_redirects=True
    ).text


def test_save_keeps_even_invalid_answers_as_typed(app, client, expert):
    html = start(client, expert)
    response = post_page(
        client,
        expert,
        "framework",
        html,
        {"customs_cases": "about 40", "agencies_involved": "customs"},
    )
    assert response.status_code == 302
    page = client.get(response.location)
    assert 'value="about 40"' in page.text
    assert _response(app, expert).draft["customs_cases"] == {"": ["about 40"]}


def test_an_expired_form_rerenders_the_answers_with_a_fresh_token(app, client, expert):
    html = start(client, expert)
    typed = {**FRAMEWORK, "csrf_token": "expired-or-forged"}
    response = client.post(
        f"{expert.url}/p/framework",
        data={**typed, "lock_version": lock_version(html), "action": "save"},
    )
    assert response.status_code == 400
    assert "NOT saved yet" in response.text
    assert 'value="Ministère de la santé"' in response.text
    assert csrf_token(response.text) != "expired-or-forged"
    # The page it gave back saves as it is.
    again = post_page(client, expert, "framework", response.text, FRAMEWORK)
    assert again.status_code == 302
    assert _response(app, expert).draft["lead_agency"] == {
        "": ["other"],
        "other": ["Ministère de la santé"],
    }


def test_a_lost_session_cookie_keeps_the_answers_too(app, client, expert):
    html = start(client, expert)
    client.delete_cookie("session")
    response = post_page(client, expert, "framework", html, FRAMEWORK)
    assert response.status_code == 400
    assert 'value="Ministère de la santé"' in response.text


def test_double_submit_gives_one_submission_and_the_same_confirmation(app, client, expert):
    review = _fill_and_review(client, expert)
    form = {"csrf_token": csrf_token(review), "lock_version": lock_version(review)}
    first = client.post(expert.url + "/submit", data=form)
    second = client.post(expert.url + "/submit", data=form)
    assert first.status_code == second.status_code == 302
    assert second.location.endswith("/done?repeated=1")
    with app.app_context(), database().read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_concurrent_submits_leave_exactly_one_current_submission(app, expert):
    client = app.test_client()
    review = _fill_and_review(client, expert)
    form = {"csrf_token": csrf_token(review), "lock_version": lock_version(review)}
    statuses = []

    def submit():
        statuses.append(client.post(expert.url + "/submit", data=form).status_code)

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 6
    with app.app_context(), database().read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        response = session.scalar(select(Response))
        assert response.current_submission_id is not None


def test_an_older_page_does_not_overwrite_a_newer_save(app, client, expert):
    html = start(client, expert)
    other_device = app.test_client()
    other_page = other_device.get(expert.url + "/p/framework").text
    assert post_page(client, expert, "framework", html, {"country": "FRA"}).status_code == 302
    stale = post_page(other_device, expert, "framework", other_page, {"country": "DEU"})
    assert stale.status_code == 409
    assert "changed on another device" in stale.text
    assert '<option value="DEU" selected' in stale.text
    assert _response(app, expert).draft["country"] == {"": ["FRA"]}
    # Saving again from the page it gave back is a deliberate choice, and wins.
    assert (
        post_page(other_device, expert, "framework", stale.text, {"country": "DEU"}).status_code
        == 302
    )
    assert _response(app, expert).draft["country"] == {"": ["DEU"]}


def test_a_save_that_another_device_overtook_after_it_read_the_row_is_a_conflict(
    app, client, expert
):
    # A save reads the row with the link, then writes in one UPDATE at the version read (on
    # PostgreSQL outside a transaction): another device's save in between must win.
    html = start(client, expert)
    with app.test_request_context():
        session = database().single_statement_sessions()
        link = context.lookup(session, expert.token, context.guessing_limit("192.0.2.1")).link
        read_version = link.response.lock_version
        assert read_version == lock_version(html)
        session.rollback()  # no transaction holds the row read (SQLite's read one ends too)
        assert post_page(client, expert, "framework", html, {"country": "FRA"}).status_code == 302
        with pytest.raises(answering.EditConflict) as conflict:
            answering.save(
                session,
                link.response,
                link.questionnaire,
                {"country": {"": ["DEU"]}},
                "framework",
                read_version,
            )
        session.close()
    assert conflict.value.current_lock_version == read_version + 1
    assert _response(app, expert).draft["country"] == {"": ["FRA"]}


def test_a_body_that_is_not_utf8_is_refused_and_nothing_is_stored(app, client, expert):
    html = start(client, expert)
    body = (
        f"csrf_token={csrf_token(html)}&lock_version={lock_version(html)}&action=save"
        "&main_obstacle=caf%E9"
    ).encode()
    response = client.post(
        f"{expert.url}/p/framework", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.text
    assert _response(app, expert).lock_version == 0


def test_long_arabic_text_up_to_the_limit_is_kept_and_one_more_is_named(app, client, expert):
    review = _fill_and_review(client, expert)
    arabic = "ا" * 2000  # the comments question allows 2,000 characters
    page = client.get(expert.url + "/p/evaluation").text
    body = "&".join(
        f"{quote(k)}={quote(v)}"
        for k, v in {
            **EVALUATION,
            "comments": arabic,
            "csrf_token": csrf_token(page),
            "lock_version": str(lock_version(page)),
            "action": "review",
        }.items()
    )
    assert len(body.encode()) > 2000 * 6
    ok = client.post(
        f"{expert.url}/p/evaluation", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert ok.status_code == 302
    assert _response(app, expert).draft["comments"] == {"": [arabic]}
    page = client.get(expert.url + "/p/evaluation").text
    too_long = post_page(
        client,
        expert,
        "evaluation",
        page,
        {**EVALUATION, "comments": arabic + "ب"},
        action="review",
    )
    assert too_long.status_code == 422
    assert "2001 characters long; the limit is 2000" in too_long.text
    assert review  # the review page was reached before


def test_submission_is_all_or_nothing(app, client, expert, monkeypatch):
    review = _fill_and_review(client, expert)
    from survey.services import answering

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(answering, "to_cells", broken)
    app.testing = False
    response = client.post(
        expert.url + "/submit",
        data={"csrf_token": csrf_token(review), "lock_version": lock_version(review)},
    )
    assert response.status_code == 500
    with app.app_context(), database().read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0
        assert session.scalar(select(func.count()).select_from(Answer)) == 0
        assert session.scalar(select(Response)).status == "draft"
