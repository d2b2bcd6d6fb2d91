"""Signing in and out, changing one's password, and the organisers' landing page."""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_time, gettext

from survey import db
from survey.auth import access
from survey.auth.access import current_staff, login_required, safe_next
from survey.auth.forms import ChangePasswordForm, LoginForm
from survey.models.columns import utcnow
from survey.services import accounts

bp = Blueprint("auth", __name__, url_prefix="/staff")


@bp.get("/")
@login_required
def home():
    """Say who is signed in, with which role, and where they can go."""
    return render_template("auth/home.html", staff=current_staff())


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password, within the rate limits."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "GET" and current_staff() is not None:
        return redirect(safe_next(form.next.data) or url_for(".home"))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    outcome = accounts.authenticate(
        db.session(), form.email.data, form.password.data, request.remote_addr
    )
    if outcome.retry_at is not None:
        return _too_many("auth/login.html", outcome.retry_at, form=form)
    if outcome.staff is None:
        # The same words whether the e-mail is unknown or the password wrong.
        return render_template("auth/login.html", form=form, refused=True)
    access.begin(outcome.token)
    target = safe_next(form.next.data)
    if outcome.staff.must_change_password:
        return redirect(url_for(".change_password", next=target))
    return redirect(target or url_for(".home"))


@bp.post("/logout")
def logout():
    """End the session on the server, so that its cookie no longer signs anyone in."""
    token, staff = access.current_token(), current_staff()
    if token:
        accounts.end_session(db.session(), token)
        if staff is not None:
            accounts.audit(db.session(), "logout", staff_id=staff.id)
        db.session().commit()
    access.end()
    flash(gettext("You have signed out."), "success")
    return redirect(url_for(".login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (first of all after a one-time password), ending other sessions."""
    staff = current_staff()
    form = ChangePasswordForm(staff.email, next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            token = accounts.change_password(
                db.session(),
                staff,
                form.current_password.data,
                form.new_password.data,
                request.remote_addr,
            )
        except accounts.Limited as exc:
            return _too_many("auth/change_password.html", exc.retry_at, form=form, staff=staff)
        except accounts.WrongPassword:
            form.current_password.errors.append(gettext("The current password is not right."))
        except accounts.AccountError as exc:  # the form's checks catch these first
            form.new_password.errors.append(str(exc))
        else:
            db.session().commit()
            access.begin(token)
            flash(gettext("Your password has been changed."), "success")
            return redirect(safe_next(form.next.data) or url_for(".home"))
    return render_template("auth/change_password.html", form=form, staff=staff)


def _too_many(template: str, retry_at: datetime, **context):
    """Answer 429, saying when to try again."""
    seconds = max(1, math.ceil((retry_at - utcnow()).total_seconds()))
    message = gettext(
        "Too many failed attempts. Try again in %(minutes)d minutes, after %(time)s.",
        minutes=math.ceil(seconds / 60),
        time=format_time(retry_at, "short"),
    )
    page = render_template(template, limited=message, **context)
    return page, 429, {"Retry-After": str(seconds)}
