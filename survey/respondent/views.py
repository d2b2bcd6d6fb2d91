"""Routes of the personal link: welcome, pages, review, submit, confirmation.

The link's token is the only credential. Unknown, revoked and malformed tokens all get the
same 404. Posted answers are never dropped: a failed check, an expired form, a conflict or an
unavailable database re-renders them as typed.
"""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request
from flask_babel import format_time
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import ServiceUnavailable
from wtforms import ValidationError

from survey import countries, db
from survey.answering.raw import raw_from_form
from survey.models.columns import utcnow
from survey.respondent import blank_pages, context, display, fragments
from survey.respondent.pages import PageView, progress, section_by_key
from survey.security import csrf
from survey.services import answering

log = logging.getLogger(__name__)

bp = Blueprint("respondent", __name__, url_prefix="/r/<token>")
# CSRF is checked in the views, so that a failed check re-renders the answers, never a bare 400.
csrf.exempt(bp)
# What a form sends besides the answers.
FORM_CONTROLS = {"csrf_token", "lock_version", "action"}


@bp.errorhandler(OperationalError)
def _database_unavailable(exc: OperationalError):
    """The database did not answer: a posted form comes back with everything typed in it, to be
    sent again as it is. Nothing here may use the database, not even to find the questionnaire.

    The transaction is rolled back. Should the database have committed just before the
    connection broke, sending again is still safe: the save's lock version has moved on, so
    it is refused as a conflict that shows the answers again, and a repeated submit is
    recognised as the same one."""
    log.error("database unavailable: %s", getattr(exc, "orig", exc))
    retry = {"Retry-After": "60"}
    if request.method != "POST":
        return render_template("errors/error.html", error=ServiceUnavailable()), 503, retry
    if request.endpoint == "respondent.autosave":
        return jsonify(error="unavailable"), 503, retry
    fields = [(name, value) for name in request.form for value in request.form.getlist(name)]
    typed = [(name, value) for name, value in fields if name not in FORM_CONTROLS and value]
    page = render_template(
        "respondent/unavailable.html", fields=fields, typed=typed, endpoint=request.endpoint
    )
    return page, 503, retry


# Requests whose statements each stand alone: a page that only reads, reads the link, then
# (confirmation) a submission and its answers, which never change once written; a save reads
# the link, then writes the draft in one UPDATE that applies only at the version read.
_STATEMENTS_STAND_ALONE = {"respondent.save_page", "respondent.autosave"}


@bp.url_value_preprocessor
def _load_link(endpoint, values):
    token = values.pop("token")
    guessing = context.guessing_limit(request.remote_addr)
    alone = request.method == "GET" or endpoint in _STATEMENTS_STAND_ALONE
    found = context.lookup(db.session(statements_stand_alone=alone), token, guessing)
    if found.retry_at is not None:
        abort(
            429,
            _(
                "Too many unknown links were tried from your network. Please try again "
                "after %(time)s.",
                time=format_time(found.retry_at, "short"),
            ),
        )
    g.link = found.link
    if g.link is None:
        # A POST's session already holds SQLite's write lock: counting the failure in a
        # transaction of its own would wait for it (30 s, then 503) with every save queued.
        db.session().rollback()
        context.count_failure(guessing)  # unknown, revoked and malformed alike
        abort(404)


@bp.url_defaults
def _keep_token(_endpoint, values):
    if "token" not in values:  # links between the pages of one personal link
        values["token"] = g.link.token


@bp.before_request
def _refuse_undecodable_body():
    if request.method == "POST" and not context.body_is_utf8(request):
        abort(
            400,
            _(
                "What was sent could not be read (it is not UTF-8 text). "
                "Nothing was saved. Please go back and send the page again."
            ),
        )


@bp.get("/")
def welcome():
    """Say what the questionnaire is for, who sees the answers, and when it closes."""
    return render_template("respondent/welcome.html", link=g.link)


@bp.post("/start")
def start():
    """Start (or resume) answering: go to the page where the expert left off."""
    if (refused := _csrf_refused()) is not None:
        return refused
    if not g.link.is_open:
        return redirect(_url("respondent.welcome"))
    session = db.session()
    invitation, questionnaire = context.for_writing(session, g.link)
    response = answering.start(
        session, invitation, questionnaire, current_app.config["PSEUDONYM_KEY"], g.lang
    )
    session.commit()
    first = g.link.definition.sections[0].key
    return redirect(_url("respondent.page", section=response.current_page or first))


@bp.get("/p/<section>")
def page(section: str):
    """Show one page with the answers saved so far."""
    if g.link.response is None or not g.link.is_open:
        return redirect(_url("respondent.welcome"))
    view = _page_view(section, g.link.response.draft, g.link.response.lock_version)
    if blank_pages.may_keep(view):
        render = partial(render_template, "respondent/page.html")
        return blank_pages.page(view, g.link, generate_csrf(), render)
    return render_template("respondent/page.html", link=g.link, view=view)


@bp.post("/p/<section>")
def save_page(section: str):
    """Save the page as typed, then go where the expert asked."""
    view = _page_view(section, {}, 0)
    posted = raw_from_form(request.form, view.section.questions)
    view.raw = {**(g.link.response.draft if g.link.response else {}), **posted}
    view.lock_version = request.form.get("lock_version", type=int, default=-1)
    if (refused := _csrf_refused(view)) is not None:
        return refused
    if g.link.response is None or not g.link.is_open:
        return redirect(_url("respondent.welcome"))
    return _save_and_go(view, posted, request.form.get("action", "save"))


