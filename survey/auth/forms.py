"""The forms of signing in and of managing organiser accounts (all with a CSRF token)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from survey import db
from survey.models import Role
from survey.services import accounts, passwords

ROLE_CHOICES = [
    SelectChoice(Role.ADMIN.value, _l("Administrator")),
    SelectChoice(Role.ANALYST.value, _l("Analyst")),
]


def _valid_email(_form, field) -> None:
    if not accounts.is_email(accounts.normalise_email(field.data or "")):
        raise ValidationError(gettext("Enter an e-mail address, like name@example.org."))


def _email_field(autocomplete: str) -> EmailField:
    return EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter an e-mail address.")), Length(max=254), _valid_email],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


class LoginForm(FlaskForm):
    email = _email_field("username")
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(_l("Enter a new password."))],
        description=_l(
            "At least %(min)d characters. A few unrelated words make a strong password "
            "that is easy to remember.",
            min=passwords.MIN_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(_l("Enter the new password again.")),
            EqualTo("new_password", _l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Change password"))

    def __init__(self, account_email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_new_password(self, field) -> None:
        weakness = passwords.weakness(field.data or "", self.account_email)
        if weakness is not None:
            raise ValidationError(
                gettext(weakness.value, min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH)
            )
        if field.data == self.current_password.data:
            raise ValidationError(gettext("The new password must differ from the current one."))


class AddAccountForm(FlaskForm):
    email = _email_field("off")
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.ANALYST.value)
    submit = SubmitField(_l("Add account"))

    def validate_email(self, field) -> None:
        if accounts.find_account(db.session(), field.data or "") is not None:
            raise ValidationError(gettext("An account with this e-mail exists already."))


class RoleForm(FlaskForm):
    """Change one account's role; made with ``prefix`` so each row's ids are unique."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change role"))
