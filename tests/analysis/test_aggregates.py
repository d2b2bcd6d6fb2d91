"""The SQL counts equal a hand count of five experts' answers, under filters and a breakdown."""

from __future__ import annotations

import pytest

from survey.analysis.aggregates import AGGREGATIONS, RankTally, aggregate
from survey.analysis.filters import Filters
from survey.analysis.numbers import NumberSummary
from survey.analysis.suppression import ALL
from survey.db import database
from survey.models import Questionnaire
from survey.questionnaires.types import QUESTION_TYPES
from survey.services.answering import definition_of
from tests.analysis.experts import answer_all


def test_every_question_type_has_an_aggregation():
    assert set(AGGREGATIONS) == set(QUESTION_TYPES)


@pytest.fixture
def counted(app, minimal_id):
    """A function: the aggregates of the five experts under filters and a breakdown."""
    answer_all(app, minimal_id)

    def count(filters=None, breakdown=None):
        filters = filters or Filters()
        with app.app_context(), database().read_sessions() as session:
            definition = definition_of(session.get(Questionnaire, minimal_id))
            return aggregate(session, minimal_id, definition, filters, breakdown)

    return count


def _of(counts: dict, key: str, group: str = ALL) -> dict:
    return {(item, code): n for (k, item, code, g), n in counts.items() if k == key and g == group}


def test_counts_of_every_answer_without_filters(counted):
    found = counted()
    assert found.groups == {ALL: 5}
    assert _of(found.counts, "specific_offence") == {("", "yes"): 3, ("", "no"): 1,
                                                     ("", "dont_know"): 1}  # fmt: skip
    assert _of(found.counts, "lead_agency") == {
        ("", "police"): 2,
        ("", "customs"): 1,
        ("", "other"): 1,
        ("", "regulator"): 1,
    }
    assert _of(found.counts, "agencies_involved") == {
        ("", "police"): 2,
        ("", "customs"): 3,
        ("", "dont_know"): 1,
    }
    assert _of(found.counts, "useful") == {("", "4"): 2, ("", "2"): 1, ("", "3"): 1,
                                           ("", "dont_know"): 1}  # fmt: skip
    assert _of(found.counts, "topics") == {
        ("ports", "1"): 1,
        ("ports", "2"): 1,
        ("ports", "3"): 1,
        ("ports", "4"): 2,
        ("internet", "2"): 1,
        ("internet", "3"): 2,
        ("internet", "4"): 2,
    }
    assert _of(found.counts, "country") == {("", "FRA"): 2, ("", "KEN"): 1, ("", "BRA"): 1,
                                            ("", "DEU"): 1}  # fmt: skip
    # Dates are counted by year; numbers only for "not available".
    assert _of(found.counts, "offence_year") == {("", "1999"): 1, ("", "2001"): 1,
                                                 ("", "2010"): 1}  # fmt: skip
    assert _of(found.counts, "customs_cases") == {("", "not_available"): 1}


def test_base_n_counts_the_submissions_that_answered(counted):
    found = counted()
    base = {key: n for (key, group), n in found.base.items()}
    assert base["specific_offence"] == 5
    assert base["offence_year"] == 3  # shown only after "yes"
    assert base["customs_cases"] == 3  # two numbers and one "not available"
    assert base["main_obstacle"] == 1
    assert base["comments"] == 2


def test_numbers_five_number_summary(counted):
    found = counted()
    assert found.numbers[("customs_cases", ALL)] == NumberSummary(
        n=2, mean=20.0, minimum=10.0, q1=15.0, median=20.0, q3=25.0, maximum=30.0
    )


def test_rankings_rank_sums_and_firsts(counted):
    found = counted()
    ranks = {option: t for (key, option, group), t in found.ranks.items() if key == "priorities"}
    assert ranks == {
        "police": RankTally(ranked=4, rank_sum=5.0, first=3),
        "customs": RankTally(ranked=3, rank_sum=5.0, first=1),
        "regulator": RankTally(ranked=3, rank_sum=5.0, first=1),
    }


def test_respondents_by_region_with_their_countries(counted):
    regions = counted().regions
    assert {code: (t.respondents, t.countries) for code, t in regions.items()} == {
        "150": (3, 2),  # Europe: France twice, Germany
        "002": (1, 1),
        "019": (1, 1),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(region_code="150"), {("", "yes"): 2, ("", "no"): 1}),
        (Filters(subregion_code="202"), {("", "yes"): 1}),
        (Filters(stakeholder_group="government"), {("", "yes"): 2, ("", "dont_know"): 1}),
        (Filters(country_iso3="FRA"), {("", "yes"): 1, ("", "no"): 1}),
        (Filters(region_code="150", stakeholder_group="ngo"), {("", "no"): 1}),
        (Filters(version=1), {("", "yes"): 3, ("", "no"): 1, ("", "dont_know"): 1}),
        (Filters(version=2), {}),
        (Filters(region_code="009"), {}),
    ],
)
def test_filters(counted, filters, expected):
    assert _of(counted(filters).counts, "specific_offence") == expected


def test_breakdown_by_stakeholder_group_under_a_region_filter(counted):
    found = counted(Filters(region_code="150"), "stakeholder_group")
    assert found.groups == {"government": 1, "ngo": 1, "private_sector": 1}
    assert _of(found.counts, "lead_agency", "government") == {("", "police"): 1}
    assert _of(found.counts, "lead_agency", "ngo") == {("", "customs"): 1}
    assert _of(found.counts, "lead_agency", "private_sector") == {("", "regulator"): 1}
    # Numbers per group, and for everyone in a query of their own.
    assert found.numbers[("customs_cases", "government")].mean == 10.0
    assert found.numbers[("customs_cases", ALL)].n == 2


def test_breakdown_groups_come_largest_first(counted):
    found = counted(breakdown="region")
    assert found.groups == {"150": 3, "002": 1, "019": 1}
    assert found.group_keys() == ("150", "002", "019")
    assert found.base[("topics", "150")] == 3
