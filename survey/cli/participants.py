"""``survey participants`` and ``survey links``: the participant list and personal links."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

import click
from flask import current_app
from sqlalchemy.orm import Session

from survey.cli.base import cli
from survey.db import database
from survey.models import Questionnaire
from survey.services import links as link_service
from survey.services.participants import MAX_BYTES, import_participants, list_participants


@cli.group("participants")
def participants_group() -> None:
    """The invited experts: import the list, show who is invited."""


@participants_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Create or update participants from a CSV file, all rows or none.

    FILE is UTF-8 CSV (comma or semicolon) whose first row names the columns name, email,
    country, organisation, stakeholder_group and preferred_language. People already known by
    their e-mail are updated; nobody is deleted.
    """
    with file.open("rb") as f:
        data = f.read(MAX_BYTES + 1)  # enough to tell that a file is too large
    with database().writing() as session:
        result = import_participants(session, data)
    if not result.ok:
        for problem in result.errors:
            click.echo(str(problem), err=True)
        count = len(result.errors)
        click.echo(f"{count} problem{'s' * (count > 1)}: nothing was imported", err=True)
        raise SystemExit(1)
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")


@participants_group.command("list")
@click.option("--questionnaire", "slug", metavar="SLUG", help="Also show each person's link to it.")
def list_command(slug: str | None) -> None:
    """List the participants by name (e-mail, country, group, language)."""
    with database().read_sessions() as session:
        questionnaire = _questionnaire(session, slug) if slug else None
        rows = list_participants(session, questionnaire)
    for person, invitation in rows:
        cells = [
            person.email,
            person.name,
            person.country_iso3,
            person.stakeholder_group,
            person.language,
        ]
        if questionnaire is not None:
            cells.append(link_service.invitation_status(invitation))
        click.echo("\t".join(cells))
    click.echo(f"{len(rows)} participant{'s' * (len(rows) != 1)}", err=True)


@cli.command("links")
@click.argument("questionnaire")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file to write (must not exist yet).",
)
@click.option("--new-only", is_flag=True, help="Write only the participants given a new link.")
@click.option(
    "--reissue", is_flag=True, help="New links for everyone too (links sent before still work)."
)
def links_command(questionnaire: str, out: Path, new_only: bool, reissue: bool) -> None:
    """Issue personal links and write them to a CSV file for a mail merge.

    QUESTIONNAIRE is the questionnaire's slug. Participants without a link get one. A link
    already issued cannot be shown again (only its hash is kept): its row says so, unless
    --reissue adds a new one (the old one keeps working). Revoked links stay revoked. The file
    holds working links: keep it private and delete it after use.
    """
    if new_only and reissue:
        raise click.UsageError("--new-only and --reissue cannot be used together")
    if out.exists():
        # It may hold links that cannot be shown again.
        raise click.ClickException(f"{out} exists; choose another file name")
    partial = out.with_name(f".{out.name}.partial")
    try:
        with database().writing() as session:
            found = _questionnaire(session, questionnaire)
            rows = link_service.issue_links(session, found, reissue=reissue)
            if new_only:
                rows = [row for row in rows if row.token]
            # Written before the commit: if writing fails, no link is issued in vain.
            with _private_file(partial) as f:
                link_service.write_links_csv(rows, current_app.config["BASE_URL"], f)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    counts = {s: sum(row.status == s for row in rows) for s in link_service.STATUS_TEXT}
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no participants")
    click.echo(f"written to {out}: it holds working links, keep it private")


def _questionnaire(session: Session, slug: str) -> Questionnaire:
    found = link_service.find_questionnaire(session, slug)
    if found is None:
        raise click.ClickException(
            f"no questionnaire {slug!r} in the database (survey questionnaires load adds one)"
        )
    return found


def _private_file(path: Path) -> TextIO:
    """A new file that only its owner can read: it holds personal links."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")
