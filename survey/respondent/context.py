"""The personal link of a request: its invitation, questionnaire, definition and response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, cached_property
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Request, current_app, g
from flask_babel import get_locale
from sqlalchemy import Select, and_, bindparam, null
from sqlalchemy.orm import Session, contains_eager

from survey.db import database
from survey.models import (
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Submission,
    Throttle,
)
from survey.models.columns import utcnow
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import answering, definitions, links, throttle
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


@dataclass
class Lookup:
    """What a request's token led to: its link (None if unknown), and when the address may try
    again if it tried too many unknown links (None if it may now)."""

    link: Link | None
    retry_at: datetime | None


def lookup(session: Session, token: str, guessing: Limit) -> Lookup:
    """The link of ``token``, unless the address is blocked for guessing (then no link)."""
    token_hash = links.hash_token(token) if links.is_well_formed(token) else None
    found = _read_link(session, token_hash, guessing) if token_hash else None
    if found is None:  # unknown, revoked or malformed: the counter is read on its own
        return Lookup(None, blocked_until(session, guessing))
    invitation, questionnaire, digest, response, counter = found
    retry_at = throttle.blocked_until(counter, guessing, utcnow())
    if retry_at is not None:
        return Lookup(None, retry_at)
    definitions.remember_digest(session, questionnaire.current_version_id, digest)
    g.preferred_language = invitation.participant.language
    owner = (invitation.questionnaire_id, invitation.participant_id)
    if _OWNERS.get(token_hash) != owner:  # not read with the link: ask
        response = answering.find_response(session, invitation, _secret())
        _remember_owner(token_hash, owner)
    link = Link(token, invitation, questionnaire, answering.definition_of(questionnaire), response)
    g.lang = link.lang
    return Lookup(link, None)


# The questionnaire and participant of each token seen, by token hash: facts that never change
# for a token. Knowing them before the query lets it read the response too (found by a keyed
# pseudonym of the two). What the query returns is checked against them: a wrong entry costs
# a query, never a wrong response.
_OWNERS: dict[str, tuple[int, int]] = {}
_OWNERS_MOST = 10_000


def _remember_owner(token_hash: str, owner: tuple[int, int]) -> None:
    if len(_OWNERS) >= _OWNERS_MOST:
        _OWNERS.clear()
    _OWNERS[token_hash] = owner


def _secret() -> str:
    return current_app.config["PSEUDONYM_KEY"]


def _read_link(session: Session, token_hash: str, guessing: Limit):
    """In one query: the live invitation of a token with its participant and questionnaire,
    the current version's content hash (which names the parsed definition), the response if
    the token was seen before, and the guessing counter of the address (a query each cost
    six round trips)."""
    values = {"token_hash": token_hash, "guessing_key": guessing.key}
    owner = _OWNERS.get(token_hash)
    if owner is not None:
        values["respondent_key"] = answering.pseudonym(_secret(), "response", *owner)
    return session.execute(_link_query(owner is not None), values).one_or_none()


@cache  # built once: building it and working out its cache key cost more than running it
def _link_query(with_response: bool) -> Select:
    statement = (
        links.select_live_invitation(bindparam("token_hash"))
        .join(Invitation.participant)
        .join(Questionnaire, Questionnaire.id == Invitation.questionnaire_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Questionnaire.current_version_id)
        .outerjoin(Throttle, Throttle.key == bindparam("guessing_key"))
        .add_columns(Questionnaire, QuestionnaireVersion.content_hash)
        .options(contains_eager(Invitation.participant))
    )
    if not with_response:
        return statement.add_columns(null(), Throttle)
    return statement.outerjoin(
        Response,
        and_(
            Response.questionnaire_id == Invitation.questionnaire_id,
            Response.respondent_key == bindparam("respondent_key"),
        ),
    ).add_columns(Response, Throttle)


# Enough for a person mistyping a link a few times; far too few to guess one (2^256 tokens).
LINK_FAILURES_ALLOWED = 30
LINK_FAILURE_WINDOW = timedelta(minutes=15)


def guessing_limit(client_address: str | None) -> Limit:
    """The limit on unknown links tried from one address (apart from sign-in failures)."""
    return Limit(f"link:{client_address or '-'}", LINK_FAILURES_ALLOWED, LINK_FAILURE_WINDOW)


def blocked_until(session: Session, limit: Limit) -> datetime | None:
    """When an address that tried too many unknown links may try again; None if it may now.

    Read in the request's own session: a session of its own cost a connection and a
    transaction more on every request of a personal link (a known link reads it in the same
    query as the link, see lookup)."""
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
