"""Fixtures for the analysis: questionnaires answered through the experts' own services."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest

from survey.db import database
from survey.models import Participant, Questionnaire
from survey.models.columns import utcnow
from survey.services import answering, links
from survey.services import questionnaires as store
from tests.respondent.conftest import VALID, load_questionnaire

DATA = Path(__file__).resolve().parent / "data"
_emails = itertools.count(1)


def _participant(session, email: str, country: str, group: str, language: str) -> Participant:
    participant = session.query(Participant).filter_by(email=email).one_or_none()
    if participant is None:
        participant = Participant(
            email=email,
            name="An Expert",
            country_iso3=country,
            organisation="Agency",
            stakeholder_group=group,
            language=language,
        )
        session.add(participant)
        session.flush()
    return participant


def answer(
    app,
    questionnaire_id: int,
    raw: dict,
    country: str = "FRA",
    group: str = "government",
    language: str = "en",
    email: str | None = None,
) -> int:
    """A participant answers ``raw`` (as their browser sends it) and submits; the response's
    id. The same ``email`` answering again (or a paired questionnaire) is the same person."""
    email = email or f"expert{next(_emails)}@example.org"
    with app.app_context(), database().writing() as session:
        participant = _participant(session, email, country, group, language)
        questionnaire = session.get(Questionnaire, questionnaire_id)
        token = links.issue_link(session, questionnaire, participant)
        invitation = links.find_invitation(session, token)
        secret = app.config["PSEUDONYM_KEY"]
        response = answering.start(session, invitation, questionnaire, secret, language)
        lock = response.lock_version
        response = answering.save(session, response, questionnaire, raw, None, lock)
        lock = response.lock_version
        outcome = answering.submit(session, invitation, response, questionnaire, lock)
        assert outcome.submission is not None, outcome.problems
        return response.id


@pytest.fixture
def minimal_id(app) -> int:
    """The questionnaire with every question type (tests/data/valid/minimal.yaml), open."""
    return load_questionnaire(app, VALID / "minimal.yaml")


def load_pair(app) -> tuple[int, int]:
    """tests/analysis/data/pre.yaml and post.yaml (anonymous), open, pre opened first."""
    paths = [DATA / "pre.yaml", DATA / "post.yaml"]
    definitions = store.read_definitions(paths, DATA, app.config["TIMEZONE"])
    ids = []
    with app.app_context(), database().writing() as session:
        for days, (path, definition) in enumerate(zip(paths, definitions, strict=True)):
            store.store_definition(session, definition, path.name, app.config["TIMEZONE"])
            questionnaire = session.query(Questionnaire).filter_by(slug=definition.id).one()
            questionnaire.opens_at = utcnow() - timedelta(days=3 - days)
            questionnaire.closes_at = utcnow() + timedelta(days=30)
            ids.append(questionnaire.id)
    return ids[0], ids[1]


@pytest.fixture
def pair_ids(app) -> tuple[int, int]:
    return load_pair(app)
