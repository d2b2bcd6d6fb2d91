"""The benchmark's trivial routes exist only when asked for, and never in production."""

import pytest

from survey import create_app
from survey.config import ConfigError
from survey.models import Throttle
from survey.views.benchmark import KEY_PREFIX


def test_there_is_no_benchmark_route_by_default(client):
    assert client.get("/_bench/ping").status_code == 404


def test_the_ceiling_route_checks_the_token_and_inserts_one_row(database_url, tmp_path):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "BENCHMARK_ROUTES": "1",
        }
    )
    client = app.test_client()
    page = client.get("/_bench/ping").text
    token = page.split('value="')[1].split('"')[0]
    assert client.post("/_bench/ping", data={}).status_code == 400
    assert client.post("/_bench/ping", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        from survey.db import database

        with database().writing() as session:
            rows = session.query(Throttle).filter(Throttle.key.startswith(KEY_PREFIX)).all()
            assert len(rows) == 1
            session.delete(rows[0])
    app.extensions["survey.db"].dispose()


def test_production_refuses_the_benchmark_routes(tmp_path):
    with pytest.raises(ConfigError, match="never in production"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV": "production", "BENCHMARK_ROUTES": "1"})
