"""Counts, numbers and ranks of a questionnaire's current submissions, counted in SQL.

A handful of GROUP BY queries cover every question at once, so the cost of a dashboard does
not grow with the number of questions or submissions (a test counts the statements). Each
question type says here which of those queries feed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Float, case, func, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from survey.analysis import numbers
from survey.analysis.filters import Filters
from survey.analysis.population import group_column, grouped, population
from survey.models import Answer, Response, Submission
from survey.questionnaires.model import Questionnaire as Definition
from survey.questionnaires.types import QUESTION_TYPES


@dataclass(frozen=True)
class TypeAggregation:
    """Which queries feed a question type: code counts, number summaries or rank tallies."""

    counts: bool = False
    numbers: bool = False
    ranks: bool = False
    year: bool = False  # counted by the year of its date, kept as text


# One entry per question type (a test checks that none is missing). Every type gets its
# base n; free text gets nothing else here (its answers are read on the admins' page).
AGGREGATIONS: dict[str, TypeAggregation] = {
    "single_choice": TypeAggregation(counts=True),
    "multiple_choice": TypeAggregation(counts=True),
    "scale": TypeAggregation(counts=True),
    "grid": TypeAggregation(counts=True),
    "number": TypeAggregation(counts=True, numbers=True),  # counts: "not available"
    "short_text": TypeAggregation(),
    "long_text": TypeAggregation(),
    "country": TypeAggregation(counts=True),
    "ranking": TypeAggregation(ranks=True),
    "date": TypeAggregation(counts=True, year=True),
    "yes_no": TypeAggregation(counts=True),
}
assert set(AGGREGATIONS) == set(QUESTION_TYPES)


@dataclass(frozen=True)
class RankTally:
    """How often an option was ranked, the sum of its ranks, and how often it came first."""

    ranked: int
    rank_sum: float
    first: int


@dataclass(frozen=True)
class RegionTally:
    """Respondents from a UN region, and how many countries they come from."""

    respondents: int
    countries: int


@dataclass
class Aggregates:
    """Everything counted for one questionnaire under one selection.

    Groups are a breakdown's values ("" where a respondent's value is not known); without a
    breakdown every respondent is in the group ``ALL``. Numbers are summarised per group and
    for ``ALL``; other counts add up over the groups.
    """

    breakdown: str | None
    groups: dict[str, int] = field(default_factory=dict)
    regions: dict[str, RegionTally] = field(default_factory=dict)
    base: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    numbers: dict[tuple[str, str], numbers.NumberSummary] = field(default_factory=dict)
    ranks: dict[tuple[str, str, str], RankTally] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        """Current submissions counted, in every group."""
        return sum(self.groups.values())

    def group_keys(self) -> tuple[str, ...]:
        """The breakdown's groups, largest first; empty without a breakdown."""
        if self.breakdown is None:
            return ()
        return tuple(sorted(self.groups, key=lambda g: (-self.groups[g], g)))


def keys_of(definition: Definition, flag: str) -> list[str]:
    """The keys of the questions whose type sets ``flag`` in AGGREGATIONS."""
    return [q.key for q in definition.questions() if getattr(AGGREGATIONS[q.type], flag)]


def aggregate(
    session: Session,
    questionnaire_id: int,
    definition: Definition,
    filters: Filters,
    breakdown: str | None = None,
) -> Aggregates:
    """Count every question of ``definition`` in a fixed number of queries."""
    found = Aggregates(breakdown)
    found.groups = respondents_by_group(session, questionnaire_id, filters, breakdown)
    found.regions = respondents_by_region(session, questionnaire_id, filters)
    found.base = base_counts(session, questionnaire_id, filters, breakdown)
    found.counts = code_counts(session, questionnaire_id, definition, filters, breakdown)
    number_keys = keys_of(definition, "numbers")
    found.numbers = numbers.summaries(session, questionnaire_id, number_keys, filters, None)
    if breakdown:
        found.numbers |= numbers.summaries(
            session, questionnaire_id, number_keys, filters, breakdown
        )
    found.ranks = rank_tallies(session, questionnaire_id, definition, filters, breakdown)
    return found


