"""The invitation_token migration: links issued before it keep working, on both databases."""

from __future__ import annotations

import hashlib

from alembic import command
from sqlalchemy import text

from survey import migrate
from survey.db import Database
from survey.services.links import find_invitation
from tests.databases import empty_database

TOKEN = "T" * 43
NOW = "2026-11-01 10:00:00"


def _old_invitation(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO questionnaire (id, slug, anonymous, opens_at, closes_at, created_at) "
                "VALUES (1, 'pre', false, :now, :now, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO participant (id, email, name, country_iso3, organisation, "
                "stakeholder_group, language, created_at, updated_at) "
                "VALUES (1, 'a@example.org', 'A', 'FRA', '', 'government', 'en', :now, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO invitation (id, questionnaire_id, participant_id, token_hash, "
                "created_at, has_submitted) VALUES (1, 1, 1, :hash, :now, false)"
            ),
            {"hash": hashlib.sha256(TOKEN.encode()).hexdigest(), "now": NOW},
        )


def test_links_issued_before_the_migration_keep_working_and_it_goes_back(backend, tmp_path):
    with empty_database(backend, tmp_path) as url:
        database = Database(url)
        migrate.upgrade(database.engine, "0002")
        _old_invitation(database)
        migrate.upgrade(database.engine)
        with database.read_sessions() as session:
            assert find_invitation(session, TOKEN).participant.email == "a@example.org"
        with database.engine.begin() as conn:
            config = migrate.alembic_config(database.engine)
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        with database.engine.connect() as conn:
            kept = conn.execute(text("SELECT token_hash FROM invitation")).scalar_one()
        assert kept == hashlib.sha256(TOKEN.encode()).hexdigest()
        migrate.upgrade(database.engine)
        with database.read_sessions() as session:
            assert find_invitation(session, TOKEN) is not None
        database.dispose()
