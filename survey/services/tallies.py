"""Keeping the tallies (``survey.models.tallies``) in step with the current submissions.

Every change is one set-based upsert per tally table: the answers of the submissions that
become current count +1, those of the submissions they replace −1, summed per tally row
and written in key order. The order matters on PostgreSQL: two experts submitting at once
update many of the same rows, and rows locked in the same order cannot deadlock.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.analysis.aggregates import AGGREGATIONS
from survey.models import Answer, AnswerTally, NumberTally, Response, Submission
from survey.models.tallies import ALL_COUNTRIES, ANSWERED, PLACE_KEY, RESPONDENTS
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import definitions

# How a question's answers are counted: by code as stored, by a date's year, by the rank given
# to each option, and (in the number tally) by value.
CODE, YEAR, RANK, NUMBER = "code", "year", "rank", "number"


def replace(session: Session, added: Submission, removed: Submission | None) -> None:
    """Count submission ``added`` in place of ``removed`` (the one it replaces, if any).

    An expert's submit runs this: its two statements are built once per set of question
    kinds and reused (building and compiling them cost three times running them)."""
    changed = [added] + ([removed] if removed else [])
    versions = sorted({s.questionnaire_version_id for s in changed})
    kinds = {v: _kinds(definitions.of_version(session, v)) for v in versions}
    connection = session.connection()
    params = {"added": added.id, "removed": removed.id if removed else None}
    for statement in _replacing(connection.dialect.name, _frozen(kinds)):
        connection.execute(statement, params)


def add(session: Session, submission_ids: list[int]) -> None:
    """Count new current submissions that replace none (bulk inserts)."""
    _apply(session, _changes(literal_column("1")).where(Submission.id.in_(submission_ids)))


def rebuild(session: Session) -> None:
    """Count every current submission again, from the answers (``survey db recount``)."""
    session.execute(delete(AnswerTally))
    session.execute(delete(NumberTally))
    current = _changes(literal_column("1")).join(
        Response, Response.current_submission_id == Submission.id
    )
    _apply(session, current)


def _changes(sign) -> Select:
    """Submissions with the sign they count with (a WHERE clause picks them)."""
    return select(
        Submission.id.label("sid"),
        sign.label("sign"),
        Submission.questionnaire_version_id.label("version_id"),
    )


def _apply(session: Session, changes: Select) -> None:
    changes = changes.subquery("changes")
    # Core statements on the session's connection: the ORM adds nothing here but time.
    connection = session.connection()
    versions = connection.execute(select(changes.c.version_id).distinct()).scalars().all()
    if not versions:
        return
    kinds = {v: _kinds(definitions.of_version(session, v)) for v in versions}
    for statement in _upserts(connection.dialect.name, changes, kinds):
        connection.execute(statement)


# Kinds as a key: the question keys of each kind, per version id. The kinds themselves are
# part of the key, not only the version ids, which another database may number alike.
FrozenKinds = tuple[tuple[int, tuple[tuple[str, tuple[str, ...]], ...]], ...]


def _frozen(kinds: dict[int, dict[str, list[str]]]) -> FrozenKinds:
    return tuple(
        (v, tuple((how, tuple(keys)) for how, keys in by_kind.items()))
        for v, by_kind in sorted(kinds.items())
    )


@lru_cache(maxsize=64)
def _replacing(dialect: str, frozen: FrozenKinds) -> tuple:
    """The upserts that count submission ``:added`` in place of ``:removed`` (NULL: none)."""
    added = bindparam("added", type_=Integer)
    removed = bindparam("removed", type_=Integer)
    sign = case((Submission.id == removed, literal_column("-1")), else_=literal_column("1"))
    changes = _changes(sign).where(Submission.id.in_([added, removed])).subquery("changes")
    kinds = {v: {how: list(keys) for how, keys in by_kind} for v, by_kind in frozen}
    return _upserts(dialect, changes, kinds)


def _upserts(dialect: str, changes, kinds) -> tuple:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    return (
        _upsert(insert, AnswerTally, _answer_rows(changes, kinds)),
        _upsert(insert, NumberTally, _number_rows(changes, kinds)),
    )


def _kinds(definition: Definition) -> dict[str, list[str]]:
    """The keys of the questions counted by code, by year, by rank and by number."""
    found: dict[str, list[str]] = {CODE: [], YEAR: [], RANK: [], NUMBER: []}
    for question in definition.questions():
        kind = AGGREGATIONS[question.type]
        if kind.year:
            found[YEAR].append(question.key)
        elif kind.ranks:
            found[RANK].append(question.key)
        elif kind.counts:
            found[CODE].append(question.key)
        if kind.numbers:
            found[NUMBER].append(question.key)
    return found


def _tally_code(changes, kinds: dict[int, dict[str, list[str]]]):
    """The code an answer is counted under in its version, or NULL where it is not."""
    values = {
        CODE: Answer.code,
        YEAR: func.substr(Answer.text, 1, 4),
        RANK: cast(cast(Answer.number, Integer), String),
    }
    whens = [
        (and_(changes.c.version_id == version_id, Answer.question_key.in_(keys)), values[how])
        for version_id, by_kind in kinds.items()
        for how, keys in by_kind.items()
        if keys and how in values
    ]
    return case(*whens, else_=null()) if whens else null()


def _answer_rows(changes, kinds) -> CompoundSelect:
    """Respondents, bases and codes of the changed submissions, summed per tally row."""
    blank = literal_column("''")
    respondents = select(
        changes.c.sid,
        changes.c.sign,
        literal_column(f"'{RESPONDENTS}'").label("question_key"),
        blank.label("item"),
        literal_column(f"'{ANSWERED}'").label("code"),
    )
    answered = (
        select(
            changes.c.sid,
            changes.c.sign,
            Answer.question_key,
            blank.label("item"),
            literal_column(f"'{ANSWERED}'").label("code"),
        )
        .join(Answer, Answer.submission_id == changes.c.sid)
        .distinct()
    )
    code = _tally_code(changes, kinds)
    chosen = (
        select(changes.c.sid, changes.c.sign, Answer.question_key, Answer.item, code.label("code"))
        .join(Answer, Answer.submission_id == changes.c.sid)
        .where(code.is_not(None))
    )
    counted = union_all(respondents, answered, chosen).cte("counted")
    return _per_place(counted, [counted.c.question_key, counted.c.item, counted.c.code])


def _number_rows(changes, kinds) -> CompoundSelect:
    """The numbers answered by the changed submissions, summed per tally row."""
    asked = [
        and_(changes.c.version_id == version_id, Answer.question_key.in_(by_kind[NUMBER]))
        for version_id, by_kind in kinds.items()
        if by_kind[NUMBER]
    ]
    numbers = (
        select(changes.c.sid, changes.c.sign, Answer.question_key, Answer.number.label("value"))
        .join(Answer, Answer.submission_id == changes.c.sid)
        .where(or_(*asked) if asked else false(), Answer.number.is_not(None))
    ).cte("counted")
    return _per_place(numbers, [numbers.c.question_key, numbers.c.value])


def _per_place(counted, key: list) -> CompoundSelect:
    """The counted rows summed per tally row, at both grains, in the tally's key order."""
    rows = union_all(*(_summed(counted, key, by_country) for by_country in (True, False)))
    return rows.order_by(*(literal_column(c.name) for c in rows.selected_columns[:-1]))


