"""The admins' page of organiser accounts: list, add, change role, deactivate, reset password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from survey import db
from survey.auth.access import current_staff, role_required
from survey.auth.forms import AddAccountForm, RoleForm
from survey.models import Role, Staff
from survey.services import accounts

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("")
@role_required(Role.ADMIN)
def index():
    """List every account, with the forms to add and change them."""
    return _index_page(AddAccountForm())


@bp.post("")
@role_required(Role.ADMIN)
def add():
    """Add an account and show its one-time password, once."""
    form = AddAccountForm()
    if not form.validate_on_submit():
        return _index_page(form), 400
    try:
        staff, one_time = accounts.create_account(
            db.session(), form.email.data, Role(form.role.data), by=current_staff()
        )
    except accounts.AccountError as exc:  # added by someone else since the form was checked
        form.email.errors.append(str(exc))
        return _index_page(form), 409
    db.session().commit()
    return _one_time_password_page(staff, one_time, created=True)


@bp.post("/<int:staff_id>/role")
@role_required(Role.ADMIN)
def set_role(staff_id: int):
    """Give an account another role."""
    account, form = _other_account(staff_id), RoleForm(prefix=_prefix(staff_id))
    if account is not None and form.validate_on_submit():
        accounts.set_role(db.session(), account, Role(form.role.data), by=current_staff())
        db.session().commit()
        flash(gettext("The role of %(email)s has been changed.", email=account.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:staff_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate(staff_id: int):
    """Stop an account from signing in, ending its sessions."""
    account = _other_account(staff_id)
    if account is not None:
        accounts.deactivate(db.session(), account, by=current_staff())
        db.session().commit()
        flash(gettext("%(email)s can no longer sign in.", email=account.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:staff_id>/reset-password")
@role_required(Role.ADMIN)
def reset_password(staff_id: int):
    """Give an account a new one-time password, ending its sessions, and show it once."""
    account = _other_account(staff_id)
    if account is None:
        return redirect(url_for(".index"))
    one_time = accounts.reset_password(db.session(), account, by=current_staff())
    db.session().commit()
    return _one_time_password_page(account, one_time, created=False)


def _index_page(add_form: AddAccountForm) -> str:
    staff = accounts.list_accounts(db.session())
    role_forms = {s.id: RoleForm(prefix=_prefix(s.id), role=s.role.value) for s in staff}
    return render_template(
        "auth/accounts.html", accounts=staff, add_form=add_form, role_forms=role_forms
    )


def _one_time_password_page(staff: Staff, one_time: str, *, created: bool):
    page = render_template(
        "auth/one_time_password.html", account=staff, one_time=one_time, created=created
    )
    # A password must not stay in a cache or in the browser's history of pages.
    return page, 200, {"Cache-Control": "no-store"}


def _other_account(staff_id: int) -> Staff | None:
    """The account to change, or None (with a message) when it is one's own."""
    account = db.session().get(Staff, staff_id) or abort(404)
    if account.id == current_staff().id:
        flash(gettext("You cannot change your own account here."), "error")
        return None
    return account


def _prefix(staff_id: int) -> str:
    return f"account-{staff_id}"
