"""The tracking pages: who has answered, reminders, links, and opening and closing.

Everyone signed in sees the counts; only administrators see people (names, e-mail
addresses) and may change anything.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import get_locale, gettext, ngettext

from survey import db
from survey.auth import current_staff, login_required, role_required
from survey.models import Questionnaire, Role
from survey.models.columns import utcnow
from survey.services import catalogue, deadlines, links, mail, tracking
from survey.tracking import display
from survey.tracking.forms import ActionForm, ClosingForm, ReminderForm

bp = Blueprint("tracking", __name__, url_prefix="/staff/track")


@bp.get("/")
@login_required
def index():
    """List the questionnaires, each with a link to its tracking page."""
    summaries = catalogue.questionnaire_summaries(db.session())
    return render_template("tracking/index.html", questionnaires=summaries, now=utcnow())


@bp.get("/<slug>")
@login_required
def questionnaire(slug: str):
    """Show who has answered: counts for all, the people who have not for admins."""
    return _page(_questionnaire(slug))


@bp.post("/<slug>/close")
@role_required(Role.ADMIN)
def close(slug: str):
    """Stop taking answers now."""
    return _change(
        _questionnaire(slug), deadlines.close_now, gettext("The questionnaire is closed.")
    )


@bp.post("/<slug>/reopen")
@role_required(Role.ADMIN)
def reopen(slug: str):
    """Take answers again after closing early."""
    return _change(
        _questionnaire(slug), deadlines.reopen, gettext("The questionnaire is open again.")
    )


@bp.post("/<slug>/closing")
@role_required(Role.ADMIN)
def move_closing(slug: str):
    """Move the closing date; a refused date is shown next to the field."""
    found, form = _questionnaire(slug), ClosingForm()
    if form.validate_on_submit():
        try:
            deadlines.move_closing(
                db.session(), found, form.closes.data, current_app.config["TIMEZONE"], _staff_id()
            )
        except deadlines.Refused as exc:
            form.closes.errors = [str(exc)]
        else:
            db.session().commit()
            flash(gettext("The closing date has been moved."), "success")
            return redirect(url_for(".questionnaire", slug=slug, _anchor="schedule"))
    return _page(found, closing_form=form, status=422)


@bp.get("/<slug>/remind")
@role_required(Role.ADMIN)
def confirm_reminder(slug: str):
    """Say how many people a reminder would go to, and ask to confirm."""
    found = _questionnaire(slug)
    pending = tracking.not_submitted(db.session(), found)
    form = ReminderForm(expected=str(len(pending)))
    return render_template(
        "tracking/remind.html", questionnaire=found, title=_title(found), pending=pending, form=form
    )


@bp.post("/<slug>/remind")
@role_required(Role.ADMIN)
def remind(slug: str):
    """E-mail a reminder with a new link to everyone who has not submitted, and no one else."""
    found, form = _questionnaire(slug), ReminderForm()
    if not form.validate_on_submit():
        abort(400)
    people = mail.recipients(db.session(), found, mail.REMINDER)
    if form.expected.data != str(len(people)):
        flash(gettext("The number of people to remind has changed: please check again."), "error")
        return redirect(url_for(".confirm_reminder", slug=slug))
    try:
        delivery = mail.deliver(
            db.session(), found, mail.REMINDER, people, current_app.config, _staff_id()
        )
    except mail.MailError as exc:
        flash(gettext("No reminder was sent: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for(".questionnaire", slug=slug, _anchor="pending"))
    _flash_delivery(delivery)
    return redirect(url_for(".questionnaire", slug=slug, _anchor="pending"))


@bp.post("/<slug>/links.csv")
@role_required(Role.ADMIN)
def pending_links(slug: str):
    """Download new links of everyone who has not submitted (earlier links keep working)."""
    found = _questionnaire(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    rows = tracking.reissue_pending_links(db.session(), found, _staff_id())
    db.session().commit()  # the links work before anyone can read them
    return csv_download(tracking.links_csv(rows, current_app.config["BASE_URL"]), slug)


def csv_download(text: str, slug: str) -> Response:
    """A CSV file of personal links as a download that no cache keeps."""
    name = f"links-{slug}-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _page(found: Questionnaire, closing_form: ClosingForm | None = None, status: int = 200):
    session, admin = db.session(), current_staff().role == Role.ADMIN
    counts = tracking.tracking(session, found)
    lang, zone = str(get_locale()), current_app.config["TIMEZONE"]
    if closing_form is None:  # start from the present closing time, in the meeting's zone
        local = found.closes_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        closing_form = ClosingForm(closes=local)
    closing_form.closes.description = gettext("In the meeting's time zone (%(zone)s).", zone=zone)
    page = render_template(
        "tracking/questionnaire.html",
        questionnaire=found,
        title=_title(found),
        state=deadlines.state(found),
        counts=counts,
        tables={d: display.rows(counts, d, lang) for d in tracking.DIMENSIONS},
        without_answer={d: display.without_answer(counts, d, lang) for d in ("region", "country")},
        titles=display.TITLES,
        headers=display.GROUP_HEADERS,
        is_admin=admin,
        pending=tracking.not_submitted(session, found) if admin else None,
        mail_ready=bool(current_app.config.get("SMTP_HOST")),
        action_form=ActionForm(),
        closing_form=closing_form,
        **display.helpers(lang),
    )
    return page, status


def _change(found: Questionnaire, change, done: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change(db.session(), found, _staff_id())
    except deadlines.Refused as exc:
        flash(str(exc), "error")
    else:
        db.session().commit()
        flash(done, "success")
    return redirect(url_for(".questionnaire", slug=found.slug, _anchor="schedule"))


def _flash_delivery(delivery: mail.Delivery) -> None:
    sent = len(delivery.sent)
    flash(
        ngettext("Reminder sent to %(num)d person.", "Reminder sent to %(num)d people.", sent),
        "success",
    )
    for address, reason in delivery.failed:
        flash(
            gettext("Not sent to %(address)s: %(reason)s", address=address, reason=reason), "error"
        )


def _questionnaire(slug: str) -> Questionnaire:
    found = links.find_questionnaire(db.session(), slug)
    if found is None or found.current_version_id is None:
        abort(404)
    return found


def _title(found: Questionnaire) -> str:
    titles = found.current_version.definition.get("title", {})
    return titles.get(str(get_locale())) or next(iter(titles.values()), found.slug)


def _staff_id() -> int:
    return current_staff().id
