"""Start-up: the service refuses to serve what it cannot serve, in one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from survey import create_app, migrate
from survey.config import ConfigError
from survey.db import Database
from survey.startup import check_ready
from tests.databases import empty_database

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "valid" / "minimal.yaml"


def _serve(tmp_path, **settings) -> subprocess.CompletedProcess:
    """Import wsgi.py as gunicorn does, with SURVEY_* settings; return the process."""
    env = {
        **os.environ,
        "SURVEY_INSTANCE_UNUSED": "",
        **{f"SURVEY_{k}": v for k, v in settings.items()},
    }
    env.pop("SURVEY_INSTANCE_UNUSED")
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_database_stops_the_start_in_one_line(tmp_path):
    result = _serve(tmp_path, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 3
    assert result.stderr.startswith("error: cannot reach the database")
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_stops_the_start_in_one_line(tmp_path):
    result = _serve(tmp_path, DATABASE_URL="not a url")
    assert result.returncode == 3
    assert "SURVEY_DATABASE_URL is not a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_not_at_the_latest_schema_is_refused(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})
        with pytest.raises(ConfigError, match="run 'survey db upgrade'"):
            check_ready(app)
        app.extensions["survey.db"].dispose()


def test_an_invalid_questionnaire_file_is_refused_naming_it(database_url, tmp_path):
    (tmp_path / "q").mkdir()
    broken = tmp_path / "q" / "broken.yaml"
    broken.write_text(MINIMAL.read_text().replace("anonymous: false", "anonymous: maybe"))
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path),
            "QUESTIONS_DIR": str(tmp_path / "q"),
        }
    )
    with pytest.raises(ConfigError, match=r"broken\.yaml:\d+: .*anonymous"):
        check_ready(app)
    app.extensions["survey.db"].dispose()


def test_a_ready_service_passes(database_url, tmp_path):
    database = Database(database_url)
    assert migrate.current_revision(database.engine) in migrate.head_revisions(database.engine)
    database.dispose()
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    check_ready(app)
    app.extensions["survey.db"].dispose()


def test_gunicorn_stops_instead_of_restarting_workers_forever(tmp_path):
    env = {**os.environ, "SURVEY_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "error: cannot reach the database" in result.stderr
