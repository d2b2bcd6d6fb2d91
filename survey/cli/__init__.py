"""The ``survey`` command: every operation of the service, each with --help."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import OperationalError

from survey.cli import (  # noqa: F401  (each module registers its commands)
    backup,
    db,
    demo,
    export,
    mail,
    organiser,
    participants,
    questionnaires,
)
from survey.cli.base import cli
from survey.config import ConfigError

__all__ = ["cli", "main"]


def main() -> None:
    """Run the CLI, turning configuration errors into one clear line and exit status 2."""
    try:
        cli.main(standalone_mode=False)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        click.echo(
            f"error: the database cannot be used: {reason} "
            "(check SURVEY_DATABASE_URL and that the server is running)",
            err=True,
        )
        sys.exit(3)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
