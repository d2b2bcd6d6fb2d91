"""Stored questionnaire versions, parsed once per content.

Every request of a personal link and every submission needs a version's definition, and
reading and parsing it (125 KB of JSON for the meeting's questionnaire) cost more than the
rest of a page. A stored version never changes, and its content hash names the same content
in any database (an id would not: tests and restores reuse ids).
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from survey.models import QuestionnaireVersion
from survey.questionnaires.model import Questionnaire as Definition

_PARSED: dict[str, Definition] = {}
_PARSED_MOST = 100

# The content hash of each version asked for in a transaction, by version id: a request asks
# for the same definition several times (loading the link, checking, submitting, counting),
# and a version's content never changes. Forgotten when the transaction ends, so that an id
# given back by a rollback can never name other content.
_DIGESTS = "survey.version_digests"


@event.listens_for(Session, "after_transaction_end")
def _forget_digests(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_DIGESTS, None)


def remember_digest(session: Session, version_id: int, digest: str) -> None:
    """Note a version's content hash, read along with something else, for of_version."""
    session.info.setdefault(_DIGESTS, {})[version_id] = digest


def _digest(session: Session, version_id: int) -> str | None:
    known = session.info.setdefault(_DIGESTS, {})
    if version_id not in known:
        known[version_id] = session.scalar(
            select(QuestionnaireVersion.content_hash).where(QuestionnaireVersion.id == version_id)
        )
    return known[version_id]


def of_version(session: Session, version_id: int) -> Definition:
    """The definition of the stored version ``version_id``."""
    digest = _digest(session, version_id)
    found = _PARSED.get(digest) if digest else None
    if found is None:
        stored = session.scalar(
            select(QuestionnaireVersion.definition).where(QuestionnaireVersion.id == version_id)
        )
        found = Definition.from_dict(stored)
        if digest:
            if len(_PARSED) >= _PARSED_MOST:
                _PARSED.clear()
            _PARSED[digest] = found
    return found
