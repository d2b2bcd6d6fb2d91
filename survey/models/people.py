"""Participants (the invited experts) and their personal links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.db import Base
from survey.models.columns import UTCDateTime, utcnow


class Participant(Base):
    """An invited expert, as imported from the participant list."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: re-importing a list finds the same person again.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country_iso3: Mapped[str] = mapped_column(String(3), index=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    stakeholder_group: Mapped[str] = mapped_column(String(40), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Invitation(Base):
    """A participant's invitation to one questionnaire, reached through its personal links."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("questionnaire_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="RESTRICT")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Revoking an invitation stops every one of its links.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For anonymous questionnaires this flag is all that says the person answered:
    # no time, so that it cannot be matched with the anonymous submission.
    has_submitted: Mapped[bool] = mapped_column(default=False)

    participant: Mapped[Participant] = relationship()


class InvitationToken(Base):
    """One personal link of an invitation; only the token's hash is kept.

    An invitation may have several live links: a reminder brings a new one, and the page an
    expert still has open from the first e-mail must keep working.
    """

    __tablename__ = "invitation_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="RESTRICT"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship()
