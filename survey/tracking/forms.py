"""The forms of the tracking pages, each with its CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, HiddenField, RadioField, SubmitField
from wtforms.validators import InputRequired


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class ReminderForm(FlaskForm):
    """Send the reminder to the number of people the confirmation page showed."""

    expected = HiddenField()


class ClosingForm(FlaskForm):
    """Move the closing date, given in the meeting's time zone."""

    closes = DateTimeLocalField(
        _l("New closing date and time"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(_l("Enter a date and time, like 2026-12-31 18:00."))],
        invalid_value_message=_l("Enter a date and time, like 2026-12-31 18:00."),
    )
    submit = SubmitField(_l("Move the closing date"))


class UploadForm(FlaskForm):
    """A participant list to import."""

    file = FileField(
        _l("Participant list (CSV)"),
        validators=[FileRequired(_l("Choose a CSV file."))],
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Import the list"))


class IssueLinksForm(FlaskForm):
    """Issue personal links for one questionnaire and download them."""

    questionnaire = RadioField(
        _l("Questionnaire"), validators=[InputRequired(_l("Choose a questionnaire."))]
    )
    reissue = BooleanField(
        _l("Also new links for those who have one (their earlier links still work)")
    )
    submit = SubmitField(_l("Issue links and download the CSV file"))
