"""The ``survey`` command group, on which every command module registers."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from survey import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def cli() -> None:
    """Expert-meeting survey service."""


# Flask's own -A/--app, -e/--env-file and --debug options would only confuse here.
cli.params = [p for p in cli.params if p.name not in {"app", "env_file", "debug", "version"}]
