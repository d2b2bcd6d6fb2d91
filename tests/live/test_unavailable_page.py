"""What an expert gets when the database does not answer (in-process, no server needed; the
live battery shows the same against gunicorn and a stopped PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from survey import create_app
from tests.live.harness import free_port, hidden_fields

TOKEN = "A" * 43


@pytest.fixture
def client(tmp_path):
    # Nothing listens on this port: every connection is refused, as with a stopped server.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/survey"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s",
            "PSEUDONYM_KEY": "p",
        }
    )
    return app.test_client()


def test_a_save_answers_503_with_every_typed_answer_to_send_again(client):
    typed = {"comments": 'Deux <b>paragraphes</b>\n\net "guillemets"', "useful": "2"}
    form = {"csrf_token": "t", "lock_version": "4", "action": "next", **typed}
    response = client.post(f"/r/{TOKEN}/p/evaluation", data=form)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = response.get_data(as_text=True)
    assert "Your answers could not be saved" in page
    assert "Nothing you saved before is lost" in page
    assert sorted(hidden_fields(page)) == sorted(form.items())
    assert f'<form method="post" action="/r/{TOKEN}/p/evaluation">' in page
    assert "<b>" not in page and "&lt;b&gt;paragraphes&lt;/b&gt;" in page  # shown as text
    assert (
        re.search(r"<code>([0-9a-f]{12})</code>", page).group(1)
        == (response.headers["X-Request-Id"])
    )


def test_a_submit_and_a_start_come_back_to_be_pressed_again(client):
    for path, button in (("/submit", "Submit my answers"), ("/start", "Start the questionnaire")):
        response = client.post(f"/r/{TOKEN}{path}", data={"csrf_token": "t", "lock_version": "2"})
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Please try again in a minute. Nothing you saved before is lost." in page
        assert button in page
        assert ("lock_version", "2") in hidden_fields(page)


def test_autosave_and_pages_get_a_plain_503(client):
    autosave = client.post(f"/r/{TOKEN}/p/evaluation/autosave", data={"csrf_token": "t"})
    assert autosave.status_code == 503 and autosave.get_json() == {"error": "unavailable"}
    page = client.get(f"/r/{TOKEN}/p/evaluation")
    assert page.status_code == 503
    assert "The service is briefly unavailable" in page.get_data(as_text=True)


def test_an_error_while_loading_the_link_shows_the_request_id(client):
    # The link is loaded before any before_request function runs: the id must exist by then.
    response = client.get(f"/r/{TOKEN}/")
    assert response.status_code == 503
    reference = re.search(r"<code>([0-9a-f]{12})</code>", response.get_data(as_text=True))
    assert reference and reference.group(1) == response.headers["X-Request-Id"]
