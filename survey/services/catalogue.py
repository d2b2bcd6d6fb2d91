"""What questionnaires there are, for the pages that list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from survey.models import Questionnaire
from survey.models.columns import utcnow


@dataclass(frozen=True)
class QuestionnaireSummary:
    slug: str
    titles: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    anonymous: bool

    def title(self, lang: str) -> str:
        """The title in ``lang``, or in the first language the questionnaire has."""
        return self.titles.get(lang) or next(iter(self.titles.values()), self.slug)


def questionnaire_summaries(session: Session) -> list[QuestionnaireSummary]:
    """Every questionnaire that has a version, by opening date."""
    rows = session.scalars(
        select(Questionnaire)
        .where(Questionnaire.current_version_id.is_not(None))
        .options(joinedload(Questionnaire.current_version))
        .order_by(Questionnaire.opens_at, Questionnaire.slug)
    )
    now = utcnow()
    return [
        QuestionnaireSummary(
            slug=q.slug,
            titles=q.current_version.definition.get("title", {}),
            opens_at=q.opens_at,
            closes_at=q.closes_at,
            is_open=q.is_open(now),
            anonymous=q.anonymous,
        )
        for q in rows
    ]
