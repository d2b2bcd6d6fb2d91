"""Aggregates as chart data: labels in the reader's language, small counts hidden."""

from __future__ import annotations

import pytest

from survey.analysis.aggregates import aggregate
from survey.analysis.count_charts import year_periods
from survey.analysis.filters import Filters
from survey.analysis.labels import Labels
from survey.analysis.results import BUILDERS, question_results, region_chart
from survey.analysis.suppression import ALL
from survey.db import database
from survey.models import Questionnaire
from survey.questionnaires.types import QUESTION_TYPES
from survey.services.answering import definition_of
from tests.analysis.experts import answer_all


def test_every_question_type_has_a_chart_builder():
    assert set(BUILDERS) == set(QUESTION_TYPES)


@pytest.fixture
def results(app, minimal_id):
    """A function: the chart data by question key, for a threshold, filters and breakdown."""
    answer_all(app, minimal_id)

    def build(threshold=1, filters=None, breakdown=None, lang="en"):
        with app.test_request_context(), database().read_sessions() as session:
            definition = definition_of(session.get(Questionnaire, minimal_id))
            agg = aggregate(session, minimal_id, definition, filters or Filters(), breakdown)
            labels = Labels.for_definition(definition, lang)
            found = question_results(definition, agg, labels, threshold)
            return {r.question.key: r.chart for r in found}, region_chart(agg, threshold)

    return build


def _counts(chart, row=0):
    return {c.label: (c.count, None if c.percent is None else round(c.percent)) for c in
            chart.rows[row].counts}  # fmt: skip


def test_choices_in_the_readers_language_with_percentages(results):
    charts, _ = results(lang="fr")
    lead = charts["lead_agency"]
    assert lead.title == "Quelle agence dirige ?"
    assert lead.base == 5
    assert _counts(lead) == {
        "Police": (2, 40),
        "Douanes": (1, 20),
        "Autorité de réglementation": (1, 20),
        "Other": (1, 20),  # the service's own words: translated by the catalogs
    }
    # Multiple choice: percentages of respondents, so they add up to more than 100.
    assert _counts(charts["agencies_involved"])["Douanes"] == (3, 60)


def test_a_grid_is_a_diverging_chart_with_a_row_per_statement(results):
    charts, _ = results()
    topics = charts["topics"]
    assert topics.kind == "diverging"
    assert [row.label for row in topics.rows] == ["Ports", "Internet pharmacies"]
    assert _counts(topics, 1)["Strongly agree"] == (2, 40)
    useful = charts["useful"]
    assert useful.aside == ("dont_know",)
    assert _counts(useful)["Strongly agree"] == (2, 40)


def test_countries_are_counted_by_region(results):
    charts, regions = results()
    assert _counts(charts["country"]) == {
        "Africa": (1, 20),
        "Americas": (1, 20),
        "Asia": (0, 0),
        "Europe": (3, 60),
        "Oceania": (0, 0),
    }
    assert [(r.label, r.respondents, r.countries) for r in regions.regions[:2]] == [
        ("Africa", 1, 1),
        ("Americas", 1, 1),
    ]


def test_numbers_rankings_and_text(results):
    charts, _ = results()
    [cases] = charts["customs_cases"].rows
    assert (cases.n, cases.median, cases.not_available) == (2, 20.0, 1)
    [everyone] = charts["priorities"].series
    police = next(s for s in everyone.scores if s.code == "police")
    # top 2: rank 1 scores 2 points, rank 2 one point: (3 × 2 + 1 × 1) / 5 respondents
    assert (police.score, police.mean_rank, police.ranked, police.first) == (1.4, 1.25, 4, 3)
    assert charts["comments"].base == 2


def test_dates_by_year_or_by_periods():
    assert year_periods([2001, 2010]) == 1
    assert year_periods([1999, 2001, 2010]) == 2
    assert year_periods(range(1950, 2013)) == 10
    assert year_periods([]) == 1


def test_under_the_threshold_everything_small_is_hidden(results):
    charts, regions = results(threshold=5)
    lead = charts["lead_agency"]
    assert lead.base == 5
    assert all(count is None for count, _ in _counts(lead).values())
    assert charts["customs_cases"].base is None  # 3 answered: no summary at all
    assert charts["customs_cases"].rows == ()
    assert charts["comments"].base is None
    assert regions.base == 5
    assert [r.respondents for r in regions.regions] == [None, None, 0, None, 0]


def test_a_breakdown_hides_small_groups_whole(results):
    charts, _ = results(threshold=2, breakdown="region")
    lead = charts["lead_agency"]
    assert [row.label for row in lead.rows] == ["All respondents", "Europe"]
    assert lead.hidden_groups == ("Africa", "Americas")
    assert lead.rows[1].base == 3
    topics = charts["topics"]
    # Grid with a breakdown: a row per statement and group, under the statement.
    assert [(row.parent, row.label) for row in topics.rows] == [
        ("Ports", "All respondents"),
        ("Ports", "Europe"),
        ("Internet pharmacies", "All respondents"),
        ("Internet pharmacies", "Europe"),
    ]


def test_filters_reach_the_charts(results):
    charts, regions = results(filters=Filters(region_code="150"))
    assert charts["lead_agency"].base == 3
    assert regions.base == 3
    assert charts["lead_agency"].rows[0].key == ALL
