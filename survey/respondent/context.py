"""The personal link of a request: its invitation, questionnaire, definition and response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Request, current_app, g
from flask_babel import get_locale
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import Session

from survey.db import database
from survey.models import (
    Invitation,
    Participant,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Throttle,
)
from survey.models.columns import utcnow
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import answering, definitions, links, throttle
from survey.services.throttle import Limit

# A request of a personal link reads its invitation, questionnaire and response as plain
# values (one Core query), not as ORM objects: loading five ORM entities cost more than the
# query itself, on every request. The few requests that change them (start, submit) load the
# ORM objects they change (``for_writing``); a save is one UPDATE (``answering.save``).


@dataclass(frozen=True)
class InvitationSeen:
    id: int
    questionnaire_id: int
    participant_id: int
    language: str  # the participant's


@dataclass(frozen=True)
class QuestionnaireSeen:
    id: int
    anonymous: bool
    opens_at: datetime
    closes_at: datetime
    closed_early_at: datetime | None
    current_version_id: int

    is_open = Questionnaire.is_open  # the model's rule, on the same attributes


@dataclass(frozen=True)
class ResponseSeen:
    id: int
    draft: dict[str, Any]
    lock_version: int
    current_page: str | None
    current_submission_id: int | None
    status: ResponseStatus
    updated_at: datetime


@dataclass
class Link:
    token: str
    invitation: InvitationSeen
    questionnaire: QuestionnaireSeen
    definition: Definition
    response: ResponseSeen | None

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
    retry_at = throttle.blocked_until(_counter(found, guessing), guessing, utcnow())
    if retry_at is not None:
        return Lookup(None, retry_at)
    invitation = InvitationSeen(*(found[f"invitation_{name}"] for name in _INVITATION_SEEN))
    questionnaire = QuestionnaireSeen(*(found[f"questionnaire_{name}"] for name in _QUESTIONNAIRE))
    version_id = questionnaire.current_version_id
    definitions.remember_digest(session, version_id, found["content_hash"])
    g.preferred_language = invitation.language
    owner = (invitation.questionnaire_id, invitation.participant_id)
    if _OWNERS.get(token_hash) == owner:
        response = _response_seen(found)
    else:  # not read with the link: ask
        response = _find_response(session, owner)
        _remember_owner(token_hash, owner)
    definition = definitions.of_version(session, version_id)
    link = Link(token, invitation, questionnaire, definition, response)
    g.lang = link.lang
    return Lookup(link, None)


def read_response_again(session: Session, link: Link) -> None:
    """Read the link's response anew, after a request changed it (or found it changed)."""
    link.response = _find_response(
        session, (link.invitation.questionnaire_id, link.invitation.participant_id)
    )


def for_writing(session: Session, link: Link) -> tuple[Invitation, Questionnaire]:
    """The link's invitation and questionnaire as ORM objects, to change them."""
    return (
        session.get(Invitation, link.invitation.id),
        session.get(Questionnaire, link.questionnaire.id),
    )


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
    """In one query: the live invitation of a token with its participant's language and its
    questionnaire, the current version's content hash (which names the parsed definition),
    the response if the token was seen before, and the guessing counter of the address (a
    query each cost six round trips). A row of labelled values, or None."""
    values = {"token_hash": token_hash, "guessing_key": guessing.key}
    owner = _OWNERS.get(token_hash)
    values["respondent_key"] = _respondent_key(owner) if owner else None
    found = session.connection().execute(_LINK_QUERY, values).one_or_none()
    return found._mapping if found is not None else None


def _respondent_key(owner: tuple[int, int]) -> str:
    return answering.respondent_key(_secret(), *owner)


def _find_response(session: Session, owner: tuple[int, int]) -> ResponseSeen | None:
    """The response of a (questionnaire, participant), when the link query could not know."""
    values = {"questionnaire_id": owner[0], "respondent_key": _respondent_key(owner)}
    found = session.connection().execute(_RESPONSE_QUERY, values).one_or_none()
    return _response_seen(found._mapping) if found is not None else None


def _response_seen(found) -> ResponseSeen | None:
    if found["response_id"] is None:
        return None
    return ResponseSeen(*(found[f"response_{name}"] for name in _RESPONSE))


def _counter(found, guessing: Limit) -> Throttle | None:
    if found["throttle_count"] is None:
        return None
    return Throttle(
        key=guessing.key, count=found["throttle_count"], window_start=found["throttle_window_start"]
    )


_INVITATION = ("id", "questionnaire_id", "participant_id")
_INVITATION_SEEN = (*_INVITATION, "language")  # the participant's, labelled as the invitation's
_QUESTIONNAIRE = (
    "id",
    "anonymous",
    "opens_at",
    "closes_at",
    "closed_early_at",
    "current_version_id",
)
_RESPONSE = (
    "id",
    "draft",
    "lock_version",
    "current_page",
    "current_submission_id",
    "status",
    "updated_at",
)


def _columns(entity, names: tuple[str, ...], prefix: str) -> list:
    return [getattr(entity, name).label(f"{prefix}_{name}") for name in names]


def _link_query() -> Select:
    """Built once: building it and working out its cache key cost more than running it."""
    return (
        links.select_live_invitation(bindparam("token_hash"))
        .with_only_columns(
            *_columns(Invitation, _INVITATION, "invitation"),
            Participant.language.label("invitation_language"),
            *_columns(Questionnaire, _QUESTIONNAIRE, "questionnaire"),
            QuestionnaireVersion.content_hash,
            *_columns(Response, _RESPONSE, "response"),
            *_columns(Throttle, ("count", "window_start"), "throttle"),
            maintain_column_froms=False,
        )
        .join(Participant, Participant.id == Invitation.participant_id)
        .join(Questionnaire, Questionnaire.id == Invitation.questionnaire_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Questionnaire.current_version_id)
        .outerjoin(Throttle, Throttle.key == bindparam("guessing_key"))
        .outerjoin(
            Response,
            and_(
                Response.questionnaire_id == Invitation.questionnaire_id,
                # NULL when the token's owner is not known yet: then no response is read.
                Response.respondent_key == bindparam("respondent_key"),
            ),
        )
    )


def _response_query() -> Select:
    return select(*_columns(Response, _RESPONSE, "response")).where(
        Response.questionnaire_id == bindparam("questionnaire_id"),
        Response.respondent_key == bindparam("respondent_key"),
    )


_LINK_QUERY = _link_query()
_RESPONSE_QUERY = _response_query()


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
    values = answering.submitted_values(session, response.current_submission_id, link.definition)
    return [
        (section, [CopyLine(q, values[q.key]) for q in section.questions if q.key in values])
        for section in link.definition.sections
    ]
