"""The app's static files under URLs that name their content (survey/static_files.py)."""

import re
from hashlib import sha256
from pathlib import Path

from flask import Flask, url_for

from survey import static_files

STATIC = Path(__file__).resolve().parents[1] / "survey" / "static"


def _linked(html: str, name: str) -> str:
    return re.search(rf"/static/{re.escape(name)}\?v=[0-9a-f]+", html).group(0)


def test_pages_link_each_file_under_its_digest_which_may_be_kept_a_year(client):
    url = _linked(client.get("/").text, "style.css")
    assert url.endswith(sha256((STATIC / "style.css").read_bytes()).hexdigest()[:12])
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data == (STATIC / "style.css").read_bytes()
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_a_digest_that_is_not_the_files_is_served_but_not_kept(client):
    # A page of before an upgrade asks for the old digest: the file is today's, so no browser
    # may keep it as the old one's.
    with client.get("/static/style.css?v=000000000000") as response:
        assert response.status_code == 200
        assert response.cache_control.max_age != 365 * 24 * 3600
        assert not response.cache_control.immutable


def test_a_changed_file_gets_a_new_url(tmp_path):
    def url_of_script() -> str:
        app = Flask(__name__, static_folder=str(tmp_path), static_url_path="/static")
        static_files.init_app(app)
        with app.test_request_context():
            return url_for("static", filename="dashboards.js")

    (tmp_path / "dashboards.js").write_text("draw(1);")
    before = url_of_script()
    (tmp_path / "dashboards.js").write_text("draw(2);")
    after = url_of_script()
    assert before != after
    assert before.startswith("/static/dashboards.js?v=")


def test_a_missing_file_or_one_outside_the_folder_gets_no_version(app):
    with app.test_request_context():
        assert url_for("static", filename="nowhere.css") == "/static/nowhere.css"
        assert "v=" not in url_for("static", filename="../db.py")
