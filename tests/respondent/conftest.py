"""Fixtures for the experts' side: an open questionnaire and a participant's personal link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from survey.db import database
from survey.models import Participant, Questionnaire
from survey.models.columns import utcnow
from survey.services import links
from survey.services import questionnaires as store

VALID = Path(__file__).resolve().parents[1] / "data" / "valid"


@dataclass
class Expert:
    token: str
    questionnaire_id: int
    participant_id: int

    @property
    def url(self) -> str:
        return f"/r/{self.token}"


# A structural change of minimal.yaml: its long text question under another key.
COMMENTS_RENAMED = (
    "key: comments\n        type: long_text",
    "key: remarks\n        type: long_text",
)


def store_new_version(app, folder: Path, *replacements: tuple[str, str]) -> None:
    """Store minimal.yaml, with each (old, new) text replaced, as a new structural version."""
    text = (VALID / "minimal.yaml").read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / "minimal.yaml").write_text(text)
    [definition] = store.read_definitions([folder / "minimal.yaml"], folder, "Europe/Vienna")
    with app.app_context(), database().writing() as session:
        store.store_definition(
            session, definition, "minimal.yaml", "Europe/Vienna", new_version=True
        )


def load_questionnaire(app, path: Path = VALID / "minimal.yaml", anonymous: bool | None = None):
    """Store a questionnaire file, open from yesterday for a month."""
    [definition] = store.read_definitions([path], path.parent, app.config["TIMEZONE"])
    if anonymous is not None:
        definition = type(definition)(**{**definition.__dict__, "anonymous": anonymous})
    with app.app_context(), database().writing() as session:
        store.store_definition(session, definition, path.name, app.config["TIMEZONE"])
        questionnaire = session.query(Questionnaire).filter_by(slug=definition.id).one()
        questionnaire.opens_at = utcnow() - timedelta(days=1)
        questionnaire.closes_at = utcnow() + timedelta(days=30)
        return questionnaire.id


def invite(
    app,
    questionnaire_id: int,
    email: str = "expert@example.org",
    language: str = "en",
    country: str = "FRA",
) -> Expert:
    """A participant with a personal link to the questionnaire."""
    with app.app_context(), database().writing() as session:
        participant = Participant(
            email=email,
            name="Ana Expert",
            country_iso3=country,
            organisation="Agence",
            stakeholder_group="government",
            language=language,
        )
        session.add(participant)
        session.flush()
        questionnaire = session.get(Questionnaire, questionnaire_id)
        token = links.issue_link(session, questionnaire, participant)
        return Expert(token, questionnaire_id, participant.id)


@pytest.fixture
def questionnaire_id(app):
    return load_questionnaire(app)


@pytest.fixture
def expert(app, questionnaire_id):
    return invite(app, questionnaire_id)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def lock_version(html: str) -> int:
    return int(re.search(r'name="lock_version" value="(-?\d+)"', html).group(1))


def start(client, expert: Expert) -> str:
    """Press Start on the welcome page; return the first page's HTML."""
    welcome = client.get(expert.url + "/")
    response = client.post(
        expert.url + "/start", data={"csrf_token": csrf_token(welcome.text)}, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    return response.text


def post_page(
    client, expert: Expert, section: str, html: str, answers: dict, action="save", **kwargs
):
    """Post a page's form with ``answers`` (field name -> value or list)."""
    data = {
        "csrf_token": csrf_token(html),
        "lock_version": lock_version(html),
        "action": action,
        **answers,
    }
    return client.post(f"{expert.url}/p/{section}", data=data, **kwargs)
