"""``survey db``: schema upgrades and checks."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from survey import migrate
from survey.cli.base import cli
from survey.db import database
from survey.export.raw import fill_export_cells
from survey.models import AnswerTally, Submission
from survey.services import tallies


@cli.group("db")
def db_group() -> None:
    """Database schema: upgrade, show the current revision, recount the dashboards' tallies."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision.")
def upgrade(revision: str) -> None:
    """Bring the database to the latest schema (safe to run again)."""
    engine = database().engine
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    click.echo(f"database {url}: {before or 'empty'} -> {after}")


@db_group.command("current")
def current() -> None:
    """Print the schema revision of the database and the latest one available."""
    engine = database().engine
    click.echo(f"database: {migrate.current_revision(engine) or 'empty'}")
    click.echo(f"latest:   {', '.join(migrate.head_revisions(engine))}")
    click.echo(f"url:      {current_app.config['DATABASE_URL'].split('@')[-1]}")


BATCH = 1000  # submissions whose answers are read at once


@db_group.command("recount")
def recount() -> None:
    """Rebuild the dashboards' counts from the stored answers, and keep the raw export's cells
    of submissions that have none (both are kept at every submission; this is for a database
    upgraded from before them, or whose rows were changed by hand)."""
    with database().writing() as session:
        tallies.rebuild(session)
        rows = session.scalar(select(func.count()).select_from(AnswerTally))
        missing = session.scalars(
            select(Submission.id).where(Submission.export_cells.is_(None)).order_by(Submission.id)
        ).all()
        for start in range(0, len(missing), BATCH):
            fill_export_cells(session, list(missing[start : start + BATCH]))
    click.echo(f"tallies rebuilt: {rows} rows of answer counts")
    click.echo(f"export cells kept for {len(missing)} submissions that had none")
