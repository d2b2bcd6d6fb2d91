"""The codebook: what every column of the raw and aggregated exports holds, in every language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from survey.export.columns import layout, meta_columns
from survey.models import Questionnaire
from survey.questionnaires.model import Question

META_MEANINGS = {
    "respondent_pseudonym": "pseudonymous respondent id (the same in paired questionnaires)",
    "submission_number": "revision number of the expert's submission (1 = first)",
    "questionnaire_version": "questionnaire version the answers were given to",
    "submitted_at_utc": "time of submission, UTC (ISO 8601)",
    "submitted_on_utc": "day of submission, UTC (anonymous: no time of day)",
    "answer_language": "language the expert answered in",
    "participant_name": "participant's name",
    "participant_email": "participant's e-mail",
    "participant_organisation": "participant's organisation",
    "participant_country": "participant's country, ISO 3166-1 alpha-3",
    "participant_region": "UN M49 region of the participant's country",
    "participant_subregion": "UN M49 sub-region of the participant's country",
    "participant_group": "stakeholder group code",
}
ADDED_LABELS = {
    "other": "Other",
    "dont_know": "Don't know / not applicable",
    "yes": "Yes",
    "no": "No",
    "not_available": "Not available",
}


def codebook_rows(session: Session, questionnaire: Questionnaire) -> Iterator[list[Any]]:
    """The header, then one row per column of the raw export (and per code it may hold)."""
    shape = layout(session, questionnaire)
    languages = list(next(iter(shape.definitions.values())).languages)
    yield [
        "column",
        "question_key",
        "type",
        "versions",
        "holds",
        "code",
        *(f"label_{lang}" for lang in languages),
    ]
    for name in meta_columns(questionnaire):
        yield [name, "", "", "", META_MEANINGS[name], "", *([""] * len(languages))]
    questions = {q.key: q for q in shape.questions}
    for column in shape.columns():
        question = questions[column.question]
        versions = ",".join(str(n) for n in sorted(shape.asked_in[question.key]))
        label = _label(question, column.code) if column.code else question.label
        yield [
            column.name,
            question.key,
            question.type,
            versions,
            column.part,
            column.code or "",
            *(_text(label, lang) for lang in languages),
        ]
        for code, code_label in _codes_in_cell(question, column):
            yield [
                column.name,
                question.key,
                question.type,
                versions,
                "code",
                code,
                *(_text(code_label, lang) for lang in languages),
            ]


def _codes_in_cell(question: Question, column) -> list[tuple[str, Any]]:
    """The codes a single column may hold, with their labels (choices, scale points)."""
    if column.part not in {"answer", "row"} or question.type in {
        "number",
        "short_text",
        "long_text",
        "date",
    }:
        return []
    if question.type == "country":
        return []
    codes = [(o.code, o.label) for o in question.options]
    codes += [(p.code, p.label) for p in question.scale]
    if question.type == "yes_no":
        codes += [("yes", "Yes"), ("no", "No")]
    codes += [
        (flag, ADDED_LABELS[flag]) for flag in ("other", "dont_know") if getattr(question, flag)
    ]
    return codes


def _label(question: Question, code: str) -> Any:
    for item in (*question.options, *question.scale, *question.statements):
        if getattr(item, "code", getattr(item, "key", None)) == code:
            return item.label
    return ADDED_LABELS.get(code, code)


def _text(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or ""
    return str(label)