def respondents_by_group(
    session: Session, questionnaire_id: int, filters: Filters, breakdown: str | None
) -> dict[str, int]:
    """Current submissions per group."""
    stmt = population(questionnaire_id, filters).add_columns(group_column(breakdown), func.count())
    # Without a breakdown there is no GROUP BY, and one row even when nothing is counted.
    return {group: n for group, n in session.execute(grouped(stmt, breakdown)) if n}


def respondents_by_region(
    session: Session, questionnaire_id: int, filters: Filters
) -> dict[str, RegionTally]:
    """Respondents and distinct countries per respondent's UN region."""
    region = func.coalesce(Response.region_code, "").label("region")
    stmt = (
        population(questionnaire_id, filters)
        .add_columns(region, func.count(), func.count(func.distinct(Response.country_iso3)))
        .group_by(literal_column("region"))
    )
    return {code: RegionTally(n, c) for code, n, c in session.execute(stmt)}


def base_counts(
    session: Session, questionnaire_id: int, filters: Filters, breakdown: str | None
) -> dict[tuple[str, str], int]:
    """The base n of every question: the current submissions that answered it, per group."""
    # One row per (submission, question) first, then counted. PostgreSQL's count(DISTINCT)
    # wants its rows sorted by question, and its planner walked 7 million answers by index
    # for that (36-52 s at 100,000 submissions); grouped by submission it merges the
    # answers' unique index with the submissions instead (3 s). SQLite: the same either way.
    answered = (
        population(questionnaire_id, filters)
        .join(Answer, Answer.submission_id == Submission.id)
        .add_columns(Answer.question_key, group_column(breakdown))
    )
    answered = grouped(answered, breakdown, Answer.submission_id, Answer.question_key).subquery()
    stmt = select(answered.c.question_key, answered.c.grp, func.count()).group_by(
        answered.c.question_key, answered.c.grp
    )
    return {(key, group): n for key, group, n in session.execute(stmt)}


def code_counts(
    session: Session,
    questionnaire_id: int,
    definition: Definition,
    filters: Filters,
    breakdown: str | None,
) -> dict[tuple[str, str, str, str], int]:
    """Answers per (question, item, code, group) for every counted question, in one query."""
    keys, years = keys_of(definition, "counts"), keys_of(definition, "year")
    if not keys:
        return {}
    code = Answer.code
    if years:
        code = case((Answer.question_key.in_(years), func.substr(Answer.text, 1, 4)), else_=code)
    stmt = (
        population(questionnaire_id, filters)
        .join(Answer, Answer.submission_id == Submission.id)
        .add_columns(
            Answer.question_key,
            Answer.item,
            code.label("value_code"),
            group_column(breakdown),
            func.count(),
        )
        .where(Answer.question_key.in_(keys))
    )
    stmt = grouped(stmt, breakdown, Answer.question_key, Answer.item, literal_column("value_code"))
    return {
        (key, item, value, group): n
        for key, item, value, group, n in session.execute(stmt)
        if value is not None
    }


def rank_tallies(
    session: Session,
    questionnaire_id: int,
    definition: Definition,
    filters: Filters,
    breakdown: str | None,
) -> dict[tuple[str, str, str], RankTally]:
    """For every ranking question: per option and group, times ranked, rank sum, times first."""
    keys = keys_of(definition, "ranks")
    if not keys:
        return {}
    stmt = (
        population(questionnaire_id, filters)
        .join(Answer, Answer.submission_id == Submission.id)
        .add_columns(
            Answer.question_key,
            Answer.item,
            group_column(breakdown),
            func.count(),
            type_coerce(func.sum(Answer.number), Float),
            func.sum(case((Answer.number == 1, 1), else_=0)),
        )
        .where(Answer.question_key.in_(keys), Answer.number.is_not(None))
    )
    rows = session.execute(grouped(stmt, breakdown, Answer.question_key, Answer.item))
    return {
        (key, option, group): RankTally(ranked, float(rank_sum), int(first))
        for key, option, group, ranked, rank_sum, first in rows
    }
