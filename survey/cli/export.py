"""``survey export``: the exports of the organiser pages, from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from survey.analysis.filters import BREAKDOWNS, Selection, parse_selection
from survey.cli.base import cli
from survey.db import database
from survey.export import audit
from survey.export.aggregated import aggregated_rows
from survey.export.codebook import codebook_rows
from survey.export.csvfile import csv_chunks
from survey.export.raw import raw_rows
from survey.i18n import LANGUAGES
from survey.models import Questionnaire, Response, Submission
from survey.services import dashboards


def _aggregated(session, questionnaire: Questionnaire, selection: Selection, lang: str):
    with force_locale(lang):  # the labels are made now, in the language asked for
        page = dashboards.dashboard(
            session, questionnaire, selection, lang, current_app.config["SMALL_CELL_THRESHOLD"]
        )
    return aggregated_rows(page)


EXPORTS = {"raw": raw_rows, "codebook": codebook_rows, "aggregated": _aggregated}


@cli.command("export")
@click.argument("kind", type=click.Choice(sorted(EXPORTS)))
@click.argument("slug")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (not overwritten if it exists).",
)
@click.option("--excel", is_flag=True, help="With the byte-order mark Excel needs.")
@click.option("--all-revisions", is_flag=True, help="raw: every submitted revision.")
@click.option("--by", type=click.Choice(sorted(BREAKDOWNS)), help="aggregated: a breakdown.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME=VALUE",
    help="aggregated: region=002, subregion=..., group=..., country=..., version=N.",
)
@click.option(
    "--lang",
    type=click.Choice(sorted(LANGUAGES)),
    default="en",
    show_default=True,
    help="aggregated: language of the question texts.",
)
def export(
    kind: str,
    slug: str,
    out: Path,
    excel: bool,
    all_revisions: bool,
    by: str | None,
    filters: tuple[str, ...],
    lang: str,
) -> None:
    """Write an export of questionnaire SLUG to a CSV file (audited as 'command line')."""
    if out.exists():
        raise click.ClickException(f"{out} exists already: choose another file name")
    selection = _selection(filters, by)
    with database().read_sessions() as session:
        questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
        if questionnaire is None or questionnaire.current_version_id is None:
            raise click.ClickException(f"no loaded questionnaire {slug!r}")
        args = {"raw": (all_revisions,), "codebook": (), "aggregated": (selection, lang)}[kind]
        event = audit.record(
            f"export {kind}",
            None,
            outcome="started",
            questionnaire=slug,
            excel=excel,
            by="command line",
            filters=list(filters),
            breakdown=by,
        )
        rows = audit.counted(EXPORTS[kind](session, questionnaire, *args), event)
        _write(
            out,
            csv_chunks(rows, excel),
            _expected_rows(session, questionnaire, kind, all_revisions),
        )
    click.echo(f"{out}: written")


def _selection(filters: tuple[str, ...], by: str | None) -> Selection:
    pairs = dict(f.split("=", 1) for f in filters if "=" in f)
    if len(pairs) != len(filters):
        raise click.BadParameter("write each filter as NAME=VALUE", param_hint="--filter")
    selection = parse_selection({**pairs, "by": by or ""})
    if selection.errors:
        raise click.BadParameter(f"unknown values: {selection.errors}", param_hint="--filter")
    return selection


def _expected_rows(session, questionnaire, kind: str, all_revisions: bool) -> int | None:
    if kind != "raw":
        return None
    query = (
        select(func.count())
        .select_from(Submission)
        .join(Response, Response.id == Submission.response_id)
        .where(Response.questionnaire_id == questionnaire.id)
    )
    if not all_revisions:
        query = query.where(Response.current_submission_id == Submission.id)
    return session.scalar(query)


def _write(out: Path, chunks, total: int | None) -> None:
    partial = out.with_name(out.name + ".part")
    # Written to a side file and renamed at the end: a broken export never looks complete.
    with (
        partial.open("w", encoding="utf-8", newline="") as file,
        click.progressbar(length=(total or 0) + 1, label="rows") as bar,
    ):
        for chunk in chunks:
            file.write(chunk)
            bar.update(1)
    partial.replace(out)