def _summed(counted, key: list, by_country: bool) -> Select:
    # "" stands for an unknown place, as a literal: PostgreSQL does not match an expression
    # holding a bind parameter in GROUP BY to its twin in the SELECT list.
    place = [func.coalesce(getattr(Response, name), literal_column("''")) for name in PLACE_KEY]
    if not by_country:
        place[PLACE_KEY.index("country_iso3")] = literal_column(f"'{ALL_COUNTRIES}'")
    # Not by a constant: PostgreSQL refuses one in GROUP BY.
    grouping = [Response.questionnaire_id, *key, Submission.questionnaire_version_id]
    kept = [by_country or name != "country_iso3" for name in PLACE_KEY]
    grouping += [p for p, keep in zip(place, kept, strict=True) if keep]
    labelled = [
        Response.questionnaire_id,
        *key,
        Submission.questionnaire_version_id,
        *(p.label(name) for p, name in zip(place, PLACE_KEY, strict=True)),
    ]
    return (
        select(*labelled, func.sum(counted.c.sign).label("n"))
        .join(Submission, Submission.id == counted.c.sid)
        .join(Response, Response.id == Submission.response_id)
        .group_by(*grouping)
        .having(func.sum(counted.c.sign) != 0)  # a revision that kept an answer changes nothing
    )


def _upsert(insert, table, rows: CompoundSelect):
    stmt = insert(table).from_select([c.name for c in rows.selected_columns], rows)
    primary_key = [c.name for c in table.__table__.primary_key]
    return stmt.on_conflict_do_update(
        index_elements=primary_key, set_={"n": table.n + stmt.excluded.n}
    )
