"""``survey questionnaires``: check questionnaire files and load them as versions."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from survey.cli.base import cli
from survey.db import database
from survey.questionnaires.check import format_report
from survey.questionnaires.checker import check_files
from survey.questionnaires.problems import DefinitionError
from survey.services import questionnaires as store


def _files(paths: tuple[Path, ...]) -> list[Path]:
    folder: Path = current_app.config["QUESTIONS_DIR"]
    files = [Path(p) for p in paths] or sorted(folder.glob("*.yaml"))
    if not files:
        raise click.ClickException(f"no questionnaire files (*.yaml) in {folder}")
    return files


@cli.group("questionnaires")
def questionnaires_group() -> None:
    """Questionnaire files: check them, load them as versions."""


@questionnaires_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: every file in the questions folder)."""
    results = check_files(
        _files(paths), current_app.config["QUESTIONS_DIR"], current_app.config["TIMEZONE"]
    )
    click.echo(format_report(results))
    if any(results.values()):
        raise SystemExit(1)


@questionnaires_group.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--new-version",
    is_flag=True,
    help="Store as a new version: needed to remove questions or options that have "
    "answers; the old answers stay with the old version.",
)
def load(paths: tuple[Path, ...], new_version: bool) -> None:
    """Check and store questionnaire files (default: every file in the questions folder)."""
    config = current_app.config
    try:
        definitions = store.read_definitions(
            _files(paths), config["QUESTIONS_DIR"], config["TIMEZONE"]
        )
    except DefinitionError as error:
        click.echo("\n".join(str(p) for p in error.problems), err=True)
        raise click.ClickException("nothing was loaded: correct the files above") from None
    try:
        with database().writing() as session:
            results = [
                store.store_definition(session, d, f"{d.id}.yaml", config["TIMEZONE"], new_version)
                for d in definitions
            ]
    except store.VersionConflict as conflict:
        raise click.ClickException(f"nothing was loaded: {conflict}") from None
    for r in results:
        notes = f" ({'; '.join(r.notes)})" if r.notes else ""
        click.echo(f"{r.slug}: {r.outcome}, version {r.number} revision {r.revision}{notes}")
