"""``survey backup`` and ``survey restore``: a consistent copy of the database, taken live."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from survey.cli.base import cli
from survey.services import backup as backups

PG_RESTORE_HELP = (
    "PostgreSQL: restore with pg_restore into a new, empty database, for example\n"
    "  createdb survey_restored\n"
    "  pg_restore --no-owner --dbname postgresql://USER@HOST/survey_restored FILE\n"
    "then point SURVEY_DATABASE_URL at it (and run 'survey db upgrade' if the backup is older\n"
    "than the code)."
)


@cli.command("backup")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced if it exists, only once the backup is complete).",
)
def backup_command(out: Path) -> None:
    """Back up the database while the service runs.

    SQLite: a copy made with SQLite's online backup API, one consistent state even while
    experts are saving. PostgreSQL: pg_dump --format=custom of SURVEY_DATABASE_URL (pg_dump
    is looked for on PATH, then in /usr/lib/postgresql/*/bin).
    """
    try:
        summary = backups.backup(current_app.config["DATABASE_URL"], out)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up {summary.describe()}")


@cli.command("restore", epilog="\b\n" + PG_RESTORE_HELP)
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the database is to be replaced.")
def restore_command(backup_file: Path, yes: bool) -> None:
    """Replace the SQLite database by a backup made with 'survey backup'.

    Every answer stored after the backup was made is lost: stop the service first, and keep
    a backup of the current database if in doubt. PostgreSQL backups are restored with
    pg_restore (see below).
    """
    url = current_app.config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        raise click.ClickException(
            "survey restore restores SQLite databases only.\n" + PG_RESTORE_HELP
        )
    if not yes:
        raise click.ClickException(
            f"this replaces the database {url.removeprefix('sqlite:///')} and everything in it "
            f"by the backup {backup_file}: stop the service, then run again with --yes"
        )
    try:
        summary = backups.restore_sqlite(backup_file, url)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {summary.describe()}")
    click.echo("start the service again ('survey db upgrade' first if the backup is older).")
