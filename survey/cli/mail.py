"""``survey invite`` and ``survey remind``: personal links by e-mail."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy.orm import Session

from survey.cli.base import cli
from survey.db import database
from survey.models import Participant, Questionnaire
from survey.services import links, mail


@cli.command("invite")
@click.argument("slug")
@click.option("--only-new", is_flag=True, help="Only participants who have no link yet.")
@click.option("--dry-run", is_flag=True, help="Say who would get an e-mail; send nothing.")
def invite_command(slug: str, only_new: bool, dry_run: bool) -> None:
    """E-mail each participant an invitation with a personal link to questionnaire SLUG.

    Everyone who has not submitted gets one, each in their preferred language, with a new link
    (links sent before keep working); --only-new leaves out those invited already. Revoked
    invitations get nothing. Needs SURVEY_SMTP_HOST; without a mail server, 'survey links'
    writes the links to a file for a mail merge.
    """
    _run(slug, mail.INVITATION, dry_run, only_new)


@cli.command("remind")
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Say who would get an e-mail; send nothing.")
def remind_command(slug: str, dry_run: bool) -> None:
    """E-mail a reminder to everyone invited to SLUG who has not submitted.

    Each reminder carries a new personal link; the earlier links keep working, so nobody loses
    a page they have open. Those who have submitted and revoked invitations get nothing.
    """
    _run(slug, mail.REMINDER, dry_run, only_new=False)


def _run(slug: str, kind: str, dry_run: bool, only_new: bool) -> None:
    config = current_app.config
    with database().write_sessions() as session:
        questionnaire = _questionnaire(session, slug)
        people = mail.recipients(session, questionnaire, kind, only_new=only_new)
        if dry_run:
            _preview(questionnaire, kind, people)
            return
        try:
            delivery = mail.deliver(session, questionnaire, kind, people, config)
        except mail.MailError as exc:
            raise click.ClickException(str(exc)) from None
    for address, reason in delivery.failed:
        click.echo(f"not sent to {address}: {reason}", err=True)
    click.echo(f"{kind}s sent: {len(delivery.sent)}, failed: {len(delivery.failed)}")
    if delivery.failed:
        raise SystemExit(1)


def _preview(questionnaire: Questionnaire, kind: str, people: list[Participant]) -> None:
    """List who would get the e-mail, with its subject in their language; store nothing."""
    config = current_app.config
    sample = links.link_url(config["BASE_URL"], "PERSONAL-LINK")
    for person in people:
        message = mail.compose(kind, questionnaire, person, sample, config["MAIL_FROM"])
        click.echo(f"{person.email}\t{person.language}\t{message['Subject']}")
    click.echo(f"dry run: {len(people)} {kind}(s) would be sent; nothing was sent or stored")
    try:
        mail.SmtpSettings.from_config(config)
        mail.check_open(questionnaire)
    except mail.MailError as exc:
        click.echo(f"but sending now would fail: {exc}", err=True)


def _questionnaire(session: Session, slug: str) -> Questionnaire:
    found = links.find_questionnaire(session, slug)
    if found is None or found.current_version_id is None:
        raise click.ClickException(
            f"no questionnaire {slug!r} in the database (survey questionnaires load adds one)"
        )
    return found
