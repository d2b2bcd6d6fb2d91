"""``survey demo``: fill the database with a realistic, seeded demo."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from survey.bulk_demo import BATCH, add_bulk_submissions
from survey.cli.base import cli
from survey.db import database
from survey.demo import DEMO_DOMAIN, demo_exists, open_around_now, run_demo
from survey.models import Invitation, Participant, Questionnaire
from survey.services import links


@cli.command("demo")
@click.option("--participants", default=150, show_default=True, help="How many experts.")
@click.option("--seed", default=2013, show_default=True, help="Seed of the random choices.")
@click.option(
    "--links",
    "show_links",
    default=3,
    show_default=True,
    help="How many personal links of experts who have not started to print.",
)
@click.option(
    "--bulk",
    type=int,
    default=0,
    help="Instead: add this many submitted responses (for benchmarks), in batches.",
)
@click.option("--questionnaire", "slug", help="With --bulk: only this questionnaire.")
def demo(participants: int, seed: int, show_links: int, bulk: int, slug: str | None) -> None:
    """Add demo participants and answers to the loaded questionnaires (once)."""
    if bulk:
        _bulk(bulk, slug, seed)
        return
    with database().writing() as session:
        questionnaires = list(
            session.scalars(
                select(Questionnaire)
                .where(Questionnaire.current_version_id.is_not(None))
                .order_by(Questionnaire.opens_at, Questionnaire.id)
            )
        )
        if not questionnaires:
            raise click.ClickException(
                "no questionnaire is loaded: run 'survey questionnaires load' first"
            )
        if demo_exists(session):
            open_around_now(questionnaires)
            click.echo("demo data is already there; questionnaires opened around today")
        else:
            with click.progressbar(
                length=participants * len(questionnaires), label="answering as experts"
            ) as bar:
                summary = run_demo(
                    session,
                    questionnaires,
                    current_app.config["PSEUDONYM_KEY"],
                    participants,
                    seed,
                    lambda done, _t: bar.update(done - bar.pos),
                )
            click.echo(f"{summary.participants} participants")
            for slug in summary.started:
                click.echo(
                    f"{slug}: {summary.started[slug]} started, "
                    f"{summary.submitted[slug]} submitted, {summary.edited[slug]} edited"
                )
        _print_fresh_links(session, questionnaires, show_links)


def _print_fresh_links(session, questionnaires, count: int) -> None:
    """New links for a few experts who have not started: links are kept only as hashes."""
    base_url = current_app.config["BASE_URL"]
    for questionnaire in questionnaires:
        people = session.scalars(
            select(Participant)
            .join(Invitation, Invitation.participant_id == Participant.id)
            .where(
                Participant.email.like(f"%@{DEMO_DOMAIN}"),
                Invitation.questionnaire_id == questionnaire.id,
                Invitation.first_opened_at.is_(None),
            )
            .order_by(Participant.id)
            .limit(count)
        )
        for person in people:
            token = links.issue_link(session, questionnaire, person)
            click.echo(
                f"{questionnaire.slug} link for {person.name} ({person.language}): "
                f"{links.link_url(base_url, token)}"
            )


def _bulk(count: int, slug: str | None, seed: int) -> None:
    with database().writing() as session:
        query = select(Questionnaire).where(Questionnaire.current_version_id.is_not(None))
        if slug:
            query = query.where(Questionnaire.slug == slug)
        questionnaires = list(session.scalars(query.order_by(Questionnaire.opens_at)))
    if not questionnaires:
        raise click.ClickException(f"no loaded questionnaire {slug or ''}".strip())
    for questionnaire in questionnaires:
        # One transaction per batch of experts: progress survives an interruption.
        with click.progressbar(
            length=count, label=f"{questionnaire.slug}: bulk submissions"
        ) as bar:
            done = 0
            while done < count:
                size = min(BATCH * 10, count - done)
                with database().writing() as session:
                    fresh = session.get(Questionnaire, questionnaire.id)
                    add_bulk_submissions(
                        session,
                        fresh,
                        size,
                        current_app.config["PSEUDONYM_KEY"],
                        seed + done,
                        lambda n, start=done: bar.update(start + n - bar.pos),
                    )
                done += size
        click.echo(f"{questionnaire.slug}: {count} submissions added")
