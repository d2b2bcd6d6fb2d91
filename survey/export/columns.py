"""The columns of a questionnaire's exports, across all its versions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.export.cells import Column, columns
from survey.models import Questionnaire, QuestionnaireVersion
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition

# Named so that no question key (lower case, no dot) can be mistaken for one of them in use.
NAMED_META = (
    "submission_number",
    "questionnaire_version",
    "submitted_at_utc",
    "answer_language",
    "participant_name",
    "participant_email",
    "participant_organisation",
    "participant_country",
    "participant_region",
    "participant_subregion",
    "participant_group",
)
# No name, e-mail, country or precise time: only what the anonymous answer itself carries.
ANONYMOUS_META = (
    "respondent_pseudonym",
    "submission_number",
    "questionnaire_version",
    "submitted_on_utc",
    "answer_language",
    "participant_region",
    "participant_group",
)


@dataclass
class Layout:
    """Every question ever asked, in the latest version's order, then those since removed."""

    definitions: dict[int, Definition]  # by QuestionnaireVersion.id
    numbers: dict[int, int]  # QuestionnaireVersion.id -> version number
    questions: list[Question] = field(default_factory=list)
    asked_in: dict[str, list[int]] = field(default_factory=dict)  # key -> version numbers

    def columns(self) -> list[Column]:
        return [column for q in self.questions for column in columns(q)]


def layout(session: Session, questionnaire: Questionnaire) -> Layout:
    """The layout of ``questionnaire``'s exports."""
    versions = session.execute(
        select(
            QuestionnaireVersion.id, QuestionnaireVersion.number, QuestionnaireVersion.definition
        )
        .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
        .order_by(QuestionnaireVersion.number.desc(), QuestionnaireVersion.revision.desc())
    ).all()
    result = Layout(
        {v.id: Definition.from_dict(v.definition) for v in versions},
        {v.id: v.number for v in versions},
    )
    seen: set[str] = set()
    for version_id, number, _definition in versions:  # newest first: its wording wins
        for question in result.definitions[version_id].questions():
            result.asked_in.setdefault(question.key, [])
            if number not in result.asked_in[question.key]:
                result.asked_in[question.key].append(number)
            if question.key not in seen:
                seen.add(question.key)
                result.questions.append(question)
    return result


def meta_columns(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The columns that describe a submission rather than an answer."""
    return ANONYMOUS_META if questionnaire.anonymous else NAMED_META
