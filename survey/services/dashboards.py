"""What the organisers' result pages show: the questionnaires, and one dashboard's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from dashboards.data import RegionChart
from survey.analysis.aggregates import aggregate
from survey.analysis.filters import Selection
from survey.analysis.labels import Labels
from survey.analysis.results import QuestionResult, question_results, region_chart
from survey.models import Questionnaire, QuestionnaireVersion, Response, ResponseStatus
from survey.questionnaires.model import Questionnaire as Definition
from survey.questionnaires.model import text


@dataclass(frozen=True)
class QuestionnaireRow:
    """A questionnaire in the organisers' list, with how many have answered it."""

    slug: str
    title: str
    anonymous: bool
    paired: bool
    has_sessions: bool
    opens_at: datetime
    closes_at: datetime
    submitted: int
    drafts: int


def questionnaire_rows(session: Session, lang: str) -> list[QuestionnaireRow]:
    """Every loaded questionnaire with its counts of submitted and draft responses."""
    counts = dict(
        ((qid, status), n)
        for qid, status, n in session.execute(
            select(Response.questionnaire_id, Response.status, func.count()).group_by(
                Response.questionnaire_id, Response.status
            )
        )
    )
    rows = []
    questionnaires = session.scalars(
        select(Questionnaire)
        .where(Questionnaire.current_version_id.is_not(None))
        .options(joinedload(Questionnaire.current_version))
        .order_by(Questionnaire.opens_at, Questionnaire.slug)
    )
    for q in questionnaires:
        definition = Definition.from_dict(q.current_version.definition)
        rows.append(
            QuestionnaireRow(
                slug=q.slug,
                title=text(definition.title, lang, definition.fallback_language),
                anonymous=q.anonymous,
                paired=bool(q.pairs_with),
                has_sessions=any(s.session for s in definition.sections),
                opens_at=q.opens_at,
                closes_at=q.closes_at,
                submitted=counts.get((q.id, ResponseStatus.SUBMITTED), 0),
                drafts=counts.get((q.id, ResponseStatus.DRAFT), 0),
            )
        )
    return rows


def find(session: Session, slug: str) -> Questionnaire | None:
    """The loaded questionnaire with this slug, or None."""
    return session.scalar(
        select(Questionnaire).where(
            Questionnaire.slug == slug, Questionnaire.current_version_id.is_not(None)
        )
    )


def version_numbers(session: Session, questionnaire: Questionnaire) -> list[int]:
    """The structural versions the questionnaire has had, oldest first."""
    return list(
        session.scalars(
            select(QuestionnaireVersion.number)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
            .distinct()
            .order_by(QuestionnaireVersion.number)
        )
    )


def definition_for(
    session: Session, questionnaire: Questionnaire, number: int | None
) -> Definition:
    """The definition of version ``number`` (its latest revision), or the current one."""
    version = questionnaire.current_version
    if number is not None and number != version.number:
        version = (
            session.scalar(
                select(QuestionnaireVersion)
                .where(
                    QuestionnaireVersion.questionnaire_id == questionnaire.id,
                    QuestionnaireVersion.number == number,
                )
                .order_by(QuestionnaireVersion.revision.desc())
                .limit(1)
            )
            or version
        )
    return Definition.from_dict(version.definition)


@dataclass
class Dashboard:
    """One questionnaire's results under a selection: who answered, and every question."""

    questionnaire: Questionnaire
    definition: Definition
    labels: Labels
    selection: Selection
    respondents: int
    regions: RegionChart
    results: list[QuestionResult]

    def title(self) -> str:
        return self.labels.text(self.definition.title)

    def sections(self) -> list[tuple[str, list[QuestionResult]]]:
        """The results by section, each with the section's title."""
        by_key = {s.key: self.labels.text(s.title) for s in self.definition.sections}
        found: dict[str, list[QuestionResult]] = {}
        for result in self.results:
            found.setdefault(result.section, []).append(result)
        return [(by_key[key], results) for key, results in found.items()]


def dashboard(
    session: Session,
    questionnaire: Questionnaire,
    selection: Selection,
    page_lang: str,
    threshold: int,
) -> Dashboard:
    """Count every question of the questionnaire under ``selection``."""
    definition = definition_for(session, questionnaire, selection.filters.version)
    agg = aggregate(session, questionnaire.id, definition, selection.filters, selection.breakdown)
    labels = Labels.for_definition(definition, page_lang)
    return Dashboard(
        questionnaire,
        definition,
        labels,
        selection,
        agg.respondents,
        region_chart(agg, threshold),
        question_results(definition, agg, labels, threshold),
    )
