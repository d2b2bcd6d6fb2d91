"""The ``survey`` command: every operation of the service, each with --help."""

from __future__ import annotations

import sys

import click

from survey.cli import db, participants  # noqa: F401  (each registers its commands)
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
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
