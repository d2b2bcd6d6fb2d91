"""Migrations: one head, and an upgraded empty database has exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import survey.models  # noqa: F401
from survey import migrate
from survey.db import Base, Database
from tests.databases import empty_database


def test_one_migration_head(app):
    assert len(migrate.head_revisions(app.extensions["survey.db"].engine)) == 1


def test_upgrade_of_an_empty_database_gives_the_models_schema(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        database = Database(url)
        assert migrate.current_revision(database.engine) is None
        migrate.upgrade(database.engine)
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert migrate.current_revision(database.engine) in migrate.head_revisions(database.engine)
        database.dispose()
    assert differences == []


def test_upgrade_twice_changes_nothing(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        database = Database(url)
        migrate.upgrade(database.engine)
        first = migrate.current_revision(database.engine)
        migrate.upgrade(database.engine)
        assert migrate.current_revision(database.engine) == first
        database.dispose()
