"""The participant list page: upload a CSV file, then issue the links of a questionnaire."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext

from survey import db
from survey.auth import current_staff, role_required
from survey.models import Role
from survey.services import catalogue, links, tracking
from survey.services.accounts import audit
from survey.services.participants import MAX_BYTES, ImportResult, import_participants
from survey.tracking.forms import IssueLinksForm, UploadForm
from survey.tracking.views import csv_download

bp = Blueprint("participants", __name__, url_prefix="/participants")


@bp.get("")
@role_required(Role.ADMIN)
def upload_page():
    """Show the upload form and the form to issue links."""
    return _page(UploadForm())


@bp.post("")
@role_required(Role.ADMIN)
def upload():
    """Import the uploaded list, all rows or none; show every problem of a refused file."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    data = form.file.data.read(MAX_BYTES + 1)  # enough to tell that a file is too large
    result = import_participants(db.session(), data)
    if not result.ok:
        return _page(form, result=result, status=422)
    audit(
        db.session(),
        "participants_imported",
        staff_id=current_staff().id,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    db.session().commit()
    flash(
        gettext(
            "The list is imported: %(created)d added, %(updated)d updated, "
            "%(unchanged)d unchanged.",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for(".upload_page", _anchor="links"))


@bp.post("/links.csv")
@role_required(Role.ADMIN)
def issue_links():
    """Issue links for a questionnaire and download them as a CSV file for a mail merge."""
    form = _links_form()
    if not form.validate_on_submit():
        abort(400)
    found = links.find_questionnaire(db.session(), form.questionnaire.data) or abort(404)
    rows = tracking.issue_all_links(db.session(), found, form.reissue.data, current_staff().id)
    db.session().commit()  # the links work before anyone can read them
    return csv_download(tracking.links_csv(rows, current_app.config["BASE_URL"]), found.slug)


def _links_form() -> IssueLinksForm:
    form = IssueLinksForm()
    lang = str(get_locale())
    form.questionnaire.choices = [
        (q.slug, q.title(lang)) for q in catalogue.questionnaire_summaries(db.session())
    ]
    if form.questionnaire.data is None and form.questionnaire.choices:
        form.questionnaire.data = form.questionnaire.choices[0][0]
    return form


def _page(form: UploadForm, result: ImportResult | None = None, status: int = 200):
    page = render_template(
        "tracking/participants.html",
        form=form,
        result=result,
        links_form=_links_form(),
        participant_count=tracking.participant_count(db.session()),
    )
    return page, status
