"""Stored questionnaire versions, parsed once per content.

Every request of a personal link and every submission needs a version's definition, and
reading and parsing it (125 KB of JSON for the meeting's questionnaire) cost more than the
rest of a page. A stored version never changes, and its content hash names the same content
in any database (an id would not: tests and restores reuse ids).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.models import QuestionnaireVersion
from survey.questionnaires.model import Questionnaire as Definition

_PARSED: dict[str, Definition] = {}
_PARSED_MOST = 100


def of_version(session: Session, version_id: int) -> Definition:
    """The definition of the stored version ``version_id``."""
    digest = session.scalar(
        select(QuestionnaireVersion.content_hash).where(QuestionnaireVersion.id == version_id)
    )
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
