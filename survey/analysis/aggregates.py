"""Counts, numbers and ranks of a questionnaire's current submissions, counted in SQL.

A handful of GROUP BY queries over the tallies (``survey.models.tallies``), kept by the
submit transaction, cover every question at once: the cost of a dashboard does not grow with
the number of questions (a test counts the statements), and with the number of submissions
only as far as they come from more places and groups. Each question type says here which of
those queries feed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, and_, case, cast, func
from sqlalchemy.orm import Session

from survey.analysis import numbers
from survey.analysis.filters import Filters
from survey.analysis.population import counted, group_column, grouped
from survey.models import AnswerTally
from survey.models.tallies import ANSWERED, RESPONDENTS
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
    stmt = (
        counted(AnswerTally, questionnaire_id, filters, breakdown)
        .add_columns(group_column(AnswerTally, breakdown), func.sum(AnswerTally.n))
        .where(AnswerTally.question_key == RESPONDENTS)
    )
    # Without a breakdown there is no GROUP BY, and one row (n NULL) even when none counted.
    return {group: n for group, n in session.execute(grouped(stmt, breakdown)) if n}


def respondents_by_region(
    session: Session, questionnaire_id: int, filters: Filters
) -> dict[str, RegionTally]:
    """Respondents and distinct countries per respondent's UN region."""
    counted_country = case(
        (and_(AnswerTally.n > 0, AnswerTally.country_iso3 != ""), AnswerTally.country_iso3)
    )
    stmt = (
        counted(AnswerTally, questionnaire_id, filters, per_country=True)
        .add_columns(
            AnswerTally.region_code,
            func.sum(AnswerTally.n),
            func.count(func.distinct(counted_country)),
        )
        .where(AnswerTally.question_key == RESPONDENTS)
        .group_by(AnswerTally.region_code)
    )
    return {code: RegionTally(n, c) for code, n, c in session.execute(stmt) if n}


def base_counts(
    session: Session, questionnaire_id: int, filters: Filters, breakdown: str | None
) -> dict[tuple[str, str], int]:
    """The base n of every question: the current submissions that answered it, per group."""
    stmt = (
        counted(AnswerTally, questionnaire_id, filters, breakdown)
        .add_columns(
            AnswerTally.question_key, group_column(AnswerTally, breakdown), func.sum(AnswerTally.n)
        )
        .where(
            AnswerTally.question_key != RESPONDENTS,
            AnswerTally.item == "",
            AnswerTally.code == ANSWERED,
        )
    )
    stmt = grouped(stmt, breakdown, AnswerTally.question_key)
    return {(key, group): n for key, group, n in session.execute(stmt) if n}


def code_counts(
    session: Session,
    questionnaire_id: int,
    definition: Definition,
    filters: Filters,
    breakdown: str | None,
) -> dict[tuple[str, str, str, str], int]:
    """Answers per (question, item, code, group) for every counted question, in one query."""
    keys = keys_of(definition, "counts")
    if not keys:
        return {}
    stmt = (
        counted(AnswerTally, questionnaire_id, filters, breakdown)
        .add_columns(
            AnswerTally.question_key,
            AnswerTally.item,
            AnswerTally.code,
            group_column(AnswerTally, breakdown),
            func.sum(AnswerTally.n),
        )
        .where(AnswerTally.question_key.in_(keys), AnswerTally.code != ANSWERED)
    )
    stmt = grouped(stmt, breakdown, AnswerTally.question_key, AnswerTally.item, AnswerTally.code)
    return {
        (key, item, value, group): n for key, item, value, group, n in session.execute(stmt) if n
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
    # A ranking's tally rows hold the rank given to an option as their code.
    rank = cast(AnswerTally.code, Integer)
    stmt = (
        counted(AnswerTally, questionnaire_id, filters, breakdown)
        .add_columns(
            AnswerTally.question_key,
            AnswerTally.item,
            group_column(AnswerTally, breakdown),
            func.sum(AnswerTally.n),
            func.sum(rank * AnswerTally.n),
            func.sum(case((AnswerTally.code == "1", AnswerTally.n), else_=0)),
        )
        .where(AnswerTally.question_key.in_(keys), AnswerTally.code != ANSWERED)
    )
    rows = session.execute(grouped(stmt, breakdown, AnswerTally.question_key, AnswerTally.item))
    return {
        (key, option, group): RankTally(ranked, float(rank_sum), int(first))
        for key, option, group, ranked, rank_sum, first in rows
        if ranked
    }
