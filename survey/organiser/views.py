"""The organisers' result pages: every view reads a selection, asks a service, renders."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale

from dashboards import template_json
from survey import countries, db
from survey.analysis import texts as free_texts
from survey.analysis.filters import parse_selection, selection_args
from survey.analysis.labels import Labels, region_name
from survey.auth import login_required, role_required
from survey.models import Questionnaire, Role
from survey.organiser import charts, forms, vendor
from survey.services import comparisons, dashboards

bp = Blueprint("organiser", __name__, url_prefix="/staff/q")


@bp.context_processor
def _page_context() -> dict:
    lang = str(get_locale())
    return {
        "plotly_version": vendor.VERSION,
        "plotly_endpoint": vendor.ENDPOINT,
        "chart_words": charts.words(lang),
        "block": charts.block,
        "chart_template": template_json,
    }


def _questionnaire(slug: str) -> Questionnaire:
    return dashboards.find(db.session(), slug) or abort(404)


def _threshold() -> int:
    return current_app.config["SMALL_CELL_THRESHOLD"]


def _form_context(questionnaire: Questionnaire, selection) -> dict:
    versions = dashboards.version_numbers(db.session(), questionnaire)
    return {
        "selection": selection,
        "query": selection_args(selection),
        "choices": forms.filter_choices(versions, str(get_locale())),
    }


@bp.get("/")
@login_required
def index():
    """The questionnaires, with how many have answered each."""
    rows = dashboards.questionnaire_rows(db.session(), str(get_locale()))
    return render_template("organiser/index.html", questionnaires=rows)


@bp.get("/<slug>/dashboard")
@login_required
def dashboard(slug: str):
    """A chart and a table per question, under the filters and breakdown in the URL."""
    questionnaire = _questionnaire(slug)
    selection = parse_selection(request.args)
    page = dashboards.dashboard(
        db.session(), questionnaire, selection, str(get_locale()), _threshold()
    )
    context = _form_context(questionnaire, selection)
    return render_template("organiser/dashboard.html", page=page, **context)


@bp.get("/<slug>/compare")
@login_required
def compare(slug: str):
    """Paired questions before and after the meeting, and the change in matched experts."""
    questionnaire = _questionnaire(slug)
    other = comparisons.partner(db.session(), questionnaire) or abort(404)
    selection = parse_selection(request.args)
    found = comparisons.comparison(
        db.session(), questionnaire, other, selection, str(get_locale()), _threshold()
    )
    context = _form_context(questionnaire, selection)
    return render_template(
        "organiser/compare.html", questionnaire=questionnaire, comparison=found, **context
    )


@bp.get("/<slug>/sessions")
@login_required
def sessions(slug: str):
    """The evaluation of each session of the meeting, on one page."""
    questionnaire = _questionnaire(slug)
    selection = parse_selection(request.args)
    page, found, overview = comparisons.sessions(
        db.session(), questionnaire, selection, str(get_locale()), _threshold()
    )
    context = _form_context(questionnaire, selection)
    return render_template(
        "organiser/sessions.html", page=page, sessions=found, overview=overview, **context
    )


@bp.get("/<slug>/texts")
@role_required(Role.ADMIN)
def texts(slug: str):
    """Free-text answers (admins only): searchable, a page at a time."""
    questionnaire = _questionnaire(slug)
    definition = dashboards.definition_for(db.session(), questionnaire, None)
    words = request.args.get("q", "")[:200]
    question = request.args.get("question") or None
    page_number = request.args.get("page", 1, type=int)
    found = free_texts.search(db.session(), questionnaire, definition, words, question, page_number)
    return render_template(
        "organiser/texts.html",
        questionnaire=questionnaire,
        definition=definition,
        labels=Labels.for_definition(definition, str(get_locale())),
        found=found,
        words=words,
        question=question,
        keys=free_texts.text_keys(definition),
        country_name=lambda iso3: countries.country_name(iso3, str(get_locale())),
        region_name=region_name,
    )
