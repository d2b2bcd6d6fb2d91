"""Test databases: a SQLite file, or a PostgreSQL database made for the run and dropped after."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

POSTGRES_ADMIN_URL_VARIABLE = "TEST_POSTGRES_URL"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_admin_url() -> str:
    """The URL of a PostgreSQL server where tests may create databases, or skip/fail."""
    url = os.environ.get(POSTGRES_ADMIN_URL_VARIABLE)
    if not url:
        _unavailable(f"{POSTGRES_ADMIN_URL_VARIABLE} is not set")
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as exc:
        where = make_url(url).render_as_string()
        _unavailable(f"PostgreSQL at {where} does not answer: {exc.orig}")
    return url


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL tests not run: {reason}"
    if IN_CI:  # in CI a skipped database is a failure, never a silent pass
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create an empty PostgreSQL database with a random name; drop it afterwards."""
    admin_url = postgres_admin_url()
    name = f"survey_test_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database of ``backend`` ('sqlite' or 'postgresql')."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'survey-{secrets.token_hex(4)}.db'}"
    else:
        with postgres_database() as url:
            yield url
