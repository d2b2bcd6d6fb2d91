"""Fixtures for participants and links: a questionnaire row, sessions, CSV files."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.models import Questionnaire
from survey.models.columns import utcnow

HEADER = "name,email,country,organisation,stakeholder_group,preferred_language\r\n"
THREE_PEOPLE = (
    HEADER
    + "Ana Pérez,Ana.Perez@Example.org,Spain,Ministerio de Sanidad,Gobierno,es\r\n"
    + "Jean Dupont,jean@example.fr,FRA,Douanes,Member State,\r\n"
    + 'Wei Chen,wei@who.int,Switzerland,"WHO, Geneva",International organisation,ZH\r\n'
)


@pytest.fixture
def database(app):
    return app.extensions["survey.db"]


@pytest.fixture
def questionnaire(database) -> Questionnaire:
    """A questionnaire row, open now, without a loaded definition."""
    now = utcnow()
    with database.writing() as session:
        found = Questionnaire(
            slug="pre-meeting",
            anonymous=False,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
        )
        session.add(found)
    return found


@pytest.fixture
def csv_file(tmp_path):
    """Write bytes (or UTF-8 text) to a file and return its path."""

    def write(content: bytes | str, name: str = "participants.csv"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
