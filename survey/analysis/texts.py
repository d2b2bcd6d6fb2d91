"""Free-text answers for admins: searched in SQL, a page at a time, in the language written.

For anonymous questionnaires the respondent's country is never read: only the UN region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, null, select
from sqlalchemy.orm import Session

from survey.models import Answer, Questionnaire, Response, Submission
from survey.questionnaires.model import Questionnaire as Definition

TEXT_TYPES = frozenset({"short_text", "long_text"})
PER_PAGE = 25


def text_keys(definition: Definition) -> list[str]:
    """Questions with free text: text questions, and choices with "other, please specify"."""
    return [
        q.key
        for q in definition.questions()
        if q.type in TEXT_TYPES or (q.other and q.type in {"single_choice", "multiple_choice"})
    ]


def like_pattern(words: str) -> str:
    """A LIKE pattern that finds ``words`` as typed: ``%``, ``_`` and ``\\`` match themselves."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class TextAnswer:
    question_key: str
    text: str
    language: str
    submitted_at: datetime
    country_iso3: str | None  # None for anonymous questionnaires
    region_code: str | None


@dataclass(frozen=True)
class TextPage:
    answers: list[TextAnswer]
    total: int
    page: int
    pages: int


def _answers(questionnaire: Questionnaire, keys: list[str], words: str) -> Select:
    stmt = (
        select()
        .select_from(Response)
        .join(Submission, Submission.id == Response.current_submission_id)
        .join(Answer, Answer.submission_id == Submission.id)
        .where(
            Response.questionnaire_id == questionnaire.id,
            Answer.question_key.in_(keys),
            Answer.text.is_not(None),
        )
    )
    if words:
        stmt = stmt.where(Answer.text.ilike(like_pattern(words), escape="\\"))
    return stmt


def _pages(total: int, asked: int) -> tuple[int, int]:
    """How many pages ``total`` answers fill, and the page to show (the last if past it)."""
    pages = max(1, -(-total // PER_PAGE))
    return pages, min(max(1, asked), pages)


def search(
    session: Session,
    questionnaire: Questionnaire,
    definition: Definition,
    words: str = "",
    question_key: str | None = None,
    page: int = 1,
) -> TextPage:
    """One page of the free-text answers of current submissions, in questionnaire order."""
    keys = text_keys(definition)
    if question_key in keys:
        keys = [question_key]
    if not keys:
        return TextPage([], 0, 1, 1)
    stmt = _answers(questionnaire, keys, words.strip())
    total = session.scalar(stmt.add_columns(func.count()))
    pages, page = _pages(total, page)
    order = case({key: n for n, key in enumerate(keys)}, value=Answer.question_key)
    # Never even read the country of an anonymous questionnaire's respondent.
    country = null() if questionnaire.anonymous else Response.country_iso3
    rows = session.execute(
        stmt.add_columns(
            Answer.question_key,
            Answer.text,
            Submission.language,
            Submission.submitted_at,
            country,
            Response.region_code,
        )
        .order_by(order, Answer.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return TextPage([TextAnswer(*row) for row in rows], total, page, pages)
