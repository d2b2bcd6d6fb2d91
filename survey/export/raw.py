"""The raw CSV: one row per submission, one column per answer; streamed row by row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Text, case, cast, func, literal, select
from sqlalchemy.orm import Session

from survey import countries
from survey.answering.storage import Cell, from_cells
from survey.export.cells import cells, columns
from survey.export.columns import layout, meta_columns
from survey.export.csvfile import CsvLine, csv_cells
from survey.models import Answer, Participant, Questionnaire, Response, Submission
from survey.questionnaires.model import Question

STREAM = {"yield_per": 2000}
ANSWER_FIELDS = (Answer.item, Answer.code, Answer.number, Answer.text)
CACHED_ANSWERS = 4096
# Between a question key and its answer rows, and between questions: no key holds it, and JSON
# text holds no raw control character.
SEPARATOR = "\x1f"


def raw_rows(
    session: Session, questionnaire: Questionnaire, all_revisions: bool = False
) -> Iterator[list[Any] | CsvLine]:
    """The header, then one row per submission (the current ones, or every revision).

    A submission's row comes as CSV text: each distinct answer of a question is written once.
    """
    shape = layout(session, questionnaire)
    questions = {
        version_id: {q.key: q for q in definition.questions()}
        for version_id, definition in shape.definitions.items()
    }
    column_names = {q.key: [c.name for c in columns(q)] for q in shape.questions}
    yield [*meta_columns(questionnaire), *(c.name for c in shape.columns())]
    unanswered = {key: csv_cells([None] * len(names)) for key, names in column_names.items()}
    answer_text = _answer_text_reader(questions, column_names, _rows_decoder(session))
    for submission in _submissions(session, questionnaire, all_revisions):
        version_id = submission.questionnaire_version_id
        parts = submission.answers.split(SEPARATOR) if submission.answers else []
        answered = dict(zip(parts[::2], parts[1::2], strict=True))
        texts = [csv_cells(_meta(questionnaire, submission, shape.numbers[version_id]))]
        for key, empty in unanswered.items():  # in the layout's order, as the header
            stored = answered.get(key)
            texts.append(empty if stored is None else answer_text(version_id, key, stored))
        yield CsvLine(",".join(texts) + "\r\n")


def _submissions(session: Session, questionnaire: Questionnaire, all_revisions: bool):
    query = (
        select(
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
            _answer_array(session).label("answers"),
        )
        .select_from(Response)
        .join(Submission, Submission.response_id == Response.id)
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .where(Response.questionnaire_id == questionnaire.id)
    )
    if not all_revisions:
        query = query.where(Response.current_submission_id == Submission.id)
    # Anonymous rows are ordered by their pseudonym, so the order tells nothing of who came when.
    # Either order is that of an index on response (no sort of the answers' JSON).
    first = Response.pair_key if questionnaire.anonymous else Response.id
    query = query.order_by(first, Submission.id)
    return session.connection().execute(query, execution_options=STREAM)


def _answer_array(session: Session):
    """A submission's answers: key, rows, key, rows, ... joined by SEPARATOR.

    One row per submission crosses the driver instead of one per answer row (about 70 times
    fewer), and no merge of two ordered streams is needed. A question's rows are JSON text,
    [[item, code, number, text], ...], so that the same answer reads as the same string.
    """
    item, code, number, text = ANSWER_FIELDS
    if session.get_bind().dialect.name == "postgresql":
        rows = cast(func.json_agg(func.json_build_array(item, code, number, text)), Text)
        join = func.string_agg
    else:
        # SQLite's JSON writes a real with 15 digits; quote() writes one that reads back exactly.
        exact = case((func.typeof(number) == "real", func.json(func.quote(number))), else_=number)
        rows = func.json_group_array(func.json_array(item, code, exact, text))
        join = func.group_concat
    per_question = (
        select(Answer.question_key, rows.label("rows"))
        .where(Answer.submission_id == Submission.id)
        .group_by(Answer.question_key)
        .correlate(Submission)
        .subquery()
    )
    separator = literal(SEPARATOR)
    key_and_rows = per_question.c.question_key.concat(separator).concat(per_question.c.rows)
    return select(join(key_and_rows, separator)).scalar_subquery()


def _rows_decoder(session: Session) -> Callable[[str], list[list]]:
    """Answer rows from their JSON text, each number read as a query of answer.number reads it."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        return json.JSONDecoder(parse_float=Decimal, parse_int=Decimal).decode
    to_decimal = Answer.number.type.dialect_impl(dialect).result_processor(dialect, None)
    # An integer reads as the same value (only the value matters to the cells); a real, written
    # exactly by quote(), is rounded to the column's scale as the driver's float would be.
    return json.JSONDecoder(
        parse_int=Decimal, parse_float=lambda text: to_decimal(float(text))
    ).decode


def _answer_text_reader(
    questions: dict[int, dict[str, Question]],
    column_names: dict[str, list[str]],
    decode_rows: Callable[[str], list[list]],
) -> Callable[[int, str, str], str]:
    """A function from (version id, question key, answer rows as JSON text) to CSV text."""

    # Most answers recur (a choice among a few codes), so each distinct one is written once;
    # bounded, so that memory stays flat however many submissions there are.
    @lru_cache(maxsize=CACHED_ANSWERS)
    def answer_text(version_id: int, key: str, stored: str) -> str:
        question = questions[version_id][key]  # the question as asked in that version
        found = [Cell(*row) for row in decode_rows(stored)]  # item, code, number, text
        values = cells(question, from_cells(question, found))
        return csv_cells(values.get(name) for name in column_names[key])

    return answer_text


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
