"""The raw CSV: one row per submission, one column per answer; streamed row by row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Text, case, cast, func, literal, or_, select, update
from sqlalchemy.orm import Session

from survey import countries
from survey.answering.storage import Cell, from_cells, values_from_rows
from survey.export.cells import cells, columns
from survey.export.columns import layout, meta_columns
from survey.export.csvfile import CsvLine, csv_cells
from survey.models import Answer, Participant, Questionnaire, Response, Submission
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import definitions

STREAM = {"yield_per": 2000}
ANSWER_FIELDS = (Answer.item, Answer.code, Answer.number, Answer.text)
ANSWER_KEY_AND_FIELDS = (Answer.question_key, *ANSWER_FIELDS)
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
    # A version with a question whose columns are no longer the layout's (an option added
    # since, say): its submissions' kept cells do not fit, their rows are built afresh.
    refit = {
        version_id
        for version_id, definition in shape.definitions.items()
        if any([c.name for c in columns(q)] != column_names[q.key] for q in definition.questions())
    }
    rows = _submissions(session, questionnaire, all_revisions, refit)
    for submission in rows:
        version_id = submission.questionnaire_version_id
        texts = [csv_cells(_meta(questionnaire, submission, shape.numbers[version_id]))]
        if submission.export_cells is not None and version_id not in refit:
            kept = json.loads(submission.export_cells)
            texts += [kept.get(key, empty) for key, empty in unanswered.items()]
        else:
            answered = _pairs(submission.answers)
            for key, empty in unanswered.items():  # in the layout's order, as the header
                stored = answered.get(key)
                texts.append(empty if stored is None else answer_text(version_id, key, stored))
        yield CsvLine(",".join(texts) + "\r\n")


def export_cells(definition: Definition, values: dict[str, Any]) -> str:
    """A submission's answers as the raw CSV writes them (``Submission.export_cells``): a JSON
    object from each answered question's key to its cells as CSV text, in the columns of the
    question as asked. JSON, not a separator: free text may hold any character. ``values``
    are the clean values as read back from the database (``answering.submitted_values``), so
    that they are those the export would read."""
    found = {}
    for question in definition.questions():
        if question.key in values:
            written = cells(question, values[question.key])
            found[question.key] = csv_cells(written.get(c.name) for c in columns(question))
    return json.dumps(found, ensure_ascii=False, separators=(",", ":"))


def _pairs(joined: str | None) -> dict[str, str]:
    parts = joined.split(SEPARATOR) if joined else []
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _submissions(
    session: Session, questionnaire: Questionnaire, all_revisions: bool, refit: set[int]
):
    # The answers are read (and grouped) only for the rows that have no kept cells to use.
    rebuilt = or_(Submission.export_cells.is_(None), Submission.questionnaire_version_id.in_(refit))
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
            Submission.export_cells,
            case((rebuilt, _answer_array(session))).label("answers"),
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


def fill_export_cells(session: Session, submission_ids: list[int]) -> None:
    """Keep the export cells of these submissions, from their answers read back in one query
    (the bulk demo's batches, ``survey db recount``)."""
    versions = dict(
        session.execute(
            select(Submission.id, Submission.questionnaire_version_id).where(
                Submission.id.in_(submission_ids)
            )
        ).all()
    )
    rows = session.execute(
        select(Answer.submission_id, *ANSWER_KEY_AND_FIELDS)
        .where(Answer.submission_id.in_(submission_ids))
        .order_by(Answer.submission_id, Answer.id)
    )
    answered = {sid: [row[1:] for row in found] for sid, found in groupby(rows, itemgetter(0))}
    kept = []
    for sid, version_id in versions.items():
        definition = definitions.of_version(session, version_id)
        values = values_from_rows(definition, answered.get(sid, []))
        kept.append({"id": sid, "export_cells": export_cells(definition, values)})
    if kept:
        session.execute(update(Submission), kept)
