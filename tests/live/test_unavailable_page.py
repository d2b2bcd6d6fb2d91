"""What an expert gets when the database does not answer (in-process, no server needed; the
live battery shows the same against gunicorn and a stopped PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from survey import create_app
from tests.live.harness import free_port

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


def test_an_error_while_loading_the_link_shows_the_request_id(client):
    # The link is loaded before any before_request function runs: the id must exist by then.
    response = client.get(f"/r/{TOKEN}/")
    assert response.status_code == 503
    reference = re.search(r"<code>([0-9a-f]{12})</code>", response.get_data(as_text=True))
    assert reference and reference.group(1) == response.headers["X-Request-Id"]
