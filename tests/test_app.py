"""The service's basics: settings, health check, home page, headers and error pages."""

import logging

import pytest
from sqlalchemy.exc import OperationalError

from survey import create_app
from survey.config import ConfigError


def test_health_check_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up"}


def test_health_check_says_503_when_the_database_is_gone(app, client, monkeypatch):
    def refuse():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(app.extensions["survey.db"], "ping", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_home_page_says_what_the_service_is(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Questionnaires for expert meetings" in response.data
    assert b'lang="en"' in response.data


def test_home_page_in_arabic_is_right_to_left(client):
    response = client.get("/?lang=ar")
    assert b'dir="rtl"' in response.data
    assert b'lang="ar"' in response.data


def test_security_headers_on_every_page(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Request-Id"]
    assert "Strict-Transport-Security" not in response.headers


def test_production_adds_hsts_and_secure_cookies(database_url, tmp_path):
    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path), "ENV": "production"}
    )
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["survey.db"].dispose()


def test_unknown_page_gets_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"This page does not exist" in response.data


def test_server_error_shows_a_reference_and_no_internals(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    app.testing = False  # let the error handler answer, as in production
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["X-Request-Id"].encode() in response.data
    assert b"hunter2" not in response.data and b"Traceback" not in response.data


def test_secret_key_is_generated_once_and_kept(database_url, tmp_path):
    first = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    second = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) >= 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["PSEUDONYM_KEY"] != first.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    for app in (first, second):
        app.extensions["survey.db"].dispose()


def test_missing_instance_folder_is_created(tmp_path):
    folder = tmp_path / "a" / "b"
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert folder.is_dir()
    assert app.config["DATABASE_URL"] == f"sqlite:///{folder / 'survey.db'}"
    app.extensions["survey.db"].dispose()


def test_debug_is_off_unless_asked(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.debug is False
    app.extensions["survey.db"].dispose()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("DATABASE_URL", "not a url", "SURVEY_DATABASE_URL is not a database URL"),
        ("TIMEZONE", "Mars/Olympus", "is not a time zone"),
        ("BASE_URL", "survey.example.org", "must start with http"),
        ("SMALL_CELL_THRESHOLD", "five", "must be a whole number"),
    ],
)
def test_malformed_settings_are_refused_with_a_clear_message(
    tmp_path, monkeypatch, setting, value, message
):
    monkeypatch.setenv(f"SURVEY_{setting}", value)
    with pytest.raises(ConfigError, match=message):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_unknown_settings_are_reported(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SURVEY_DATABSE_URL", "sqlite://")
    with caplog.at_level(logging.WARNING):
        app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert "unknown setting SURVEY_DATABSE_URL" in caplog.text
    app.extensions["survey.db"].dispose()


def test_base_url_comes_from_settings_not_the_host_header(app):
    assert app.config["BASE_URL"] == "https://survey.example.org"
