"""n, mean, minimum, quartiles and maximum of number questions, computed in SQL.

PostgreSQL has ``percentile_cont``. SQLite has not: there each value is numbered within its
question and group by a window function, and the quartiles are interpolated between the
two values around each position, exactly as ``percentile_cont`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, Integer, Select, case, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from survey.analysis.filters import Filters
from survey.analysis.population import group_column, group_expression, grouped, population
from survey.models import Answer, Submission

QUARTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class NumberSummary:
    """The five-number summary and mean of one question's numbers in one group."""

    n: int
    mean: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def summaries(
    session: Session,
    questionnaire_id: int,
    keys: list[str],
    filters: Filters,
    breakdown: str | None,
) -> dict[tuple[str, str], NumberSummary]:
    """Summaries per (question, group) of the numbers answered to ``keys``."""
    if not keys:
        return {}
    answers = (
        population(questionnaire_id, filters)
        .join(Answer, Answer.submission_id == Submission.id)
        .where(Answer.question_key.in_(keys), Answer.number.is_not(None))
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = _percentile_cont(answers, breakdown)
    else:
        stmt = _windowed(answers, breakdown)
    return {
        (key, group): NumberSummary(int(n), *(float(v) for v in values))
        for key, group, n, *values in session.execute(stmt)
    }


def _percentile_cont(answers: Select, breakdown: str | None) -> Select:
    value = Answer.number
    stmt = answers.add_columns(
        Answer.question_key,
        group_column(breakdown),
        func.count(value),
        type_coerce(func.avg(value), Float),
        type_coerce(func.min(value), Float),
        *(type_coerce(func.percentile_cont(p).within_group(value), Float) for p in QUARTILES),
        type_coerce(func.max(value), Float),
    )
    return grouped(stmt, breakdown, Answer.question_key)


def _windowed(answers: Select, breakdown: str | None) -> Select:
    partition = [Answer.question_key, group_expression(breakdown)]
    ranked = answers.add_columns(
        Answer.question_key.label("key"),
        group_column(breakdown),
        type_coerce(Answer.number, Float).label("v"),
        (func.row_number().over(partition_by=partition, order_by=Answer.number) - 1).label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery()
    return select(
        ranked.c.key,
        ranked.c.grp,
        func.count(),
        type_coerce(func.avg(ranked.c.v), Float),
        type_coerce(func.min(ranked.c.v), Float),
        *(_interpolated(ranked, p) for p in QUARTILES),
        type_coerce(func.max(ranked.c.v), Float),
    ).group_by(ranked.c.key, ranked.c.grp)


def _interpolated(ranked, p: float):
    """The value at position p·(n−1) of the sorted values, interpolating between neighbours."""
    position = ranked.c.n * p - p  # p·(n−1), never negative
    below = cast(position, Integer)  # CAST truncates: the floor of a non-negative number
    low = func.max(case((ranked.c.rn == below, ranked.c.v)))
    high = func.max(case((ranked.c.rn == below + 1, ranked.c.v)))
    fraction = func.max(position - below)
    return type_coerce(low + fraction * (func.coalesce(high, low) - low), Float)
