"""Export downloads: raw CSV for admins, codebook for every organiser, and the audit log."""

from __future__ import annotations

from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import get_locale
from sqlalchemy import select

from survey import db
from survey.analysis.filters import parse_selection, selection_args
from survey.auth import current_staff, login_required, role_required
from survey.export import audit
from survey.export.aggregated import aggregated_rows
from survey.export.codebook import codebook_rows
from survey.export.csvfile import csv_chunks
from survey.export.raw import raw_rows
from survey.i18n import LANGUAGES
from survey.models import AuditEvent, Questionnaire, Role, Staff
from survey.services import dashboards

bp = Blueprint("export", __name__, url_prefix="/staff/export")
AUDIT_PAGE_SIZE = 100


def _questionnaire(slug: str) -> Questionnaire:
    found = db.session().scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if found is None or found.current_version_id is None:
        abort(404)
    return found


@bp.get("/<slug>/")
@login_required
def index(slug: str):
    """The exports of a questionnaire, with what each holds and who may take it."""
    return render_template("export/index.html", questionnaire=_questionnaire(slug))


@bp.get("/<slug>/raw.csv")
@login_required
def raw(slug: str):
    """One row per submission with every answer: admins only, audited, streamed."""
    questionnaire = _questionnaire(slug)
    options = {
        "excel": request.args.get("excel") == "1",
        "all_revisions": request.args.get("revisions") == "all",
    }
    staff = current_staff()
    if staff.role != Role.ADMIN:
        audit.record("export raw", staff.id, outcome="refused", questionnaire=slug, **options)
        abort(403)
    event = audit.record("export raw", staff.id, outcome="started", questionnaire=slug, **options)
    rows = _own_session(raw_rows, questionnaire, options["all_revisions"])
    return _download(audit.counted(rows, event), f"{slug}-raw", options["excel"])


@bp.get("/<slug>/aggregated.csv")
@login_required
def aggregated(slug: str):
    """The dashboard's figures under the same filters and breakdown, small counts hidden."""
    questionnaire = _questionnaire(slug)
    selection = parse_selection(request.args)
    if selection.errors:
        abort(400, f"Unknown filter values: {', '.join(sorted(selection.errors))}")
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else str(get_locale())
    excel = request.args.get("excel") == "1"
    event = audit.record(
        "export aggregated",
        current_staff().id,
        outcome="started",
        questionnaire=slug,
        excel=excel,
        language=lang,
        **selection_args(selection),
    )
    page = dashboards.dashboard(
        db.session(), questionnaire, selection, lang, current_app.config["SMALL_CELL_THRESHOLD"]
    )
    rows = audit.counted(aggregated_rows(page), event)
    return _download(rows, f"{slug}-aggregated", excel)


@bp.get("/<slug>/codebook.csv")
@login_required
def codebook(slug: str):
    """What every column of the exports holds, with labels in every language."""
    questionnaire = _questionnaire(slug)
    excel = request.args.get("excel") == "1"
    event = audit.record(
        "export codebook", current_staff().id, outcome="started", questionnaire=slug, excel=excel
    )
    rows = _own_session(codebook_rows, questionnaire)
    return _download(audit.counted(rows, event), f"{slug}-codebook", excel)


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """Every export and refused attempt, newest first."""
    page = max(request.args.get("page", 1, type=int), 1)
    events = (
        db.session()
        .execute(
            select(AuditEvent, Staff.email)
            .outerjoin(Staff, Staff.id == AuditEvent.staff_id)
            .where(AuditEvent.action.like("export%"))
            .order_by(AuditEvent.id.desc())
            .limit(AUDIT_PAGE_SIZE + 1)
            .offset((page - 1) * AUDIT_PAGE_SIZE)
        )
        .all()
    )
    return render_template(
        "export/audit.html",
        events=events[:AUDIT_PAGE_SIZE],
        page=page,
        more=len(events) > AUDIT_PAGE_SIZE,
    )


def _own_session(make_rows, *args) -> Iterator[list]:
    """Rows read in a session of their own: a streamed body outlives the request's session."""
    with db.database().read_sessions() as session:
        yield from make_rows(session, *args)


def _download(rows, name: str, excel: bool) -> Response:
    filename = f"{name}{'-excel' if excel else ''}.csv"
    return Response(
        stream_with_context(csv_chunks(rows, excel)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
