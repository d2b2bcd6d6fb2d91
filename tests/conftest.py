"""Fixtures: the app on each database (SQLite, then PostgreSQL), its client and CLI runner."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from survey import create_app, migrate
from survey.db import Base, Database
from tests.databases import empty_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    """A database of the backend at the latest schema, made once per run by the migrations."""
    with empty_database(backend, tmp_path_factory.mktemp("db")) as url:
        database = Database(url)
        migrate.upgrade(database.engine)
        database.dispose()
        yield url


@pytest.fixture
def app(database_url, tmp_path):
    """The app on an emptied database."""
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "BASE_URL": "https://survey.example.org",
            "TESTING": True,
        }
    )
    _empty_all_tables(app.extensions["survey.db"])
    yield app
    app.extensions["survey.db"].dispose()


def _empty_all_tables(database: Database) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables]
    with database.engine.begin() as conn:
        if database.is_sqlite:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for name in reversed(tables):
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