def _save_and_go(view: PageView, posted, action: str):
    session = db.session()
    try:
        answering.save(
            session,
            g.link.response,
            g.link.questionnaire,
            posted,
            view.section.key,
            view.lock_version,
        )
        session.commit()
    except answering.EditConflict as conflict:
        session.rollback()
        view.lock_version = conflict.current_lock_version
        return _render_page(view, 409, conflict=True)
    except answering.QuestionnaireClosed:
        session.rollback()
        return _render_page(view, 409, closed=True)
    view.errors = answering.invalid_answers(view.definition, view.raw, view.section.questions)
    if view.errors and action != "save":
        view.lock_version += 1
        return _render_page(view, 422)
    return redirect(_destination(view, action))


def _destination(view: PageView, action: str) -> str:
    if action == "next" and view.next:
        return _url("respondent.page", section=view.next.key)
    if action == "previous" and view.previous:
        return _url("respondent.page", section=view.previous.key)
    if action.startswith("goto:") and section_by_key(view.definition, action[5:]):
        return _url("respondent.page", section=action[5:])
    if action in {"review", "next"}:
        return _url("respondent.review")
    return _url("respondent.page", section=view.section.key, saved=1)


@bp.post("/p/<section>/autosave")
def autosave(section: str):
    """Save the page in the background (scripts only); answer with the new lock version."""
    if g.link.response is None or not g.link.is_open:
        return jsonify(error="closed"), 409
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return jsonify(error="expired"), 400
    view = _page_view(section, {}, 0)
    posted = raw_from_form(request.form, view.section.questions)
    session = db.session()
    try:
        response = answering.save(
            session,
            g.link.response,
            g.link.questionnaire,
            posted,
            view.section.key,
            request.form.get("lock_version", -1, int),
        )
        session.commit()
    except answering.EditConflict as conflict:
        return jsonify(error="conflict", lock_version=conflict.current_lock_version), 409
    except answering.QuestionnaireClosed:
        return jsonify(error="closed"), 409
    return jsonify(lock_version=response.lock_version, saved_at=utcnow().isoformat())


@bp.get("/review")
def review():
    """List what is still unanswered or needs correcting, and offer to submit."""
    if g.link.response is None:
        return redirect(_url("respondent.welcome"))
    return _render_review(200)


def _render_review(status: int, problems=None, conflict: bool = False):
    response = g.link.response
    if problems is None:
        _, problems = answering.check(g.link.definition, response.draft)
    sections = progress(g.link.definition, response.draft, problems.invalid, problems.missing)
    return render_template(
        "respondent/review.html",
        link=g.link,
        sections=sections,
        problems=problems,
        conflict=conflict,
    ), status


@bp.post("/submit")
def submit():
    """Submit the answers; a repeated click lands on the same confirmation."""
    if (refused := _csrf_refused()) is not None:
        return refused
    if g.link.response is None or not g.link.is_open:
        return redirect(_url("respondent.welcome"))
    session = db.session()
    invitation, questionnaire = context.for_writing(session, g.link)
    try:
        outcome = answering.submit(
            session,
            invitation,
            g.link.response,
            questionnaire,
            request.form.get("lock_version", -1, int),
        )
        session.commit()
    except answering.EditConflict:
        session.rollback()
        context.read_response_again(session, g.link)  # as the other device left it
        return _render_review(409, conflict=True)
    except answering.QuestionnaireClosed:
        session.rollback()
        return redirect(_url("respondent.welcome"))
    if outcome.problems:
        context.read_response_again(session, g.link)  # its lock version moved on
        return _render_review(422, outcome.problems)
    return redirect(_url("respondent.done", repeated=int(outcome.repeated) or None))


@bp.get("/done")
def done():
    """Confirm the submission and show a printable copy of the answers."""
    copy = context.submitted_copy(db.session(), g.link)
    if copy is None:
        return redirect(_url("respondent.welcome"))
    return render_template(
        "respondent/done.html", link=g.link, copy=copy, repeated=request.args.get("repeated")
    )


def _page_view(section_key: str, raw, lock_version: int) -> PageView:
    section = section_by_key(g.link.definition, section_key)
    if section is None:
        abort(404)
    return PageView(g.link.definition, section, raw, lock_version)


def _render_page(view: PageView, status: int, **notices):
    return render_template("respondent/page.html", link=g.link, view=view, **notices), status


def _csrf_refused(view: PageView | None = None):
    """None when the form's CSRF token is good; otherwise the page again, answers kept."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        if view is None:
            return redirect(_url("respondent.welcome", expired=1))
        return _render_page(view, 400, expired=True)
    return None


def _url(endpoint: str, **values) -> str:
    from flask import url_for

    return url_for(endpoint, **values)


def _page_url(section_key: str) -> str:
    """The address of a page of this link, for the lists of pages (a page lists them all).

    Built by url_for once per request: section keys are lower-case letters, digits and _
    (the questionnaire schema), which an address takes as they are."""
    prefix = g.get("page_url_prefix")
    if prefix is None:
        prefix = g.page_url_prefix = _url("respondent.page", section="_")[:-1]
    return prefix + section_key


@bp.app_template_filter("paragraphs")
def _paragraphs(value):
    return display.paragraphs(value)


@bp.context_processor
def _helpers():
    return {
        "answer_text": display.answer_text,
        "condition_answers": display.condition_answers,
        "countries_for": countries.countries_sorted,
        "page_url": _page_url,
        "question_html": fragments.question_html,
    }
