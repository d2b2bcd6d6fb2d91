"""The tallies kept by each submission equal a count made afresh from the answers."""

from __future__ import annotations

import statistics
from pathlib import Path

from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey import create_app, migrate
from survey.analysis.aggregates import aggregate
from survey.analysis.filters import Filters
from survey.analysis.numbers import summary
from survey.analysis.suppression import ALL
from survey.cli import cli
from survey.db import Database, database
from survey.models import AnswerTally, NumberTally, Questionnaire
from survey.models.tallies import ALL_COUNTRIES, PLACE_KEY
from survey.services import tallies
from survey.services.answering import definition_of
from tests.analysis.conftest import answer
from tests.analysis.experts import EXPERTS, answer_all
from tests.databases import empty_database
from tests.respondent.conftest import COMMENTS_RENAMED, VALID, load_questionnaire, store_new_version

FIRST = EXPERTS[0][2]  # a complete set of answers to minimal.yaml


def _tallies(app) -> tuple[list, list]:
    """Every tally row that counts something (a replaced submission can leave zeros)."""
    with app.app_context(), database().read_sessions() as session:
        return tuple(
            sorted(tuple(row) for row in session.execute(select(t.__table__).where(t.n != 0)))
            for t in (AnswerTally, NumberTally)
        )


def _recounted(app) -> tuple[list, list]:
    with app.app_context(), database().writing() as session:
        tallies.rebuild(session)
    return _tallies(app)


def _aggregates(app, questionnaire_id: int, filters: Filters | None = None):
    filters = filters or Filters()
    with app.app_context(), database().read_sessions() as session:
        definition = definition_of(session.get(Questionnaire, questionnaire_id))
        return aggregate(session, questionnaire_id, definition, filters)


def test_tallies_kept_by_submissions_and_revisions_equal_a_recount(app, minimal_id):
    answer_all(app, minimal_id)
    answer(app, minimal_id, FIRST, country="JPN", email="twice@example.org")
    changed = {**FIRST, "specific_offence": {"": ["no"]}, "customs_cases": {"": ["3"]}}
    answer(app, minimal_id, changed, country="JPN", email="twice@example.org")
    kept = _tallies(app)
    assert kept[0] and kept[1]
    assert kept == _recounted(app)


def test_a_revision_replaces_the_counts_of_the_one_before(app, minimal_id):
    first = {**FIRST, "specific_offence": {"": ["yes"]}, "customs_cases": {"": ["7"]}}
    answer(app, minimal_id, first, email="edits@example.org")
    second = {**FIRST, "specific_offence": {"": ["no"]}, "customs_cases": {"": ["9"]}}
    second["comments"] = {"": [""]}  # emptied (the draft keeps what a page does not send)
    answer(app, minimal_id, second, email="edits@example.org")
    found = _aggregates(app, minimal_id)
    assert found.respondents == 1
    offence = {
        code: n for (k, _item, code, _g), n in found.counts.items() if k == "specific_offence"
    }
    assert offence == {"no": 1}
    assert found.numbers[("customs_cases", ALL)].median == 9
    assert ("comments", ALL) not in found.base  # answered in the replaced revision only


def test_a_revision_under_a_new_version_leaves_the_old_version(app, minimal_id, tmp_path):
    answer(app, minimal_id, FIRST, email="versions@example.org")
    store_new_version(app, tmp_path, COMMENTS_RENAMED)
    again = {k: v for k, v in FIRST.items() if k != "comments"}
    answer(app, minimal_id, {**again, "remarks": {"": ["Later"]}}, email="versions@example.org")
    assert _aggregates(app, minimal_id, Filters(version=1)).respondents == 0
    assert _aggregates(app, minimal_id, Filters(version=2)).respondents == 1
    assert _tallies(app) == _recounted(app)


def test_the_rows_of_all_countries_add_up_the_rows_per_country(app, minimal_id):
    answer_all(app, minimal_id)
    with app.app_context(), database().read_sessions() as session:
        for table in (AnswerTally, NumberTally):
            key = [c for c in table.__table__.primary_key if c.name != "country_iso3"]
            rows = {}
            for all_countries in (True, False):
                where = (table.country_iso3 == ALL_COUNTRIES) == all_countries
                stmt = select(*key, func.sum(table.n)).where(where).group_by(*key)
                rows[all_countries] = sorted(tuple(row) for row in session.execute(stmt))
            assert rows[True] == rows[False] and rows[True]


def test_recount_from_the_command_line_restores_lost_tallies(app, runner, minimal_id):
    answer_all(app, minimal_id)
    kept = _tallies(app)
    with app.app_context(), database().writing() as session:
        session.query(AnswerTally).delete()
        session.query(NumberTally).delete()
    result = runner.invoke(cli, ["db", "recount"])
    assert result.exit_code == 0, result.output
    assert "tallies rebuilt" in result.output
    assert _tallies(app) == kept


def test_upgrading_to_the_tallies_counts_the_answers_already_stored(backend, tmp_path: Path):
    with empty_database(backend, tmp_path) as url:
        engine = Database(url).engine
        migrate.upgrade(engine)
        app = create_app(
            {"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "i"), "TESTING": True}
        )
        answer_all(app, load_questionnaire(app, VALID / "minimal.yaml"))
        kept = _tallies(app)
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        migrate.upgrade(engine)
        assert _tallies(app) == kept
        app.extensions["survey.db"].dispose()
        engine.dispose()


@given(
    st.dictionaries(
        st.integers(-1000, 1000).map(lambda v: v / 4), st.integers(1, 5), min_size=1, max_size=30
    )
)
def test_summary_from_counted_values_is_percentile_cont(counts: dict[float, int]):
    values = [value for value, n in sorted(counts.items()) for _ in range(n)]
    found = summary(sorted(counts.items()))
    assert (found.n, found.minimum, found.maximum) == (len(values), values[0], values[-1])
    assert (
        found.mean == statistics.fmean(values) or abs(found.mean - statistics.fmean(values)) < 1e-9
    )
    if len(values) > 1:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = median = q3 = values[0]
    assert (found.q1, found.median, found.q3) == (q1, median, q3)


def test_place_key_names_the_respondents_attributes():
    assert set(PLACE_KEY) == {"region_code", "subregion_code", "stakeholder_group", "country_iso3"}


def test_sqlite_finds_the_tally_tables_sound(app, minimal_id, backend):
    """A restore refuses a file that PRAGMA quick_check finds damaged (survey.services.backup);
    SQLite 3.40 reported false NULLs in tables without rowid whose key columns came late."""
    answer_all(app, minimal_id)
    if backend != "sqlite":
        return
    with app.app_context(), database().read_sessions() as session:
        found = session.connection().exec_driver_sql("PRAGMA quick_check").scalars().all()
    assert found == ["ok"]
