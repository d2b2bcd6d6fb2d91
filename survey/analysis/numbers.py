"""n, mean, minimum, quartiles and maximum of number questions, from the number tally.

The database sums, per question and group, how many gave each value (``NumberTally``); the
summary is then read off those sorted values and their counts, with the quartiles
interpolated between the two values around each position exactly as PostgreSQL's
``percentile_cont`` does. The work grows with the distinct values, not the answers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, groupby
from operator import itemgetter

from sqlalchemy import Float, func, literal_column, type_coerce
from sqlalchemy.orm import Session

from survey.analysis.filters import Filters
from survey.analysis.population import counted, group_column, grouped
from survey.models import NumberTally

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
    # As floats: the summaries are floats, and making a Decimal of every value costs more
    # than the query.
    value = type_coerce(NumberTally.value, Float)
    stmt = (
        counted(NumberTally, questionnaire_id, filters, breakdown)
        .add_columns(
            NumberTally.question_key,
            group_column(NumberTally, breakdown),
            value,
            func.sum(NumberTally.n),
        )
        .where(NumberTally.question_key.in_(keys))
        .having(func.sum(NumberTally.n) > 0)
    )
    stmt = grouped(stmt, breakdown, NumberTally.question_key, NumberTally.value)
    stmt = stmt.order_by(NumberTally.question_key, literal_column("grp"), NumberTally.value)
    return {
        (key, group): summary([(value, n) for _key, _group, value, n in found])
        for (key, group), found in groupby(session.execute(stmt), key=itemgetter(0, 1))
    }


def summary(counts: Iterable[tuple[float, int]]) -> NumberSummary:
    """The summary of the values, given as (value, how many gave it) in increasing order."""
    counts = list(counts)
    values = [value for value, _n in counts]
    # ends[i]: how many values are at most values[i], i.e. the sorted position after them.
    ends = list(accumulate(n for _value, n in counts))
    total = ends[-1]

    def at(position: int) -> float:
        return values[bisect_right(ends, position)]

    def quantile(p: float) -> float:
        position = p * (total - 1)
        below = int(position)
        low, high = at(below), at(min(below + 1, total - 1))
        return low + (position - below) * (high - low)

    return NumberSummary(
        total,
        sum(value * n for value, n in counts) / total,
        values[0],
        *(quantile(p) for p in QUARTILES),
        values[-1],
    )
