"""Checks made before serving: the database answers and its schema is the latest."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from survey import migrate
from survey.config import ConfigError
from survey.questionnaires.checker import check_files


def check_ready(app: Flask) -> None:
    """Raise ConfigError, with what to do, if the service cannot serve yet."""
    _check_questionnaire_files(app)
    _check_database(app)


def _check_questionnaire_files(app: Flask) -> None:
    folder: Path = app.config["QUESTIONS_DIR"]
    files = sorted(folder.glob("*.yaml"))
    results = check_files(files, folder, app.config["TIMEZONE"]) if files else {}
    problems = [str(p) for found in results.values() for p in found]
    if problems:
        raise ConfigError(
            "a questionnaire file is not valid; correct it (see 'survey questionnaires "
            "check') and start again:\n  " + "\n  ".join(problems)
        )


def _check_database(app: Flask) -> None:
    engine = app.extensions["survey.db"].engine
    where = engine.url.render_as_string(hide_password=True)
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ConfigError(f"cannot reach the database {where}: {reason}") from None
    heads = migrate.head_revisions(engine)
    if current not in heads:
        raise ConfigError(
            f"the database {where} is at schema {current or 'empty'}, not the latest "
            f"({', '.join(heads)}): run 'survey db upgrade'"
        )
