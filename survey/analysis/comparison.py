"""Pre/post: paired questions before and after the meeting, and the change in each expert.

The two questionnaires of one participant share ``Response.pair_key`` (a pseudonym, also for
anonymous questionnaires), so the experts who answered both are matched in SQL by joining
the responses on it; nobody's identity is needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Float, Select, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from survey.analysis.filters import Filters
from survey.models import Answer, Response, Submission
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition

# Types whose answers are points on a scale: their change is counted in points.
SHIFT_TYPES = frozenset({"scale", "grid"})


@dataclass(frozen=True)
class Pair:
    """A question asked before the meeting and its twin asked after it."""

    before: Question
    after: Question


def pairs(before: Definition, after: Definition) -> list[Pair]:
    """The paired questions, in the order of the earlier questionnaire.

    A question is paired if its ``pair`` names a question of the other questionnaire, on
    either side (each file names the other side's key).
    """
    after_by_key = {q.key: q for q in after.questions()}
    named_by_after = {q.pair: q for q in after.questions() if q.pair}
    found = []
    for q in before.questions():
        twin = after_by_key.get(q.pair) if q.pair else None
        twin = twin or named_by_after.get(q.key)
        if twin is not None and twin.type == q.type:
            found.append(Pair(q, twin))
    return found


@dataclass(frozen=True)
class Transitions:
    """Per (before key, item): counts of (value before, value after) among matched experts,
    and per before key how many experts were matched."""

    counts: dict[tuple[str, str], dict[tuple[float, float], int]]
    matched: dict[str, int]


@dataclass(frozen=True)
class _Matched:
    """Answers on a scale given before and after by the same experts: a SELECT and its tables."""

    stmt: Select
    before: type[Answer]
    after: type[Answer]
    response: type[Response]


def _matched_answers(before_id: int, after_id: int, pairs_: list[Pair], filters: Filters):
    r1, r2 = aliased(Response), aliased(Response)
    s1, s2 = aliased(Submission), aliased(Submission)
    a1, a2 = aliased(Answer), aliased(Answer)
    twin_key = case({p.before.key: p.after.key for p in pairs_}, value=a1.question_key)
    stmt = (
        select()
        .select_from(r1)
        .join(s1, s1.id == r1.current_submission_id)
        .join(a1, a1.submission_id == s1.id)
        .join(r2, and_(r2.pair_key == r1.pair_key, r2.questionnaire_id == after_id))
        .join(s2, s2.id == r2.current_submission_id)
        .join(
            a2,
            and_(a2.submission_id == s2.id, a2.question_key == twin_key, a2.item == a1.item),
        )
        .where(
            r1.questionnaire_id == before_id,
            a1.question_key.in_([p.before.key for p in pairs_]),
            a1.number.is_not(None),
            a2.number.is_not(None),  # "don't know" has no number: not a point on the scale
            *filters.without_version().conditions(before_id, r1, s1),
        )
    )
    return _Matched(stmt, a1, a2, r1)


def transitions(
    session: Session, before_id: int, after_id: int, pairs_: list[Pair], filters: Filters
) -> Transitions:
    """Count, in two queries, how the matched experts answered each scale pair."""
    shifting = [p for p in pairs_ if p.before.type in SHIFT_TYPES]
    if not shifting:
        return Transitions({}, {})
    m = _matched_answers(before_id, after_id, shifting, filters)
    a1, a2 = m.before, m.after
    rows = session.execute(
        m.stmt.add_columns(
            a1.question_key,
            a1.item,
            type_coerce(a1.number, Float).label("before"),
            type_coerce(a2.number, Float).label("after"),
            func.count(),
        ).group_by(a1.question_key, a1.item, a1.number, a2.number)
    )
    counts: dict = defaultdict(dict)
    for key, item, before, after, n in rows:
        counts[(key, item)][(float(before), float(after))] = n
    matched = session.execute(
        m.stmt.add_columns(a1.question_key, func.count(func.distinct(m.response.id))).group_by(
            a1.question_key
        )
    )
    return Transitions(dict(counts), dict(matched.all()))
