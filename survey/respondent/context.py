"""The personal link of a request: its invitation, questionnaire, definition and response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Request, current_app, g
from flask_babel import get_locale
from sqlalchemy.orm import Session, contains_eager

from survey.db import database
from survey.models import Invitation, Questionnaire, QuestionnaireVersion, Response, Submission
from survey.models.columns import utcnow
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import answering, links, throttle
from survey.services.throttle import Limit


@dataclass
class Link:
    token: str
    invitation: Invitation
    questionnaire: Questionnaire
    definition: Definition
    response: Response | None

    @property
    def is_open(self) -> bool:
        return self.questionnaire.is_open(utcnow())

    @property
    def has_opened(self) -> bool:
        return self.questionnaire.opens_at <= utcnow()

    @cached_property  # asked for by every text of a page; the locale is fixed for a request
    def lang(self) -> str:
        """The page's language if the questionnaire has it, else its first language."""
        lang = str(get_locale())
        return lang if lang in self.definition.languages else self.definition.fallback_language

    def text(self, mapping: dict[str, str] | None) -> str:
        """A text of the questionnaire in the page's language."""
        if not mapping:
            return ""
        return mapping.get(self.lang) or mapping.get(self.definition.fallback_language) or ""


def load(session: Session, token: str) -> Link | None:
    """The link for ``token``, or None for an unknown, revoked or malformed one."""
    if not links.is_well_formed(token):
        return None
    # One query for the invitation, its participant and questionnaire, and the current
    # version's content hash (which names the parsed definition): one each cost 4 round trips.
    found = session.execute(
        links.select_live_invitation(token)
        .join(Invitation.participant)
        .join(Questionnaire, Questionnaire.id == Invitation.questionnaire_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Questionnaire.current_version_id)
        .add_columns(Questionnaire, QuestionnaireVersion.content_hash)
        .options(contains_eager(Invitation.participant))
    ).one_or_none()
    if found is None:
        return None
    invitation, questionnaire, digest = found
    answering.remember_digest(session, questionnaire.current_version_id, digest)
    g.preferred_language = invitation.participant.language
    response = answering.find_response(session, invitation, current_app.config["PSEUDONYM_KEY"])
    link = Link(token, invitation, questionnaire, answering.definition_of(questionnaire), response)
    g.lang = link.lang
    return link


# Enough for a person mistyping a link a few times; far too few to guess one (2^256 tokens).
LINK_FAILURES_ALLOWED = 30
LINK_FAILURE_WINDOW = timedelta(minutes=15)


def guessing_limit(client_address: str | None) -> Limit:
    """The limit on unknown links tried from one address (apart from sign-in failures)."""
    return Limit(f"link:{client_address or '-'}", LINK_FAILURES_ALLOWED, LINK_FAILURE_WINDOW)


def blocked_until(session: Session, limit: Limit) -> datetime | None:
    """When an address that tried too many unknown links may try again; None if it may now.

    Read in the request's own session: a session of its own cost a connection and a
    transaction more on every request of a personal link."""
    return throttle.is_blocked(session, limit, utcnow())


def count_failure(limit: Limit) -> None:
    """Count an unknown link, in its own transaction (the request itself writes nothing)."""
    with database().writing() as session:
        throttle.reserve(session, [limit], utcnow())


def body_is_utf8(request: Request) -> bool:
    """Whether a posted form decodes as UTF-8 (Werkzeug would silently drop it otherwise)."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return True
    body = request.get_data(cache=True)
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class CopyLine:
    question: Question
    value: Any


def submitted_copy(session: Session, link: Link) -> list[tuple[Any, list[CopyLine]]] | None:
    """The latest submission's answers by section, for the confirmation and the closed page."""
    response = link.response
    if response is None or response.current_submission_id is None:
        return None
    submission = session.get(Submission, response.current_submission_id)
    values = answering.submitted_values(session, submission, link.definition)
    return [
        (section, [CopyLine(q, values[q.key]) for q in section.questions if q.key in values])
        for section in link.definition.sections
    ]
