"""A dashboard costs the same few queries for 1,000 submissions as for 10,000."""

from __future__ import annotations

from contextlib import contextmanager

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


SELECTIONS = {
    "everyone": Selection(),
    "filtered": Selection(Filters(region_code="150", version=1)),
    "breakdown": Selection(Filters(stakeholder_group="government"), breakdown="region"),
}


def test_the_same_few_queries_at_1000_and_10000_submissions(app, minimal_id):
    engine = app.extensions["survey.db"].engine
    add_submissions(engine, minimal_id, 1_000)
    at_1000 = {name: _dashboard_statements(app, minimal_id, s) for name, s in SELECTIONS.items()}
    add_submissions(engine, minimal_id, 9_000, seed=2)
    for name, selection in SELECTIONS.items():
        at_10000 = _dashboard_statements(app, minimal_id, selection)
        assert len(at_1000[name]) == len(at_10000) <= MOST_STATEMENTS, (name, at_10000)
    # Without a breakdown: regions, groups, base n, codes, numbers, ranks.
    assert len(at_1000["everyone"]) == 6
    assert len(at_1000["breakdown"]) == 7  # numbers once per group and once for everyone
    _counts_add_up(app, minimal_id, 10_000)


def _counts_add_up(app, questionnaire_id: int, submissions: int) -> None:
    with app.test_request_context(), database().read_sessions() as session:
        questionnaire = session.get(Questionnaire, questionnaire_id)
        page = dashboards.dashboard(session, questionnaire, Selection(), "en", 5)
    assert page.respondents == page.regions.base == submissions
    by_key = {r.question.key: r.chart for r in page.results}
    assert by_key["agencies_involved"].base == submissions
    assert sum(c.count for c in by_key["specific_offence"].rows[0].counts) == submissions
