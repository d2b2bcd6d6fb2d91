"""A dashboard costs the same few queries for 1,000 submissions as for 10,000."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from survey.analysis.filters import Filters, Selection
from survey.db import database
from survey.models import Questionnaire
from survey.services import comparisons, dashboards
from tests.analysis.bulk import add_submissions, database_url  # noqa: F401  (a database of its own)

# Regions, groups, base n, codes, numbers (twice with a breakdown), ranks, the version: the
# whole page's data in fewer statements than this, whatever the data.
MOST_STATEMENTS = 10


@contextmanager
def counting(engine):
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _dashboard_statements(app, questionnaire_id: int, selection: Selection) -> list[str]:
    with app.test_request_context(), database().read_sessions() as session:
        questionnaire = session.get(Questionnaire, questionnaire_id)
        questionnaire.current_version  # noqa: B018  (loaded before counting, as the view does)
        with counting(database().engine) as statements:
            page = dashboards.dashboard(session, questionnaire, selection, "en", 5)
            comparisons.session_results(page)
        assert page.respondents > 0
        return statements


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(Filters(region_code="150", version=1)),
        Selection(Filters(stakeholder_group="government"), breakdown="region"),
    ],
    ids=["everyone", "filtered", "breakdown"],
)
def test_the_same_few_queries_at_1000_and_10000_submissions(app, minimal_id, selection):
    engine = app.extensions["survey.db"].engine
    add_submissions(engine, minimal_id, 1_000)
    at_1000 = _dashboard_statements(app, minimal_id, selection)
    add_submissions(engine, minimal_id, 9_000, seed=2)
    at_10000 = _dashboard_statements(app, minimal_id, selection)
    assert len(at_1000) == len(at_10000) <= MOST_STATEMENTS, at_10000


def test_counts_at_10000_submissions_add_up(app, minimal_id):
    add_submissions(app.extensions["survey.db"].engine, minimal_id, 10_000)
    with app.test_request_context(), database().read_sessions() as session:
        questionnaire = session.get(Questionnaire, minimal_id)
        page = dashboards.dashboard(session, questionnaire, Selection(), "en", 5)
    assert page.respondents == 10_000
    assert page.regions.base == 10_000
    by_key = {r.question.key: r.chart for r in page.results}
    assert by_key["agencies_involved"].base == 10_000
    assert sum(c.count for c in by_key["specific_offence"].rows[0].counts) == 10_000
