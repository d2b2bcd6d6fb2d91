"""Invitations and reminders by e-mail: one message per participant, in their language.

Each message carries a new personal link (earlier links keep working, see ``links``). The
link is stored and committed before its message leaves, and each message sent or refused is
recorded at once, so a run that stops half-way leaves a true account of what went out.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from flask import render_template
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.i18n import RIGHT_TO_LEFT, meeting_time
from survey.models import Invitation, Participant, Questionnaire
from survey.models.columns import utcnow
from survey.questionnaires.model import text
from survey.services import answering, deadlines, links, tracking
from survey.services.accounts import audit

INVITATION, REMINDER = "invitation", "reminder"
NOT_CONFIGURED = (
    "no mail server is configured: set SURVEY_SMTP_HOST (and SURVEY_SMTP_PORT, _USER, "
    "_PASSWORD, _STARTTLS and SURVEY_MAIL_FROM as needed), or write the links to a file "
    "with 'survey links SLUG --out FILE.csv' for a mail merge"
)
TIMEOUT_SECONDS = 30


class MailError(Exception):
    """Nothing can be sent: the message says why, in English, for the log and the CLI."""


class SendFailed(Exception):
    """One message was not accepted; the others may still go."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    starttls: bool
    sender: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        """The settings of the app's config; MailError when no server is configured."""
        if not (config.get("SMTP_HOST") or "").strip():
            raise MailError(NOT_CONFIGURED)
        return cls(
            host=config["SMTP_HOST"].strip(),
            port=int(config["SMTP_PORT"]),
            user=config.get("SMTP_USER") or "",
            password=config.get("SMTP_PASSWORD") or "",
            starttls=bool(config.get("SMTP_STARTTLS")),
            sender=config["MAIL_FROM"],
        )


@dataclass
class Delivery:
    """What a run sent: the addresses reached, and each refused one with the server's reason."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def recipients(
    session: Session, questionnaire: Questionnaire, kind: str, *, only_new: bool = False
) -> list[Participant]:
    """Who gets the e-mail: for reminders, everyone invited who has not submitted; for
    invitations, everyone not yet invited and (unless ``only_new``) everyone invited who has
    not submitted. Revoked invitations get nothing."""
    pending = [row.participant for row in tracking.not_submitted(session, questionnaire)]
    if kind == REMINDER:
        return pending
    invited = select(Invitation.participant_id).where(
        Invitation.questionnaire_id == questionnaire.id
    )
    new = list(
        session.scalars(
            select(Participant)
            .where(Participant.id.not_in(invited))
            .order_by(Participant.name, Participant.id)
        )
    )
    return new if only_new else sorted([*new, *pending], key=lambda p: (p.name, p.id))


def check_open(questionnaire: Questionnaire) -> None:
    """Refuse to invite to or remind of a questionnaire that no longer takes answers."""
    if deadlines.state(questionnaire) in {"closed", "closed_early"}:
        raise MailError(f"{questionnaire.slug} is closed: reopen it or move its closing date first")


def deliver(
    session: Session,
    questionnaire: Questionnaire,
    kind: str,
    people: Sequence[Participant],
    config: Mapping[str, Any],
    staff_id: int | None = None,
) -> Delivery:
    """E-mail each person a new personal link; commit after each one (and what came before).

    Raises MailError, before anything is sent or stored, when no server is configured or it
    cannot be reached, or the questionnaire is closed.
    """
    settings = SmtpSettings.from_config(config)
    check_open(questionnaire)
    session.commit()  # hold no transaction while the server is being reached
    delivery = Delivery()
    with Mailer(settings) as mailer:
        for person in people:
            token = links.issue_link(session, questionnaire, person)
            link = links.link_url(config["BASE_URL"], token)
            message = compose(kind, questionnaire, person, link, settings.sender)
            session.commit()  # the link works before the message that carries it leaves
            try:
                mailer.send(message)
            except SendFailed as exc:
                delivery.failed.append((person.email, str(exc)))
                _record(session, kind, questionnaire, person, staff_id, reason=str(exc))
            else:
                delivery.sent.append(person.email)
                _record(session, kind, questionnaire, person, staff_id)
            session.commit()
    return delivery


def _record(
    session: Session,
    kind: str,
    questionnaire: Questionnaire,
    person: Participant,
    staff_id: int | None,
    reason: str | None = None,
) -> None:
    if kind == REMINDER and reason is None:
        invitation = session.scalar(
            select(Invitation).where(
                Invitation.questionnaire_id == questionnaire.id,
                Invitation.participant_id == person.id,
            )
        )
        invitation.last_reminded_at = utcnow()
    detail: dict[str, Any] = {"questionnaire": questionnaire.slug, "participant_id": person.id}
    if reason is not None:
        detail["reason"] = reason
    if staff_id is None:
        detail["by"] = "command line"
    outcome = "ok" if reason is None else "failed"
    audit(session, f"{kind}_mailed", staff_id=staff_id, outcome=outcome, **detail)


# --- The message -----------------------------------------------------------------------------


def compose(
    kind: str, questionnaire: Questionnaire, person: Participant, link: str, sender: str
) -> EmailMessage:
    """The invitation or reminder for one person, in their language: plain text and HTML."""
    definition = answering.definition_of(questionnaire)
    lang = person.language if person.language in definition.languages else None
    lang = lang or definition.fallback_language
    with force_locale(lang):
        title = text(definition.title, lang, definition.fallback_language)
        subject = (
            gettext("Reminder: %(title)s", title=title)
            if kind == REMINDER
            else gettext("Invitation: %(title)s", title=title)
        )
        context = {
            "kind": kind,
            "name": person.name,
            "title": title,
            "link": link,
            "subject": subject,
            "anonymous": questionnaire.anonymous,
            "closes": meeting_time(questionnaire.closes_at),
            "opens": meeting_time(questionnaire.opens_at)
            if questionnaire.opens_at > utcnow()
            else None,
            "lang": lang,
            "direction": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        }
        plain = render_template("tracking/mail/message.txt", **context)
        html = render_template("tracking/mail/message.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=person.name, addr_spec=person.email)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Content-Language"] = lang
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    return message


# --- The server ------------------------------------------------------------------------------


class Mailer:
    """One SMTP connection for a run of messages, opened again if the server drops it."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        try:
            self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{self.settings.host}:{self.settings.port}"
            raise MailError(f"cannot use the mail server at {where}: {exc}") from None
        return self

    def __exit__(self, *_exc) -> None:
        if self._smtp is not None:
            # The messages are sent: a rude goodbye changes nothing.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None

    def _connect(self) -> None:
        smtp = smtplib.SMTP(self.settings.host, self.settings.port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if self.settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self.settings.user:
                smtp.login(self.settings.user, self.settings.password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; SendFailed (with the server's reason) if it is not accepted."""
        try:
            if self._smtp is None:
                self._connect()
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = [
                f"{code} {reply.decode(errors='replace')}"
                for code, reply in exc.recipients.values()
            ]
            raise SendFailed("; ".join(reasons)) from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._smtp = None  # the connection is gone: the next message opens a new one
            raise SendFailed(str(exc) or type(exc).__name__) from None


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
