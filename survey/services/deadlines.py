"""Closing a questionnaire now, reopening it, and moving its closing date — each audited."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from survey.models import Questionnaire
from survey.models.columns import utcnow
from survey.services.accounts import audit


class Refused(Exception):
    """The change cannot be made; the message, in the page's language, says why."""


def state(questionnaire: Questionnaire, now: datetime | None = None) -> str:
    """Where the questionnaire stands: "not_yet_open", "open", "closed_early" or "closed"."""
    now = now or utcnow()
    if questionnaire.closed_early_at is not None:
        return "closed_early"
    if now < questionnaire.opens_at:
        return "not_yet_open"
    return "open" if now < questionnaire.closes_at else "closed"


def close_now(session: Session, questionnaire: Questionnaire, staff_id: int | None) -> None:
    """Stop taking answers at once, whatever the closing date says."""
    if questionnaire.closed_early_at is not None:
        raise Refused(_l("The questionnaire is closed already."))
    questionnaire.closed_early_at = utcnow()
    audit(session, "questionnaire_closed", staff_id=staff_id, questionnaire=questionnaire.slug)


def reopen(session: Session, questionnaire: Questionnaire, staff_id: int | None) -> None:
    """Take answers again after closing early, until the closing date."""
    if questionnaire.closed_early_at is None:
        raise Refused(_l("The questionnaire was not closed early."))
    if questionnaire.closes_at <= utcnow():
        raise Refused(_l("The closing date has passed: set a later closing date first."))
    questionnaire.closed_early_at = None
    audit(session, "questionnaire_reopened", staff_id=staff_id, questionnaire=questionnaire.slug)


def move_closing(
    session: Session,
    questionnaire: Questionnaire,
    local: datetime,
    timezone: str,
    staff_id: int | None,
) -> datetime:
    """Set the closing time, given in the meeting's time zone; return it in UTC."""
    closes_at = local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    if closes_at <= utcnow():
        raise Refused(_l("This date and time has passed: choose a later one."))
    if closes_at <= questionnaire.opens_at:
        raise Refused(_l("The questionnaire would close before it opens: choose a later date."))
    previous = questionnaire.closes_at
    questionnaire.closes_at = closes_at
    audit(
        session,
        "questionnaire_closing_moved",
        staff_id=staff_id,
        questionnaire=questionnaire.slug,
        before=previous.isoformat(),
        after=closes_at.isoformat(),
    )
    return closes_at
