"""The raw CSV: one row per submission, one column per answer; streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import countries
from survey.answering.storage import Cell, from_cells
from survey.export.cells import cells
from survey.export.columns import layout, meta_columns
from survey.models import Answer, Participant, Questionnaire, Response, Submission
from survey.questionnaires.model import Question

STREAM = {"yield_per": 2000}


def raw_rows(
    session: Session, questionnaire: Questionnaire, all_revisions: bool = False
) -> Iterator[list[Any]]:
    """The header, then one row per submission (the current ones, or every revision)."""
    shape = layout(session, questionnaire)
    questions = {
        version_id: {q.key: q for q in definition.questions()}
        for version_id, definition in shape.definitions.items()
    }
    meta = meta_columns(questionnaire)
    answer_columns = [c.name for c in shape.columns()]
    yield [*meta, *answer_columns]
    answers = groupby(_answers(session, questionnaire, all_revisions), key=itemgetter(0))
    pending = next(answers, None)
    for submission in _submissions(session, questionnaire, all_revisions):
        found: list = []
        while pending is not None and pending[0] == submission.id:
            found = list(pending[1])
            pending = next(answers, None)
        values = _answer_cells(questions[submission.questionnaire_version_id], found)
        number = shape.numbers[submission.questionnaire_version_id]
        yield [*_meta(questionnaire, submission, number), *map(values.get, answer_columns)]


def _scope(query, questionnaire: Questionnaire, all_revisions: bool):
    query = query.join(Response, Response.id == Submission.response_id).where(
        Response.questionnaire_id == questionnaire.id
    )
    if not all_revisions:
        query = query.where(Response.current_submission_id == Submission.id)
    # Anonymous rows are ordered by their pseudonym, so the order tells nothing of who came when.
    first = Response.pair_key if questionnaire.anonymous else Submission.response_id
    return query.order_by(first, Submission.id)


def _submissions(session: Session, questionnaire: Questionnaire, all_revisions: bool):
    query = select(
        Submission.id,
        Submission.number,
        Submission.submitted_at,
        Submission.language,
        Submission.questionnaire_version_id,
        Response.pair_key,
        Response.country_iso3,
        Response.region_code,
        Response.subregion_code,
        Response.stakeholder_group,
        Participant.name,
        Participant.email,
        Participant.organisation,
    ).select_from(Submission)
    query = _scope(query, questionnaire, all_revisions)
    query = query.outerjoin(Participant, Participant.id == Response.participant_id)
    return session.connection().execute(query, execution_options=STREAM)


def _answers(session: Session, questionnaire: Questionnaire, all_revisions: bool):
    query = (
        select(
            Answer.submission_id,
            Answer.question_key,
            Answer.item,
            Answer.code,
            Answer.number,
            Answer.text,
        )
        .select_from(Answer)
        .join(Submission, Submission.id == Answer.submission_id)
    )
    # Within a submission the order does not matter (each type's from_cells orders its cells).
    query = _scope(query, questionnaire, all_revisions)
    return session.connection().execute(query, execution_options=STREAM)


def _answer_cells(questions: dict[str, Question], rows: list) -> dict[str, Any]:
    by_key: dict[str, list[Cell]] = {}
    for _submission, key, item, code, number, text in rows:  # by position: much faster
        by_key.setdefault(key, []).append(Cell(item=item, code=code, number=number, text=text))
    values: dict[str, Any] = {}
    for key, found in by_key.items():
        question = questions[key]  # the question as asked in that version
        values.update(cells(question, from_cells(question, found)))
    return values


def _meta(questionnaire: Questionnaire, s, version: int) -> list[Any]:
    country = countries.country(s.country_iso3)
    region = country.region if country else None
    if questionnaire.anonymous:
        return [
            s.pair_key[:16],
            s.number,
            version,
            s.submitted_at.date().isoformat(),
            s.language,
            region,
            s.stakeholder_group,
        ]
    return [
        s.number,
        version,
        s.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        s.language,
        s.name,
        s.email,
        s.organisation,
        s.country_iso3,
        region,
        country.subregion if country else None,
        s.stakeholder_group,
    ]
